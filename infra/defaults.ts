/**
 * Per-environment defaults: the only place staging and prod differ by default.
 * A stack's own `Pulumi.<stack>.yaml` values are merged over these, then the
 * merged whole is validated (infra/config.ts), so a default can never bypass a
 * rule that a stack value would have to pass.
 */
import type { DeepPartial, StackSettings } from "./config";

type Env = StackSettings["env"];

const shared = {
  network: {
    vpcCidr: "10.0.0.0/16", // NET-1: the Psi VPC [P §3.5.1]
  },
  postgres: {
    engineVersion: "16",
    // PG-8: the runbooks want backups 02:00-03:00 and maintenance Sunday 02:00-04:00,
    // which AWS rejects as overlapping. Backups keep their hour; maintenance moves
    // to the next quiet hours of the same Sunday morning.
    backupWindow: "02:00-03:00",
    maintenanceWindow: "sun:03:30-sun:05:30",
  },
  documentdb: {
    // DOC-2: backups at 03:00 UTC [P §8.1]; maintenance after them.
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:30-sun:06:30",
  },
  redis: {
    snapshotWindow: "05:00-06:00",
    maintenanceWindow: "sun:06:30-sun:07:30",
  },
} as const;

export const ENV_DEFAULTS: Record<Env, DeepPartial<StackSettings>> = {
  prod: {
    protectStateful: true,
    network: {
      ...shared.network,
      azCount: 3, // NET-1
      natGateways: "perAz", // NET-2
      flowLogRetentionDays: 365,
    },
    postgres: {
      ...shared.postgres,
      instanceClass: "db.m7g.large",
      allocatedStorageGb: 100, // PG-7 [P §3.5.1]
      maxAllocatedStorageGb: 500,
      backupRetentionDays: 30, // PG-2
      multiAz: true, // PG-3
    },
    documentdb: {
      ...shared.documentdb,
      instanceClass: "db.r6g.large",
      instanceCount: 2, // DOC-1
      backupRetentionDays: 30, // DOC-2
    },
    redis: {
      ...shared.redis,
      nodeType: "cache.m7g.large",
      replicasPerShard: 1, // CACHE-1
      snapshotRetentionDays: 7, // CACHE-3
    },
  },
  staging: {
    protectStateful: false,
    network: {
      ...shared.network,
      azCount: 2, // NET-1: two AZs allowed in staging
      // NET-2: one NAT saves two gateways' hourly and per-GB charges; losing its AZ
      // cuts staging's egress until it is back, which staging can afford.
      natGateways: "single",
      flowLogRetentionDays: 30,
    },
    postgres: {
      ...shared.postgres,
      instanceClass: "db.t4g.medium",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      backupRetentionDays: 7, // PG-2: at least 7 in staging
      multiAz: false,
    },
    documentdb: {
      ...shared.documentdb,
      instanceClass: "db.t4g.medium",
      instanceCount: 1, // DOC-3
      backupRetentionDays: 7,
    },
    redis: {
      ...shared.redis,
      nodeType: "cache.t4g.small",
      replicasPerShard: 0,
      snapshotRetentionDays: 7,
    },
  },
};
