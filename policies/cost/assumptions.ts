/**
 * Usage assumptions behind every usage-driven line of the estimate (issue 20):
 * requests, data stored and growing, log volume, data transfer, LCUs, NAT GB.
 * Defaults come from the runbooks' capacity figures where they have one —
 * [P §…] the Psi operations manual (runbook 001), [H §…] the MyHibachi
 * production runbook (runbook 000) — and say "estimate" where they have none.
 * Every assumption, with its source, is written into cost.json.
 *
 * infra/config.ts can later take overrides under a `cost` key: a
 * `CostOverrides` object (plain numbers by key) merged with
 * `mergeAssumptions(defaults, overrides)`.
 */

/** One assumption: its value, the unit, and where the figure comes from. */
export interface Assumption {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}

/** The keys, in the order cost.json lists them. */
export const ASSUMPTION_KEYS = [
  "horizonMonths",
  "requestsPerDay",
  "requestsPerDayGrowthPerMonth",
  "dataTransferOutGbPerMonth",
  "dataTransferOutGbGrowthPerMonth",
  "loadBalancerCapacityUnitsPerHour",
  "natGbPerGatewayPerMonth",
  "interfaceEndpointGbPerEndpointPerMonth",
  "postgresDataGb",
  "postgresDataGbGrowthPerMonth",
  "backupDailyChangeFraction",
  "documentDbDataGb",
  "documentDbIoMillionsPerMonth",
  "redisDataGb",
  "imagesBucketGb",
  "imagesBucketGbGrowthPerMonth",
  "backupsBucketGb",
  "archiveBucketGb",
  "accessLogsBucketGb",
  "ecrStoredGb",
  "ecrPushedGbPerMonth",
  "appLogsGbPerMonth",
  "wafLogsGbPerMonth",
  "flowLogsGbPerMonth",
  "eksControlPlaneLogsGbPerMonth",
  "postgresLogsGbPerMonth",
  "documentDbLogsGbPerLogGroupPerMonth",
  "redisLogsGbPerLogGroupPerMonth",
  "otherLogsGbPerLogGroupPerMonth",
  "secretsApiCallsPerSecretPerMonth",
  "kmsRequestsPerKeyPerMonth",
  "alertNotificationsPerSubscriptionPerMonth",
] as const;

export type AssumptionKey = (typeof ASSUMPTION_KEYS)[number];

/** Every assumption of an estimate, with value, unit and source. */
export type CostAssumptions = { readonly [K in AssumptionKey]: Assumption };

/**
 * What a stack may override (the future `cost` config key): plain numbers by
 * key, each finite and not negative. Zod-free on purpose; config validates it
 * with `mergeAssumptions`, which names every bad key.
 */
export type CostOverrides = { readonly [K in AssumptionKey]?: number };

/** The assumption sets shipped: one per runbook and environment. */
export type AssumptionProfile = "psi-prod" | "psi-staging" | "psi-dr" | "myhibachi-prod";

/** The profile of each shipped stack. */
export const STACK_PROFILES: Readonly<Record<string, AssumptionProfile>> = {
  prod: "psi-prod",
  staging: "psi-staging",
  "prod-dr": "psi-dr",
  "myhibachi-prod": "myhibachi-prod",
};

const P651 = "[P §6.5.1] Growth Metrics to Track";
const EST = "estimate (no runbook figure)";
const a = (value: number, unit: string, source: string): Assumption => ({ value, unit, source });

const PSI_PROD: CostAssumptions = {
  horizonMonths: a(
    0,
    "months",
    "0 prices the first month; 3 prices the runbook's 3-month projection [P §6.5.1]",
  ),
  requestsPerDay: a(100000, "requests/day", `${P651}: API Requests/Day, current 100,000`),
  requestsPerDayGrowthPerMonth: a(
    16666.67,
    "requests/day per month",
    `${P651}: 100,000 -> 150,000 in 3 months`,
  ),
  dataTransferOutGbPerMonth: a(
    500,
    "GB/month",
    `${P651}: CDN Bandwidth 500 GB/month, taken as what leaves AWS through the ingress load balancer (the stacks have no CDN)`,
  ),
  dataTransferOutGbGrowthPerMonth: a(
    166.67,
    "GB/month per month",
    `${P651}: 500 GB -> 1 TB a month in 3 months`,
  ),
  loadBalancerCapacityUnitsPerHour: a(
    1,
    "LCU (or NLCU)",
    "estimate: 500 GB/month [P §6.5.1] is 0.7 GB an hour of processed bytes and 100,000 requests/day about 1.2 new connections a second, both under one capacity unit; rounded up to 1",
  ),
  natGbPerGatewayPerMonth: a(
    30,
    "GB/month per NAT gateway",
    `${EST}: calls to external APIs (Claude, [P §1.3]); ECR, S3, Secrets Manager and Logs go through VPC endpoints (NET-5)`,
  ),
  interfaceEndpointGbPerEndpointPerMonth: a(
    5,
    "GB/month per endpoint",
    `${EST}: image pulls, log shipping and secret reads`,
  ),
  postgresDataGb: a(50, "GB", `${P651}: Database Size, current 50 GB`),
  postgresDataGbGrowthPerMonth: a(8.33, "GB per month", `${P651}: Database Size 50 GB -> 75 GB in 3 months`),
  backupDailyChangeFraction: a(
    0.02,
    "fraction of the data per day",
    `${EST}: sizes incremental snapshots and backup copies`,
  ),
  documentDbDataGb: a(20, "GB", `${EST}: [P §1.3] names MongoDB without a size`),
  documentDbIoMillionsPerMonth: a(
    50,
    "million I/Os per month",
    `${EST}: standard storage configuration's I/O charge (issue 20: an assumption)`,
  ),
  redisDataGb: a(1, "GB", `${EST}: sessions, rate limits and cache (CACHE-1)`),
  imagesBucketGb: a(100, "GB", `${P651}: Image Storage, current 100 GB`),
  imagesBucketGbGrowthPerMonth: a(
    33.33,
    "GB per month",
    `${P651}: Image Storage 100 GB -> 200 GB in 3 months`,
  ),
  backupsBucketGb: a(
    25,
    "GB",
    `${EST}: compressed dumps of the 50 GB database [P §6.5.1], kept 30 days (BAK-2)`,
  ),
  archiveBucketGb: a(10, "GB", `${EST}: production logs archived 90 days [P §4.3.4]`),
  accessLogsBucketGb: a(1, "GB", `${EST}: load balancer access logs`),
  ecrStoredGb: a(9, "GB", `${EST}: the newest 30 images kept (ECS-1 lifecycle) of about 0.3 GB each`),
  ecrPushedGbPerMonth: a(
    6,
    "GB/month",
    `${EST}: 20 deploys a month of a 0.3 GB image, replicated to the DR Region (DR-1)`,
  ),
  appLogsGbPerMonth: a(
    3,
    "GB/month",
    "estimate from [P §6.5.1] 100,000 requests/day x about 1 KB of structured JSON log [P §4.3.2] per request",
  ),
  wafLogsGbPerMonth: a(3, "GB/month", `${EST}: about 1 KB per request inspected`),
  flowLogsGbPerMonth: a(10, "GB/month", `${EST}: VPC flow logs, all traffic, 60 s aggregation (NET-5)`),
  eksControlPlaneLogsGbPerMonth: a(
    15,
    "GB/month",
    `${EST}: api, audit, authenticator, controllerManager and scheduler logs (K8S-1)`,
  ),
  postgresLogsGbPerMonth: a(2, "GB/month", `${EST}: statements slower than 100 ms and connections (PG-4)`),
  documentDbLogsGbPerLogGroupPerMonth: a(
    1,
    "GB/month per log group",
    `${EST}: audit and profiler logs (DOC-1)`,
  ),
  redisLogsGbPerLogGroupPerMonth: a(0.1, "GB/month per log group", `${EST}: slow and engine logs`),
  otherLogsGbPerLogGroupPerMonth: a(
    0.1,
    "GB/month per log group",
    `${EST}: any other log group (engine upgrade logs, …)`,
  ),
  secretsApiCallsPerSecretPerMonth: a(
    730,
    "calls/month per secret",
    `${EST}: one read an hour (External Secrets' default refresh, task starts)`,
  ),
  kmsRequestsPerKeyPerMonth: a(
    10000,
    "requests/month per key",
    `${EST}: envelope encryption of storage, logs and secrets`,
  ),
  alertNotificationsPerSubscriptionPerMonth: a(
    100,
    "notifications/month per subscription",
    `${EST}: alarm state changes (SLO-2)`,
  ),
};

/** Staging: the runbook gives no staging load; a tenth of prod's traffic and data. */
const scaled = (
  base: CostAssumptions,
  factor: number,
  why: string,
  keys: readonly AssumptionKey[],
): CostAssumptions => {
  const out: Record<string, Assumption> = { ...base };
  for (const key of keys) {
    const b = base[key];
    out[key] = a(Math.round(b.value * factor * 100) / 100, b.unit, `${why}; prod: ${b.source}`);
  }
  return out as CostAssumptions;
};

const PSI_STAGING = scaled(PSI_PROD, 0.1, "staging: a tenth of prod (the runbook gives no staging load)", [
  "requestsPerDay",
  "requestsPerDayGrowthPerMonth",
  "dataTransferOutGbPerMonth",
  "dataTransferOutGbGrowthPerMonth",
  "natGbPerGatewayPerMonth",
  "interfaceEndpointGbPerEndpointPerMonth",
  "postgresDataGb",
  "postgresDataGbGrowthPerMonth",
  "documentDbDataGb",
  "documentDbIoMillionsPerMonth",
  "imagesBucketGb",
  "imagesBucketGbGrowthPerMonth",
  "backupsBucketGb",
  "archiveBucketGb",
  "appLogsGbPerMonth",
  "flowLogsGbPerMonth",
]);

/** The DR stack serves prod's load once it is up (DR-1..3): prod's figures. */
const PSI_DR: CostAssumptions = PSI_PROD;

const H = "[H §Component Details]";
const MYHIBACHI_PROD: CostAssumptions = {
  ...PSI_PROD,
  requestsPerDay: a(
    20000,
    "requests/day",
    `${EST}: the MyHibachi runbook gives no volume, only a 60 req/min per-client limit ${H}`,
  ),
  requestsPerDayGrowthPerMonth: a(0, "requests/day per month", EST),
  dataTransferOutGbPerMonth: a(
    30,
    "GB/month",
    `${EST}: 20,000 requests/day of about 50 KB (the front ends are on Vercel, ${H})`,
  ),
  dataTransferOutGbGrowthPerMonth: a(0, "GB/month per month", EST),
  postgresDataGb: a(10, "GB", `${EST}: ${H} gives PostgreSQL no size`),
  postgresDataGbGrowthPerMonth: a(0, "GB per month", EST),
  documentDbDataGb: a(0, "GB", "MyHibachi has no DocumentDB (APP-1)"),
  documentDbIoMillionsPerMonth: a(0, "million I/Os per month", "MyHibachi has no DocumentDB (APP-1)"),
  redisDataGb: a(0.5, "GB", `${H}: Redis Max Memory 512MB`),
  imagesBucketGb: a(10, "GB", `${EST}: user uploads [H §Backup Strategy]`),
  imagesBucketGbGrowthPerMonth: a(0, "GB per month", EST),
  backupsBucketGb: a(5, "GB", `${EST}: daily database dumps kept 30 days [H §Backup Strategy]`),
  appLogsGbPerMonth: a(1, "GB/month", `${EST}: 20,000 requests/day x about 1 KB`),
  wafLogsGbPerMonth: a(1, "GB/month", `${EST}: 20,000 requests/day x about 1.5 KB`),
  flowLogsGbPerMonth: a(5, "GB/month", EST),
};

export const DEFAULT_ASSUMPTIONS: Readonly<Record<AssumptionProfile, CostAssumptions>> = {
  "psi-prod": PSI_PROD,
  "psi-staging": PSI_STAGING,
  "psi-dr": PSI_DR,
  "myhibachi-prod": MYHIBACHI_PROD,
};

/**
 * The defaults for a stack: its profile in STACK_PROFILES, or `profile` for a
 * stack the table does not name (throws, naming the profiles, without either).
 */
export function defaultAssumptions(stack: string, profile?: AssumptionProfile): CostAssumptions {
  const chosen = profile ?? STACK_PROFILES[stack];
  if (!chosen) {
    throw new Error(
      `cost: no assumption profile for stack ${stack}; pass one of ${Object.keys(DEFAULT_ASSUMPTIONS).join(", ")}`,
    );
  }
  return DEFAULT_ASSUMPTIONS[chosen];
}

/**
 * `defaults` with `overrides` on top; an overridden assumption's source names
 * the config key and the default it replaced. Throws one line per bad key
 * (unknown key, or a value that is not a finite number >= 0).
 */
export function mergeAssumptions(
  defaults: CostAssumptions,
  overrides: Readonly<Record<string, unknown>> = {},
): CostAssumptions {
  const problems: string[] = [];
  const out: Record<string, Assumption> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(ASSUMPTION_KEYS as readonly string[]).includes(key)) {
      problems.push(`  cost.${key}: unknown key; allowed: ${ASSUMPTION_KEYS.join(", ")}`);
    } else if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      problems.push(`  cost.${key}: must be a finite number >= 0 (got ${JSON.stringify(value)})`);
    } else {
      const base = defaults[key as AssumptionKey];
      out[key] = a(value, base.unit, `config cost.${key} (default ${base.value}: ${base.source})`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid cost assumptions (${problems.length} problem(s)):\n${problems.join("\n")}`);
  }
  return out as CostAssumptions;
}

/** An assumption's value at the estimate's horizon: `base + growth × horizonMonths`. */
export function grown(assumptions: CostAssumptions, base: AssumptionKey, growth: AssumptionKey): number {
  return assumptions[base].value + assumptions[growth].value * assumptions.horizonMonths.value;
}
