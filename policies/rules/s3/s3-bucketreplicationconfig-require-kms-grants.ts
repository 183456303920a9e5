import type { PolicyResource } from "@pulumi/policy";
import {
  FailedCondition,
  RequestContext,
  coversResource,
  failedConditions,
  grantsAction,
  isAllow,
  isDeny,
  statementsOf,
} from "../../lib/iam";
import { Props, asArray, asObject, isNonEmptyString } from "../../lib/props";
import { BUCKET_TYPES, s3Types } from "../../lib/s3";
import { StackViolation, stackRule } from "../../rule";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const POLICY = "aws:iam/policy:Policy";
const KMS_KEY = "aws:kms/key:Key";
const KMS_ALIAS = "aws:kms/alias:Alias";
const REPLICATION = s3Types("BucketReplicationConfig");
const ENCRYPTION = s3Types("BucketServerSideEncryptionConfiguration");

const CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn";
const VIA_SERVICE = "kms:ViaService";
const FAILED = "every object's replication would end FAILED";

/** The resource of `candidates` that `r`'s input `via` names: by dependency, else by value. */
function named(
  r: PolicyResource,
  via: string,
  candidates: readonly PolicyResource[],
  byValue: (c: PolicyResource, given: unknown) => boolean,
): PolicyResource | undefined {
  const deps = new Set((r.propertyDependencies[via] ?? []).map((d) => d.urn));
  return candidates.find((c) => deps.has(c.urn)) ?? candidates.find((c) => byValue(c, r.props[via]));
}

const sameString = (a: unknown, b: unknown) => isNonEmptyString(a) && a === b;

/** A bucket's default encryption: its KMS key (resolved to a key ARN where the stack declares it) and Bucket Key. */
interface Encryption {
  readonly keyArn: string | undefined;
  readonly bucketKey: boolean;
}

/** Resolves a key id, key ARN, alias name or alias ARN to the key's ARN where the stack declares it. */
function keyArnOf(resources: readonly PolicyResource[], given: unknown): string | undefined {
  if (!isNonEmptyString(given)) return undefined;
  const key = resources.find(
    (k) => k.type === KMS_KEY && [k.props.arn, k.props.keyId, k.props.id].some((v) => sameString(v, given)),
  );
  if (key && isNonEmptyString(key.props.arn)) return key.props.arn;
  const alias = resources.find(
    (a) => a.type === KMS_ALIAS && [a.props.arn, a.props.name].some((v) => sameString(v, given)),
  );
  return alias && isNonEmptyString(alias.props.targetKeyArn) ? alias.props.targetKeyArn : given;
}

function encryptionOf(resources: readonly PolicyResource[], bucket: PolicyResource | undefined): Encryption {
  const none = { keyArn: undefined, bucketKey: false };
  if (!bucket) return none;
  const config = resources.find(
    (c) =>
      ENCRYPTION.includes(c.type) &&
      ((c.propertyDependencies.bucket ?? []).some((d) => d.urn === bucket.urn) ||
        sameString(c.props.bucket, bucket.props.bucket)),
  );
  const rule = asArray(config?.props.rules).map(asObject)[0];
  if (!rule) return none;
  const byDefault = asObject(rule.applyServerSideEncryptionByDefault);
  const kms = String(byDefault.sseAlgorithm ?? "").startsWith("aws:kms");
  return {
    keyArn: kms ? keyArnOf(resources, byDefault.kmsMasterKeyId) : undefined,
    bucketKey: rule.bucketKeyEnabled === true,
  };
}

/** The policy documents a role carries: inline, role policies, and attached customer policies of the stack. */
function documentsOf(resources: readonly PolicyResource[], role: PolicyResource): unknown[] {
  const isRole = (r: PolicyResource, via: string) =>
    (r.propertyDependencies[via] ?? []).some((d) => d.urn === role.urn) ||
    asArray(r.props[via]).some((v) =>
      [role.props.name, role.props.id, role.props.arn].some((n) => sameString(n, v)),
    );
  const policies = resources.filter((p) => p.type === POLICY);
  const attached = (a: PolicyResource) =>
    named(a, "policyArn", policies, (p, arn) => sameString(p.props.arn, arn))?.props.policy;
  return [
    ...asArray(role.props.inlinePolicies).map((p) => asObject(p).policy),
    ...resources.filter((r) => r.type === ROLE_POLICY && isRole(r, "role")).map((r) => r.props.policy),
    ...resources.filter((r) => r.type === ROLE_POLICY_ATTACHMENT && isRole(r, "role")).map(attached),
    ...resources.filter((r) => r.type === POLICY_ATTACHMENT && isRole(r, "roles")).map(attached),
  ];
}

/** One KMS permission S3 needs for replication, and the request S3 makes for it. */
interface Need {
  readonly which: "source" | "replica";
  readonly keyArn: string;
  readonly action: string;
  readonly bucketLabel: string;
  readonly bucketArn: string;
  readonly bucketKey: boolean;
  readonly region: string | undefined;
}

/** The values S3 sends KMS for a need: one request per bucket with a Bucket Key, per object without one. */
function contexts(need: Need): RequestContext[] {
  const via = need.region ? { [VIA_SERVICE.toLowerCase()]: `s3.${need.region}.amazonaws.com` } : {};
  const arns = need.bucketKey
    ? [need.bucketArn]
    : [`${need.bucketArn}/object`, `${need.bucketArn}/any/prefix/object.bin`];
  return arns.map((arn) => ({ ...via, [CONTEXT_KEY.toLowerCase()]: arn }));
}

/** Why S3's request fails a condition, in words. */
function why(need: Need, failed: FailedCondition): string {
  if (failed.key === CONTEXT_KEY.toLowerCase()) {
    return need.bucketKey
      ? `${need.bucketLabel} uses an S3 Bucket Key, so S3 sends the bucket ARN ${need.bucketArn} as ${CONTEXT_KEY}`
      : `${need.bucketLabel} has no S3 Bucket Key, so S3 sends each object's ARN (${need.bucketArn}/<key>) as ${CONTEXT_KEY}`;
  }
  if (failed.key === VIA_SERVICE.toLowerCase())
    return `S3 calls KMS for ${need.bucketLabel} through s3.${need.region}.amazonaws.com`;
  return "S3's request cannot be shown to meet it";
}

type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function judge(statements: readonly Props[], need: Need): Verdict {
  const applies = (s: Props) => grantsAction(s, need.action) && coversResource(s, need.keyArn);
  if (statements.some((s) => isDeny(s) && s.Condition === undefined && applies(s)))
    return { ok: false, reason: "denied" };
  const candidates = statements.filter((s) => isAllow(s) && applies(s));
  const failures = candidates.map((s) => contexts(need).flatMap((c) => failedConditions(s, c)));
  if (failures.some((f) => f.length === 0)) return { ok: true };
  if (failures.length === 0) return { ok: false, reason: "missing" };
  const first = failures[0][0];
  return { ok: false, reason: `only if ${first.text}, but ${why(need, first)}` };
}

/**
 * BAK-2, DR-1: replicating SSE-KMS objects needs the replication role to
 * decrypt with the source bucket's key and to encrypt (kms:Encrypt,
 * kms:GenerateDataKey, and kms:Decrypt) with the replica key, each through S3
 * in that key's region. S3 asks KMS with the encryption context
 * `kms:EncryptionContext:aws:s3:arn` = the BUCKET ARN when that bucket has an
 * S3 Bucket Key, the OBJECT ARN when it does not; a grant conditioned on the
 * other form never applies, and every object's replication ends FAILED.
 *
 * For each aws:s3 BucketReplicationConfig: its role (propertyDependencies.role)
 * and that role's policies (inline, aws:iam RolePolicy, attached customer
 * aws:iam Policy), the source bucket (propertyDependencies.bucket) and each
 * rule's destination bucket, each bucket's default encryption
 * (BucketServerSideEncryptionConfiguration: key and bucketKeyEnabled) and the
 * rule's replicaKmsKeyId. A permission counts when an Allow statement grants the
 * action (string or list, wildcards such as kms:*) on the key (ARN, list or
 * "*") under conditions S3's request meets (StringEquals/StringLike/Arn…,
 * ForAnyValue:/ForAllValues: and …IfExists read as for a single-valued key;
 * kms:ViaService and the encryption context are known, other keys assumed met)
 * and no unconditional Deny takes it away. Managed AWS policies attached by ARN
 * are not read.
 */
export default stackRule({
  name: "s3-bucketreplicationconfig-require-kms-grants",
  description:
    "An S3 replication role may use the source and replica KMS keys with the encryption context S3 actually sends (bucket ARN with a Bucket Key, object ARN without).",
  requirements: ["BAK-2", "DR-1"],
  severity: "high",
  check: (resources) => {
    const found: StackViolation[] = [];
    const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
    const roles = resources.filter((r) => r.type === ROLE);
    for (const config of resources.filter((r) => REPLICATION.includes(r.type))) {
      const report = (message: string) => {
        const full = `replication ${config.name}: ${message}`;
        if (!found.some((f) => f.urn === config.urn && f.message === full))
          found.push({ urn: config.urn, message: full });
      };
      const source = named(config, "bucket", buckets, (b, name) => sameString(b.props.bucket, name));
      const sourceName = String(source?.props.bucket ?? config.props.bucket ?? "?");
      const sourceArn = String(source?.props.arn ?? `arn:aws:s3:::${sourceName}`);
      const sourceEncryption = encryptionOf(resources, source);
      const needs: Need[] = [];
      if (sourceEncryption.keyArn) {
        needs.push({
          which: "source",
          keyArn: sourceEncryption.keyArn,
          action: "kms:Decrypt",
          bucketLabel: `bucket ${source?.name ?? sourceName}`,
          bucketArn: sourceArn,
          bucketKey: sourceEncryption.bucketKey,
          region: regionOf(source?.props.region, sourceEncryption.keyArn),
        });
      }
      for (const rule of asArray(config.props.rules).map(asObject)) {
        if (rule.status !== "Enabled") continue;
        const id = String(rule.id ?? "?");
        const destination = asObject(rule.destination);
        const replicaKey = keyArnOf(resources, asObject(destination.encryptionConfiguration).replicaKmsKeyId);
        const kmsObjects = asObject(asObject(rule.sourceSelectionCriteria).sseKmsEncryptedObjects).status;
        if (sourceEncryption.keyArn && kmsObjects !== "Enabled") {
          report(
            `rule ${id} does not replicate SSE-KMS objects (sourceSelectionCriteria.sseKmsEncryptedObjects is not Enabled), and bucket ${source?.name ?? sourceName} encrypts every object with KMS: nothing would be replicated`,
          );
          continue;
        }
        if (!replicaKey) {
          if (kmsObjects === "Enabled")
            report(`rule ${id} names no replicaKmsKeyId: S3 rejects replicating SSE-KMS objects without one`);
          continue;
        }
        const destinationArn = String(destination.bucket ?? "?");
        const target = buckets.find((b) => sameString(b.props.arn, destinationArn));
        const targetEncryption = encryptionOf(resources, target);
        for (const action of ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"]) {
          needs.push({
            which: "replica",
            keyArn: replicaKey,
            action,
            bucketLabel: `bucket ${target?.name ?? destinationArn.replace(/^arn:[^:]*:s3:::/, "")}`,
            bucketArn: destinationArn,
            bucketKey: targetEncryption.bucketKey,
            region: regionOf(target?.props.region, replicaKey),
          });
        }
      }
      if (needs.length === 0) continue;

      const role = named(config, "role", roles, (r, arn) => sameString(r.props.arn, arn));
      if (!role) {
        report(
          `its role ${String(config.props.role ?? "?")} is not a role of this stack, so its KMS grants cannot be checked`,
        );
        continue;
      }
      const statements = documentsOf(resources, role).flatMap(statementsOf);
      // One message per key and reason, naming every action that fails for it.
      const failing = new Map<string, { need: Need; reason: string; actions: string[] }>();
      for (const need of needs) {
        const verdict = judge(statements, need);
        if (verdict.ok) continue;
        const key = `${need.which}|${need.keyArn}|${need.bucketArn}|${verdict.reason}`;
        const entry = failing.get(key) ?? { need, reason: verdict.reason, actions: [] };
        if (!entry.actions.includes(need.action)) entry.actions.push(need.action);
        failing.set(key, entry);
      }
      for (const { need, reason, actions } of failing.values()) {
        const what = `${actions.join(", ")} on the ${need.which} key ${need.keyArn}`;
        const purpose =
          need.which === "source"
            ? `to read the objects of ${need.bucketLabel}`
            : `to write replicas to ${need.bucketLabel}`;
        if (reason === "missing" || reason === "denied") {
          const verb = reason === "missing" ? "is not allowed" : "is denied";
          report(`role ${role.name} ${verb} ${what}, which S3 needs ${purpose}: ${FAILED}`);
        } else {
          report(`role ${role.name} may use ${what} ${reason}: ${FAILED}`);
        }
      }
    }
    return found;
  },
});

/** A bucket's region output, else its key's region (`arn:aws:kms:<region>:…`). */
function regionOf(bucketRegion: unknown, keyArn: string): string | undefined {
  if (isNonEmptyString(bucketRegion)) return bucketRegion;
  const fromArn = keyArn.split(":")[3];
  return isNonEmptyString(fromArn) ? fromArn : undefined;
}
