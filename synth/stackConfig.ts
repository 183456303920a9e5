/**
 * Reads a stack's config the way the Pulumi CLI hands it to a program: fully
 * qualified keys (a bare key belongs to the project), string values, structured
 * values as JSON. A `secure:` value cannot be decrypted offline, so it becomes a
 * placeholder and its key is marked secret, as the engine would mark it.
 */
import * as fs from "fs";
import * as path from "path";
import { LineCounter, parseDocument } from "yaml";

/**
 * What a `secure:` value reads as offline (synth has no key to decrypt it).
 * An https URL, so the secrets config checks the shape of (the pager
 * endpoint, SLO-2) validate as a real value would; never written out (the
 * inputs holding it are masked as "[secret]").
 */
export const SECRET_PLACEHOLDER = "https://synth-placeholder.invalid/secret";

export interface StackConfig {
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

function isSecure(v: unknown): v is { secure: string } {
  return typeof v === "object" && v !== null && Object.keys(v).length === 1 && "secure" in v;
}

/** Replaces every `secure:` leaf with the placeholder; reports whether there was one. */
function stripSecure(v: unknown): { value: unknown; secret: boolean } {
  if (isSecure(v)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(v)) {
    const items = v.map(stripSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).map(([k, x]) => [k, stripSecure(x)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])),
      secret: entries.some(([, x]) => x.secret),
    };
  }
  return { value: v, secret: false };
}

/** A stack or project file that cannot be read as one: the message names the file and, for syntax, the place. */
export class StackFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${path.basename(file)}: ${problem}`);
    this.name = "StackFileError";
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object" && v !== null) return "a mapping";
  return `the ${typeof v} ${JSON.stringify(v)}`;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The file's top-level mapping; an empty file is an empty mapping. */
function readYaml(file: string): Record<string, unknown> {
  const lines = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter: lines, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = error.pos[0] >= 0 ? lines.linePos(error.pos[0]) : undefined;
    const where = at ? ` at line ${at.line}, column ${at.col}` : "";
    throw new StackFileError(file, `YAML syntax error${where}: ${error.message.replace(/\s+/g, " ").trim()}`);
  }
  const top: unknown = doc.toJS() ?? {};
  if (!isMapping(top))
    throw new StackFileError(file, `the top level must be a mapping of key: value (got ${kindOf(top)})`);
  return top;
}

export function listStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Turns a parsed `config:` block into the engine's key/value map. */
export function toEngineConfig(
  project: string,
  block: Record<string, unknown>,
): { config: Record<string, string>; secretKeys: string[] } {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(block)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    const { value, secret } = stripSecure(rawValue);
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
    if (secret) secretKeys.push(key);
  }
  return { config, secretKeys };
}

/** The stack's file; throws unless `stack` is one of the stacks in `root` (so its name is safe in paths). */
export function stackFile(root: string, stack: string): string {
  const stacks = listStacks(root);
  if (!stacks.includes(stack)) {
    throw new Error(`no stack file Pulumi.${stack}.yaml; stacks here: ${stacks.join(", ")}`);
  }
  return path.join(root, `Pulumi.${stack}.yaml`);
}

export function readStackConfig(root: string, stack: string): StackConfig {
  const projectFile = path.join(root, "Pulumi.yaml");
  const { name: project } = readYaml(projectFile);
  if (typeof project !== "string") throw new StackFileError(projectFile, "name: must be the project's name");
  const file = stackFile(root, stack);
  const { config = {} } = readYaml(file);
  // `config:` with nothing under it is an empty block, as the Pulumi CLI reads it.
  if (config !== null && !isMapping(config)) {
    throw new StackFileError(file, `config: must be a mapping of key: value (got ${kindOf(config)})`);
  }
  return { project, stack, ...toEngineConfig(project, config ?? {}) };
}
