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

/**
 * ECS-8, K8S-10: what `role`'s policies grant beyond least privilege, one
 * message each, prefixed with `who`: every Allow statement's wildcard grants
 * (wildcardGrants), and every managed policy the stack does not declare that
 * `managedOk` does not accept (its document cannot be read).
 */
export function rolePolicyViolations(
  resources: readonly StackResource[],
  role: StackResource,
  who: string,
  starOnly: readonly string[],
  managedOk: (arn: string) => boolean,
  managedKey = "allowedManagedPolicyArns",
): { urn: string; message: string }[] {
  const violations: { urn: string; message: string }[] = [];
  for (const source of rolePolicies(resources, role)) {
    if (source.externalArn !== undefined) {
      if (!managedOk(source.externalArn))
        violations.push({
          urn: source.urn,
          message: `${who}: ${source.label} is not on ${managedKey}; attach a policy the stack declares, scoped to the app's own resources`,
        });
      continue;
    }
    statementsOf(source.document).forEach((statement, i) => {
      const sid = typeof statement.Sid === "string" && statement.Sid.length > 0 ? statement.Sid : `#${i + 1}`;
      for (const grant of wildcardGrants(statement, starOnly))
        violations.push({
          urn: source.urn,
          message: `${who}: ${source.label} statement ${sid} allows ${grant}`,
        });
    });
  }
  return violations;
}

/* ---------- roles pods assume (K8S-10) ---------- */

/** What lets pods assume a role: IRSA (web identity from a cluster's OIDC provider) or EKS Pod Identity. */
export interface PodTrust {
  readonly kind: "IRSA" | "Pod Identity";
  /** The service accounts the trust names (`namespace/name`); empty when it names none. */
  readonly serviceAccounts: readonly string[];
  /** Why the trust lets more than named service accounts in, if it does. */
  readonly open?: string;
}

const SA_SUBJECT = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * How pods may assume `role`, from its trust policy: an Allow of
 * sts:AssumeRoleWithWebIdentity to a federated `oidc-provider/…` principal
 * (IRSA: the `<issuer>:sub` condition names `system:serviceaccount:<ns>:<sa>`),
 * or to the service principal pods.eks.amazonaws.com (EKS Pod Identity: the
 * association names the service account; aws:RequestTag/kubernetes-namespace
 * and …/kubernetes-service-account conditions may narrow it further). An IRSA
 * trust without a `sub` condition naming one service account exactly lets
 * every pod of the cluster with a projected token assume the role. Undefined
 * for a role pods cannot assume.
 */
export function podTrust(role: StackResource): PodTrust | undefined {
  for (const s of statementsOf(role.props.assumeRolePolicy).filter(isAllow)) {
    const principal = asObject(s.Principal);
    const federated = asArray(principal.Federated).map(String);
    const services = asArray(principal.Service).map(String);
    const conditions = Object.entries(asObject(s.Condition)).flatMap(([op, block]) =>
      Object.entries(asObject(block)).map(([key, v]) => ({ op, key, values: asArray(v).map(String) })),
    );
    if (
      grantsAction(s, "sts:AssumeRoleWithWebIdentity") &&
      federated.some((f) => f.includes(":oidc-provider/"))
    ) {
      const subs = conditions.filter((c) => c.key.toLowerCase().endsWith(":sub"));
      const values = subs.flatMap((c) => c.values);
      const accounts = values.flatMap((v) => {
        const m = SA_SUBJECT.exec(v);
        return m ? [`${m[1]}/${m[2]}`] : [];
      });
      const wild = values.find((v) => v.includes("*") || v.includes("?"));
      const open =
        subs.length === 0
          ? "its trust policy has no <issuer>:sub condition: every service account of the cluster may assume it"
          : wild !== undefined
            ? `its trust policy's <issuer>:sub condition ${wild} matches more than one service account`
            : subs.some(
                  (c) => !/^string(equals|like)$/i.test(c.op.replace(/^(ForAnyValue|ForAllValues):/i, "")),
                )
              ? `its trust policy tests <issuer>:sub with ${subs.map((c) => c.op).join(", ")}, not StringEquals`
              : undefined;
      return { kind: "IRSA", serviceAccounts: accounts, ...(open ? { open } : {}) };
    }
    if (services.includes("pods.eks.amazonaws.com")) {
      const tag = (name: string) =>
        conditions.filter((c) => c.key.toLowerCase() === `aws:requesttag/${name}`).flatMap((c) => c.values);
      const ns = tag("kubernetes-namespace");
      const sa = tag("kubernetes-service-account");
      const accounts = ns.flatMap((n) => sa.map((a) => `${n}/${a}`));
      // The pod identity association names the service account; the tags only narrow it further.
      return { kind: "Pod Identity", serviceAccounts: accounts };
    }
  }
  return undefined;
}
