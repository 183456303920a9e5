/** BAK-4, APP-4, PG-6, APP-1: what every stateful resource and every credential looks like, in both stacks. */
import { ResourceRecord } from "../synth/engine";
import { T, ofType, synthStack } from "./harness";

/** Types that hold data (or the keys to it): each is `protect`ed in prod and never in staging. */
const STATEFUL = [
  T.rdsInstance,
  T.rdsBackupReplication,
  T.docdbCluster,
  T.docdbInstance,
  T.cacheGroup,
  T.bucket,
  T.kmsKey,
  T.kmsAlias,
  T.backupVault,
  T.secret,
];

/** Input names that would carry a credential; each must be absent or a secret. */
const CREDENTIAL_INPUTS = ["password", "masterPassword", "authToken", "secretString"];

describe.each(["prod", "staging"])("%s", (stack) => {
  const prod = stack === "prod";
  let records: ResourceRecord[];
  let stackOutputs: Record<string, unknown>;
  let outputs: ReadonlyMap<string, Record<string, unknown>>;
  beforeAll(async () => {
    ({ records, stackOutputs, outputs } = await synthStack(stack));
  });

  test(`BAK-4: every stateful resource has protect ${prod}`, () => {
    const stateful = records.filter((r) => STATEFUL.includes(r.type as (typeof STATEFUL)[number]));
    expect(stateful.length).toBeGreaterThan(20);
    expect(stateful.filter((r) => r.protect !== prod).map((r) => r.name)).toEqual([]);
  });

  test(`BAK-4: deletion protection ${prod} where AWS offers it, and a final snapshot where it does not skip one`, () => {
    for (const r of [...ofType(records, T.rdsInstance), ...ofType(records, T.docdbCluster)]) {
      expect(r.inputs.deletionProtection).toBe(prod);
    }
    for (const r of [
      ...ofType(records, T.docdbCluster),
      ...ofType(records, T.cacheGroup),
      ...ofType(records, T.rdsInstance),
    ]) {
      expect(r.inputs.skipFinalSnapshot ?? false).toBe(false);
      expect(r.inputs.finalSnapshotIdentifier).toBe(`${r.id}-final`);
    }
    for (const r of [...ofType(records, T.bucket), ...ofType(records, T.backupVault)]) {
      expect(r.inputs.forceDestroy).toBe(false);
    }
    for (const k of ofType(records, T.kmsKey)) {
      expect(k.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    }
  });

  test(`BAK-4: buckets, backup vaults and KMS keys, which AWS cannot deletion-protect, are retained on delete: ${prod}`, () => {
    const unprotectable = [
      ...ofType(records, T.bucket),
      ...ofType(records, T.backupVault),
      ...ofType(records, T.kmsKey),
    ];
    // 19 before SLO-2's alert-topics key (components/observability/AlertTopics); 25 with the
    // Psi backend on Kubernetes: its image repository's and secrets' keys, the registry
    // replication's key in the DR Region, the EKS secrets key and the nodes' volume key (K8S-1);
    // 26 with the key of the service secrets' replicas in the DR Region (APP-4, DR-1, issue 22);
    // 27 with the audit trail's key (SLO-3, issue 17: prod and staging own their accounts).
    expect(unprotectable).toHaveLength(27);
    expect(unprotectable.filter((r) => r.retainOnDelete !== prod).map((r) => r.name)).toEqual([]);
  });

  test("APP-4, PG-6: no password or token appears in clear in any input", () => {
    for (const r of records) {
      for (const name of CREDENTIAL_INPUTS) {
        if (r.inputs[name] !== undefined)
          expect([r.name, name, r.inputs[name]]).toEqual([r.name, name, "[secret]"]);
      }
    }
    // The mock's generated passwords are recognisable: none leaks into any input or stack output.
    const generated = ofType(records, T.randomPassword).map((p) => String(outputs.get(p.urn)?.result));
    // PostgreSQL's master password, Redis's AUTH token and Grafana's admin password (K8S-8).
    expect(generated.length).toBe(3);
    for (const pw of generated) {
      expect(pw).toMatch(/^synthpw/);
      expect(JSON.stringify(records)).not.toContain(pw);
      expect(JSON.stringify(stackOutputs)).not.toContain(pw);
    }
  });

  test("APP-1, APP-4: services get endpoints and Secrets Manager ARNs for PostgreSQL, DocumentDB and Redis, plus the buckets", () => {
    const data = stackOutputs.data as Record<string, Record<string, unknown>>;
    const secretArn = /^arn:aws:secretsmanager:us-east-1:123456789012:secret:/;
    expect(data.postgres).toMatchObject({
      address: expect.stringMatching(
        new RegExp(`^psi-${stack}-postgres-[0-9a-f]{8}\\..+\\.rds\\.amazonaws\\.com$`),
      ),
      port: 5432,
      database: "psi",
      secretArn: expect.stringMatching(secretArn),
    });
    expect(data.documentdb).toMatchObject({
      endpoint: expect.stringMatching(/\.docdb\.amazonaws\.com$/),
      port: 27017,
      secretArn: expect.stringMatching(secretArn),
    });
    expect(data.redis).toMatchObject({
      endpoint: expect.stringMatching(/^master\..+\.cache\.amazonaws\.com$/),
      port: 6379,
      authTokenSecretArn: expect.stringMatching(secretArn),
    });
    expect(Object.keys(data.buckets).sort()).toEqual(["archive", "backups", "images"]);
  });
});
