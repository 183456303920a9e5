import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AlarmRule,
  SeverityTopics,
  alarmDescription,
  docdbMaxConnections,
  postgresMaxConnections,
  windowing,
} from "./alarmPolicy";
import { Signal, alarmMetric, docdb, rds, redisWorstNode } from "./metrics";

type Input = pulumi.Input<string>;

/** SLO-3: the data tier's rows (config's `alarms.postgres`, `.documentdb`, `.redis`). */
export interface DataStoreRules {
  readonly postgres: {
    readonly cpuPct: AlarmRule;
    readonly freeStoragePct: AlarmRule;
    readonly freeStorageCriticalPct: AlarmRule;
    readonly connectionsPct: AlarmRule;
    readonly readLatencyMs: AlarmRule;
    readonly writeLatencyMs: AlarmRule;
    readonly replicaLagSeconds: AlarmRule;
  };
  readonly documentdb: {
    readonly cpuPct: AlarmRule;
    readonly connectionsPct: AlarmRule;
    readonly replicaLagSeconds: AlarmRule;
  };
  readonly redis: {
    readonly memoryPct: AlarmRule;
    readonly evictions: AlarmRule;
    readonly cpuPct: AlarmRule;
  };
}

export interface DataStoreAlarmsArgs {
  readonly rules: DataStoreRules;
  /** SLO-4 */
  readonly runbookBaseUrl: string;
  /** SLO-2, SLO-4: the topic per severity. */
  readonly topics: SeverityTopics<Input>;
  /** PG-1, PG-7: the primary, its read replicas, and the class and storage they share. */
  readonly postgres: {
    readonly instanceId: Input;
    readonly replicaIds: Input[];
    readonly instanceClass: string;
    readonly allocatedStorageGb: number;
  };
  /** DOC-1: the cluster and its instances' class; absent when the stack runs none. */
  readonly documentdb?: {
    readonly clusterId: Input;
    readonly instanceClass: string;
    readonly instanceCount: number;
  };
  /** CACHE-1: the replication group's node ids (metrics are per node; metrics.redisNodeIds). */
  readonly redis: { readonly nodeIds: Input[] };
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * SLO-3: the data tier's alarms, thresholds from the platform rows:
 *
 * - PostgreSQL, primary and each replica: CPU; FreeStorageSpace below 15 %
 *   (and the critical share) of the allocated storage, in bytes (GB x
 *   1024^3: RDS allocates GiB); DatabaseConnections above 80 % of the
 *   default max_connections computed from the class's memory
 *   (alarmPolicy.postgresMaxConnections; the parameter group leaves it at
 *   RDS's default). Read/WriteLatency over the rows' figure (averages: RDS
 *   publishes no percentiles; the SLO's DB p95 is guarded per service by
 *   ServiceAlarms). ReplicaLag above 60 s on replicas only.
 * - DocumentDB, over the cluster (DBClusterIdentifier: the worst instance
 *   with Maximum): CPU, connections above 80 % of the class's limit times
 *   instances, DBInstanceReplicaLag (milliseconds) over the rows' seconds.
 * - Redis, the worst node: DatabaseMemoryUsagePercentage, Evictions (Sum)
 *   above the row (0: any), EngineCPUUtilization.
 */
export class DataStoreAlarms extends pulumi.ComponentResource {
  public readonly alarmNames: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: DataStoreAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:DataStoreAlarms", name, {}, opts);
    const baseTags = args.tags ?? {};
    const parent = { parent: this };
    const names: Record<string, pulumi.Output<string>> = {};

    const create = (
      role: string,
      what: string,
      build: (period: number) => Signal<Input>,
      threshold: number,
      above: boolean,
      row: AlarmRule,
      // Data-store metrics are published every minute while the store runs; a gap is a metrics gap, not a breach.
      missing: "notBreaching" | "breaching" = "notBreaching",
    ) => {
      const w = windowing(row.evaluationMinutes);
      const signal = build(w.period);
      const alarmName = `${name}-${role}`;
      const topic = [args.topics[row.severity]];
      const alarm = new aws.cloudwatch.MetricAlarm(
        alarmName,
        {
          name: alarmName,
          alarmDescription: alarmDescription(what, row, args.runbookBaseUrl),
          ...alarmMetric(signal),
          comparisonOperator: above ? "GreaterThanThreshold" : "LessThanThreshold",
          threshold,
          evaluationPeriods: w.evaluationPeriods,
          datapointsToAlarm: w.datapointsToAlarm,
          treatMissingData: missing,
          alarmActions: topic,
          okActions: topic,
          tags: { ...baseTags, Name: alarmName, Severity: row.severity },
        },
        parent,
      );
      names[role] = alarm.name;
    };

    // ---- PostgreSQL ----
    const pg = args.rules.postgres;
    const storageBytes = args.postgres.allocatedStorageGb * 1024 ** 3;
    const maxConnections = postgresMaxConnections(args.postgres.instanceClass);
    const instances: [string, Input, boolean][] = [
      ["postgres", args.postgres.instanceId, false],
      ...args.postgres.replicaIds.map((id, i): [string, Input, boolean] => [
        `postgres-replica-${i + 1}`,
        id,
        true,
      ]),
    ];
    for (const [prefix, id, replica] of instances) {
      const label = replica ? "PostgreSQL replica" : "PostgreSQL";
      create(
        `${prefix}-cpu`,
        `${label}: CPU above ${pg.cpuPct.threshold} %`,
        (p) => rds(id, "CPUUtilization", "Average", p, "Percent"),
        pg.cpuPct.threshold,
        true,
        pg.cpuPct,
      );
      for (const [role, row] of [
        ["storage", pg.freeStoragePct],
        ["storage-critical", pg.freeStorageCriticalPct],
      ] as [string, AlarmRule][]) {
        create(
          `${prefix}-${role}`,
          `${label}: free storage below ${row.threshold} % of ${args.postgres.allocatedStorageGb} GB`,
          (p) => rds(id, "FreeStorageSpace", "Minimum", p, "Bytes"),
          Math.round((storageBytes * row.threshold) / 100),
          false,
          row,
        );
      }
      create(
        `${prefix}-connections`,
        `${label}: connections above ${pg.connectionsPct.threshold} % of max_connections (${maxConnections} for ${args.postgres.instanceClass})`,
        (p) => rds(id, "DatabaseConnections", "Maximum", p),
        Math.floor((maxConnections * pg.connectionsPct.threshold) / 100),
        true,
        pg.connectionsPct,
      );
      for (const [metric, row] of [
        ["ReadLatency", pg.readLatencyMs],
        ["WriteLatency", pg.writeLatencyMs],
      ] as [string, AlarmRule][]) {
        if (replica && metric === "WriteLatency") continue;
        create(
          `${prefix}-${metric === "ReadLatency" ? "read" : "write"}-latency`,
          `${label}: ${metric} (average) above ${row.threshold} ms`,
          (p) => rds(id, metric, "Average", p, "Seconds"),
          row.threshold / 1000,
          true,
          row,
        );
      }
      if (replica) {
        create(
          `${prefix}-lag`,
          `${label}: replica lag above ${pg.replicaLagSeconds.threshold} s`,
          (p) => rds(id, "ReplicaLag", "Maximum", p, "Seconds"),
          pg.replicaLagSeconds.threshold,
          true,
          pg.replicaLagSeconds,
          // A replica that stops replicating stops reporting lag.
          "breaching",
        );
      }
    }

    // ---- DocumentDB ----
    const doc = args.documentdb;
    if (doc) {
      const d = args.rules.documentdb;
      const limit = docdbMaxConnections(doc.instanceClass);
      create(
        "docdb-cpu",
        `DocumentDB: CPU above ${d.cpuPct.threshold} % on an instance`,
        (p) => docdb(doc.clusterId, "CPUUtilization", "Maximum", p),
        d.cpuPct.threshold,
        true,
        d.cpuPct,
      );
      create(
        "docdb-connections",
        `DocumentDB: connections above ${d.connectionsPct.threshold} % of an instance's ${limit} (${doc.instanceClass})`,
        (p) => docdb(doc.clusterId, "DatabaseConnections", "Maximum", p),
        Math.floor((limit * d.connectionsPct.threshold) / 100),
        true,
        d.connectionsPct,
      );
      if (doc.instanceCount > 1) {
        create(
          "docdb-lag",
          `DocumentDB: replica lag above ${d.replicaLagSeconds.threshold} s`,
          (p) => docdb(doc.clusterId, "DBInstanceReplicaLag", "Maximum", p),
          // DBInstanceReplicaLag is in milliseconds.
          d.replicaLagSeconds.threshold * 1000,
          true,
          d.replicaLagSeconds,
        );
      }
    }

    // ---- Redis ----
    const r = args.rules.redis;
    const nodes = args.redis.nodeIds;
    create(
      "redis-memory",
      `Redis: memory above ${r.memoryPct.threshold} % on a node`,
      (p) => redisWorstNode(nodes, "DatabaseMemoryUsagePercentage", "Maximum", p),
      r.memoryPct.threshold,
      true,
      r.memoryPct,
    );
    create(
      "redis-evictions",
      `Redis: more than ${r.evictions.threshold} keys evicted`,
      (p) => redisWorstNode(nodes, "Evictions", "Sum", p),
      r.evictions.threshold,
      true,
      r.evictions,
    );
    create(
      "redis-cpu",
      `Redis: engine CPU above ${r.cpuPct.threshold} % on a node`,
      (p) => redisWorstNode(nodes, "EngineCPUUtilization", "Maximum", p),
      r.cpuPct.threshold,
      true,
      r.cpuPct,
    );

    this.alarmNames = names;
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}
