import type { PolicyResource } from "@pulumi/policy";
import { asArray, asObject, isNonEmptyString, parseJson } from "../../lib/props";
import { StackViolation, list, stackRule } from "../../rule";

const TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration";
const KMS_TYPES = ["KMS", "KMS_DSSE"];

/** The Region of a KMS key ARN (`arn:aws:kms:<region>:…`), undefined for an id or alias. */
const arnRegion = (arn: unknown) =>
  isNonEmptyString(arn) && arn.startsWith("arn:") ? arn.split(":")[3] : undefined;

/** Whether template prefix `prefix` covers repositories matching replication filter `filter` (PREFIX_MATCH). */
function covers(prefix: string, filter: string): boolean {
  if (prefix === "ROOT") return true;
  // ECR appends a "/" to a template prefix: "psi-prod" applies to "psi-prod/…".
  return filter.startsWith(`${prefix}/`);
}

/** What a template leaves out of ECS-1's repository settings. */
function settingProblems(t: PolicyResource): string[] {
  const p = t.props;
  const problems: string[] = [];
  if (p.imageTagMutability !== "IMMUTABLE")
    problems.push(
      `imageTagMutability is ${String(p.imageTagMutability ?? "not set (MUTABLE)")}; use IMMUTABLE so a replicated tag always means the same image`,
    );
  const enc = asObject(asArray(p.encryptionConfigurations)[0]);
  const type = enc.encryptionType ?? "AES256";
  if (!KMS_TYPES.includes(String(type)))
    problems.push(
      `encryptionConfigurations encryptionType is ${String(type)}${enc.encryptionType === undefined ? " (not set)" : ""}; use KMS with a customer-managed key`,
    );
  else if (!isNonEmptyString(enc.kmsKey))
    problems.push(`encryptionType ${String(type)} has no kmsKey: the AWS-managed aws/ecr key would be used`);
  else {
    const keyRegion = arnRegion(enc.kmsKey);
    if (isNonEmptyString(p.region) && keyRegion !== undefined && keyRegion !== p.region)
      problems.push(
        `kmsKey ${String(enc.kmsKey)} is in ${keyRegion}, not the template's Region ${p.region}: ECR needs the key in the repository's Region`,
      );
  }
  const rules = asArray(asObject(parseJson(p.lifecyclePolicy)).rules);
  if (!rules.some((r) => asObject(asObject(r).action).type === "expire"))
    problems.push("lifecyclePolicy has no rule that expires images: replicas would pile up");
  return problems;
}

/**
 * ECS-1, DR-1: the repositories ECR creates by itself, in the DR Region when
 * it replicates, get their settings from a repository creation template
 * (ECR User Guide, "Private repository creation templates": the template
 * whose prefix matches, or ROOT; ECR appends "/" to the prefix). Such a
 * template holds them to ECS-1 like every declared repository: immutable
 * tags, KMS encryption under a customer-managed key in the template's own
 * Region (ECR: "The key must exist in the same Region as the repository"),
 * and a lifecycle policy that expires images. And every repository a
 * replication rule sends to another Region is covered by a template applied
 * for REPLICATION in that Region: otherwise the DR copies carry none of it.
 */
export default stackRule({
  name: "ecr-repositorycreationtemplate-require-hardening",
  description:
    "ECR repository creation templates give replicated repositories immutable tags, KMS encryption with a customer-managed key of their Region and an expiring lifecycle policy, and cover every prefix the registry replicates.",
  requirements: ["ECS-1", "DR-1"],
  severity: "high",
  config: {
    templatesInOtherStacks: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        "DR-1, BAK-5: prefixes this stack's replication configuration copies for another stack of the same account and Region, which declares their creation templates itself: ECR keeps one replication configuration per registry, declared by one stack (the program's accountSettings.replicateNamespaces; a test checks each such stack declares its template).",
    },
  },
  check: (resources, config) => {
    const elsewhere = list(config, "templatesInOtherStacks").map(String);
    const templates = resources.filter((r) => r.type === TEMPLATE);
    const violations: StackViolation[] = [];
    for (const t of templates)
      for (const problem of settingProblems(t))
        violations.push({
          urn: t.urn,
          message: `repository creation template ${String(t.props.prefix ?? t.name)}: ${problem}`,
        });
    for (const config of resources.filter((r) => r.type === REPLICATION)) {
      const own = config.props.region;
      const rules = asArray(asObject(config.props.replicationConfiguration).rules).map(asObject);
      for (const rule of rules) {
        const filters = asArray(rule.repositoryFilters)
          .map(asObject)
          .filter((f) => f.filterType === "PREFIX_MATCH" && isNonEmptyString(f.filter))
          .map((f) => String(f.filter));
        for (const dest of asArray(rule.destinations).map(asObject)) {
          const region = dest.region;
          if (!isNonEmptyString(region) || region === own) continue;
          const replicating = templates.filter(
            (t) =>
              t.props.region === region &&
              asArray(t.props.appliedFors).includes("REPLICATION") &&
              isNonEmptyString(t.props.prefix),
          );
          for (const filter of filters.length > 0 ? filters : ["(every repository)"]) {
            if (elsewhere.some((prefix) => covers(prefix, filter))) continue;
            const covered = replicating.some(
              (t) =>
                t.props.prefix === "ROOT" || (filters.length > 0 && covers(String(t.props.prefix), filter)),
            );
            if (!covered)
              violations.push({
                urn: config.urn,
                message: `replication of ${filter} to ${region} has no repository creation template applied for REPLICATION in ${region}: the replicas would get ECR's defaults, not ECS-1's settings`,
              });
          }
        }
      }
    }
    return violations;
  },
});
