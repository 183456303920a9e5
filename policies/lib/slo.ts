/**
 * The SLO table (SLO-1) as the program publishes it to the pack: a stack
 * output `sloTables` on the root `pulumi:pulumi:Stack` resource, one entry
 * per service. Alarms say which objective they guard with the tags
 * `slo:service` and `slo:objective` (SLO-3).
 */

/**
 * One service's objectives. Each key is one alarm the stack must have. The
 * key's suffix is its unit (Ms: milliseconds, Pct: percent, Mb: mebibytes);
 * `…Critical…` keys are the runbooks' critical thresholds. Psi's [P §1.4]:
 * `{ latencyP95Ms: 500, latencyP95CriticalMs: 2000, latencyP99Ms: 1000,
 * latencyP99CriticalMs: 5000, errorRatePct: 0.1, errorRateCriticalPct: 1,
 * dbLatencyP95Ms: 100, dbLatencyP95CriticalMs: 500, memoryMb: 2048,
 * memoryCriticalMb: 3072, cpuPct: 70, cpuCriticalPct: 90, uptimePct: 99.9 }`.
 */
export interface SloObjectives {
  readonly latencyP95Ms?: number;
  readonly latencyP95CriticalMs?: number;
  readonly latencyP99Ms?: number;
  readonly latencyP99CriticalMs?: number;
  readonly errorRatePct?: number;
  readonly errorRateCriticalPct?: number;
  readonly dbLatencyP95Ms?: number;
  readonly dbLatencyP95CriticalMs?: number;
  readonly memoryMb?: number;
  readonly memoryCriticalMb?: number;
  readonly cpuPct?: number;
  readonly cpuCriticalPct?: number;
  readonly uptimePct?: number;
  /**
   * The AI endpoints' response time at p95, in ms [H §SLOs: "AI Response
   * Time <1s (P95)"], from the app's `ai_request_duration_seconds` [H §Key
   * Metrics to Monitor, AI Backend].
   */
  readonly aiLatencyP95Ms?: number;
  /**
   * The YOLO food-detection inference time at p95, in ms [P §1.4: "YOLO
   * Inference Time < 2s", critical "> 5s"; §4.2.1: a histogram, alert > 5s].
   */
  readonly inferenceP95Ms?: number;
  readonly inferenceP95CriticalMs?: number;
  /**
   * FE-5: a front end's page load, in ms [H §SLOs: "Page Load Time < 2s,
   * weekly average"], watched through the time to first byte of its Route 53
   * health check: a first byte later than the figure is a page later than it.
   */
  readonly pageLoadMs?: number;
}

/** An objective key of a table. */
export type ObjectiveKey = keyof SloObjectives;

/**
 * Optional next to a service's objectives in `sloTables`: the runbook's "for
 * N minutes" per objective (e.g. `{ latencyP95Ms: 10 }` for "p95 > SLO for
 * 10 min"; config's `evaluationMinutes`). An alarm's evaluation window
 * (period x evaluationPeriods) must not be longer. Where the table is silent,
 * the coverage rule's config gives the runbook's figures (SLO-3).
 */
export interface SloWindows {
  readonly windowMinutes?: Readonly<Partial<Record<ObjectiveKey, number>>>;
}
/** The table key that carries windows rather than an objective. */
export const WINDOWS_KEY = "windowMinutes";

/**
 * FE-5, SLO-7: optional next to a front end's objectives: the URL its uptime
 * check requests (`https://<domain><path>`), when that is not an API
 * service's `https://<api>/health`. The health-check rule holds a check of
 * that name to that path; a check of any other name to `/health`.
 */
export interface SloProbe {
  readonly probeUrl?: string;
}
/** The table key that carries the probe URL rather than an objective. */
export const PROBE_KEY = "probeUrl";

/** The `sloTables` stack output: service (or front end) name -> objectives. */
export type SloTables = Readonly<Record<string, SloObjectives & SloWindows & SloProbe>>;

export const STACK = "pulumi:pulumi:Stack";
export const SLO_OUTPUT = "sloTables";
export const SERVICE_TAG = "slo:service";
export const OBJECTIVE_TAG = "slo:objective";

export type SloUnit = "ms" | "%" | "MiB";

/** Per objective: its unit, and whether it is breached above the figure (latency) or below it (uptime). */
export const OBJECTIVES: Readonly<Record<ObjectiveKey, { unit: SloUnit; breach: "above" | "below" }>> = {
  latencyP95Ms: { unit: "ms", breach: "above" },
  latencyP95CriticalMs: { unit: "ms", breach: "above" },
  latencyP99Ms: { unit: "ms", breach: "above" },
  latencyP99CriticalMs: { unit: "ms", breach: "above" },
  errorRatePct: { unit: "%", breach: "above" },
  errorRateCriticalPct: { unit: "%", breach: "above" },
  dbLatencyP95Ms: { unit: "ms", breach: "above" },
  dbLatencyP95CriticalMs: { unit: "ms", breach: "above" },
  memoryMb: { unit: "MiB", breach: "above" },
  memoryCriticalMb: { unit: "MiB", breach: "above" },
  cpuPct: { unit: "%", breach: "above" },
  cpuCriticalPct: { unit: "%", breach: "above" },
  uptimePct: { unit: "%", breach: "below" },
  aiLatencyP95Ms: { unit: "ms", breach: "above" },
  inferenceP95Ms: { unit: "ms", breach: "above" },
  inferenceP95CriticalMs: { unit: "ms", breach: "above" },
  pageLoadMs: { unit: "ms", breach: "above" },
};

export function isObjective(key: string): key is ObjectiveKey {
  return Object.prototype.hasOwnProperty.call(OBJECTIVES, key);
}

/** CloudWatch units -> factor to the table's unit; an alarm without a unit is taken to be in the table's. */
const FACTORS: Readonly<Record<SloUnit, Readonly<Record<string, number>>>> = {
  ms: { Seconds: 1000, Milliseconds: 1, Microseconds: 0.001 },
  "%": { Percent: 1 },
  MiB: { Bytes: 1 / 1048576, Kilobytes: 1 / 1024, Megabytes: 1, Gigabytes: 1024 },
};

/** An alarm threshold in the table's unit, or undefined when its CloudWatch unit cannot be converted. */
export function inTableUnit(threshold: number, alarmUnit: unknown, unit: SloUnit): number | undefined {
  if (alarmUnit === undefined || alarmUnit === null || alarmUnit === "") return threshold;
  const factor = FACTORS[unit][String(alarmUnit)];
  return factor === undefined ? undefined : Math.round(threshold * factor * 1e6) / 1e6;
}

export const ABOVE = ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold"];
export const BELOW = ["LessThanThreshold", "LessThanOrEqualToThreshold"];

/**
 * CloudWatch metrics whose unit is fixed by AWS: an alarm that sets no `unit`
 * is read in these, never in the table's unit (TargetResponseTime is in
 * SECONDS while the table is in ms; ECS MemoryUtilization is a percentage of
 * the task's memory while the table is in MiB).
 */
export const METRIC_UNITS: Readonly<Record<string, string>> = {
  "AWS/ApplicationELB/TargetResponseTime": "Seconds",
  "AWS/ECS/CPUUtilization": "Percent",
  "AWS/ECS/MemoryUtilization": "Percent",
  "ECS/ContainerInsights/MemoryUtilized": "Megabytes",
  "ECS/ContainerInsights/CpuUtilized": "None",
  "AWS/RDS/ReadLatency": "Seconds",
  "AWS/RDS/WriteLatency": "Seconds",
  "AWS/RDS/CPUUtilization": "Percent",
  "AWS/Route53/HealthCheckPercentageHealthy": "Percent",
  "AWS/Route53/HealthCheckStatus": "None",
  "AWS/Route53/TimeToFirstByte": "Milliseconds",
  "AWS/ApplicationELB/HealthyHostCount": "Count",
};

/**
 * Metrics that say "up or down" rather than a percentage (Route 53
 * HealthCheckStatus 1/0, ALB HealthyHostCount): an uptime alarm on one is no
 * looser than any uptime objective when it fires as soon as the value is 0.
 */
export const DOWN_METRIC_IDS: readonly string[] = [
  "AWS/Route53/HealthCheckStatus",
  "AWS/ApplicationELB/HealthyHostCount",
];

/**
 * SLO-6: the stack output naming the services that run on Kubernetes:
 * service name -> `{ namespace, deploymentName, … }` (the program's
 * `kubernetesServices`). A service listed there is watched by Prometheus,
 * so its objectives need PrometheusRule alerts besides any CloudWatch alarm.
 */
export const KUBERNETES_SERVICES_OUTPUT = "kubernetesServices";
