/**
 * SLO-1, SLO-6: Prometheus alerting rules as the pack reads them: the
 * alerts of PrometheusRule objects (prometheus-operator's
 * monitoring.coreos.com/v1), with the objective they guard (labels
 * `service` and `slo_objective`, the counterpart of the CloudWatch tags
 * `slo:service`/`slo:objective`) and the comparison that ends their
 * expression (`… > 0.5`).
 */
import { Props, asArray, asObject, isNonEmptyString } from "./props";
import type { ObjectiveKey } from "./slo";

export const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
export const SERVICE_LABEL = "service";
export const OBJECTIVE_LABEL = "slo_objective";

export interface PromAlert {
  readonly alert: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly expr: string;
  /** The `for` duration in seconds (0 when unset). */
  readonly forSeconds: number | undefined;
}

/** Every alerting rule (one with `alert`) of a PrometheusRule's props. */
export function promAlerts(props: Props): PromAlert[] {
  return asArray(asObject(props.spec).groups).flatMap((g) =>
    asArray(asObject(g).rules)
      .map(asObject)
      .filter((r) => isNonEmptyString(r.alert))
      .map((r) => ({
        alert: String(r.alert),
        labels: Object.fromEntries(Object.entries(asObject(r.labels)).map(([k, v]) => [k, String(v)])),
        expr: String(r.expr ?? ""),
        forSeconds: r.for === undefined ? 0 : durationSeconds(r.for),
      })),
  );
}

const UNITS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/** A Prometheus duration ("90s", "1h30m") in seconds; undefined when it is none. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^(?:\d+(?:ms|s|m|h|d|w|y))+$/.test(value)) return undefined;
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNITS[unit];
  return total;
}

/**
 * The comparison an expression ends with at its top level (`<expr> > 0.5`,
 * `(<a> and <b> > 0.0144)` counts its last operand's): the operator and
 * the number, or undefined when it ends otherwise.
 */
export function trailingComparison(expr: string): { op: ">" | ">=" | "<" | "<="; value: number } | undefined {
  const m = /(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*\)*\s*$/i.exec(expr.trim());
  if (!m) return undefined;
  return { op: m[1] as ">" | ">=" | "<" | "<=", value: Number(m[2]) };
}

/**
 * What one unit of an expression's result is in the table's unit, per
 * objective: Prometheus measures latency in seconds (the histogram's `le`),
 * error and availability as ratios, memory as MiB and CPU as percent after
 * the rules' own conversion.
 */
export const PROMETHEUS_FACTOR: Readonly<Record<ObjectiveKey, number>> = {
  latencyP95Ms: 1000,
  latencyP95CriticalMs: 1000,
  latencyP99Ms: 1000,
  latencyP99CriticalMs: 1000,
  dbLatencyP95Ms: 1000,
  dbLatencyP95CriticalMs: 1000,
  errorRatePct: 100,
  errorRateCriticalPct: 100,
  memoryMb: 1,
  memoryCriticalMb: 1,
  cpuPct: 1,
  cpuCriticalPct: 1,
  uptimePct: 100,
  aiLatencyP95Ms: 1000,
  inferenceP95Ms: 1000,
  inferenceP95CriticalMs: 1000,
  // FE-5: a front end on Vercel has no Prometheus; seconds like every latency, should one appear.
  pageLoadMs: 1000,
};
