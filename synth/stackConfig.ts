/**
 * Reads a stack's config the way the Pulumi CLI hands it to a program: fully
 * qualified keys (a bare key belongs to the project), string values, structured
 * values as JSON. A `secure:` value cannot be decrypted offline, so it becomes a
 * placeholder and its key is marked secret, as the engine would mark it.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const SECRET_PLACEHOLDER = "synth-placeholder-secret";

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

function readYaml(file: string): unknown {
  return parse(fs.readFileSync(file, "utf8"));
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

export function readStackConfig(root: string, stack: string): StackConfig {
  const project = (readYaml(path.join(root, "Pulumi.yaml")) as { name: string }).name;
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack file Pulumi.${stack}.yaml; stacks here: ${listStacks(root).join(", ")}`);
  }
  const doc = (readYaml(file) ?? {}) as { config?: Record<string, unknown> };
  return { project, stack, ...toEngineConfig(project, doc.config ?? {}) };
}
