/**
 * Reading IAM policy documents as AWS evaluates them, far enough to tell
 * whether a role may call one action on one resource under a known request
 * context (BAK-2, DR-1: S3 replication's KMS calls).
 */
import { Props, asArray, asObject, globMatches, parseJson } from "./props";

/** A policy document's statements (a JSON string or an object; one statement or a list). */
export function statementsOf(document: unknown): Props[] {
  return asArray(asObject(parseJson(document)).Statement).map(asObject);
}

/** `Action` names the action (wildcards, any case), or `NotAction` leaves it out. */
export function grantsAction(statement: Props, action: string): boolean {
  const matches = (v: unknown) =>
    asArray(v).some((p) => typeof p === "string" && globMatches(p, action, true));
  if (statement.Action !== undefined) return matches(statement.Action);
  if (statement.NotAction !== undefined) return !matches(statement.NotAction);
  return false;
}

/** `Resource` names the ARN (wildcards, "*"), or `NotResource` leaves it out. */
export function coversResource(statement: Props, arn: string): boolean {
  const matches = (v: unknown) => asArray(v).some((p) => typeof p === "string" && globMatches(p, arn));
  if (statement.Resource !== undefined) return matches(statement.Resource);
  if (statement.NotResource !== undefined) return !matches(statement.NotResource);
  return false;
}

/** Values of condition keys in the request, keyed by the key in lower case (IAM keys are case-insensitive). */
export type RequestContext = Readonly<Record<string, string>>;

type Compare = (pattern: string, value: string) => boolean;
const COMPARE: Readonly<Record<string, { readonly test: Compare; readonly negated: boolean }>> = {
  stringequals: { test: (p, v) => p === v, negated: false },
  stringnotequals: { test: (p, v) => p === v, negated: true },
  stringequalsignorecase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
  stringnotequalsignorecase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: true },
  stringlike: { test: (p, v) => globMatches(p, v), negated: false },
  stringnotlike: { test: (p, v) => globMatches(p, v), negated: true },
  arnequals: { test: (p, v) => globMatches(p, v), negated: false },
  arnlike: { test: (p, v) => globMatches(p, v), negated: false },
  arnnotequals: { test: (p, v) => globMatches(p, v), negated: true },
  arnnotlike: { test: (p, v) => globMatches(p, v), negated: true },
};

/** One condition of a statement that the request would fail. */
export interface FailedCondition {
  /** The condition as written, e.g. `StringLike kms:EncryptionContext:aws:s3:arn "arn:aws:s3:::b/*"`. */
  readonly text: string;
  /** The condition key, lower case. */
  readonly key: string;
}

/**
 * The conditions of `statement` that a request with `context` fails. Keys the
 * context does not hold are taken to pass (the rule cannot know them); a
 * `ForAnyValue:`/`ForAllValues:` qualifier on a single-valued key and an
 * `…IfExists` suffix on a key present change nothing; an operator this reader
 * does not know fails on a key the context holds.
 */
export function failedConditions(statement: Props, context: RequestContext): FailedCondition[] {
  const failed: FailedCondition[] = [];
  for (const [operator, block] of Object.entries(asObject(statement.Condition))) {
    const base = operator
      .replace(/^(ForAnyValue|ForAllValues):/i, "")
      .replace(/IfExists$/i, "")
      .toLowerCase();
    for (const [key, raw] of Object.entries(asObject(block))) {
      const value = context[key.toLowerCase()];
      if (value === undefined) continue;
      const patterns = asArray(raw).map(String);
      const compare = COMPARE[base];
      const holds =
        compare !== undefined &&
        (compare.negated
          ? !patterns.some((p) => compare.test(p, value))
          : patterns.some((p) => compare.test(p, value)));
      if (!holds) {
        const shown = patterns.map((p) => JSON.stringify(p)).join(", ");
        failed.push({ text: `${operator} ${key} ${shown}`, key: key.toLowerCase() });
      }
    }
  }
  return failed;
}

/** Whether a statement is an Allow (IAM's default is no grant, so only an explicit Allow counts). */
export const isAllow = (statement: Props) => statement.Effect === "Allow";
export const isDeny = (statement: Props) => statement.Effect === "Deny";

/* ---------- a role's permissions, wherever the stack declares them (ECS-8) ---------- */

export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const MANAGED_POLICY = "aws:iam/policy:Policy";

interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Props;
  readonly propertyDependencies: Record<string, StackResource[]>;
}

/** One policy that applies to a role: a document the stack declares, or a managed policy it only names. */
export interface RolePolicySource {
  /** How messages name it: "inline policy <name>", "policy <name>", "managed policy <arn>". */
  readonly label: string;
  /** The resource that declares it (the role itself for its inline policies). */
  readonly urn: string;
  /** The policy document, when the stack declares it. */
  readonly document?: unknown;
  /** A managed policy's ARN the stack does not declare. */
  readonly externalArn?: string;
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** Whether `given` (a role input: name, id or ARN) names `role`. */
function namesRole(role: StackResource, given: unknown): boolean {
  return isString(given) && [role.props.name, role.props.id, role.props.arn].includes(given);
}

function dependsOn(r: StackResource, via: string, target: StackResource): boolean {
  return asArray(r.propertyDependencies[via]).some((d) => asObject(d).urn === target.urn);
}

/**
 * Every policy attached to `role`: its `inlinePolicies` and `managedPolicyArns`,
 * aws:iam RolePolicy resources naming it, and RolePolicyAttachments naming it
 * (their policy's document when the stack declares the aws:iam Policy, else
 * the managed policy's ARN).
 */
export function rolePolicies(resources: readonly StackResource[], role: StackResource): RolePolicySource[] {
  const sources: RolePolicySource[] = [];
  for (const p of asArray(role.props.inlinePolicies).map(asObject))
    if (p.policy !== undefined)
      sources.push({
        label: `inline policy ${String(p.name ?? "(unnamed)")}`,
        urn: role.urn,
        document: p.policy,
      });
  const managed = resources.filter((r) => r.type === MANAGED_POLICY);
  const attach = (arn: unknown, urn: string, via?: StackResource) => {
    const declared = managed.filter(
      (m) => (via !== undefined && dependsOn(via, "policyArn", m)) || (isString(arn) && m.props.arn === arn),
    );
    if (declared.length > 0)
      for (const m of declared)
        sources.push({ label: `policy ${m.name}`, urn: m.urn, document: m.props.policy });
    else if (isString(arn)) sources.push({ label: `managed policy ${arn}`, urn, externalArn: arn });
  };
  for (const arn of asArray(role.props.managedPolicyArns)) attach(arn, role.urn);
  for (const r of resources) {
    if (r.type !== ROLE_POLICY && r.type !== ROLE_POLICY_ATTACHMENT) continue;
    if (!dependsOn(r, "role", role) && !namesRole(role, r.props.role)) continue;
    if (r.type === ROLE_POLICY)
      sources.push({ label: `inline policy ${r.name}`, urn: r.urn, document: r.props.policy });
    else attach(r.props.policyArn, r.urn, r);
  }
  return sources;
}

/**
 * What an Allow statement grants beyond least privilege, or nothing: an
 * `Action` with a wildcard, a `NotAction` or `NotResource` (everything but a
 * list), or the resource `"*"` for an action not in `starOnly` (the actions
 * AWS authorizes only on `"*"`; compared case-insensitively).
 */
export function wildcardGrants(statement: Props, starOnly: readonly string[]): string[] {
  if (!isAllow(statement)) return [];
  const problems: string[] = [];
  const actions = asArray(statement.Action).map(String);
  if (statement.NotAction !== undefined) problems.push("NotAction (every action but those listed)");
  const wild = actions.filter((a) => a.includes("*") || a.includes("?"));
  if (wild.length > 0) problems.push(`wildcard action ${wild.join(", ")}`);
  if (statement.NotResource !== undefined) problems.push("NotResource (every resource but those listed)");
  if (asArray(statement.Resource).some((r) => r === "*")) {
    const allowed = new Set(starOnly.map((a) => a.toLowerCase()));
    const scoped = actions.filter((a) => !wild.includes(a) && !allowed.has(a.toLowerCase()));
    if (scoped.length > 0 || statement.NotAction !== undefined)
      problems.push(
        `${scoped.length > 0 ? scoped.join(", ") : "its actions"} on resource "*"; name the resources' ARNs`,
      );
  }
  return problems;
}
