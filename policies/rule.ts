/**
 * What a rule of this pack is: metadata (name, requirement IDs, severity,
 * thresholds with their reasons) and pure check logic. Rules know nothing of
 * enforcement levels or of the PolicyPack: pack.ts assembles them, and the
 * per-stack files in config/ choose how strictly each is enforced.
 */
import type { PolicyResource, PolicyResourceOptions, Severity } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** The fixed verbs of rule names `<service>-<resource>-<verb>-<thing>`. */
export const VERBS = ["require", "forbid", "limit"] as const;
export type Verb = (typeof VERBS)[number];

export const RULE_NAME = new RegExp(`^[a-z0-9]+-[a-z0-9]+-(${VERBS.join("|")})-[a-z0-9-]+$`);

/** A configurable threshold: its JSON schema (with the runbook's value as default) and why. */
export interface Threshold extends PolicyConfigJSONSchema {
  readonly default:
    number | string | boolean | readonly (string | number)[] | Readonly<Record<string, number>>;
  readonly description: string;
}

interface RuleMeta {
  /** `<service>-<resource>-<verb>-<thing>`. */
  readonly name: string;
  /** One sentence: what a compliant resource looks like. */
  readonly description: string;
  /** Requirement IDs from docs/requirements.md. */
  readonly requirements: readonly string[];
  readonly severity: Severity;
  /**
   * The runbooks let staging deviate (e.g. single-AZ): the staging policy
   * config makes the rule advisory there. Mandatory everywhere else.
   */
  readonly stagingMayDeviate?: boolean;
  /** Thresholds, each overridable per stack through policy config. */
  readonly config?: Readonly<Record<string, Threshold>>;
}

/** What a resource rule sees: the engine's ResourceValidationArgs, minus the helpers. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the engine's own type for props
  readonly props: Record<string, any>;
  readonly opts: PolicyResourceOptions;
}

export type RuleConfig = Readonly<Record<string, unknown>>;

export interface ResourceRule extends RuleMeta {
  readonly kind: "resource";
  /** Type tokens the rule applies to. */
  readonly types: readonly string[];
  /** Violation messages; empty when the resource complies. */
  check(resource: ResourceView, config: RuleConfig): string[];
}

export interface StackViolation {
  readonly message: string;
  readonly urn?: string;
}

export interface StackRule extends RuleMeta {
  readonly kind: "stack";
  /** Violations over all the stack's resources (their outputs, as the engine hands them). */
  check(resources: readonly PolicyResource[], config: RuleConfig): StackViolation[];
}

export type Rule = ResourceRule | StackRule;

export function resourceRule(rule: Omit<ResourceRule, "kind">): ResourceRule {
  return { kind: "resource", ...rule };
}

export function stackRule(rule: Omit<StackRule, "kind">): StackRule {
  return { kind: "stack", ...rule };
}

/** The rule's thresholds at their defaults, overridden by whatever policy config sets. */
export function resolveConfig(rule: Rule, given: RuleConfig = {}): RuleConfig {
  const defaults = Object.fromEntries(Object.entries(rule.config ?? {}).map(([k, t]) => [k, t.default]));
  return { ...defaults, ...given };
}

/** A retention floor in days within AWS's 1-35 day range for automated backups and snapshots. */
export function backupDays(defaultDays: number, description: string): Threshold {
  return { type: "integer", minimum: 1, maximum: 35, default: defaultDays, description };
}

/** Reads a numeric threshold the pack declared; a config of the wrong type is a pack bug. */
export function num(config: RuleConfig, key: string): number {
  const v = config[key];
  if (typeof v !== "number")
    throw new Error(`policy config ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function list(config: RuleConfig, key: string): readonly (string | number)[] {
  const v = config[key];
  if (!Array.isArray(v)) throw new Error(`policy config ${key} must be a list, got ${JSON.stringify(v)}`);
  return v as (string | number)[];
}
