import { isNonEmptyString } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

const TRAIL = "aws:cloudtrail/trail:Trail";

/**
 * SLO-3 (issue 17): the account's API activity is on record where an
 * incident review can trust it: the stack that owns the account and Region's
 * settings (infra/accountSettings.ts; policy config `requireTrail`) has a
 * trail, and every trail covers all Regions (`isMultiRegionTrail`), writes
 * digest files so tampering shows (`enableLogFileValidation`) and encrypts
 * its logs with a customer-managed key (`kmsKeyId`).
 */
export default stackRule({
  name: "cloudtrail-trail-require-validation",
  description:
    "The account-settings owner stack has a CloudTrail trail, and every trail is multi-Region, validates its log files and encrypts them with a KMS key.",
  requirements: ["SLO-3"],
  severity: "high",
  config: {
    requireTrail: {
      type: "boolean",
      default: true,
      description:
        "SLO-3: this stack owns its account and Region's settings and so declares the audit trail; false for stacks sharing another's account (myhibachi-prod, prod-dr).",
    },
  },
  check: (resources, config) => {
    const violations: StackViolation[] = [];
    const trails = resources.filter((r) => r.type === TRAIL);
    if (config.requireTrail === true && trails.length === 0)
      violations.push({
        urn: resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "",
        message:
          "no CloudTrail trail: the stack owning the account's settings declares one (AuditTrail); set requireTrail false only where another stack owns them",
      });
    for (const t of trails) {
      const faults = [
        ...(t.props.isMultiRegionTrail === true ? [] : ["is not multi-Region (isMultiRegionTrail)"]),
        ...(t.props.enableLogFileValidation === true
          ? []
          : ["does not validate its log files (enableLogFileValidation)"]),
        ...(isNonEmptyString(t.props.kmsKeyId)
          ? []
          : ["does not encrypt its logs with a KMS key (kmsKeyId)"]),
      ];
      if (faults.length > 0) violations.push({ urn: t.urn, message: `trail ${t.name} ${faults.join("; ")}` });
    }
    return violations;
  },
});
