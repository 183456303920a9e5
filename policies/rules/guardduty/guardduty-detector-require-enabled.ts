import { asArray, asObject } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

const DETECTOR = "aws:guardduty/detector:Detector";
const FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";

/** SLO-3 (issue 17): the features the platform's EKS clusters need watched, with their additional configurations. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  EKS_AUDIT_LOGS: [],
  RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT"],
};

/**
 * SLO-3 (issue 17): threats to the account show up as GuardDuty findings:
 * the stack that owns the account and Region's settings
 * (infra/accountSettings.ts; policy config `requireDetector`) has an enabled
 * GuardDuty detector, with EKS audit-log monitoring and Runtime Monitoring
 * (its EKS agent managed by GuardDuty) enabled.
 */
export default stackRule({
  name: "guardduty-detector-require-enabled",
  description:
    "The account-settings owner stack has an enabled GuardDuty detector with EKS audit logs and Runtime Monitoring (EKS add-on management) enabled.",
  requirements: ["SLO-3"],
  severity: "high",
  config: {
    requireDetector: {
      type: "boolean",
      default: true,
      description:
        "SLO-3: this stack owns its account and Region's settings and so declares the GuardDuty detector; false for stacks sharing another's account (myhibachi-prod, prod-dr).",
    },
  },
  check: (resources, config) => {
    const violations: StackViolation[] = [];
    const detectors = resources.filter((r) => r.type === DETECTOR);
    for (const d of detectors)
      if (d.props.enable !== true)
        violations.push({ urn: d.urn, message: `GuardDuty detector ${d.name} is not enabled (enable)` });
    if (config.requireDetector !== true) return violations;
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
    if (detectors.length === 0) {
      violations.push({
        urn: stackUrn,
        message:
          "no GuardDuty detector: the stack owning the account's settings declares one (ThreatDetection); set requireDetector false only where another stack owns them",
      });
      return violations;
    }
    const features = resources.filter((r) => r.type === FEATURE && r.props.status === "ENABLED");
    for (const [name, extras] of Object.entries(REQUIRED)) {
      const feature = features.find((f) => f.props.name === name);
      if (feature === undefined) {
        violations.push({ urn: detectors[0].urn, message: `GuardDuty feature ${name} is not enabled` });
        continue;
      }
      const enabled = asArray(feature.props.additionalConfigurations)
        .map(asObject)
        .filter((c) => c.status === "ENABLED")
        .map((c) => c.name);
      for (const extra of extras.filter((e) => !enabled.includes(e)))
        violations.push({ urn: feature.urn, message: `GuardDuty feature ${name} does not enable ${extra}` });
    }
    return violations;
  },
});
