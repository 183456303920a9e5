/**
 * APP-4, DR-1, DR-2 (issue 22): secretsmanager-secret-require-dr-replica. Every secret says how a
 * region rebuild gets its value (tag dr:recovery); one only operators know (`replica`) has a
 * replica in the DR Region under a customer-managed key of that Region. Compliant and violating
 * secrets typed against the real args, prod's real recorded secret mutated, every shipped stack.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import rule from "../../policies/rules/secretsmanager/secretsmanager-secret-require-dr-replica";
import { synthStack, violations } from "../harness";
import { editInputs, findings, mandatory, record } from "./recorded";

const SECRET = "aws:secretsmanager/secret:Secret";
const DR_KEY = "arn:aws:kms:us-west-2:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
/** The policy config prod and myhibachi-prod run the rule with (policies/config/<stack>.json). */
const PROD = { [rule.name]: { enforcementLevel: "mandatory" as const, drRegion: "us-west-2" } };

const compliant: Unwrap<aws.secretsmanager.SecretArgs> = {
  name: "psi-prod/backend/SECRET_KEY",
  kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555",
  recoveryWindowInDays: 30,
  replicas: [{ region: "us-west-2", kmsKeyId: DR_KEY }],
  tags: { Name: "psi-prod/backend/SECRET_KEY", "dr:recovery": "replica" },
};
const secret = (props: Unwrap<aws.secretsmanager.SecretArgs>) => [{ type: SECRET, name: "secret", props }];
const HOW =
  "replica (replicated to the DR Region (a value only operators know)) or regenerated (set anew by the rebuild (data-store credentials its restore resets))";

describe("APP-4, DR-1: secretsmanager-secret-require-dr-replica", () => {
  test("APP-4, DR-1: a service secret replicated to the DR Region under a key of that Region passes; so does a regenerated data-store secret without one", async () => {
    expect(await violations(rule, secret(compliant), PROD)).toEqual([]);
    const regenerated = { ...compliant, replicas: undefined, tags: { "dr:recovery": "regenerated" } };
    expect(await violations(rule, secret(regenerated), PROD)).toEqual([]);
    // Without a configured DR Region, a replica in any other Region counts.
    expect(await violations(rule, secret({ ...compliant, region: "us-east-1" }))).toEqual([]);
  });

  test("APP-4, DR-1: a secret that does not say how a rebuild gets its value is reported", async () => {
    expect(await violations(rule, secret({ ...compliant, tags: { Name: "x" } }), PROD)).toEqual([
      `mandatory: tag dr:recovery is missing: say how a region rebuild gets this secret's value, ${HOW}`,
    ]);
    expect(
      await violations(rule, secret({ ...compliant, tags: { "dr:recovery": "offline copy" } }), PROD),
    ).toEqual([
      `mandatory: tag dr:recovery is "offline copy": say how a region rebuild gets this secret's value, ${HOW}`,
    ]);
  });

  test("DR-1, DR-2: a replica secret with no replica, or none in the DR Region, is reported", async () => {
    expect(await violations(rule, secret({ ...compliant, replicas: undefined }), PROD)).toEqual([
      "mandatory: has no replica in us-west-2 (replicas: none): a region rebuild there could not read its value; add replicas: [{ region: us-west-2, kmsKeyId: <a key of that Region> }]",
    ]);
    expect(
      await violations(
        rule,
        secret({ ...compliant, replicas: [{ region: "eu-west-1", kmsKeyId: DR_KEY }] }),
        PROD,
      ),
    ).toEqual([
      "mandatory: has no replica in us-west-2 (replicas: eu-west-1): a region rebuild there could not read its value; add replicas: [{ region: us-west-2, kmsKeyId: <a key of that Region> }]",
    ]);
    // Unconfigured: a replica in the secret's own Region is no DR copy.
    expect(
      await violations(
        rule,
        secret({ ...compliant, region: "us-east-1", replicas: [{ region: "us-east-1" }] }),
      ),
    ).toEqual([
      "mandatory: has no replica in another Region (replicas: us-east-1): a region rebuild there could not read its value; add replicas: [{ region: <the DR Region>, kmsKeyId: <a key of that Region> }]",
    ]);
  });

  test("APP-4: a replica without a key of its Region falls back to aws/secretsmanager and is reported", async () => {
    expect(
      await violations(rule, secret({ ...compliant, replicas: [{ region: "us-west-2" }] }), PROD),
    ).toEqual([
      "mandatory: its replica in us-west-2 has no kmsKeyId: it would be encrypted with aws/secretsmanager there; name a customer-managed key of that Region",
    ]);
  });

  test("DR-1: prod's real SECRET_KEY secret loses its replica, or has it moved into us-east-1, or loses its tag: each is a mandatory finding", async () => {
    const ev = await synthStack("prod");
    const real = record(ev, SECRET, "psi-prod-backend-secrets-SECRET_KEY");
    expect(await findings(rule, ev)).toEqual([]);
    const noReplica = editInputs(ev, real.urn, (p) => ({ ...p, replicas: [] }));
    expect(await findings(rule, noReplica)).toEqual([
      mandatory(
        rule,
        real.urn,
        "has no replica in us-west-2 (replicas: none): a region rebuild there could not read its value; add replicas: [{ region: us-west-2, kmsKeyId: <a key of that Region> }]",
      ),
    ]);
    const failedRegion = editInputs(ev, real.urn, (p) => ({
      ...p,
      replicas: [{ region: "us-east-1", kmsKeyId: (p.replicas as { kmsKeyId: string }[])[0].kmsKeyId }],
    }));
    expect(await findings(rule, failedRegion)).toEqual([
      mandatory(
        rule,
        real.urn,
        "has no replica in us-west-2 (replicas: us-east-1): a region rebuild there could not read its value; add replicas: [{ region: us-west-2, kmsKeyId: <a key of that Region> }]",
      ),
    ]);
    const untagged = editInputs(ev, real.urn, (p) => {
      const tags = { ...(p.tags as Record<string, string>) };
      delete tags["dr:recovery"];
      return { ...p, tags };
    });
    expect(await findings(rule, untagged)).toEqual([
      mandatory(
        rule,
        real.urn,
        `tag dr:recovery is missing: say how a region rebuild gets this secret's value, ${HOW}`,
      ),
    ]);
  });

  test.each(["prod", "staging", "myhibachi-prod", "prod-dr"])(
    "POL-3, DR-1: every secret of %s as recorded says how a rebuild gets it, and every replica one is replicated",
    async (stack) => {
      expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
    },
  );
});
