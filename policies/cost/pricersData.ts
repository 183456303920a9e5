/**
 * Pricers for the data tier (issue 20): RDS PostgreSQL (PG-3 Multi-AZ, PG-2
 * backups, DR-1 replicated backups), DocumentDB (DOC-1), ElastiCache (CACHE-1,
 * CACHE-4), S3 buckets and their DR replicas (BAK-2), ECR (ECS-1, DR-1) and
 * AWS Backup plans (BAK-1).
 */
import { AssumptionKey, CostAssumptions, grown } from "./assumptions";
import {
  CostLine,
  CostRecord,
  DAYS_PER_MONTH,
  Pricer,
  PricingContext,
  arr,
  fmt,
  hourly,
  line,
  num,
  obj,
  regionOfArn,
  str,
} from "./model";

const postgresGb = (a: CostAssumptions): number => grown(a, "postgresDataGb", "postgresDataGbGrowthPerMonth");

/** Backup storage of `dataGb` kept `days`: one full copy plus each day's changes. */
const backupGb = (a: CostAssumptions, dataGb: number, days: number): number =>
  dataGb * (1 + a.backupDailyChangeFraction.value * days);

/** What a month of changes to `dataGb` moves to another Region. */
const changedGbPerMonth = (a: CostAssumptions, dataGb: number): number =>
  dataGb * a.backupDailyChangeFraction.value * DAYS_PER_MONTH;

/** PG-3: Multi-AZ bills two instances and two copies of the storage; PG-2: backups beyond 100 % of storage. */
export const rdsInstance: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const engine = str(r.inputs.engine) ?? "postgres";
  if (engine !== "postgres") return { unpriced: `RDS engine ${engine} is not in the price table` };
  const cls = str(r.inputs.instanceClass) ?? "unknown";
  const multiAz = r.inputs.multiAz === true;
  const copies = multiAz ? 2 : 1;
  const storage = num(r.inputs.allocatedStorage) ?? 20;
  const storageType = str(r.inputs.storageType) ?? "gp2";
  const a = ctx.assumptions;
  const retention = num(r.inputs.backupRetentionPeriod) ?? 1;
  const backup = backupGb(a, postgresGb(a), retention);
  const billed = Math.max(0, backup - storage);
  return {
    lines: [
      hourly(
        ctx,
        `${cls}, ${multiAz ? "Multi-AZ: primary + standby" : "Single-AZ"}`,
        copies,
        `rds.postgres.${cls}.hour`,
        region,
      ),
      line(
        ctx,
        `${storageType} storage, ${storage} GB x ${copies} cop${copies === 2 ? "ies (Multi-AZ)" : "y"}`,
        storage * copies,
        `rds.${storageType}.gbMonth`,
        region,
      ),
      line(
        ctx,
        `backup storage beyond the free ${storage} GB: ${fmt(backup)} GB for ${retention} days (assumptions postgresDataGb, backupDailyChangeFraction)`,
        billed,
        "rds.backupStorage.gbMonth",
        region,
      ),
    ],
  };
};

/** DR-1: the replicated automated backups are stored in full in the DR Region, and each month's changes cross over. */
export const rdsBackupReplication: Pricer = (r, ctx) => {
  const target = ctx.regionOf(r);
  const source = regionOfArn(r.inputs.sourceDbInstanceArn) ?? target;
  const a = ctx.assumptions;
  const retention = num(r.inputs.retentionPeriod) ?? 7;
  const stored = backupGb(a, postgresGb(a), retention);
  const moved = changedGbPerMonth(a, postgresGb(a));
  return {
    lines: [
      line(
        ctx,
        `replicated backups in ${target}, ${fmt(stored)} GB for ${retention} days (no free allowance there)`,
        stored,
        "rds.backupStorage.gbMonth",
        target,
      ),
      line(
        ctx,
        `transfer ${source} -> ${target}, a month of changes (${fmt(moved)} GB)`,
        source === target ? 0 : moved,
        "dataTransfer.interRegion.gb",
        source,
      ),
    ],
  };
};

/** DOC-1: storage, I/O and backups beyond the free allowance are billed on the cluster; hours on each instance. */
export const docdbCluster: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const a = ctx.assumptions;
  const data = a.documentDbDataGb.value;
  const retention = num(r.inputs.backupRetentionPeriod) ?? 1;
  const backup = backupGb(a, data, retention);
  const io = a.documentDbIoMillionsPerMonth.value;
  return {
    lines: [
      line(
        ctx,
        `storage, ${fmt(data)} GB (assumption documentDbDataGb)`,
        data,
        "docdb.storage.gbMonth",
        region,
      ),
      line(
        ctx,
        `I/O, ${fmt(io)} million (assumption documentDbIoMillionsPerMonth)`,
        io,
        "docdb.io.million",
        region,
      ),
      line(
        ctx,
        `backup storage beyond the free ${fmt(data)} GB: ${fmt(backup)} GB for ${retention} days`,
        Math.max(0, backup - data),
        "docdb.backup.gbMonth",
        region,
      ),
    ],
  };
};

export const docdbInstance: Pricer = (r, ctx) => {
  const cls = str(r.inputs.instanceClass) ?? "unknown";
  return { lines: [hourly(ctx, `${cls} instance`, 1, `docdb.${cls}.hour`, ctx.regionOf(r))] };
};

/** CACHE-1/CACHE-4: node type × (1 + replicas) × shards, and snapshots beyond the one kept free. */
export const replicationGroup: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const engine = str(r.inputs.engine) ?? "redis";
  const nodeType = str(r.inputs.nodeType) ?? "unknown";
  const clustered = str(r.inputs.clusterMode) === "enabled" || num(r.inputs.numNodeGroups) !== undefined;
  const shards = clustered ? (num(r.inputs.numNodeGroups) ?? 1) : 1;
  const perShard = clustered
    ? 1 + (num(r.inputs.replicasPerNodeGroup) ?? 0)
    : (num(r.inputs.numCacheClusters) ?? 1);
  const nodes = shards * perShard;
  const snapshots = Math.max(0, (num(r.inputs.snapshotRetentionLimit) ?? 0) - 1);
  const snapshotGb = snapshots * ctx.assumptions.redisDataGb.value;
  return {
    lines: [
      hourly(
        ctx,
        `${nodeType} nodes, ${shards} shard(s) x ${perShard} node(s)`,
        nodes,
        `elasticache.${engine}.${nodeType}.hour`,
        region,
      ),
      line(
        ctx,
        `snapshots beyond the free one: ${snapshots} x ${fmt(ctx.assumptions.redisDataGb.value)} GB (assumption redisDataGb)`,
        snapshotGb,
        "elasticache.backup.gbMonth",
        region,
      ),
    ],
  };
};

/** A bucket's role, from its logical name (`…-images`, `…-backups-replica`): what it stores. */
const BUCKET_ROLES: readonly [RegExp, AssumptionKey, AssumptionKey | undefined][] = [
  [/-images(-replica)?$/, "imagesBucketGb", "imagesBucketGbGrowthPerMonth"],
  [/-backups(-replica)?$/, "backupsBucketGb", undefined],
  [/-archive(-replica)?$/, "archiveBucketGb", undefined],
  [/-(alb-)?logs(-replica)?$/, "accessLogsBucketGb", undefined],
];

function bucketGb(
  a: CostAssumptions,
  name: string,
): { key: AssumptionKey; gb: number; growth: number } | undefined {
  const role = BUCKET_ROLES.find(([re]) => re.test(name));
  if (!role) return undefined;
  const [, key, growth] = role;
  return { key, gb: growth ? grown(a, key, growth) : a[key].value, growth: growth ? a[growth].value : 0 };
}

/** BAK-2: storage at the S3 Standard rate, an upper bound (lifecycle transitions are not modelled). */
export const s3Bucket: Pricer = (r, ctx) => {
  const stored = bucketGb(ctx.assumptions, r.name);
  if (!stored)
    return {
      unpriced:
        "no storage assumption for this bucket (its name does not end in -images, -backups, -archive or -logs)",
    };
  return {
    lines: [
      line(
        ctx,
        `S3 Standard storage, ${fmt(stored.gb)} GB (assumption ${stored.key}; lifecycle tiers not modelled)`,
        stored.gb,
        "s3.standard.gbMonth",
        ctx.regionOf(r),
      ),
    ],
  };
};

/** BAK-2: what reaches the replica each month crosses Regions (the replica's storage is priced on the replica). */
export const bucketReplication: Pricer = (r, ctx) => {
  const source = ctx.byId(r.inputs.bucket, "aws:s3/bucket:Bucket");
  if (!source) return { unpriced: "source bucket is not in this stack" };
  const sourceRegion = ctx.regionOf(source);
  const lines: CostLine[] = [];
  for (const rule of arr(r.inputs.rules).map(obj)) {
    const destName = str(obj(rule.destination).bucket)?.replace(/^arn:aws:s3:::/, "");
    const dest = ctx.ofType("aws:s3/bucket:Bucket").find((b) => b.id === destName);
    const destRegion = dest ? ctx.regionOf(dest) : undefined;
    const stored = bucketGb(ctx.assumptions, source.name);
    if (!stored || !destRegion || destRegion === sourceRegion) continue;
    // New objects only: a bucket that grows ships its growth, one that turns over (expiry) its whole content.
    const moved = stored.growth > 0 ? stored.growth : stored.gb;
    lines.push(
      line(
        ctx,
        `replication ${sourceRegion} -> ${destRegion}, ${fmt(moved)} GB a month`,
        moved,
        "dataTransfer.interRegion.gb",
        sourceRegion,
      ),
    );
  }
  return lines.length > 0
    ? { lines }
    : { free: "same-Region or unmatched replication moves nothing between Regions" };
};

export const ecrRepository: Pricer = (r, ctx) => {
  const gb = ctx.assumptions.ecrStoredGb.value;
  return {
    lines: [
      line(
        ctx,
        `image storage, ${fmt(gb)} GB (assumption ecrStoredGb)`,
        gb,
        "ecr.storage.gbMonth",
        ctx.regionOf(r),
      ),
    ],
  };
};

/** DR-1: each replicated repository is stored again in the destination and its pushes cross Regions. */
export const ecrReplication: Pricer = (r, ctx) => {
  const source = ctx.regionOf(r);
  const a = ctx.assumptions;
  const lines: CostLine[] = [];
  for (const rule of arr(obj(r.inputs.replicationConfiguration).rules).map(obj)) {
    const prefixes = arr(rule.repositoryFilters).map((f) => str(obj(f).filter) ?? "");
    const repos = ctx
      .ofType("aws:ecr/repository:Repository")
      .filter(
        (repo) => prefixes.length === 0 || prefixes.some((p) => (str(repo.inputs.name) ?? "").startsWith(p)),
      );
    for (const dest of arr(rule.destinations).map((d) => str(obj(d).region) ?? source)) {
      if (dest === source || repos.length === 0) continue;
      const n = repos.length;
      lines.push(
        line(
          ctx,
          `replicated image storage in ${dest}, ${n} repositor${n === 1 ? "y" : "ies"} x ${fmt(a.ecrStoredGb.value)} GB`,
          n * a.ecrStoredGb.value,
          "ecr.storage.gbMonth",
          dest,
        ),
        line(
          ctx,
          `pushes replicated ${source} -> ${dest}, ${n} x ${fmt(a.ecrPushedGbPerMonth.value)} GB`,
          n * a.ecrPushedGbPerMonth.value,
          "dataTransfer.interRegion.gb",
          source,
        ),
      );
    }
  }
  return lines.length > 0 ? { lines } : { free: "replicates no repository of this stack to another Region" };
};

/** The resources a backup plan's selections pick by tag, with the data each holds and its snapshot price. */
function selectedByPlan(
  plan: CostRecord,
  ctx: PricingContext,
): { record: CostRecord; gb: number; key: string }[] {
  const a = ctx.assumptions;
  const tags = ctx
    .ofType("aws:backup/selection:Selection")
    .filter((s) => s.inputs.planId === plan.id)
    .flatMap((s) => arr(s.inputs.selectionTags).map(obj));
  const matches = (rec: CostRecord) =>
    tags.some((t) => str(t.key) && obj(rec.inputs.tags)[str(t.key)!] === t.value);
  return [
    ...ctx
      .ofType("aws:rds/instance:Instance")
      .filter(matches)
      .map((record) => ({ record, gb: postgresGb(a), key: "backup.rdsSnapshot.gbMonth" })),
    ...ctx
      .ofType("aws:docdb/cluster:Cluster")
      .filter(matches)
      .map((record) => ({ record, gb: a.documentDbDataGb.value, key: "backup.docdbSnapshot.gbMonth" })),
  ];
}

/**
 * BAK-1: each snapshot rule keeps daily incremental snapshots for
 * `lifecycle.deleteAfter` days in the plan's Region and, per copy action, as
 * many in the copy's Region, whose changes cross Regions. A continuous-backup
 * rule reuses the engine's own automated backups (priced on the database).
 */
export const backupPlan: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const a = ctx.assumptions;
  const lines: CostLine[] = [];
  for (const rule of arr(r.inputs.rules).map(obj)) {
    if (rule.enableContinuousBackup === true) continue;
    const ruleName = str(rule.ruleName) ?? "rule";
    for (const { record, gb, key } of selectedByPlan(r, ctx)) {
      const days = num(obj(rule.lifecycle).deleteAfter) ?? 35;
      const stored = backupGb(a, gb, days);
      lines.push(
        line(
          ctx,
          `${ruleName}: snapshots of ${record.name}, ${fmt(stored)} GB for ${days} days`,
          stored,
          key,
          region,
        ),
      );
      for (const copy of arr(rule.copyActions).map(obj)) {
        const dest = regionOfArn(copy.destinationVaultArn) ?? region;
        const copyDays = num(obj(copy.lifecycle).deleteAfter) ?? days;
        const copied = backupGb(a, gb, copyDays);
        lines.push(
          line(
            ctx,
            `${ruleName}: copies in ${dest}, ${fmt(copied)} GB for ${copyDays} days`,
            copied,
            key,
            dest,
          ),
        );
        if (dest !== region) {
          const moved = changedGbPerMonth(a, gb);
          lines.push(
            line(
              ctx,
              `${ruleName}: copy transfer ${region} -> ${dest}, ${fmt(moved)} GB a month`,
              moved,
              "dataTransfer.interRegion.gb",
              region,
            ),
          );
        }
      }
    }
  }
  return lines.length > 0 ? { lines } : { free: "selects nothing in this stack with a snapshot rule" };
};

export const DATA_PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:rds/instance:Instance": rdsInstance,
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": rdsBackupReplication,
  "aws:docdb/cluster:Cluster": docdbCluster,
  "aws:docdb/clusterInstance:ClusterInstance": docdbInstance,
  "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
  "aws:s3/bucket:Bucket": s3Bucket,
  "aws:s3/bucketV2:BucketV2": s3Bucket,
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketReplication,
  "aws:ecr/repository:Repository": ecrRepository,
  "aws:ecr/replicationConfiguration:ReplicationConfiguration": ecrReplication,
  "aws:backup/plan:Plan": backupPlan,
};
