/**
 * POL-2: a stack's policy config, `policies/config/<stack>.json`, read and
 * checked against the pack it configures. The Pulumi CLI reads the same file
 * (`--policy-pack-config`) and keeps quiet about most mistakes in it:
 * pulumi/pulumi pkg/resource/analyzer/config.go (`ReconcilePolicyPackConfig`)
 * carries an entry for a rule the pack does not have into a config nobody
 * reads, and validates a rule's settings against a schema without
 * `additionalProperties`, so a misspelt rule or setting name leaves the rule at
 * its defaults without a word. Here every such mistake is an error naming the
 * file, the key and what is allowed, before the pack runs.
 *
 * Light on purpose (no SDK, no @pulumi/policy): the synth CLI checks the file
 * before it loads the engine, as it does the stack file.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { nearest, orList } from "../infra/validators";
import type { Rule } from "../policies/rule";
import { RULES } from "../policies/rules";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/** The levels a rule of this pack can be set to (it has no remediations). */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled"];

/** A `--policy-pack-config` document: `all` and per-policy levels and thresholds. */
export type PackConfig = Readonly<
  Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>
>;

const ROOT = path.resolve(__dirname, "..");
export const POLICY_CONFIG_DIR = path.join(ROOT, "policies/config");

/** Thrown on a policy config the pack cannot take: one line per problem, each naming the file. */
export class PolicyConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid policy config (${problems.length} problem(s)):\n  ${problems.join("\n  ")}`);
    this.name = "PolicyConfigError";
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const LEVEL_LIST = orList([...ENFORCEMENT_LEVELS]);

/** " (did you mean x?)" for a near miss among `names`, or nothing. */
function suggestion(name: string, names: readonly string[]): string {
  const near = nearest(name, names);
  return near.length > 0 ? ` (did you mean ${orList(near)}?)` : "";
}

/** What a threshold's JSON schema allows, in words: "an integer from 1 to 35", "a list of integers". */
function allowedBy(schema: PolicyConfigJSONSchema, plural = false): string {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const words: Record<string, [string, string]> = {
    integer: ["an integer", "integers"],
    number: ["a number", "numbers"],
    string: ["a string", "strings"],
    boolean: ["true or false", "true or false"],
  };
  if (type === "array") {
    const items = isObject(schema.items) ? allowedBy(schema.items as PolicyConfigJSONSchema, true) : "values";
    return `a list of ${items}`;
  }
  const base = words[type ?? ""]?.[plural ? 1 : 0] ?? (plural ? "values" : "a value");
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return `${base} from ${min} to ${max}`;
  if (min !== undefined) return `${base} of at least ${min}`;
  if (max !== undefined) return `${base} of at most ${max}`;
  return base;
}

/** Whether `value` meets the subset of JSON schema the pack's thresholds use (type, bounds, items, pattern). */
function meets(schema: PolicyConfigJSONSchema, value: unknown): boolean {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const typed =
    types.length === 0 ||
    types.some((t) =>
      t === "integer"
        ? Number.isInteger(value)
        : t === "number"
          ? typeof value === "number"
          : t === "array"
            ? Array.isArray(value)
            : t === "object"
              ? isObject(value)
              : t === "null"
                ? value === null
                : typeof value === t,
    );
  if (!typed) return false;
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (typeof value === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
    return false;
  if (Array.isArray(value) && isObject(schema.items)) {
    const items = schema.items as PolicyConfigJSONSchema;
    return value.every((v) => meets(items, v));
  }
  return true;
}

/** The problems of one rule's entry (`key` is a rule of the pack). */
function entryProblems(file: string, rule: Rule, entry: unknown): string[] {
  const key = rule.name;
  if (typeof entry === "string")
    return (ENFORCEMENT_LEVELS as readonly string[]).includes(entry)
      ? []
      : [`${file}: ${key}: must be an enforcement level: ${LEVEL_LIST} (got ${JSON.stringify(entry)})`];
  if (!isObject(entry))
    return [
      `${file}: ${key}: must be an enforcement level (${LEVEL_LIST}) or an object of enforcementLevel and the rule's settings (got ${JSON.stringify(entry)})`,
    ];
  const problems: string[] = [];
  const settings = rule.config ?? {};
  const names = Object.keys(settings).sort();
  for (const [name, value] of Object.entries(entry)) {
    if (name === "enforcementLevel") {
      if (!(ENFORCEMENT_LEVELS as readonly unknown[]).includes(value))
        problems.push(
          `${file}: ${key}.enforcementLevel: must be an enforcement level: ${LEVEL_LIST} (got ${JSON.stringify(value)})`,
        );
      continue;
    }
    const schema = settings[name];
    if (schema === undefined) {
      problems.push(
        `${file}: ${key}.${name}: unknown setting${suggestion(name, names)}; allowed here: ${["enforcementLevel", ...names].join(", ")}`,
      );
      continue;
    }
    if (!meets(schema, value))
      problems.push(`${file}: ${key}.${name}: must be ${allowedBy(schema)} (got ${JSON.stringify(value)})`);
  }
  return problems;
}

/**
 * POL-2: the CLI's reading of a policy config: `all` sets every policy's
 * level, a policy's own entry overrides it (advisory where staging may
 * differ); the rest of the entry is its config.
 */
export function effectiveConfig(
  policy: string,
  config: PackConfig,
): { level: EnforcementLevel; settings: Record<string, unknown> } {
  const all = typeof config.all === "string" ? config.all : undefined;
  const own = config[policy];
  if (typeof own === "string") return { level: own, settings: {} };
  const { enforcementLevel, ...settings } = own ?? {};
  return { level: enforcementLevel ?? all ?? "mandatory", settings };
}

/**
 * POL-2: checks the text of a policy config file against `rules`: JSON, an
 * object whose keys are `all` (an enforcement level) or rule names, each an
 * enforcement level or an object of `enforcementLevel` and the rule's own
 * settings, each setting within its threshold's schema. `file` names the file
 * in every problem line.
 */
export function parsePackConfig(file: string, text: string, rules: readonly Rule[] = RULES): PackConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PolicyConfigError([
      `${file}: is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    ]);
  }
  if (!isObject(doc))
    throw new PolicyConfigError([
      `${file}: must be a JSON object of rule names (or all) to enforcement levels (got ${Array.isArray(doc) ? "a list" : JSON.stringify(doc)})`,
    ]);
  const byName = new Map(rules.map((r) => [r.name, r]));
  const names = [...byName.keys()].sort();
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(doc)) {
    if (key === "all") {
      if (!(ENFORCEMENT_LEVELS as readonly unknown[]).includes(entry))
        problems.push(
          `${file}: all: must be an enforcement level for every rule: ${LEVEL_LIST} (got ${JSON.stringify(entry)})`,
        );
      continue;
    }
    const rule = byName.get(key);
    if (rule === undefined) {
      problems.push(
        `${file}: ${key}: unknown rule${suggestion(key, ["all", ...names])}; allowed: all or a rule of the pack: ${names.join(", ")}`,
      );
      continue;
    }
    problems.push(...entryProblems(file, rule, entry));
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return doc as PackConfig;
}

/**
 * POL-2: the stack's policy config (policies/config/<stack>.json): levels and
 * thresholds per stack, or none (every rule mandatory). Throws a
 * PolicyConfigError naming the file when it is malformed or names a rule or
 * setting the pack does not have.
 */
export function readPackConfig(stack: string, dir: string = POLICY_CONFIG_DIR): PackConfig {
  const file = path.join(dir, `${stack}.json`);
  if (!fs.existsSync(file)) return {};
  return parsePackConfig(path.relative(ROOT, file), fs.readFileSync(file, "utf8"));
}
