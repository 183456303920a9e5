/**
 * SLO-1..4, SLO-7: the config schema of the SLO tables (one per service),
 * the stack's platform alarm thresholds and the severity routing, used by
 * infra/config.ts. Pure and SDK-free, like the rest of config.
 *
 * Every alarm the stack creates is one row: a `threshold` and its route
 * (`severity`, `runbookSection`, `firstAction`, `evaluationMinutes`). A
 * service's `slo` rows are keyed by the pack's `SloObjectives` names
 * (policies/lib/slo.ts), so the figure is written once, in the row, and
 * `sloTables()` reads the pack's table out of the rows.
 */
import { z } from "zod";
import {
  OBJECTIVES,
  PROBE_KEY,
  WINDOWS_KEY,
  type ObjectiveKey,
  type SloObjectives,
  type SloTables,
  type SloWindows,
} from "../policies/lib/slo";
import {
  SEVERITIES,
  SLO3_SEVERITIES,
  type Severity,
  TOPIC_OF,
  type TopicRole,
} from "../components/observability/alarmPolicy";
import { intRange, strict } from "./validators";

/**
 * SLO-2, SLO-4: the severities, most severe first [P §4.4.1; H §Alert
 * Routing's P1-P4 map to P1-P3], and which topic each notifies on ALARM and
 * on OK [H §Alert Routing, P §4.4.1]: `page` (alerting.pagerEndpoint and
 * pageEmails), `ticket` (ticketEmails), `info` (infoEmails). One table, the
 * alarm components' (components/observability/alarmPolicy.ts, pure).
 */
export { SEVERITIES, TOPIC_OF as SEVERITY_TOPICS };
export type { Severity, TopicRole as AlertTopic };

const severity = z.enum(SEVERITIES, { error: "must be a severity: P0, P1, P2 or P3 (SLO-2, SLO-4)" });

/** SLO-4: how an alarm is routed and what its description says. */
const routeShape = {
  /** SLO-2: picks the topic (SEVERITY_TOPICS). */
  severity,
  /** SLO-4: the runbook section the on-call follows, such as "§5.1.2" or "§Incident: Slow API Response Times". */
  runbookSection: z
    .string({ error: 'must be a runbook section such as "§4.4.3", one line of 1-80 characters (SLO-4)' })
    .regex(/^\S(?:[^\n\r]{0,78}\S)?$/, {
      error: 'must be a runbook section such as "§4.4.3", one line of 1-80 characters (SLO-4)',
    }),
  /** SLO-4: the first thing to do, in the alarm description. */
  firstAction: z
    .string({ error: "must be the first action, one line of 1-200 characters (SLO-4)" })
    .regex(/^\S(?:[^\n\r]{0,198}\S)?$/, {
      error: "must be the first action, one line of 1-200 characters (SLO-4)",
    }),
  /** SLO-3: how long the threshold must be breached before the alarm fires (period x evaluation periods). */
  evaluationMinutes: intRange(1, 1440, "a number of minutes"),
};

/** One alarm: its threshold and its route. */
function row<T extends z.ZodType<number>>(threshold: T) {
  return strict({ threshold, ...routeShape });
}

const PCT_RULE = "must be a percentage greater than 0 and at most 100";
const pct = z.number({ error: PCT_RULE }).gt(0, { error: PCT_RULE }).max(100, { error: PCT_RULE });
const UPTIME_RULE = "must be a percentage greater than 0 and below 100 (100 % leaves no error budget)";
const uptime = z.number({ error: UPTIME_RULE }).gt(0, { error: UPTIME_RULE }).lt(100, { error: UPTIME_RULE });
const ms = intRange(1, 600_000, "a number of milliseconds");
const mib = intRange(1, 122_880, "a memory size in MiB");

/**
 * SLO-1: a service's SLO table, one row per objective, keyed like the pack's
 * `SloObjectives`. A row sets its `threshold` (in the key's unit) and its
 * route; an objective without a row has no alarm. A warning lies below its
 * critical threshold, and the critical one is at least as severe.
 */
const sloShape = {
  latencyP95Ms: row(ms).optional(),
  latencyP95CriticalMs: row(ms).optional(),
  latencyP99Ms: row(ms).optional(),
  latencyP99CriticalMs: row(ms).optional(),
  errorRatePct: row(pct).optional(),
  errorRateCriticalPct: row(pct).optional(),
  dbLatencyP95Ms: row(ms).optional(),
  dbLatencyP95CriticalMs: row(ms).optional(),
  memoryMb: row(mib).optional(),
  memoryCriticalMb: row(mib).optional(),
  cpuPct: row(pct).optional(),
  cpuCriticalPct: row(pct).optional(),
  uptimePct: row(uptime).optional(),
  aiLatencyP95Ms: row(ms).optional(),
  inferenceP95Ms: row(ms).optional(),
  inferenceP95CriticalMs: row(ms).optional(),
  /** FE-5: a front end's objective (frontendSloSchema); an API serves no page to load. */
  pageLoadMs: z
    .never({
      error:
        "is a front end's objective (frontends.<name>.slo.pageLoadMs): an API service serves no page to load (FE-5)",
    })
    .optional(),
} satisfies Record<keyof SloObjectives, z.ZodType>;

/** SLO-1: the warning/critical pairs of `SloObjectives`. */
export const SLO_PAIRS: readonly (readonly [keyof SloObjectives, keyof SloObjectives])[] = [
  ["latencyP95Ms", "latencyP95CriticalMs"],
  ["latencyP99Ms", "latencyP99CriticalMs"],
  ["errorRatePct", "errorRateCriticalPct"],
  ["dbLatencyP95Ms", "dbLatencyP95CriticalMs"],
  ["memoryMb", "memoryCriticalMb"],
  ["cpuPct", "cpuCriticalPct"],
  ["inferenceP95Ms", "inferenceP95CriticalMs"],
];

interface RowInput {
  readonly threshold?: unknown;
  readonly severity?: unknown;
}

/**
 * A warning row and its critical row: the critical threshold lies beyond the
 * warning (above it, or below it for `breach: "below"`), and its severity is
 * at least as high. Values malformed on their own are reported by their own
 * validators and skipped here.
 */
function checkPair(
  rows: Readonly<Record<string, RowInput | undefined>>,
  warning: string,
  critical: string,
  breach: "above" | "below",
  ctx: z.core.$RefinementCtx,
): void {
  const w = rows[warning];
  const c = rows[critical];
  if (w === undefined || c === undefined) return;
  if (typeof w.threshold === "number" && typeof c.threshold === "number") {
    const ok = breach === "above" ? c.threshold > w.threshold : c.threshold < w.threshold;
    if (!ok)
      ctx.addIssue({
        code: "custom",
        path: [critical, "threshold"],
        message: `must be ${breach === "above" ? "greater" : "less"} than ${warning}.threshold (${w.threshold}): a critical threshold lies beyond its warning (SLO-1, SLO-3)`,
      });
  }
  const ws = SEVERITIES.indexOf(w.severity as Severity);
  const cs = SEVERITIES.indexOf(c.severity as Severity);
  if (ws >= 0 && cs > ws)
    ctx.addIssue({
      code: "custom",
      path: [critical, "severity"],
      message: `must be at least as severe as ${warning}.severity (${SEVERITIES[ws]}) (SLO-4)`,
    });
}

/**
 * SLO-3: the rows whose severity the requirement fixes (SLO3_SEVERITIES) carry
 * exactly that one: a stack or app default that made the 1 % error line a
 * ticket would route it past the pager on one path while the other pages.
 */
function checkFixedSeverities(
  rows: Readonly<Record<string, RowInput | undefined>>,
  fixed: Readonly<Record<string, Severity>>,
  ctx: z.core.$RefinementCtx,
): void {
  for (const [key, severity] of Object.entries(fixed)) {
    const given = rows[key]?.severity;
    if (given === undefined || given === severity || !SEVERITIES.includes(given as Severity)) continue;
    ctx.addIssue({
      code: "custom",
      path: [key, "severity"],
      message: `must be ${severity}: SLO-3 fixes this line's severity for every service (${severity} reaches the ${TOPIC_OF[severity]} topic) (SLO-2, SLO-3)`,
    });
  }
}

// FE-5: pageLoadMs is refused on a service with its own message, not offered among the keys.
export const sloSchema = strict(sloShape, ["pageLoadMs"]).superRefine((slo, ctx) => {
  if (Object.values(slo).every((r) => r === undefined))
    ctx.addIssue({
      code: "custom",
      message: `must set at least one objective: ${Object.keys(OBJECTIVES)
        .filter((k) => k !== "pageLoadMs")
        .join(", ")} (SLO-1)`,
    });
  for (const [w, c] of SLO_PAIRS) checkPair(slo, w, c, "above", ctx);
  checkFixedSeverities(slo, SLO3_SEVERITIES.slo, ctx);
});

/**
 * FE-5: a front end's SLO table [H §SLOs]: availability (uptimePct, the
 * runbook's 99.9 % uptime, from its Route 53 health check) and, optionally,
 * page load (pageLoadMs, the runbook's "< 2s, weekly average", from the
 * check's time to first byte). The rows are keyed like a service's, so
 * `sloTables()` publishes them the same way and the pack holds their alarms
 * to them.
 */
export const frontendSloSchema = strict({
  uptimePct: row(uptime),
  pageLoadMs: row(ms).optional(),
});

/**
 * FE-5, SLO-4: how a front end's "down" alarm (its health check failing
 * `alarms.service.down.failureThreshold` times) is routed: a Vercel
 * deployment is rolled back in Vercel, not by restarting tasks.
 */
export const frontendDownSchema = strict(routeShape);

/** One alarm row as config holds it: the threshold and its route (SLO-3, SLO-4). */
export interface AlarmRow {
  readonly threshold: number;
  readonly severity: Severity;
  readonly runbookSection: string;
  readonly firstAction: string;
  readonly evaluationMinutes: number;
}

/** SLO-1: a service's SLO table as config holds it: one row per objective it sets. */
export type SloSettings = { readonly [K in keyof SloObjectives]?: AlarmRow };

const seconds = intRange(1, 86400, "a number of seconds");
const days = intRange(1, 365, "a number of days");

/**
 * SLO-3, SLO-7: the thresholds the runbooks fix once per stack, for every
 * service and data store. Units are in the names (Pct, Ms, Seconds, Days).
 */
export const alarmsSchema = strict({
  /** SLO-3: every API service. */
  service: strict({
    /** SLO-3: 5xx rate > 5 % for 5 min, P0 [P §4.4.2, H §Alert Thresholds "High Error Rate"]. */
    errorRatePagePct: row(pct),
    /** SLO-3: task memory utilization > 90 % [P §4.2.2, H §Alert Thresholds]. */
    memoryPct: row(pct),
    /** SLO-3: task memory utilization > 95 %, P1 [P §4.4.3, H §Health Check Thresholds]. */
    memoryCriticalPct: row(pct),
    /**
     * SLO-3, SLO-7: service down: the Route 53 health check on
     * `https://<domain><liveness>` every `requestIntervalSeconds` (10 or 30)
     * failing `failureThreshold` times in a row, or no healthy target.
     */
    down: strict({
      requestIntervalSeconds: z.union([z.literal(10), z.literal(30)], {
        error: "must be 10 or 30: the request intervals Route 53 health checks take (SLO-7)",
      }),
      failureThreshold: intRange(1, 10, "a number of consecutive failed checks"),
      ...routeShape,
    }),
  }).superRefine((s, ctx) => {
    checkPair(s, "memoryPct", "memoryCriticalPct", "above", ctx);
    checkFixedSeverities(s, SLO3_SEVERITIES.service, ctx);
  }),
  /** SLO-3: the RDS PostgreSQL instance (and its replicas). */
  postgres: strict({
    cpuPct: row(pct),
    /** FreeStorageSpace as a share of allocated storage. */
    freeStoragePct: row(pct),
    freeStorageCriticalPct: row(pct),
    /** DatabaseConnections as a share of max_connections [P §4.2.3]. */
    connectionsPct: row(pct),
    readLatencyMs: row(ms),
    writeLatencyMs: row(ms),
    replicaLagSeconds: row(seconds),
  }).superRefine((s, ctx) => checkPair(s, "freeStoragePct", "freeStorageCriticalPct", "below", ctx)),
  /** SLO-3: the DocumentDB cluster, when the stack runs one. */
  documentdb: strict({
    cpuPct: row(pct),
    connectionsPct: row(pct),
    replicaLagSeconds: row(seconds),
  }),
  /** SLO-3: the ElastiCache replication group. */
  redis: strict({
    memoryPct: row(pct),
    /** Evictions above this count alarm: 0 means "any" [P §4.2.3]. */
    evictions: row(intRange(0, 1_000_000_000, "a number of evicted keys")),
    cpuPct: row(pct),
  }),
  /**
   * BAK-1, BAK-2, BAK-3 (issue 17): the backups are seen to fail. `jobFailures`:
   * AWS Backup backup, copy and restore jobs ending FAILED, ABORTED or EXPIRED
   * (EventBridge, any job: threshold 0); `noSuccessHours`: no backup job
   * completed in the vault for this many hours (hourly datapoints, so
   * `evaluationMinutes` is 60); `replicationFailures`: S3 replication
   * operations failed to the DR replica (threshold 0: any).
   */
  backup: strict({
    jobFailures: row(intRange(0, 0, "a number of failed jobs")),
    noSuccessHours: row(intRange(1, 168, "a number of hours")),
    replicationFailures: row(intRange(0, 1_000_000, "a number of failed operations")),
  }),
  /** SLO-3: ACM certificates' DaysToExpiry [P §6.4.2, §4.4.3]. */
  certificate: strict({
    expiryWarningDays: row(days),
    expiryDays: row(days),
  }).superRefine((s, ctx) => {
    checkPair(s, "expiryWarningDays", "expiryDays", "below", ctx);
    checkFixedSeverities(s, SLO3_SEVERITIES.certificate, ctx);
  }),
});

export type AlarmSettings = z.output<typeof alarmsSchema>;

/**
 * SLO-2: the PagerDuty-style HTTPS endpoint the page topic (P0/P1)
 * subscribes. It carries an integration key, so it is never echoed in a
 * problem line; set it with `pulumi config set --secret`.
 */
const PAGER_RULE =
  "must be an https:// URL such as https://events.pagerduty.com/integration/<key>/enqueue (SLO-2)";
export const pagerEndpoint = z.string({ error: PAGER_RULE }).superRefine((text, ctx) => {
  let ok = false;
  try {
    const url = new URL(text);
    ok = url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
  } catch {
    ok = false;
  }
  if (!ok) ctx.addIssue({ code: "custom", message: PAGER_RULE, params: { redact: true } });
});

/**
 * SLO-1, SLO-3: the `sloTables` stack output the pack reads
 * (policies/lib/slo.ts): service name -> the thresholds of its SLO rows, and
 * under `windowMinutes` each row's `evaluationMinutes` (the most an alarm
 * may look over before it decides).
 */
export function sloTables(cfg: {
  readonly services: Readonly<Record<string, { readonly slo: SloSettings }>>;
  /**
   * FE-5: the stack's front ends; those deployed to production publish
   * their rows and the URL their uptime check requests (`probeUrl`: the
   * first custom domain and the health path). A preview-only one is not
   * watched and publishes nothing.
   */
  readonly frontends?: Readonly<
    Record<
      string,
      {
        readonly deployments: string;
        readonly slo: SloSettings;
        readonly domains: readonly { readonly name: string }[];
        readonly healthPath: string;
      }
    >
  >;
}): SloTables {
  const table = (slo: SloSettings): SloObjectives & SloWindows => {
    const rows = Object.entries(slo).filter((e): e is [ObjectiveKey, AlarmRow] => e[1] !== undefined);
    return {
      ...Object.fromEntries(rows.map(([k, r]) => [k, r.threshold])),
      [WINDOWS_KEY]: Object.fromEntries(rows.map(([k, r]) => [k, r.evaluationMinutes])),
    };
  };
  return Object.fromEntries([
    ...Object.entries(cfg.services).map(([name, svc]) => [name, table(svc.slo)]),
    ...Object.entries(cfg.frontends ?? {})
      .filter(([, fe]) => fe.deployments === "production" && fe.domains.length > 0)
      .map(([name, fe]) => [
        name,
        { ...table(fe.slo), [PROBE_KEY]: `https://${fe.domains[0].name}${fe.healthPath}` },
      ]),
  ]);
}
