/**
 * The one typed, validated view of a stack's config.
 *
 * `loadConfig()` reads every key of the stack (the same map `pulumi up` and the
 * offline synth hand the program), merges it over the environment and app
 * defaults (infra/defaults.ts; each service entry over the service defaults)
 * and validates the whole with one schema. Every problem is
 * reported at once, one line each, naming the key, what was wrong and what is
 * allowed; the program throws before it declares a single resource.
 */
import { z } from "zod";
import { ecrRepositoryArn } from "../components/compute/ecr";
import { MAX_AZ_COUNT } from "../components/network/cidrPlan";
import { SECRET_ENV_CONFIG, plainSecretProblem } from "../policies/lib/secrets";
import {
  APP_DEFAULTS,
  APP_FRONTEND_DEFAULTS,
  APP_SERVICE_DEFAULTS,
  ENV_DEFAULTS,
  FRONTEND_DEFAULTS,
  RATE_LIMIT_CEILINGS,
  SERVICE_DEFAULTS,
} from "./defaults";
import { accountSettingsSchema, checkAccountSettings } from "./accountSettings";
import { checkFrontends, frontendsSchema, vercelProblems } from "./frontendsConfig";
import { checkKubernetes, kubernetesSchema, podSchema } from "./kubernetesConfig";
import { alarmsSchema, pagerEndpoint, sloSchema } from "./slo";
import {
  CACHE_FAMILIES,
  DNS_NAME,
  DOCDB_FAMILIES,
  FARGATE_TASK_SIZES,
  RDS_FAMILIES,
  SNAPSHOT_EXAMPLE,
  awsRegion,
  backupCron,
  checkBackupGaps,
  checkWindows,
  cloudwatchRetention,
  dailyBackupCron,
  dailyWindow,
  dnsName,
  email,
  fargateCpu,
  fargateMemoryChoices,
  imageUri,
  instanceClass,
  intRange,
  nearest,
  orList,
  projectPath,
  snapshotRef,
  strict,
  urlPath,
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
export const PROVIDER_NAMESPACES = [
  "aws",
  "docker",
  "kubernetes",
  "pulumi",
  "random",
  "tls",
  "vercel",
] as const;

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

/**
 * DR-1: the name prefix of the stack whose cross-region copies a region
 * rebuild uses: `<app>-<env>`, the primary stack's own prefix. Its copies in
 * the DR Region are named after it: the bucket replicas
 * `<prefix>-<role>-replica-…` (BackupBucket), the key of the replicated
 * PostgreSQL automated backups `alias/<prefix>-postgres-dr`
 * (PostgresDatabase) and the replicated repositories `<prefix>/<service>`
 * (RegistryReplication).
 */
export function primaryPrefix(s: { readonly app: string; readonly env: string }): string {
  return `${s.app}-${s.env}`;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * DR-1: the word a restore source takes to be found rather than named: the
 * newest copy AWS Backup made in this Region of the primary stack's recovery
 * points (a region rebuild only; infra/data.ts looks it up by the backup
 * plan's selection tag, which AWS Backup copies onto every recovery point and
 * its cross-Region copies).
 */
export const LATEST_COPY = "latest";

/** DR-1: what storage.fromReplicas takes. */
const FROM_REPLICAS_RULE =
  "must be true (each replica found by the name the primary stack publishes in this Region) or the replicas' names by role, images and backups, each optional (DR-1)";

/**
 * DR-3: the data a restore brings back, in GB. Its time grows with it
 * (synth/provisioningTimes.ts), so the critical path and the rebuild's
 * stated time (docs/dr.md) are computed from it. A region rebuild must set
 * it; elsewhere PostgreSQL counts its allocated storage.
 */
const expectedDataGb = intRange(1, 65536, "a size in GB");

/**
 * DR-1: how a PostgreSQL instance starts. Absent: empty. `fromSnapshot`: a DB
 * snapshot (id, or ARN for a shared/copied one), or `latest` in a region
 * rebuild: the newest AWS Backup copy of the primary's PostgreSQL in this
 * Region. `pointInTime`: PITR from one source instance (by identifier) or its
 * replicated automated backups (by ARN, the cross-region copy), to
 * `restoreTime` or the latest restorable time; in a region rebuild the source
 * may be left out: it is then the automated backups the primary replicated
 * into this Region, found by the name the primary publishes them under
 * (components/backup/drPointer.ts). DR-3: `expectedDataGb`.
 */
const postgresRestore = strict({
  fromSnapshot: snapshotRef(SNAPSHOT_EXAMPLE).optional(),
  expectedDataGb: expectedDataGb.optional(),
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
      if (sources.length > 1) {
        ctx.addIssue({
          code: "custom",
          message:
            "must name at most one source: sourceDbInstanceIdentifier or sourceDbInstanceAutomatedBackupsArn; none, in a region rebuild, is the automated backups the primary replicated into this Region (DR-1)",
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

/** An S3 bucket name: 3-63 lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit. */
const bucketName = z
  .string({ error: "must be an S3 bucket name such as psi-prod-images-replica-1a2b3c4" })
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    error:
      "must be an S3 bucket name (3-63 lowercase letters, digits, . and -) such as psi-prod-images-replica-1a2b3c4",
  });

/** The Region of an ARN (`arn:<partition>:<service>:<region>:…`), or undefined for a bare identifier. */
function arnRegion(ref: string | undefined): string | undefined {
  return ref?.startsWith("arn:") ? ref.split(":")[3] : undefined;
}

/** APP-1: the data stores a service can be given the connection secrets of. */
export const DATA_STORES = ["postgres", "documentdb", "redis"] as const;
export type DataStore = (typeof DATA_STORES)[number];

/**
 * APP-3, K8S-1: the compute paths: ECS Fargate (infra/services.ts) or
 * Kubernetes (infra/kubernetes.ts), one switch per service.
 */
export const COMPUTE = ["ecs", "kubernetes"] as const;

/**
 * APP-4: an environment variable name that looks like a secret: the pack's
 * own pattern (policies/lib/secrets.ts, read by ecs-taskdefinition- and
 * kubernetes-deployment-forbid-plain-secrets) plus KEY, so config rejects
 * everything those rules would flag on the task definition, before any
 * resource. A non-secret that matches (STRIPE_PUBLISHABLE_KEY,
 * JWT_ACCESS_TOKEN_EXPIRE_MINUTES) goes to `secrets` too: one rule for
 * config and pack, and no allow-list to keep in step between them.
 */
const SECRET_NAME = new RegExp(`${String(SECRET_ENV_CONFIG.secretNamePattern.default)}|KEY`, "i");

/** The issue params that keep a value out of the error message: it may be a secret. */
const REDACT = { redact: true } as const;

const uniqueItems =
  (what: string) =>
  (items: readonly unknown[], ctx: z.core.$RefinementCtx): void => {
    items.forEach((item, i) => {
      if (items.indexOf(item) !== i)
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `repeats ${String(item)}; list each ${what} once`,
        });
    });
  };

const RATE_LIMIT_RULE =
  "must be a whole number of requests per client IP per minute from 10 (AWS WAF's lowest rate limit) to 2000000000 (ECS-9)";

const MIGRATE_RULE =
  'must be false (no migration step) or { command: [...] }, the migration command as a non-empty list of non-empty strings such as ["alembic", "upgrade", "head"]';

const MIGRATE_COMMAND_RULE =
  'must list the migration command and its arguments, each a non-empty string, such as ["alembic", "upgrade", "head"]';

const SERVICE_NAME_RULE =
  "service names are 1-20 characters, lowercase letters, digits and -, starting with a letter and not ending with - (they prefix AWS resource names after <app>-<env>-)";

/**
 * APP-1..4, ECS-2, ECS-6, ECS-9, ECS-10: one API service of the stack. Every
 * field has a per-environment and per-app default (infra/defaults.ts,
 * merged into each entry before validation), so a stack file sets only what
 * is the service's own: image, domain, hostedZone.
 */
/**
 * APP-1, APP-4: the variables the program itself gives every service: its
 * environment, and each data store's connection (infra/services.ts
 * `storeWiring`; a test keeps the two lists equal). A service's own `env` or
 * `secrets` naming one would be overwritten without a word.
 */
export const RESERVED_VARIABLES = [
  "ENVIRONMENT",
  "POSTGRES_SERVER",
  "POSTGRES_PORT",
  "POSTGRES_DB",
  "POSTGRES_USER",
  "POSTGRES_PASSWORD",
  "MONGODB_HOST",
  "MONGODB_PORT",
  "MONGODB_USERNAME",
  "MONGODB_PASSWORD",
  "REDIS_HOST",
  "REDIS_PORT",
  "REDIS_TLS",
  "REDIS_URL",
  "REDIS_PASSWORD",
] as const;
const RESERVED_MESSAGE =
  "is set by the program (the environment, or a data store's connection from dataStores); choose another name (APP-1, APP-4)";

const serviceSchema = strict({
  /** APP-3, K8S-1: the one switch between ECS Fargate and Kubernetes. */
  compute: z.enum(COMPUTE),
  /**
   * ECS-1, K8S-6: an existing image pinned by tag or digest, or a build
   * context and Dockerfile (paths relative to the project root) the program
   * builds and pushes to the service's ECR repository.
   */
  image: strict({
    uri: imageUri.optional(),
    build: strict({
      context: projectPath("directory", "apps/myhibachi-api"),
      dockerfile: projectPath("file", "apps/myhibachi-api/Dockerfile"),
    }).optional(),
  })
    .superRefine((i, ctx) => {
      if ((i.uri === undefined) === (i.build === undefined))
        ctx.addIssue({
          code: "custom",
          message:
            "must set exactly one of uri (an image pinned by tag or digest) or build (context, dockerfile)",
        });
    })
    .transform(
      (
        i,
      ):
        | { readonly uri: string }
        | { readonly build: { readonly context: string; readonly dockerfile: string } } =>
        i.uri !== undefined ? { uri: i.uri } : { build: i.build! },
    ),
  /** APP-2, NET-3: the container port; the tier table opens only 8000 between load balancer and app. */
  port: z.literal(8000, {
    error: "must be 8000: the NET-3 tiers open only port 8000 from the load balancer to the app (APP-2)",
  }),
  /** APP-2: liveness `/health`, readiness `/health/ready` [P §4.6.2]. */
  health: strict({ liveness: urlPath, readiness: urlPath }),
  /** ECS-2: task CPU units, 1 vCPU = 1024 [P §3.5.2]. */
  cpu: fargateCpu,
  /** ECS-2: task memory in MiB, one Fargate accepts with `cpu` [P §3.5.2]. */
  memory: intRange(512, 122880, "a task memory in MiB"),
  /** ECS-2: tasks when the service starts; between minCount and maxCount. */
  desiredCount: intRange(1, 5000, "a task count"),
  /** ECS-6: the auto-scaling floor [P §6.5.2]. */
  minCount: intRange(1, 5000, "a task count"),
  /** ECS-6: the auto-scaling ceiling [P §6.5.2]. */
  maxCount: intRange(1, 5000, "a task count"),
  /** ECS-6: target-tracking policies and their cooldowns (the HPA figures of [P §6.5.2]). */
  scaling: strict({
    /** ECS-6: average CPU utilization to hold, percent. */
    cpuPercent: intRange(1, 100, "a percentage"),
    /** ECS-6: average memory utilization to hold, percent. */
    memoryPercent: intRange(1, 100, "a percentage"),
    /**
     * ECS-6: ALB requests per task per minute to hold (the unit of the
     * ALBRequestCountPerTarget target-tracking metric: requests per target
     * per minute).
     */
    requestsPerTarget: intRange(1, 1_000_000, "a number of requests per task per minute"),
    /** ECS-6: seconds between scale-in steps [P §6.5.2 stabilizationWindowSeconds 300]. */
    scaleInCooldownSeconds: intRange(0, 3600, "a number of seconds"),
    /** ECS-6: seconds between scale-out steps [P §6.5.2: 60]. */
    scaleOutCooldownSeconds: intRange(0, 3600, "a number of seconds"),
  }),
  /**
   * APP-4: plain, non-secret settings, as strings. A name that looks like a
   * secret, or a URL with credentials in it, is rejected: it belongs in `secrets`.
   */
  env: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: "environment variable names are letters, digits and _, not starting with a digit",
      }),
      z.string({ error: 'must be a string; quote numbers and booleans in YAML, such as "587"' }),
    )
    .superRefine((env, ctx) => {
      for (const [name, value] of Object.entries(env)) {
        if ((RESERVED_VARIABLES as readonly string[]).includes(name)) {
          ctx.addIssue({ code: "custom", path: [name], message: RESERVED_MESSAGE, params: REDACT });
        } else if (name === "SMTP_PORT" && !/^[1-9][0-9]{0,4}$/.test(value)) {
          // NET-3: the app tier's security group opens this port to the internet (mailPorts).
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: "must be a TCP port such as 587: the app tier opens it to the internet for mail (NET-3)",
          });
        } else if (SECRET_NAME.test(name)) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: "must be listed in secrets, not env (APP-4)",
            params: REDACT,
          });
        } else if (plainSecretProblem(name, value, SECRET_NAME.source, []) !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message:
              "holds a URL with credentials (user:password@); list the variable in secrets, not env (APP-4)",
            params: REDACT,
          });
        }
      }
    }),
  /**
   * APP-4: environment variable names whose values live in Secrets Manager:
   * the program creates one secret per name (value set out of band) and
   * hands it to the container as a secret.
   */
  secrets: z
    .array(
      z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
        error:
          "must be an environment variable name: capitals, digits and _, starting with a letter, such as JWT_SECRET_KEY",
      }),
    )
    .superRefine(uniqueItems("secret"))
    .superRefine((names, ctx) =>
      names.forEach((name, i) => {
        if ((RESERVED_VARIABLES as readonly string[]).includes(name))
          ctx.addIssue({ code: "custom", path: [i], message: RESERVED_MESSAGE });
      }),
    ),
  /** APP-1: the data stores whose connection secrets the service gets; each must run in the stack. */
  dataStores: z.array(z.enum(DATA_STORES)).superRefine(uniqueItems("data store")),
  /** ECS-5, SLO-7: the name the service answers on (ACM certificate, Route 53 alias). */
  domain: dnsName("mhapi.mysticdatanode.net"),
  /** ECS-5: the Route 53 public hosted zone `domain` is in. */
  hostedZone: dnsName("mysticdatanode.net"),
  /**
   * ECS-5, K8S-3: whether the program owns `domain`'s record in `hostedZone`
   * (an alias to the ALB on ECS, a CNAME to the ingress NLB on Kubernetes).
   * False in a rebuild (DR-1): the failed Region's stack owns the record, and
   * the cutover repoints it by hand (docs/dr.md). The ACM validation record is
   * the same in every Region of an account and is shared either way.
   */
  dnsRecord: z.boolean({ error: "must be true or false" }),
  /**
   * ECS-9: the WAF rate-based rule's limit per client IP per minute (a 60 s
   * evaluation window). AWS WAF takes limits from 10 (its lowest) and
   * windows of 60, 120, 300 or 600 s (AWS WAF Developer Guide, "Rate-based
   * rule high-level settings"); 2,000,000,000 is the API's upper bound
   * (RateBasedStatement.Limit).
   */
  rateLimitPerMinute: z
    .int({ error: RATE_LIMIT_RULE })
    .min(10, { error: RATE_LIMIT_RULE })
    .max(2_000_000_000, { error: RATE_LIMIT_RULE }),
  /**
   * ECS-10: optional canary rollout: `percent` of traffic to the new revision
   * for `bakeMinutes`, then the rest [H §Deployment Rollout Strategy: 10 %,
   * 30 minutes]. ECS takes canaryPercent in steps of 0.1 from 0.1 to 100 and
   * canaryBakeTimeInMinutes from 0 to 1440 (ECS API, CanaryConfiguration).
   */
  canary: strict({
    percent: z
      .number({ error: "must be a percentage from 0.1 to 100 in steps of 0.1 (ECS-10)" })
      .refine((p) => p >= 0.1 && p <= 100 && Math.abs(p * 10 - Math.round(p * 10)) < 1e-9, {
        error: "must be a percentage from 0.1 to 100 in steps of 0.1 (ECS-10)",
      }),
    bakeMinutes: intRange(0, 1440, "a number of minutes"),
  }).optional(),
  /**
   * The runbooks' `alembic upgrade head` [H §5, P §3.7.2] as a deploy step:
   * the command a `migrate` container (ECS: non-essential, the app depends on
   * its SUCCESS) or init container (Kubernetes) runs from the app's image
   * before the app starts. The per-app default is the runbook's command
   * (infra/defaults.ts); `false` or absent: no migration step.
   */
  migrate: z
    .union(
      [
        z.literal(false),
        strict({
          command: z
            .array(z.string().min(1, { error: MIGRATE_COMMAND_RULE }), { error: MIGRATE_COMMAND_RULE })
            .min(1, { error: MIGRATE_COMMAND_RULE }),
        }),
      ],
      {
        error: MIGRATE_RULE,
      },
    )
    .optional(),
  /**
   * SLO-1, SLO-3, SLO-4: the service's SLO table, one row per objective of
   * the pack's `SloObjectives` (threshold, severity, runbook section, first
   * action, evaluation minutes); the per-app defaults are the runbook's
   * [P §1.4, H §SLOs] (infra/defaults.ts). `sloTables()` publishes it.
   */
  slo: sloSchema,
  /** K8S-2, K8S-5: pod requests, limits and disruption budget, read when compute is "kubernetes". */
  pod: podSchema,
}).superRefine((svc, ctx) => {
  const sizes = FARGATE_TASK_SIZES[svc.cpu];
  if (sizes !== undefined && !sizes.includes(svc.memory)) {
    ctx.addIssue({
      code: "custom",
      path: ["memory"],
      message: `is not a Fargate size for cpu ${svc.cpu}; allowed: ${fargateMemoryChoices(svc.cpu)} (ECS-2)`,
    });
  }
  // Only counts that passed their own range are compared: one line per problem.
  const counted = [svc.desiredCount, svc.minCount, svc.maxCount].every(
    (n) => Number.isInteger(n) && n >= 1 && n <= 5000,
  );
  if (counted && svc.minCount > svc.maxCount) {
    ctx.addIssue({
      code: "custom",
      path: ["minCount"],
      message: `must be at most maxCount (${svc.maxCount}) (ECS-6)`,
    });
  } else if (counted && (svc.desiredCount < svc.minCount || svc.desiredCount > svc.maxCount)) {
    ctx.addIssue({
      code: "custom",
      path: ["desiredCount"],
      message: `must be from minCount (${svc.minCount}) to maxCount (${svc.maxCount}) (ECS-2, ECS-6)`,
    });
  }
  const named = DNS_NAME.test(svc.domain) && DNS_NAME.test(svc.hostedZone);
  if (named && svc.domain !== svc.hostedZone && !svc.domain.endsWith(`.${svc.hostedZone}`)) {
    ctx.addIssue({
      code: "custom",
      path: ["domain"],
      message: `is not in the hosted zone ${svc.hostedZone} (hostedZone); use a name under it, such as api.${svc.hostedZone}`,
    });
  }
  // K8S-3: on Kubernetes the program points `domain` at the ingress NLB with a CNAME
  // (infra/kubernetes.ts); DNS allows no CNAME at a zone apex, beside the zone's SOA
  // and NS records (RFC 1034 §3.6.2), and Route 53 refuses one: "If you're creating a
  // record that has a value of CNAME for Type, the name of the record can't be the same
  // as the name of the hosted zone" (Route 53 Developer Guide, "Values that are common
  // for alias records for all routing policies"; "Choosing between alias and non-alias
  // records"). On ECS the record is an alias A record, which the apex may hold.
  if (named && svc.compute === "kubernetes" && svc.dnsRecord && svc.domain === svc.hostedZone) {
    ctx.addIssue({
      code: "custom",
      path: ["domain"],
      message: `is the apex of its hosted zone ${svc.hostedZone}: on Kubernetes the program points it at the ingress load balancer with a CNAME, which Route 53 refuses at a zone apex; use a name under it, such as api.${svc.hostedZone}, or compute "ecs" (an alias record) (K8S-3)`,
    });
  }
  // ECS-10: only the ECS path reads `canary` (infra/services.ts); a Kubernetes service
  // would roll out with its Deployment's rolling update and the canary be ignored.
  if (svc.compute === "kubernetes" && svc.canary !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["canary"],
      message:
        'is read only on ECS (compute "ecs"); this service runs on Kubernetes, which rolls out by its rolling update and would ignore the canary: remove canary, or set compute "ecs" (ECS-10, K8S-2)',
    });
  }
  for (const name of svc.secrets) {
    // A secret-looking name in env is reported once, by env's own check.
    if (name in svc.env && !SECRET_NAME.test(name))
      ctx.addIssue({
        code: "custom",
        path: ["env", name],
        message: "is also listed in secrets; set each variable in one place (APP-4)",
        params: REDACT,
      });
  }
});

export type ServiceSettings = z.output<typeof serviceSchema>;

export {
  type AlarmRow,
  type AlarmSettings,
  type AlertTopic,
  type Severity,
  type SloSettings,
  SEVERITIES,
  SEVERITY_TOPICS,
  SLO_PAIRS,
  sloTables,
} from "./slo";

const atLeast = (min: number) => (v: unknown) => typeof v === "number" && v >= min;
const atMost = (max: number) => (v: unknown) => typeof v === "number" && v <= max;
const is = (expected: unknown) => (v: unknown) => v === expected;

/**
 * Floors the runbooks set for prod; staging may sit below them. A `*` in a
 * path stands for every key of the record there (each service); `onlyIf`
 * names a switch the rule depends on (no DocumentDB, no DocumentDB floors);
 * `exceptInRebuild` lifts a floor in a region rebuild (`isRebuild`).
 */
const PROD_RULES: readonly {
  path: readonly string[];
  ok: (v: unknown) => boolean;
  message: string;
  onlyIf?: readonly string[];
  exceptInRebuild?: true;
}[] = [
  { path: ["network", "azCount"], ok: atLeast(3), message: "must be at least 3 in prod (NET-1)" },
  { path: ["network", "natGateways"], ok: is("perAz"), message: 'must be "perAz" in prod (NET-2)' },
  { path: ["protectStateful"], ok: is(true), message: "must be true in prod (BAK-4)" },
  {
    path: ["postgres", "backupRetentionDays"],
    ok: atLeast(30),
    message: "must be at least 30 in prod (PG-2)",
  },
  { path: ["postgres", "multiAz"], ok: is(true), message: "must be true in prod (PG-3)" },
  {
    path: ["documentdb", "instanceCount"],
    ok: atLeast(2),
    message: "must be at least 2 in prod (DOC-1)",
    onlyIf: ["documentdb", "enabled"],
  },
  {
    path: ["documentdb", "backupRetentionDays"],
    ok: atLeast(30),
    message: "must be at least 30 in prod (DOC-2)",
    onlyIf: ["documentdb", "enabled"],
  },
  { path: ["redis", "replicasPerShard"], ok: atLeast(1), message: "must be at least 1 in prod (CACHE-1)" },
  { path: ["backup", "retentionDays"], ok: atLeast(30), message: "must be at least 30 in prod (BAK-1)" },
  { path: ["backup", "continuousPostgres"], ok: is(true), message: "must be true in prod (BAK-1)" },
  {
    path: ["backup", "copyToDrRegion"],
    ok: is(true),
    message: "must be true in prod (BAK-1, BAK-2, DR-1)",
    // DR-2: a rebuild runs in the DR Region because drRegion's twin failed;
    // copying into the failed Region is what it must not depend on.
    exceptInRebuild: true,
  },
  { path: ["services", "*", "desiredCount"], ok: atLeast(3), message: "must be at least 3 in prod (ECS-2)" },
  { path: ["services", "*", "minCount"], ok: atLeast(3), message: "must be at least 3 in prod (ECS-6)" },
  // ECS-6: the data tier's connections allow 20 tasks [P §6.5.2] (the pack's
  // ecs-service-limit-replicas, maxReplicas).
  { path: ["services", "*", "maxCount"], ok: atMost(20), message: "must be at most 20 in prod (ECS-6)" },
  // ECS-2: the runbook's task of 1 vCPU and 2 GB [P §3.5.2], which the SLO-1 memory and
  // CPU objectives were set against (the pack's ecs-taskdefinition-limit-task-size). 2 GB
  // needs no rule of its own: Fargate pairs 1 vCPU and more with 2 GB at least
  // (FARGATE_TASK_SIZES), which the memory check above enforces.
  {
    path: ["services", "*", "cpu"],
    ok: atLeast(1024),
    message: "must be at least 1024 (1 vCPU) in prod (ECS-2)",
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
    /**
     * DR-1: a suffix on every name this stack gives its resources
     * (`<app>-<env>-<suffix>-…`), so a region rebuild never meets the names
     * the primary stack gave its copies in the same Region, nor the primary's
     * names in account-global namespaces (CloudWatch dashboards). At most 4
     * characters: with the longest `<app>-<env>` (myhibachi-prod) the prefix
     * stays within the 19 characters that leave an ElastiCache replication
     * group id (40 at most) room for `-redis-<8 hex>-final` (naming.ts).
     * @default none: names are `<app>-<env>-…`
     */
    nameSuffix: z
      .string({ error: "must be a short name such as dr" })
      .regex(/^[a-z][a-z0-9]{0,3}$/, {
        error:
          "must be 1-4 lowercase letters or digits starting with a letter, such as dr (it joins <app>-<env>-<suffix>; longer names overflow ElastiCache's 40-character ids) (DR-1)",
      })
      .optional(),
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
      /** APP-1: whether the stack runs DocumentDB (Psi does [P §1.3]; MyHibachi does not [H Overview]). */
      enabled: z.boolean({ error: "must be true or false" }),
      instanceClass: instanceClass("db", DOCDB_FAMILIES, "db.r6g.large"),
      /** DOC-1, DOC-3 */
      instanceCount: intRange(1, 16, "an instance count"),
      /** DOC-2 */
      backupRetentionDays: intRange(7, 35, "a number of days"),
      backupWindow: dailyWindow,
      maintenanceWindow: weeklyWindow,
      /**
       * DR-1: start from a cluster snapshot instead of empty: its id or ARN,
       * or `latest` in a region rebuild (the newest AWS Backup copy of the
       * primary's cluster in this Region). DR-3: `expectedDataGb`.
       */
      restore: strict({
        fromSnapshot: snapshotRef("arn:aws:rds:us-west-2:123456789012:cluster-snapshot:psi-prod-docdb-final"),
        expectedDataGb: expectedDataGb.optional(),
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
      /**
       * DR-1, DR-2: a region rebuild uses the replicas the primary stack
       * keeps of its replicated buckets in this Region (BackupBucket
       * `replicaRegion`: `<app>-<env>-<role>-replica-<suffix>`), with their
       * keys of this Region: the data is there. `true` finds each by the
       * name the primary publishes in this Region (components/backup/drPointer.ts);
       * a name per role overrides that. The stack then creates no images or
       * backups bucket of its own (the archive bucket is not replicated and
       * is created empty).
       * @default none: every bucket is created here
       */
      fromReplicas: z
        .preprocess(
          (v) => (v === true ? {} : v),
          z.strictObject(
            { images: bucketName.optional(), backups: bucketName.optional() },
            {
              error: (issue) =>
                issue.code === "unrecognized_keys"
                  ? "unknown key; allowed here: backups, images"
                  : FROM_REPLICAS_RULE,
            },
          ),
        )
        .optional(),
    }),
    /** ECS-1, DR-1: where the services' images come from. */
    images: strict({
      /**
       * DR-1, DR-2: a region rebuild runs each service's image from the
       * repository ECR replication created in this Region
       * (`<app>-<env>/<service>`, RegistryReplication) instead of creating a
       * repository of that name itself: every image is then a `uri` in this
       * Region's registry (or outside ECR), never a build.
       */
      fromReplica: z.boolean({ error: "must be true or false" }).default(false),
    }).prefault({}),
    /** BAK-5, DR-1: whether this stack owns its account and Region's singletons (infra/accountSettings.ts). */
    accountSettings: accountSettingsSchema,
    /**
     * APP-1: the stack's API services by name (each name prefixes its AWS
     * resources after `<app>-<env>-`). Defaults are merged into every entry.
     */
    services: z
      .record(
        z.string().regex(/^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/, { error: SERVICE_NAME_RULE }),
        serviceSchema,
      )
      .default({}),
    /** K8S-1, K8S-8: the Kubernetes platform of the services with compute "kubernetes" (infra/kubernetes.ts). */
    kubernetes: kubernetesSchema,
    /**
     * FE-1..5: the stack's front ends, one Vercel project each
     * (infra/frontendsConfig.ts, infra/frontends.ts). Defaults are merged
     * into every entry.
     */
    frontends: frontendsSchema,
    /** SLO-3, SLO-7: the platform alarms' thresholds and routes, fixed once per stack (infra/slo.ts). */
    alarms: alarmsSchema,
    /**
     * SLO-2, SLO-4: who alarms reach and where their runbook links point.
     * By severity (SEVERITY_TOPICS, infra/slo.ts) [H §Alert Routing, P §4.4.1]:
     * P0/P1 -> the page topic (pagerEndpoint and pageEmails), P2 -> ticketEmails,
     * P3 -> infoEmails.
     */
    alerting: strict({
      runbookBaseUrl: z.url({
        protocol: /^https$/,
        error: "must be an https:// URL such as https://wiki.example.com/runbooks",
      }),
      pageEmails: z.array(email).min(1, { error: "must list at least one address for P0/P1 pages" }),
      ticketEmails: z.array(email).default([]),
      infoEmails: z.array(email).default([]),
      /** SLO-2: optional PagerDuty-style HTTPS subscription of the page topic (P0/P1); a secret. */
      pagerEndpoint: pagerEndpoint.optional(),
      /**
       * SLO-7, DR-2: a Route 53 health check per service, with its alarms and
       * their topics in us-east-1, the only Region Route 53 publishes
       * health-check metrics to. A stack that must not depend on us-east-1 (a
       * region rebuild out of it) turns this off: uptime is then watched by
       * the load balancer's healthy hosts only (an alarm as soon as none is
       * healthy), which sees the targets but not the public path to them
       * (DNS, certificate, WAF).
       */
      healthChecks: z.boolean({ error: "must be true or false" }).default(true),
    }),
  },
  // `region` is filled from aws:region, not set in the project namespace.
  ["region"],
).superRefine((s, ctx) => {
  checkBackupGaps(s, ctx);
  checkKubernetes(s.kubernetes, s.services, ctx);
  if (s.drRegion === s.region) {
    ctx.addIssue({
      code: "custom",
      path: ["drRegion"],
      message: `must differ from aws:region (${s.region}) (DR-1)`,
    });
  }
  checkServiceNames(s, ctx);
  checkFrontends(s, ctx);
  for (const [name, svc] of Object.entries(s.services)) {
    // ECS-9: a stricter limit is the stack's choice; a looser one fails the pack's
    // wafv2-webacl-limit-request-rate after every resource is declared.
    const ceiling = RATE_LIMIT_CEILINGS[s.app];
    // Only a limit that passed its own range is compared: one line per problem.
    if (svc.rateLimitPerMinute > ceiling && svc.rateLimitPerMinute <= 2_000_000_000)
      ctx.addIssue({
        code: "custom",
        path: ["services", name, "rateLimitPerMinute"],
        message: `must be at most ${ceiling}, the requests per client IP per minute the ${s.app} runbook allows (ECS-9)`,
      });
    svc.dataStores.forEach((store, i) => {
      if (store === "documentdb" && !s.documentdb.enabled)
        ctx.addIssue({
          code: "custom",
          path: ["services", name, "dataStores", i],
          message: `names documentdb, which this stack does not run (documentdb.enabled is false); allowed here: postgres, redis (APP-1)`,
        });
    });
  }
  checkRebuild(s, ctx);
  checkRestoreRegions(s, ctx);
  checkFoundSources(s, ctx);
  checkAccountSettings(s, ctx);
  if (s.env !== "prod") return;
  for (const rule of PROD_RULES) {
    if (rule.onlyIf && valueAt(s, rule.onlyIf) !== true) continue;
    if (rule.exceptInRebuild && isRebuild(s)) continue;
    for (const path of concretePaths(s, rule.path)) {
      if (!rule.ok(valueAt(s, path))) ctx.addIssue({ code: "custom", path, message: rule.message });
    }
  }
});

export type StackSettings = z.output<typeof settingsSchema>;

/**
 * ECS-5, K8S-3: one name, one service. Each service gets its own ACM
 * certificate (and DNS validation record) and its own alias or CNAME record
 * for `domain` (ECS), or an Ingress host (Kubernetes): a second service on
 * the same name would create a second record of the same name and type in the
 * zone, which Route 53 refuses, or take over the first one's host.
 */
function checkServiceNames(s: StackSettings, ctx: z.core.$RefinementCtx): void {
  const owner = new Map<string, string>();
  for (const [name, svc] of Object.entries(s.services)) {
    const first = owner.get(svc.domain);
    if (first === undefined) owner.set(svc.domain, name);
    else
      ctx.addIssue({
        code: "custom",
        path: ["services", name, "domain"],
        message: `is also services.${first}.domain: each service needs a name of its own (its own certificate and DNS record); use another name under ${svc.hostedZone} (ECS-5, K8S-3)`,
      });
  }
}

/** SLO-7: the only Region Route 53 publishes health-check metrics to (observability's HEALTH_CHECK_REGION). */
const ROUTE53_METRICS_REGION = "us-east-1";

/**
 * DR-1: a region rebuild: a stack that brings the platform up from the
 * copies another stack (`primaryPrefix`) keeps in this Region.
 */
export function isRebuild(s: Pick<StackSettings, "storage" | "images">): boolean {
  return s.storage.fromReplicas !== undefined || s.images.fromReplica;
}

/**
 * DR-1, DR-2: what a region rebuild needs of its config: its own names, the
 * primary's replicas by their names, and images it can run without a build.
 */
function checkRebuild(s: StackSettings, ctx: z.core.$RefinementCtx): void {
  if (!isRebuild(s)) return;
  const source = primaryPrefix(s);
  if (s.nameSuffix === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["nameSuffix"],
      message: `is required in a region rebuild (storage.fromReplicas or images.fromReplica set): without it this stack's names (${source}-…) meet the primary stack's in account-global namespaces such as CloudWatch dashboards; set one such as dr (DR-1)`,
    });
  }
  // SLO-7, DR-2: Route 53 publishes health-check metrics in us-east-1 only, so the
  // check's alarms and topics live there (infra/observability.ts HEALTH_CHECK_REGION).
  if (
    s.alerting.healthChecks &&
    s.drRegion === ROUTE53_METRICS_REGION &&
    s.region !== ROUTE53_METRICS_REGION
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["alerting", "healthChecks"],
      message: `must be false in a region rebuild standing in for ${ROUTE53_METRICS_REGION} (drRegion): Route 53 health-check alarms and their topics can only live there, so the rebuild would depend on the failed Region; uptime is then watched by healthy hosts (SLO-7, DR-2)`,
    });
  }
  // DR-2: a rebuild stands in for drRegion, the Region that failed: copying backups,
  // replicated automated backups, bucket replicas and images there (backup.copyToDrRegion,
  // read by infra/data.ts and infra/services.ts) makes the rebuild depend on it. The prod
  // floor of copyToDrRegion is lifted in a rebuild (PROD_RULES), so nothing else says so.
  if (s.backup.copyToDrRegion)
    ctx.addIssue({
      code: "custom",
      path: ["backup", "copyToDrRegion"],
      message: `must be false in a region rebuild (storage.fromReplicas or images.fromReplica set): true copies backups, bucket replicas and images into drRegion ${s.drRegion}, the failed Region this stack stands in for (DR-2)`,
    });
  // DR-3: a restore's time grows with its data; the rebuild's estimate is computed from it.
  const restores: [string, { readonly expectedDataGb?: number } | undefined][] = [
    ["postgres", s.postgres.restore],
    ["documentdb", s.documentdb.enabled ? s.documentdb.restore : undefined],
  ];
  for (const [store, restore] of restores)
    if (restore !== undefined && restore.expectedDataGb === undefined)
      ctx.addIssue({
        code: "custom",
        path: [store, "restore", "expectedDataGb"],
        message:
          "is required in a region rebuild: the data, in GB, the restore brings back; its time grows with it and the rebuild's stated time (docs/dr.md) is computed from it. The Psi manual's capacity table puts the database at 50 GB, 75 GB in three months [P §6.5.1] (DR-3)",
      });
  for (const [role, name] of Object.entries(s.storage.fromReplicas ?? {})) {
    const prefix = `${source}-${role}-replica-`;
    if (name !== undefined && !name.startsWith(prefix))
      ctx.addIssue({
        code: "custom",
        path: ["storage", "fromReplicas", role],
        message: `must name the replica the primary stack ${source} keeps of its ${role} bucket in ${s.region}: a name starting with ${prefix} (BAK-2, DR-1)`,
      });
  }
  if (!s.images.fromReplica) return;
  for (const [name, svc] of Object.entries(s.services)) {
    const replica = `<account>.dkr.ecr.${s.region}.amazonaws.com/${source}/${name}@sha256:<digest>`;
    if ("build" in svc.image) {
      // ECR refuses to push a tag an IMMUTABLE repository already holds, even
      // for the same digest (aws/containers-roadmap#2179, #2380); replication
      // copied the primary's builds there with their tags.
      ctx.addIssue({
        code: "custom",
        path: ["services", name, "image", "build"],
        message: `cannot be used with images.fromReplica: the replicated repository ${source}/${name} is IMMUTABLE and already holds the primary's builds, and ECR refuses to push a tag it holds; set image.uri to the replicated image, such as ${replica} (DR-1)`,
      });
      continue;
    }
    const region = arnRegion(ecrRepositoryArn(svc.image.uri));
    if (region !== undefined && region !== s.region)
      ctx.addIssue({
        code: "custom",
        path: ["services", name, "image", "uri"],
        message: `is in the ECR registry of ${region}; with images.fromReplica the image comes from its replica in ${s.region}, such as ${replica} (DR-1, DR-2)`,
      });
  }
}

/**
 * DR-1, DR-2: restores read their source in the stack's own Region: RDS
 * restores to a point in time from automated backups replicated into it
 * (RDS User Guide, "Restoring to a specified time from a replicated backup"),
 * and RDS and DocumentDB restore only snapshots of their own Region; a
 * snapshot elsewhere is copied here first (RDS User Guide, "Copying a DB
 * snapshot"; DocumentDB Developer Guide, "Copying Amazon DocumentDB cluster
 * snapshots").
 */
function checkRestoreRegions(s: StackSettings, ctx: z.core.$RefinementCtx): void {
  const refs: [readonly (string | number)[], string | undefined, string][] = [
    [
      ["postgres", "restore", "pointInTime", "sourceDbInstanceAutomatedBackupsArn"],
      s.postgres.restore?.pointInTime?.sourceDbInstanceAutomatedBackupsArn,
      "name the automated backups replicated there",
    ],
    [
      ["postgres", "restore", "fromSnapshot"],
      s.postgres.restore?.fromSnapshot,
      "copy the snapshot there first",
    ],
    [
      ["documentdb", "restore", "fromSnapshot"],
      s.documentdb.restore?.fromSnapshot,
      "copy the cluster snapshot there first (or let AWS Backup copy it to the DR vault)",
    ],
  ];
  for (const [path, ref, fix] of refs) {
    const region = arnRegion(ref);
    if (region !== undefined && region !== s.region)
      ctx.addIssue({
        code: "custom",
        path: [...path],
        message: `is in ${region}; a restore reads its source in the stack's own Region (${s.region}): ${fix} (DR-1, DR-2)`,
      });
  }
}

/**
 * DR-1: a restore source the program finds rather than is given (a
 * point in time with no source, `fromSnapshot: latest`) is one of the
 * primary stack's copies in this Region, which only a region rebuild has.
 */
function checkFoundSources(s: StackSettings, ctx: z.core.$RefinementCtx): void {
  if (isRebuild(s)) return;
  const pit = s.postgres.restore?.pointInTime;
  if (
    pit !== undefined &&
    pit.sourceDbInstanceIdentifier === undefined &&
    pit.sourceDbInstanceAutomatedBackupsArn === undefined
  )
    ctx.addIssue({
      code: "custom",
      path: ["postgres", "restore", "pointInTime"],
      message:
        "must name a source, sourceDbInstanceIdentifier or sourceDbInstanceAutomatedBackupsArn: only a region rebuild (storage.fromReplicas or images.fromReplica set) finds one itself, the automated backups its primary replicated into this Region (DR-1)",
    });
  const latest: [readonly string[], string | undefined][] = [
    [["postgres", "restore", "fromSnapshot"], s.postgres.restore?.fromSnapshot],
    [["documentdb", "restore", "fromSnapshot"], s.documentdb.restore?.fromSnapshot],
  ];
  for (const [path, ref] of latest)
    if (ref === LATEST_COPY)
      ctx.addIssue({
        code: "custom",
        path: [...path],
        message: `${LATEST_COPY} is the newest copy AWS Backup made of the primary stack's recovery points in this Region, which only a region rebuild (storage.fromReplicas or images.fromReplica set) has; name a snapshot identifier or ARN (DR-1)`,
      });
}

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

/**
 * APP-1: a record of services cannot carry defaults in ENV_DEFAULTS (its keys
 * are the stack's), so each entry is merged over the service defaults before
 * validation, like every other default: a default never bypasses a rule, and
 * errors name the entry's own key (`runbook-platform:services.api.cpu`).
 * Anything that is not a mapping is left to the schema to reject.
 */
function withServiceDefaults(input: unknown, defaults: unknown, key = "services"): unknown {
  if (!isPlainObject(input) || !isPlainObject(input[key])) return input;
  const entries = Object.fromEntries(
    Object.entries(input[key]).map(([name, entry]) => [
      name,
      isPlainObject(entry) ? deepMerge(defaults, entry) : entry,
    ]),
  );
  return { ...input, [key]: entries };
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

/** `path` with each `*` replaced by every key of the record at that point. */
function concretePaths(root: unknown, path: readonly string[]): string[][] {
  const star = path.indexOf("*");
  if (star < 0) return [[...path]];
  const record = valueAt(root, path.slice(0, star));
  const keys = isPlainObject(record) ? Object.keys(record) : [];
  return keys.flatMap((k) => concretePaths(root, [...path.slice(0, star), k, ...path.slice(star + 1)]));
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
  // A missing choice (env, app) names its choices, where zod's own "Invalid option" would say it is wrong.
  const zodChoice = issue.code === "invalid_value" && issue.message.startsWith("Invalid option");
  if (value === undefined && (issue.code === "invalid_type" || zodChoice)) {
    const choices =
      issue.code === "invalid_value" ? `: ${orList(issue.values.map((v) => JSON.stringify(v)))}` : "";
    return [`${keyName(issue.path)}: is required${choices}; set it in Pulumi.<stack>.yaml`];
  }
  // APP-4: a value that may be a secret is never echoed.
  const redacted = issue.code === "custom" && issue.params?.redact === true;
  const got =
    redacted || value === undefined || typeof value === "object" ? "" : ` (got ${JSON.stringify(value)})`;
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
 * SLO-2, K8S-1: the keys whose values are secrets, which the program hands on
 * only as Pulumi secrets (infra/observability.ts, infra/kubernetes.ts). A
 * stack file must hold them as `secure:` values, encrypted by the stack's
 * secrets provider: written in clear they sit in the repository and in every
 * clone of it. The engine marks a key secret as a whole (PULUMI_CONFIG_SECRET_KEYS,
 * the fully qualified top-level key, e.g. runbook-platform:alerting, whenever
 * any value under it is `secure:`), so that is what is checked.
 */
export const SECRET_SETTINGS: readonly {
  readonly path: readonly string[];
  /** Why the value is a secret. */
  readonly holds: string;
  readonly requirement: string;
}[] = [
  {
    path: ["alerting", "pagerEndpoint"],
    holds: "its URL carries the pager's integration key",
    requirement: "SLO-2",
  },
  {
    path: ["kubernetes", "existingCluster", "kubeconfig"],
    holds: "a kubeconfig can carry a token or a client key",
    requirement: "K8S-1",
  },
  {
    // A `*` stands for every key there: each front end, each of its secrets.
    path: ["frontends", "*", "secrets", "*"],
    holds: "a front end's secrets are its Vercel sensitive variables",
    requirement: "FE-2",
  },
];

/** Secret values a stack file holds in clear: one line each, the value never shown. */
function plainSecrets(own: Record<string, unknown>, secretKeys: readonly string[]): string[] {
  return SECRET_SETTINGS.flatMap(({ path: pattern, holds, requirement }) =>
    concretePaths(own, pattern)
      .filter((path) => valueAt(own, path) !== undefined && !secretKeys.includes(`${PROJECT}:${path[0]}`))
      .map(
        (path) =>
          `${keyName(path)}: is a secret (${holds}) and the stack file holds it in clear; set it with pulumi config set --secret --path ${path.join(".")} <value>, which stores it encrypted (${requirement})`,
      ),
  );
}

type Env = StackSettings["env"];
type App = StackSettings["app"];

/**
 * The stack's values over the defaults of `env` and `app`, each service
 * entry over the service defaults, each front end over the front-end
 * defaults (FE-1).
 */
function withDefaults(own: Record<string, unknown>, region: string | undefined, env: Env, app: App): unknown {
  return withServiceDefaults(
    withServiceDefaults(
      deepMerge(deepMerge(ENV_DEFAULTS[env], APP_DEFAULTS[app]), { ...own, region }),
      deepMerge(SERVICE_DEFAULTS[env], APP_SERVICE_DEFAULTS[app]),
    ),
    deepMerge(FRONTEND_DEFAULTS[env], APP_FRONTEND_DEFAULTS[app]),
    "frontends",
  );
}

/**
 * The problems a stack without a valid env or app has whatever they turn out
 * to be: those every environment and app it could be would report (an empty
 * stack file: aws:region, drRegion and alerting besides env and app), so one
 * run names every key to set.
 */
function problemsWithoutEnvOrApp(
  own: Record<string, unknown>,
  region: string | undefined,
  env: Env | undefined,
  app: App | undefined,
): string[] {
  const envs = env !== undefined ? [env] : settingsSchema.shape.env.options;
  const apps = app !== undefined ? [app] : settingsSchema.shape.app.options;
  const runs = envs.flatMap((e) =>
    apps.map((a) => {
      const input = withDefaults(own, region, e, a);
      const result = settingsSchema.safeParse(input);
      return result.success ? [] : result.error.issues.flatMap((i) => describe(i, input));
    }),
  );
  const aboutEnvOrApp = (line: string) =>
    [`${PROJECT}:env:`, `${PROJECT}:app:`].some((k) => line.startsWith(k));
  return runs[0].filter((line) => !aboutEnvOrApp(line) && runs.every((r) => r.includes(line)));
}

/**
 * Validates a stack's raw config. Pure: the same input always gives the same
 * settings or the same ConfigError. `secretKeys` are the keys the engine
 * marks secret (a `secure:` value in the stack file): a secret in any other
 * key is rejected (SECRET_SETTINGS).
 */
export function parseStackConfig(
  raw: RawConfig,
  project: string,
  stack: string,
  secretKeys: readonly string[] = [],
): PlatformConfig {
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
  problems.push(...plainSecrets(own, secretKeys));
  // Every default hangs on env and app: without them, only what any env and app would
  // report besides is judged.
  const env = settingsSchema.shape.env.safeParse(own.env);
  const app = settingsSchema.shape.app.safeParse(own.app);
  if (!env.success || !app.success)
    throw new ConfigError([
      ...problems,
      ...(env.error?.issues ?? []).flatMap((i) => describe({ ...i, path: ["env"] }, own)),
      ...(app.error?.issues ?? []).flatMap((i) => describe({ ...i, path: ["app"] }, own)),
      ...problemsWithoutEnvOrApp(own, raw["aws:region"], env.data, app.data),
    ]);
  // Defaults by environment, then by app, then the stack file; each service entry
  // gets the service defaults (by environment, then by app) under it.
  const input = withDefaults(own, raw["aws:region"], env.data, app.data);
  const result = settingsSchema.safeParse(input);
  if (!result.success) problems.push(...result.error.issues.flatMap((i) => describe(i, input)));
  // FE-1: the Vercel provider's own keys, which only the stack file's raw map holds.
  const frontends = isPlainObject(own.frontends) ? Object.keys(own.frontends).length : 0;
  problems.push(...vercelProblems(raw, secretKeys, frontends));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return { ...result.data, project, stack };
}

/**
 * The program's entry to config: the engine's config map, validated. The SDK
 * is loaded here, not at the top, so the rest of this module stays SDK-free.
 */
export async function loadConfig(): Promise<PlatformConfig> {
  const pulumi = await import("@pulumi/pulumi");
  // The SDK's own reading of PULUMI_CONFIG_SECRET_KEYS (what the language host, and
  // setAllConfig under the mock engine, set): exported by runtime/config.js but
  // marked @internal, so it is not in the typings.
  const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };
  const isSecret = runtime.isConfigSecret;
  if (typeof isSecret !== "function")
    throw new Error(
      "@pulumi/pulumi no longer exports runtime.isConfigSecret: config cannot tell secret keys",
    );
  const raw = runtime.allConfig();
  const secretKeys = Object.keys(raw).filter((key) => isSecret(key));
  return parseStackConfig(raw, pulumi.getProject(), pulumi.getStack(), secretKeys);
}
