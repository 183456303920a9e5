/**
 * SLO-3 (issue 17): the account's audit trail (cloudtrail-trail-require-validation):
 * the shipped stacks pass as recorded; a real trail made single-Region,
 * unvalidated or unencrypted, and an owner stack without its trail, are reported.
 */
import rule from "../../policies/rules/cloudtrail/cloudtrail-trail-require-validation";
import type { PolicyInput } from "../../synth/policy";
import { synthStack } from "../harness";
import { editOutputs, findings, mandatory, record } from "./recorded";

const TRAIL = "aws:cloudtrail/trail:Trail";

/** `ev` without the trail (as if the owner stack had not declared it). */
const withoutTrails = (ev: PolicyInput): PolicyInput => ({
  ...ev,
  records: ev.records.filter((r) => r.type !== TRAIL),
});

describe("SLO-3 (issue 17): the audit trail (cloudtrail-trail-require-validation)", () => {
  test.each(["prod", "staging", "myhibachi-prod", "prod-dr"])(
    "POL-3: reports nothing on %s as recorded",
    async (stack) => {
      expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
    },
  );

  test.each([
    ["isMultiRegionTrail", false, "is not multi-Region (isMultiRegionTrail)"],
    ["enableLogFileValidation", false, "does not validate its log files (enableLogFileValidation)"],
    ["kmsKeyId", undefined, "does not encrypt its logs with a KMS key (kmsKeyId)"],
  ])("SLO-3: prod's real trail with %s = %s is reported", async (key, value, fault) => {
    const ev = await synthStack("prod");
    const trail = record(ev, TRAIL, "psi-prod-audit");
    const mutated = editOutputs(ev, trail.urn, (p) => {
      if (value === undefined) delete p[key];
      else p[key] = value;
    });
    expect(await findings(rule, mutated, "prod")).toEqual([
      mandatory(rule, trail.urn, `trail psi-prod-audit ${fault}`),
    ]);
  });

  test("SLO-3: prod (the owner of its account's settings) without its trail is reported", async () => {
    const ev = withoutTrails(await synthStack("prod"));
    const stackUrn = "urn:pulumi:prod::runbook-platform::pulumi:pulumi:Stack::runbook-platform-prod";
    expect(await findings(rule, ev, "prod")).toEqual([
      mandatory(
        rule,
        stackUrn,
        "no CloudTrail trail: the stack owning the account's settings declares one (AuditTrail); set requireTrail false only where another stack owns them",
      ),
    ]);
  });

  test("SLO-3: staging without its trail is reported too (it owns its own account)", async () => {
    const ev = withoutTrails(await synthStack("staging"));
    expect((await findings(rule, ev, "staging")).map((f) => f.urn)).toEqual([
      "urn:pulumi:staging::runbook-platform::pulumi:pulumi:Stack::runbook-platform-staging",
    ]);
  });
});
