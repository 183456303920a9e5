/** POL-3: every shipped stack, as recorded by the synth engine, through the whole pack. */
import { RULES } from "../../policies/rules";
import { readPackConfig, runPolicies } from "../../synth/policy";
import { SHIPPED_STACKS, T, synthStack } from "../harness";

describe.each(SHIPPED_STACKS)("%s", (stack) => {
  test(`POL-3: ${stack}'s recorded resources have zero mandatory violations, advisory ones only where staging (or the rebuild's backup copies) may deviate`, async () => {
    const findings = await runPolicies(await synthStack(stack), readPackConfig(stack));
    expect(findings.filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
    const mayDeviate = new Set(RULES.filter((r) => r.stagingMayDeviate).map((r) => r.name));
    // DR-2: the rebuild's backups stay in its Region: no copy into the failed one.
    const rebuildMayDeviate = new Set(["backup-plan-require-cross-region-copy"]);
    for (const f of findings)
      expect(
        (stack === "staging" && mayDeviate.has(f.policy)) ||
          (stack === "prod-dr" && rebuildMayDeviate.has(f.policy)),
      ).toBe(true);
  });
});

describe("POL-3: a component default and the pack cannot drift apart", () => {
  test("NET-5: prod's flow-log group without its KMS key fails cloudwatch-loggroup-require-encryption", async () => {
    const prod = await synthStack("prod");
    const group = prod.records.find((r) => r.type === T.logGroup && r.name.endsWith("-flow-logs"))!;
    const plainInputs = new Map(prod.plainInputs);
    plainInputs.set(group.urn, { ...plainInputs.get(group.urn), kmsKeyId: undefined });
    const findings = await runPolicies({ ...prod, plainInputs }, readPackConfig("prod"));
    expect(findings).toEqual([
      {
        policy: "cloudwatch-loggroup-require-encryption",
        urn: group.urn,
        enforcementLevel: "mandatory",
        message: "kmsKeyId is not set: logs can hold personal data and tokens",
      },
    ]);
  });

  test("BAK-4: prod's KMS key without protect fails pulumi-stateful-require-protect", async () => {
    const prod = await synthStack("prod");
    const records = prod.records.map((r) => (r.type === T.kmsKey ? { ...r, protect: false } : r));
    const findings = await runPolicies({ ...prod, records }, readPackConfig("prod"));
    expect(findings.map((f) => [f.policy, f.enforcementLevel, f.message])).toEqual(
      records
        .filter((r) => r.type === T.kmsKey)
        .map(() => [
          "pulumi-stateful-require-protect",
          "mandatory",
          "protect is not set: `pulumi up` or `destroy` could delete this data",
        ]),
    );
  });
});
