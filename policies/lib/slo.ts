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
}

/** The `sloTables` stack output: service name -> objectives. */
export type SloTables = Readonly<Record<string, SloObjectives>>;

export const STACK = "pulumi:pulumi:Stack";
export const SLO_OUTPUT = "sloTables";
export const SERVICE_TAG = "slo:service";
export const OBJECTIVE_TAG = "slo:objective";

export type SloUnit = "ms" | "%" | "MiB";

/** Per objective: its unit, and whether it is breached above the figure (latency) or below it (uptime). */
export const OBJECTIVES: Readonly<Record<keyof SloObjectives, { unit: SloUnit; breach: "above" | "below" }>> =
  {
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
  };

export function isObjective(key: string): key is keyof SloObjectives {
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
