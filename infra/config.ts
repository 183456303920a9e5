/**
 * The one typed, validated view of a stack's config.
 *
 * `loadConfig()` reads every key of the stack (the same map `pulumi up` and the
 * offline synth hand the program), merges it over the environment defaults
 * (infra/defaults.ts) and validates the whole with one schema. Every problem is
 * reported at once, one line each, naming the key, what was wrong and what is
 * allowed; the program throws before it declares a single resource.
 */
import { z } from "zod";
import { MAX_AZ_COUNT } from "../components/network/cidrPlan";
import { ENV_DEFAULTS } from "./defaults";
import {
  CACHE_FAMILIES,
  DOCDB_FAMILIES,
  RDS_FAMILIES,
  SNAPSHOT_EXAMPLE,
  awsRegion,
  backupCron,
  checkBackupGaps,
  checkWindows,
  cloudwatchRetention,
  dailyBackupCron,
  dailyWindow,
  email,
  instanceClass,
  intRange,
  nearest,
  orList,
  snapshotRef,
  strict,
  vpcCidr,
  weeklyWindow,
} from "./validators";

/** The Pulumi project name, which is also the config namespace of every key below. */
export const PROJECT = "runbook-platform";

/**
 * The other config namespaces a stack may set: the providers the program
 * depends on (package.json's @pulumi/* packages) and Pulumi's own `pulumi:*`
 * settings. A key in any other namespace would be read by nobody.
 */
export const PROVIDER_NAMESPACES = ["aws", "docker", "kubernetes", "pulumi", "random", "tls"] as const;

/**
 * Thrown on bad config. Pulumi treats it as a RunError (`RunError.isInstance`
 * reads this marker, which is how the SDK recognises its own errors across
 * copies of itself), so `pulumi up` prints the message without a stack trace.
 * Not a subclass: this module must load without the Pulumi SDK, so the synth
 * CLI can reject a stack file before loading the SDK and the providers.
 */
export class ConfigError extends Error {
  readonly __pulumiRunError = true;

  constructor(readonly problems: readonly string[]) {
    super(`Invalid stack configuration (${problems.length} problem(s)):\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * DR-1: how a PostgreSQL instance starts. Absent: empty. `fromSnapshot`: a DB
 * snapshot (id, or ARN for a shared/copied one). `pointInTime`: PITR from one
 * source instance (by identifier) or its replicated automated backups (by ARN,
 * the cross-region copy), to `restoreTime` or the latest restorable time.
 */
const postgresRestore = strict({
  fromSnapshot: snapshotRef(SNAPSHOT_EXAMPLE).optional(),
  pointInTime: strict({
    sourceDbInstanceIdentifier: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, {
        error: "must be a DB instance identifier such as psi-prod-postgres-1a2b3c4d",
      })
      .optional(),
    sourceDbInstanceAutomatedBackupsArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:auto-backup:ab-[a-z0-9]+$/, {
        error:
          "must be an automated-backups ARN such as arn:aws:rds:us-west-2:123456789012:auto-backup:ab-abcdefghijklmnopqrstuvwxyz1",
      })
      .optional(),
    restoreTime: z.iso
      .datetime({ error: "must be an ISO 8601 UTC time such as 2026-11-20T03:15:00Z" })
      .optional(),
    useLatestRestorableTime: z.literal(true, { error: "must be true when set" }).optional(),
  })
    .superRefine((p, ctx) => {
      const sources = [p.sourceDbInstanceIdentifier, p.sourceDbInstanceAutomatedBackupsArn].filter(
        (v) => v !== undefined,
      );
      if (sources.length !== 1) {
        ctx.addIssue({
          code: "custom",
          message:
            "must name exactly one source: sourceDbInstanceIdentifier or sourceDbInstanceAutomatedBackupsArn (DR-1)",
        });
      }
      if ((p.restoreTime === undefined) === (p.useLatestRestorableTime === undefined)) {
        ctx.addIssue({
          code: "custom",
          message:
            "must set exactly one of restoreTime (such as 2026-11-20T03:15:00Z) or useLatestRestorableTime: true (DR-1)",
        });
      }
    })
    .optional(),
}).superRefine((r, ctx) => {
  if ((r.fromSnapshot === undefined) === (r.pointInTime === undefined)) {
    ctx.addIssue({
      code: "custom",
      message: "must set exactly one of fromSnapshot or pointInTime (DR-1)",
    });
  }
});

/**
 * BAK-2: what a bucket keeps and for how long. Days count from creation for
 * current objects and from the day a version became noncurrent for old versions;
 * absent means "never".
 */
const bucketLifecycle = strict({
  /** Current objects move to S3 Intelligent-Tiering: cheaper when cold, still served at once. */
  intelligentTieringAfterDays: intRange(0, 3650, "a number of days").optional(),
  glacierAfterDays: intRange(1, 3650, "a number of days").optional(),
  expireAfterDays: intRange(1, 3650, "a number of days").optional(),
  noncurrentGlacierAfterDays: intRange(1, 3650, "a number of days").optional(),
  noncurrentExpireAfterDays: intRange(1, 3650, "a number of days"),
}).superRefine((b, ctx) => {
  if (
    b.glacierAfterDays !== undefined &&
    b.expireAfterDays !== undefined &&
    b.expireAfterDays <= b.glacierAfterDays
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["expireAfterDays"],
      message: "must be greater than glacierAfterDays (S3 rejects expiring objects before they transition)",
    });
  }
  if (
    b.intelligentTieringAfterDays !== undefined &&
    b.expireAfterDays !== undefined &&
    b.expireAfterDays <= b.intelligentTieringAfterDays
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["expireAfterDays"],
      message:
        "must be greater than intelligentTieringAfterDays (S3 rejects expiring objects before they transition)",
    });
  }
  if (
    b.noncurrentGlacierAfterDays !== undefined &&
    b.noncurrentExpireAfterDays <= b.noncurrentGlacierAfterDays
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["noncurrentExpireAfterDays"],
      message:
        "must be greater than noncurrentGlacierAfterDays (S3 rejects expiring versions before they transition)",
    });
  }
});

const atLeast = (min: number) => (v: unknown) => typeof v === "number" && v >= min;
const is = (expected: unknown) => (v: unknown) => v === expected;

/** Floors the runbooks set for prod; staging may sit below them. */
const PROD_RULES: readonly { path: readonly string[]; ok: (v: unknown) => boolean; message: string }[] = [
  { path: ["network", "azCount"], ok: atLeast(3), message: "must be at least 3 in prod (NET-1)" },
  { path: ["network", "natGateways"], ok: is("perAz"), message: 'must be "perAz" in prod (NET-2)' },
  { path: ["protectStateful"], ok: is(true), message: "must be true in prod (BAK-4)" },
  {
    path: ["postgres", "backupRetentionDays"],
    ok: atLeast(30),
    message: "must be at least 30 in prod (PG-2)",
  },
  { path: ["postgres", "multiAz"], ok: is(true), message: "must be true in prod (PG-3)" },
  { path: ["documentdb", "instanceCount"], ok: atLeast(2), message: "must be at least 2 in prod (DOC-1)" },
  {
    path: ["documentdb", "backupRetentionDays"],
    ok: atLeast(30),
    message: "must be at least 30 in prod (DOC-2)",
  },
  { path: ["redis", "replicasPerShard"], ok: atLeast(1), message: "must be at least 1 in prod (CACHE-1)" },
  { path: ["backup", "retentionDays"], ok: atLeast(30), message: "must be at least 30 in prod (BAK-1)" },
  { path: ["backup", "continuousPostgres"], ok: is(true), message: "must be true in prod (BAK-1)" },
  {
    path: ["backup", "copyToDrRegion"],
    ok: is(true),
    message: "must be true in prod (BAK-1, BAK-2, DR-1)",
  },
];

const settingsSchema = strict(
  {
    /** The environment whose defaults and rules apply. */
    env: z.enum(["staging", "prod"]),
    /** Which runbook's application this stack runs (APP-1, APP-3). */
    app: z.enum(["psi", "myhibachi"]),
    /** `aws:region`: where the stack lives. */
    region: awsRegion,
    /** The region a DR stack rebuilds into and cross-region copies land in (DR-1, BAK-1). */
    drRegion: awsRegion,
    /** Pulumi `protect` and deletion protection on stateful resources (BAK-4). */
    protectStateful: z.boolean({ error: "must be true or false" }),
    /** Extra tags on every taggable resource. */
    tags: z
      .record(
        z.string().regex(/^(?!aws:)[\w.:/=+@ -]{1,128}$/, {
          error: "tag keys are 1-128 characters, letters, digits and _.:/=+-@ and must not start with aws:",
        }),
        z.string().max(256, { error: "tag values are at most 256 characters" }),
      )
      .default({}),
    network: strict({
      /** NET-1 */
      vpcCidr,
      /** NET-1: 3+ in prod, 2 allowed in staging. */
      azCount: intRange(2, MAX_AZ_COUNT),
      /** NET-2: a NAT gateway per AZ, or a single one (staging only). */
      natGateways: z.enum(["perAz", "single"]),
      /** NET-5: flow log retention in days. */
      flowLogRetentionDays: cloudwatchRetention,
    }),
    postgres: strict({
      /** PG-1: a supported major (15 or newer). */
      engineVersion: z.enum(["15", "16", "17"], {
        error: 'must be a supported major: "15", "16" or "17" (PG-1)',
      }),
      /** PG-7 */
      instanceClass: instanceClass("db", RDS_FAMILIES, "db.m7g.large"),
      /** PG-7 */
      allocatedStorageGb: intRange(20, 65536, "a size in GB"),
      maxAllocatedStorageGb: intRange(20, 65536, "a size in GB"),
      /** PG-2: RDS allows 1-35; the runbooks require at least 7. */
      backupRetentionDays: intRange(7, 35, "a number of days"),
      backupWindow: dailyWindow,
      maintenanceWindow: weeklyWindow,
      /** PG-3 */
      multiAz: z.boolean({ error: "must be true or false" }),
      /** PG-7: read replicas [P §9.3.1]. */
      readReplicas: intRange(0, 5, "a replica count"),
      /** DR-1: start from a snapshot or a point in time instead of empty. */
      restore: postgresRestore.optional(),
    })
      .superRefine(checkWindows("backupWindow"))
      .refine((p) => p.maxAllocatedStorageGb >= p.allocatedStorageGb, {
        path: ["maxAllocatedStorageGb"],
        error: "must be at least allocatedStorageGb (storage autoscaling ceiling)",
      }),
    documentdb: strict({
      instanceClass: instanceClass("db", DOCDB_FAMILIES, "db.r6g.large"),
      /** DOC-1, DOC-3 */
      instanceCount: intRange(1, 16, "an instance count"),
      /** DOC-2 */
      backupRetentionDays: intRange(7, 35, "a number of days"),
      backupWindow: dailyWindow,
      maintenanceWindow: weeklyWindow,
      /** DR-1: start from a cluster snapshot instead of empty. */
      restore: strict({
        fromSnapshot: snapshotRef("arn:aws:rds:us-west-2:123456789012:cluster-snapshot:psi-prod-docdb-final"),
      }).optional(),
    }).superRefine(checkWindows("backupWindow")),
    redis: strict({
      /** CACHE-1 */
      nodeType: instanceClass("cache", CACHE_FAMILIES, "cache.m7g.large"),
      /** CACHE-1: Redis OSS 7.1, or Valkey 8 (same protocol, lower node price). */
      engine: z.enum(["redis", "valkey"]),
      /** CACHE-1: 1+ gives Multi-AZ automatic failover. */
      replicasPerShard: intRange(0, 5, "a replica count"),
      /** CACHE-4: cluster mode with `shards` node groups [P §9.3.3]. */
      clusterMode: z.boolean({ error: "must be true or false" }),
      /** CACHE-4: node groups when clusterMode is on. */
      shards: intRange(1, 90, "a shard count"),
      /** CACHE-3 */
      snapshotRetentionDays: intRange(7, 35, "a number of days"),
      snapshotWindow: dailyWindow,
      maintenanceWindow: weeklyWindow,
    }).superRefine(checkWindows("snapshotWindow")),
    /** ECS-4, PG-5, DOC-1, CACHE-1: days to keep service and data-store logs [P §4.3.4]. */
    logRetentionDays: cloudwatchRetention,
    /** BAK-1, BAK-3: AWS Backup and cross-region copies. */
    backup: strict({
      /** BAK-1: days AWS Backup keeps each daily recovery point and its DR copy [P §8.1]. */
      retentionDays: intRange(7, 3650, "a number of days"),
      /**
       * BAK-1: continuous backup (PITR) of PostgreSQL by AWS Backup too, kept
       * as long as the instance's own automated backups (postgres.backupRetentionDays).
       */
      continuousPostgres: z.boolean({ error: "must be true or false" }),
      /** BAK-1, BAK-2, DR-1: copy backups, replicated automated backups and bucket replicas to drRegion. */
      copyToDrRegion: z.boolean({ error: "must be true or false" }),
      /**
       * BAK-1: when each daily AWS Backup job (the one carrying the DR copy)
       * is scheduled: an AWS cron expression in UTC at one fixed minute and
       * hour, kept at least an hour clear of its engine's backup and
       * maintenance windows (checkBackupGaps).
       */
      schedules: strict({
        postgres: dailyBackupCron("cron(0 2 * * ? *)"),
        documentdb: dailyBackupCron("cron(0 3 * * ? *)"),
      }),
      /**
       * BAK-1: minutes after its scheduled time that AWS Backup may still start
       * a daily job before it expires (AWS: at least 60; unset, it would be 8 hours).
       */
      startWindowMinutes: intRange(60, 1440, "a number of minutes"),
      /** BAK-3: when the weekly restore test runs, an AWS Backup cron expression in UTC. */
      restoreTestSchedule: backupCron("cron(0 8 ? * SUN *)"),
    }),
    /** BAK-2: lifecycle of the buckets by role. */
    storage: strict({
      images: bucketLifecycle,
      backups: bucketLifecycle,
      archive: bucketLifecycle,
    }),
    /** SLO-2, SLO-4: who alarms reach and where their runbook links point. */
    alerting: strict({
      runbookBaseUrl: z.url({
        protocol: /^https$/,
        error: "must be an https:// URL such as https://wiki.example.com/runbooks",
      }),
      pageEmails: z.array(email).min(1, { error: "must list at least one address for P0/P1 pages" }),
      ticketEmails: z.array(email).default([]),
      infoEmails: z.array(email).default([]),
    }),
  },
  // `region` is filled from aws:region, not set in the project namespace.
  ["region"],
).superRefine((s, ctx) => {
  checkBackupGaps(s, ctx);
  if (s.drRegion === s.region) {
    ctx.addIssue({
      code: "custom",
      path: ["drRegion"],
      message: `must differ from aws:region (${s.region}) (DR-1)`,
    });
  }
  if (s.env !== "prod") return;
  for (const rule of PROD_RULES) {
    if (!rule.ok(valueAt(s, rule.path)))
      ctx.addIssue({ code: "custom", path: [...rule.path], message: rule.message });
  }
});

export type StackSettings = z.output<typeof settingsSchema>;

/** What the program gets: the validated settings plus the stack's identity. */
export interface PlatformConfig extends StackSettings {
  readonly project: string;
  readonly stack: string;
}

/** The config map as Pulumi hands it over: fully qualified keys, string values. */
export type RawConfig = Readonly<Record<string, string>>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** Top-level values arrive as strings; structured ones and booleans as JSON text. */
function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function keyName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return PROJECT;
  if (path[0] === "region") return "aws:region";
  const rest = path
    .slice(1)
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("");
  return `${PROJECT}:${String(path[0])}${rest}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, p) => (isPlainObject(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[p] : undefined),
    root,
  );
}

function describe(issue: z.core.$ZodIssue, input: unknown): string[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => `${keyName([...issue.path, k])}: ${issue.message}`);
  }
  if (issue.code === "invalid_key") {
    return [`${keyName(issue.path)}: ${issue.issues[0]?.message ?? issue.message}`];
  }
  const value = valueAt(input, issue.path);
  if (value === undefined && issue.code === "invalid_type") {
    return [`${keyName(issue.path)}: is required; set it in Pulumi.<stack>.yaml`];
  }
  const got = value === undefined || typeof value === "object" ? "" : ` (got ${JSON.stringify(value)})`;
  return [`${keyName(issue.path)}: ${issue.message}${got}`];
}

const NAMESPACES = [PROJECT, ...PROVIDER_NAMESPACES].sort();

/**
 * A key outside the project's namespace is the provider's business (aws:* has
 * too many keys to list), unless nobody reads its namespace: a misspelt
 * `runbook-platfrom:network` would otherwise be ignored and its block fall back
 * to the defaults.
 */
function foreignKeyProblem(key: string): string | undefined {
  const colon = key.indexOf(":");
  const namespace = colon < 0 ? "" : key.slice(0, colon);
  if ((PROVIDER_NAMESPACES as readonly string[]).includes(namespace)) return undefined;
  const near = nearest(namespace, NAMESPACES);
  const hint =
    near.length > 0 ? ` (did you mean ${orList(near.map((n) => `${n}:${key.slice(colon + 1)}`))}?)` : "";
  return `${key}: unknown namespace${hint}; allowed namespaces: ${NAMESPACES.join(", ")}`;
}

/**
 * Validates a stack's raw config. Pure: the same input always gives the same
 * settings or the same ConfigError.
 */
export function parseStackConfig(raw: RawConfig, project: string, stack: string): PlatformConfig {
  const prefix = `${PROJECT}:`;
  const own: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(prefix)) {
      const problem = foreignKeyProblem(key);
      if (problem) problems.push(problem);
      continue;
    }
    const name = key.slice(prefix.length);
    if (name === "region") {
      problems.push(`${key}: unknown key; the region is the provider's aws:region`);
      continue;
    }
    own[name] = decode(value);
  }
  // Every default hangs on env, so nothing else can be judged without it.
  const env = settingsSchema.shape.env.safeParse(own.env);
  if (!env.success)
    throw new ConfigError([
      ...problems,
      ...env.error.issues.flatMap((i) => describe({ ...i, path: ["env"] }, own)),
    ]);
  const input = deepMerge(ENV_DEFAULTS[env.data], { ...own, region: raw["aws:region"] });
  const result = settingsSchema.safeParse(input);
  if (!result.success) problems.push(...result.error.issues.flatMap((i) => describe(i, input)));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return { ...result.data, project, stack };
}

/**
 * The program's entry to config: the engine's config map, validated. The SDK
 * is loaded here, not at the top, so the rest of this module stays SDK-free.
 */
export async function loadConfig(): Promise<PlatformConfig> {
  const pulumi = await import("@pulumi/pulumi");
  return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());
}
