/** Multi-AZ as placement, not a count: docdb-cluster-require-az-spread (DOC-1) and elasticache-replicationgroup-require-az-spread (CACHE-1). */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import docdbSpread from "../../policies/rules/docdb/docdb-cluster-require-az-spread";
import docdbInstances from "../../policies/rules/docdb/docdb-cluster-require-instances";
import cacheSpread from "../../policies/rules/elasticache/elasticache-replicationgroup-require-az-spread";
import { FakeResource, SHIPPED_STACKS, T, synthStack, violations } from "../harness";
import { editInputs, editOutputs, findings, mandatory, record } from "./recorded";

describe.each(SHIPPED_STACKS)("%s as recorded", (stack) => {
  test(`DOC-1/CACHE-1: ${stack}'s DocumentDB instances and Redis nodes are spread over AZs (or single)`, async () => {
    const recorded = await synthStack(stack);
    expect(await findings(docdbSpread, recorded, stack)).toEqual([]);
    expect(await findings(cacheSpread, recorded, stack)).toEqual([]);
  });
});

describe("docdb-cluster-require-az-spread on mutated copies of prod's real instances", () => {
  async function prodCluster() {
    const prod = await synthStack("prod");
    return {
      prod,
      cluster: record(prod, T.docdbCluster, "psi-prod-docdb-cluster"),
      second: record(prod, T.docdbInstance, "psi-prod-docdb-2"),
    };
  }

  test("DOC-1: prod's two instances both in us-east-1a fail, though the count (2) passes docdb-cluster-require-instances", async () => {
    const { prod, cluster, second } = await prodCluster();
    expect(prod.outputs.get(record(prod, T.docdbInstance, "psi-prod-docdb-1").urn)?.availabilityZone).toBe(
      "us-east-1a",
    );
    const ev = editOutputs(prod, second.urn, (p) => ({ ...p, availabilityZone: "us-east-1a" }));
    expect(await findings(docdbInstances, ev)).toEqual([]);
    expect(await findings(docdbSpread, ev)).toEqual([
      mandatory(
        docdbSpread,
        cluster.urn,
        "cluster psi-prod-docdb-cluster has 2 instances in one AZ (us-east-1a): pin them to at least 2 AZs so losing one AZ leaves an instance to fail over to",
      ),
    ]);
  });

  test("DOC-1: an instance with no availabilityZone is unknown, not a second AZ", async () => {
    const { prod, cluster, second } = await prodCluster();
    const ev = editOutputs(prod, second.urn, (p) => {
      delete p.availabilityZone;
    });
    expect(await findings(docdbSpread, ev)).toEqual([
      mandatory(
        docdbSpread,
        cluster.urn,
        "cluster psi-prod-docdb-cluster has 2 instances in one AZ (us-east-1a); 1 set no availabilityZone, so AWS may place them in the same AZ: pin them to at least 2 AZs so losing one AZ leaves an instance to fail over to",
      ),
    ]);
  });

  test("DOC-1/DOC-3: in staging the rule is advisory (staging may run a single instance)", async () => {
    const { prod, cluster, second } = await prodCluster();
    const ev = editOutputs(prod, second.urn, (p) => ({ ...p, availabilityZone: "us-east-1a" }));
    expect((await findings(docdbSpread, ev, "staging")).map((f) => [f.urn, f.enforcementLevel])).toEqual([
      [cluster.urn, "advisory"],
    ]);
  });
});

describe("docdb-cluster-require-az-spread edge cases", () => {
  const CLUSTER = "aws:docdb/cluster:Cluster";
  const INSTANCE = "aws:docdb/clusterInstance:ClusterInstance";
  const cluster: Unwrap<aws.docdb.ClusterArgs> = { clusterIdentifier: "docdb", storageEncrypted: true };
  const instances = (...zones: (string | undefined)[]): FakeResource[] => [
    { type: CLUSTER, name: "docdb", props: cluster },
    ...zones.map((availabilityZone, i): FakeResource => {
      const props: Unwrap<aws.docdb.ClusterInstanceArgs> = {
        clusterIdentifier: "docdb",
        instanceClass: "db.r6g.large",
        availabilityZone,
      };
      return { type: INSTANCE, name: `docdb-${i + 1}`, props, refs: { clusterIdentifier: ["docdb"] } };
    }),
  ];

  test("DOC-1/DOC-3: a single instance is left to docdb-cluster-require-instances; three over two AZs pass", async () => {
    expect(await violations(docdbSpread, instances("us-east-1a"))).toEqual([]);
    expect(await violations(docdbSpread, instances("us-east-1a", "us-east-1b", "us-east-1a"))).toEqual([]);
  });

  test("DOC-1: no instance pinned at all fails", async () => {
    expect(await violations(docdbSpread, instances(undefined, undefined))).toEqual([
      "mandatory: cluster docdb has 2 instances in no pinned AZ; 2 set no availabilityZone, so AWS may place them in the same AZ: pin them to at least 2 AZs so losing one AZ leaves an instance to fail over to",
    ]);
  });

  test("DOC-1: policy config minZones 3 asks three instances for three AZs", async () => {
    const config = { "docdb-cluster-require-az-spread": { minZones: 3 } };
    expect(
      await violations(docdbSpread, instances("us-east-1a", "us-east-1b", "us-east-1a"), config),
    ).toEqual([
      "mandatory: cluster docdb has 3 instances in 2 AZs (us-east-1a, us-east-1b): pin them to at least 3 AZs so losing one AZ leaves an instance to fail over to",
    ]);
    expect(await violations(docdbSpread, instances("us-east-1a", "us-east-1b"), config)).toEqual([]);
  });
});

describe("elasticache-replicationgroup-require-az-spread", () => {
  test("CACHE-1: prod's replication group pinning its primary and replica to us-east-1a fails", async () => {
    const prod = await synthStack("prod");
    const group = record(prod, T.cacheGroup, "psi-prod-redis-group");
    expect(prod.plainInputs.get(group.urn)?.numCacheClusters).toBe(2);
    const ev = editInputs(prod, group.urn, (p) => ({
      ...p,
      preferredCacheClusterAzs: ["us-east-1a", "us-east-1a"],
    }));
    expect(await findings(cacheSpread, ev)).toEqual([
      mandatory(
        cacheSpread,
        group.urn,
        "preferredCacheClusterAzs pins 2 nodes to one AZ (us-east-1a): pin them to at least 2 AZs so failover leaves the failed AZ",
      ),
    ]);
    const spread = editInputs(prod, group.urn, (p) => ({
      ...p,
      preferredCacheClusterAzs: ["us-east-1a", "us-east-1b"],
    }));
    expect(await findings(cacheSpread, spread)).toEqual([]);
  });

  test("CACHE-1/CACHE-4: in cluster mode each node group's pinned primary and replica AZs are judged", async () => {
    const group: Unwrap<aws.elasticache.ReplicationGroupArgs> = {
      description: "cache",
      clusterMode: "enabled",
      numNodeGroups: 2,
      replicasPerNodeGroup: 1,
      nodeGroupConfigurations: [
        {
          nodeGroupId: "0001",
          primaryAvailabilityZone: "us-east-1a",
          replicaAvailabilityZones: ["us-east-1b"],
        },
        {
          nodeGroupId: "0002",
          primaryAvailabilityZone: "us-east-1c",
          replicaAvailabilityZones: ["us-east-1c"],
        },
      ],
    };
    expect(await violations(cacheSpread, [{ type: T.cacheGroup, name: "redis", props: group }])).toEqual([
      "mandatory: node group 0002 pins 2 nodes to one AZ (us-east-1c): pin them to at least 2 AZs so failover leaves the failed AZ",
    ]);
  });

  test("CACHE-1: a group that pins no AZ (ElastiCache places Multi-AZ nodes itself) or has one node passes", async () => {
    const single: Unwrap<aws.elasticache.ReplicationGroupArgs> = {
      description: "cache",
      numCacheClusters: 1,
      preferredCacheClusterAzs: ["us-east-1a"],
    };
    const unpinned: Unwrap<aws.elasticache.ReplicationGroupArgs> = {
      description: "cache",
      numCacheClusters: 2,
    };
    expect(
      await violations(cacheSpread, [
        { type: T.cacheGroup, name: "single", props: single },
        { type: T.cacheGroup, name: "unpinned", props: unpinned },
      ]),
    ).toEqual([]);
  });
});
