/**
 * SLO-3 (issue 17): the account's GuardDuty detector (guardduty-detector-require-enabled):
 * the shipped stacks pass as recorded; a real detector disabled, a real
 * feature disabled or without EKS add-on management, and an owner stack
 * without its detector, are reported.
 */
import rule from "../../policies/rules/guardduty/guardduty-detector-require-enabled";
import { synthStack } from "../harness";
import { editOutputs, findings, mandatory, record } from "./recorded";

const DETECTOR = "aws:guardduty/detector:Detector";
const FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";

describe("SLO-3 (issue 17): GuardDuty in the owner stack (guardduty-detector-require-enabled)", () => {
  test.each(["prod", "staging", "myhibachi-prod", "prod-dr"])(
    "POL-3: reports nothing on %s as recorded",
    async (stack) => {
      expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
    },
  );

  test("SLO-3: prod's real detector disabled is reported", async () => {
    const ev = await synthStack("prod");
    const detector = record(ev, DETECTOR, "psi-prod-guardduty-detector");
    const mutated = editOutputs(ev, detector.urn, (p) => ({ ...p, enable: false }));
    expect(await findings(rule, mutated, "prod")).toEqual([
      mandatory(rule, detector.urn, "GuardDuty detector psi-prod-guardduty-detector is not enabled (enable)"),
    ]);
  });

  test("SLO-3: prod's real EKS audit-log feature disabled is reported", async () => {
    const ev = await synthStack("prod");
    const detector = record(ev, DETECTOR, "psi-prod-guardduty-detector");
    const feature = record(ev, FEATURE, "psi-prod-guardduty-eks-audit-logs");
    const mutated = editOutputs(ev, feature.urn, (p) => ({ ...p, status: "DISABLED" }));
    expect(await findings(rule, mutated, "prod")).toEqual([
      mandatory(rule, detector.urn, "GuardDuty feature EKS_AUDIT_LOGS is not enabled"),
    ]);
  });

  test("SLO-3: prod's real Runtime Monitoring without EKS add-on management is reported", async () => {
    const ev = await synthStack("prod");
    const feature = record(ev, FEATURE, "psi-prod-guardduty-runtime-monitoring");
    const mutated = editOutputs(ev, feature.urn, (p) => ({
      ...p,
      additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" }],
    }));
    expect(await findings(rule, mutated, "prod")).toEqual([
      mandatory(
        rule,
        feature.urn,
        "GuardDuty feature RUNTIME_MONITORING does not enable EKS_ADDON_MANAGEMENT",
      ),
    ]);
  });

  test("SLO-3: prod (the owner of its account's settings) without its detector is reported", async () => {
    const ev = await synthStack("prod");
    const mutated = { ...ev, records: ev.records.filter((r) => r.type !== DETECTOR && r.type !== FEATURE) };
    expect(await findings(rule, mutated, "prod")).toEqual([
      mandatory(
        rule,
        "urn:pulumi:prod::runbook-platform::pulumi:pulumi:Stack::runbook-platform-prod",
        "no GuardDuty detector: the stack owning the account's settings declares one (ThreatDetection); set requireDetector false only where another stack owns them",
      ),
    ]);
  });
});
