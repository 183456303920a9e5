import type { PolicyResource } from "@pulumi/policy";
import {
  ECS_SERVICE,
  ECS_TASK_DEFINITION,
  METRIC_ALARM,
  dimensionsOf,
  isPercentageExpression,
  metricId,
  metricQueries,
  returnedQuery,
  thresholdUnit,
  windowSeconds,
} from "../../lib/alarms";
import {
  OBJECTIVE_LABEL,
  PROMETHEUS_FACTOR,
  PROMETHEUS_RULE,
  PromAlert,
  SERVICE_LABEL,
  promAlerts,
  trailingComparison,
} from "../../lib/prometheus";
import { asObject, isNonEmptyString, parseJson, referencedBy } from "../../lib/props";
import {
  ABOVE,
  BELOW,
  DOWN_METRIC_IDS,
  OBJECTIVES,
  OBJECTIVE_TAG,
  ObjectiveKey,
  PROBE_KEY,
  SERVICE_TAG,
  SLO_OUTPUT,
  STACK,
  WINDOWS_KEY,
  inTableUnit,
  isObjective,
} from "../../lib/slo";
import { RuleConfig, StackViolation, num, stackRule } from "../../rule";

const tagsOf = (r: PolicyResource) => ({ ...asObject(r.props.tagsAll), ...asObject(r.props.tags) });

/** Which config threshold gives the runbook's window for an objective the table gives none for. */
const RUNBOOK_WINDOW: Partial<Record<ObjectiveKey, string>> = {
  latencyP95Ms: "latencyWindowMinutes",
  errorRatePct: "errorRateWindowMinutes",
  errorRateCriticalPct: "errorRateWindowMinutes",
  dbLatencyP95Ms: "dbLatencyWindowMinutes",
  dbLatencyP95CriticalMs: "dbLatencyWindowMinutes",
  cpuCriticalPct: "cpuWindowMinutes",
};

/**
 * An alarm on "up or down" metrics only: Route 53 HealthCheckStatus, ALB
 * HealthyHostCount, or metric math over nothing else (healthy hosts summed
 * over a canary's two target groups).
 */
function watchesOnlyDownMetrics(props: Readonly<Record<string, unknown>>): boolean {
  const id = (m: Readonly<Record<string, unknown>>) => `${String(m.namespace)}/${String(m.metricName)}`;
  const queries = metricQueries(props);
  if (queries.length === 0) return DOWN_METRIC_IDS.includes(id(props));
  const metrics = queries.map((q) => asObject(q.metric)).filter((m) => Object.keys(m).length > 0);
  return metrics.length > 0 && metrics.every((m) => DOWN_METRIC_IDS.includes(id(m)));
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The memory (MiB) a Percent memory alarm is a percentage of: the task size of
 * the ECS service its `ServiceName` dimension names, through the service's
 * task definition (by dependency or ARN). Undefined when the stack has none.
 */
function taskMemoryMb(alarm: PolicyResource, resources: readonly PolicyResource[]): number | undefined {
  const name = dimensionsOf(alarm.props).ServiceName;
  if (!isNonEmptyString(name)) return undefined;
  const service = resources.find((r) => r.type === ECS_SERVICE && r.props.name === name);
  if (!service) return undefined;
  const tasks = referencedBy(
    service,
    "taskDefinition",
    resources.filter((r) => r.type === ECS_TASK_DEFINITION),
    (t, given) => isNonEmptyString(given) && (t.props.arn === given || t.props.family === given),
  );
  const memory = Number(tasks[0]?.props.memory);
  return Number.isFinite(memory) && memory > 0 ? memory : undefined;
}

/**
 * Why `alarm` is looser than objective `key` = `value` of `service`, or
 * undefined when it is no looser. What "no looser" means per kind:
 *
 * - latency (ms): a static threshold in the alarm's unit (set, or the one AWS
 *   fixes for the metric: TargetResponseTime and RDS latencies are Seconds),
 *   converted to ms, at or below the table.
 * - error rate (%): metric math (no CloudWatch metric is a rate) whose
 *   returned expression is a percentage (a literal factor 100, e.g.
 *   `100 * errors / requests`), threshold at or below the table.
 * - memory (MiB): a threshold in a memory unit, or in Percent of the task's
 *   memory (ECS MemoryUtilization) converted with the size of the task the
 *   alarm's ServiceName runs, at or below the table.
 * - CPU (%): threshold in Percent at or below the table.
 * - uptime (%): one of
 *   - a percentage alarm breached below it (Route 53 HealthCheckPercentageHealthy)
 *     at or above the table;
 *   - a down alarm (Route 53 HealthCheckStatus, ALB HealthyHostCount) that fires
 *     as soon as the metric is 0 (`< t` with t > 0, or `<= t` with t >= 0): no
 *     uptime objective tolerates an unnoticed outage;
 *   - a burn-rate alarm: metric math breached above, returning a percentage
 *     of bad events, whose threshold burns the error budget (100 - uptime)
 *     at most `maxBurnRate` times too fast (threshold <= maxBurnRate x budget:
 *     14.4 x 0.1 % = 1.44 % for 99.9 %).
 */
function looseness(
  alarm: PolicyResource,
  key: ObjectiveKey,
  value: number,
  slo: string,
  resources: readonly PolicyResource[],
  config: RuleConfig,
): string | undefined {
  const { unit, breach } = OBJECTIVES[key];
  const props = alarm.props;
  const op = String(props.comparisonOperator);
  const threshold = props.threshold;
  const math = metricQueries(props).length > 0;
  const metric = metricId(props);

  if (key === "uptimePct") {
    if (watchesOnlyDownMetrics(props)) {
      if (typeof threshold !== "number") return `has no static threshold to compare with ${slo}`;
      const firesAtZero =
        (op === "LessThanThreshold" && threshold > 0) ||
        (op === "LessThanOrEqualToThreshold" && threshold >= 0);
      return firesAtZero
        ? undefined
        : `compares ${op} ${threshold} on ${metric ?? "healthy hosts"}, so it does not fire when the service is down (0): ${slo} goes unwatched`;
    }
    if (math && ABOVE.includes(op)) {
      if (typeof threshold !== "number") return `has no static threshold to compare with ${slo}`;
      const returned = returnedQuery(props)?.expression;
      if (!isNonEmptyString(returned) || !isPercentageExpression(returned))
        return `is a burn-rate alarm that returns no percentage of bad events (x 100): it cannot be compared with ${slo}`;
      const budget = round(100 - value);
      const max = num(config, "maxBurnRate");
      const rate = round(threshold / budget);
      return rate > max
        ? `burns the ${budget} % error budget of ${slo} at ${rate}x before it fires, faster than ${max}x`
        : undefined;
    }
  }

  if (!(breach === "above" ? ABOVE : BELOW).includes(op))
    return `compares ${op}; ${slo} is breached ${breach} it`;
  if (typeof threshold !== "number") return `has no static threshold to compare with ${slo}`;

  if (key === "errorRatePct" || key === "errorRateCriticalPct") {
    const returned = returnedQuery(props);
    if (!math)
      return `watches one metric (${metric ?? "none"}), not an error rate: ${slo} needs metric math errors / requests x 100`;
    if (!isNonEmptyString(returned?.expression) || !isPercentageExpression(returned.expression))
      return `returns ${isNonEmptyString(returned?.expression) ? `"${returned.expression}"` : "a metric"}, not a percentage (x 100): its threshold cannot be compared with ${slo}`;
  }

  const alarmUnit = thresholdUnit(props);
  let converted: number | undefined;
  if (unit === "MiB" && alarmUnit === "Percent") {
    const memory = taskMemoryMb(alarm, resources);
    if (memory === undefined)
      return `is in Percent, and no ECS service of this stack named by its ServiceName gives the task memory to compare with ${slo}`;
    converted = round((threshold * memory) / 100);
  } else {
    converted = inTableUnit(threshold, alarmUnit, unit);
  }
  if (converted === undefined) return `has unit ${String(alarmUnit)}, which cannot be compared with ${slo}`;
  const looser = breach === "above" ? converted > value : converted < value;
  return looser ? `threshold ${converted} ${unit} is looser than ${slo}` : undefined;
}

/**
 * Why a Prometheus alert (SLO-6) is looser than objective `key` = `value`,
 * or undefined when it is no looser: its expression ends with a comparison
 * in the breach direction whose number, in the table's unit
 * (PROMETHEUS_FACTOR), is no looser; for uptime, a burn-rate alert whose
 * bad-event ratio burns the budget at most `maxBurnRate` times too fast.
 */
function promLooseness(
  alert: PromAlert,
  key: ObjectiveKey,
  value: number,
  slo: string,
  config: RuleConfig,
): string | undefined {
  const cmp = trailingComparison(alert.expr);
  if (cmp === undefined)
    return `does not end with a comparison to a number: it cannot be compared with ${slo}`;
  const above = cmp.op === ">" || cmp.op === ">=";
  if (key === "uptimePct") {
    if (!above) return `compares ${cmp.op}; a burn-rate alert on ${slo} fires above a ratio of bad requests`;
    const budget = round(100 - value);
    const max = num(config, "maxBurnRate");
    const rate = round((cmp.value * PROMETHEUS_FACTOR[key]) / budget);
    return rate > max
      ? `burns the ${budget} % error budget of ${slo} at ${rate}x before it fires, faster than ${max}x`
      : undefined;
  }
  const { unit, breach } = OBJECTIVES[key];
  if (above !== (breach === "above")) return `compares ${cmp.op}; ${slo} is breached ${breach} it`;
  const converted = round(cmp.value * PROMETHEUS_FACTOR[key]);
  const looser = breach === "above" ? converted > value : converted < value;
  return looser ? `threshold ${converted} ${unit} is looser than ${slo}` : undefined;
}

/**
 * SLO-1, SLO-3: every objective of the SLO table has an alarm at least as
 * strict as the table, deciding within the runbook's window. The table is
 * the `sloTables` stack output (the props of the root `pulumi:pulumi:Stack`
 * resource), shaped as `SloTables` in policies/lib/slo.ts:
 * `{ [service]: { latencyP95Ms?: number, …, windowMinutes?: { … }, probeUrl?: string } }`
 * (`probeUrl`, a front end's uptime probe, is the health-check rule's). An
 * alarm guards one objective by its tags `slo:service` and `slo:objective`;
 * every alarm so tagged must be no looser than the table (see `looseness`
 * for what that means per kind: latency, error rate, memory, CPU, uptime).
 * Its evaluation window (period x evaluationPeriods) must not be longer than
 * the table's `windowMinutes` for the objective or, where the table gives
 * none, the runbook's (this rule's config); burn-rate and down alarms on
 * uptime look over long windows by design and are not window-checked. A
 * stack that publishes no table is not checked.
 *
 * SLO-6: for a service on Kubernetes, a Prometheus alert of a PrometheusRule
 * labelled `service` and `slo_objective` guards the objective too: its
 * expression's final comparison must be no looser (promLooseness) and its
 * `for` no longer than the window.
 */
export default stackRule({
  name: "cloudwatch-metricalarm-require-slo-coverage",
  description:
    "Every objective of the stack's SLO table has an alarm tagged with it whose threshold is no looser and whose window is no longer than the table's.",
  requirements: ["SLO-1", "SLO-3", "SLO-7", "POL-1"],
  severity: "high",
  config: {
    latencyWindowMinutes: {
      type: "number",
      minimum: 1,
      default: 10,
      description: "SLO-3: p95 latency above the SLO for 10 minutes pages [P §4.4].",
    },
    errorRateWindowMinutes: {
      type: "number",
      minimum: 1,
      default: 5,
      description: "SLO-3: a 5xx error rate above 5 % for 5 minutes is P0 [P §4.4].",
    },
    dbLatencyWindowMinutes: {
      type: "number",
      minimum: 1,
      default: 5,
      description: "SLO-3: database read/write latency above 100 ms for 5 minutes [P §4.4].",
    },
    cpuWindowMinutes: {
      type: "number",
      minimum: 1,
      default: 15,
      description: "SLO-3: CPU above 90 % for 10-15 minutes [P §4.4, H §Alert Thresholds].",
    },
    maxBurnRate: {
      type: "number",
      minimum: 1,
      default: 14.4,
      description:
        "SLO-1 uptime: the fastest-burn page of multi-window burn-rate alerting (2 % of a 30-day error budget in 1 hour).",
    },
  },
  check: (resources, config) => {
    const stack = resources.find((r) => r.type === STACK);
    if (!stack) return [];
    const raw = parseJson(stack.props[SLO_OUTPUT]);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return [];
    const tables = raw as Record<string, unknown>;
    const alarms = resources.filter((r) => r.type === METRIC_ALARM);
    const promRules = resources
      .filter((r) => r.type === PROMETHEUS_RULE)
      .flatMap((r) => promAlerts(r.props).map((alert) => ({ rule: r, alert })));
    const violations: StackViolation[] = [];
    const atStack = (message: string) => violations.push({ urn: stack.urn, message });

    for (const [service, objectives] of Object.entries(tables)) {
      const windows = asObject(asObject(objectives)[WINDOWS_KEY]);
      for (const [key, minutes] of Object.entries(windows))
        if (!isObjective(key) || typeof minutes !== "number" || !(minutes > 0))
          atStack(
            `SLO table ${service}.${WINDOWS_KEY}.${key} is ${JSON.stringify(minutes)}: give minutes (> 0) for an objective the pack knows`,
          );
      for (const [key, value] of Object.entries(asObject(objectives))) {
        if (key === WINDOWS_KEY || key === PROBE_KEY) continue;
        if (!isObjective(key)) {
          atStack(`SLO table ${service}.${key} is not an objective the pack knows (see policies/lib/slo.ts)`);
          continue;
        }
        if (typeof value !== "number" || !Number.isFinite(value)) {
          atStack(`SLO table ${service}.${key} is ${JSON.stringify(value)}, not a number`);
          continue;
        }
        const { unit } = OBJECTIVES[key];
        const slo = `SLO ${service} ${key} (${value} ${unit})`;
        const guards = alarms.filter((a) => {
          const tags = tagsOf(a);
          return tags[SERVICE_TAG] === service && tags[OBJECTIVE_TAG] === key;
        });
        const promGuards = promRules.filter(
          ({ alert }) => alert.labels[SERVICE_LABEL] === service && alert.labels[OBJECTIVE_LABEL] === key,
        );
        if (guards.length === 0 && promGuards.length === 0) {
          atStack(
            `no alarm guards ${slo}: tag one ${SERVICE_TAG}=${service}, ${OBJECTIVE_TAG}=${key} (or, on Kubernetes, label a Prometheus alert ${SERVICE_LABEL}=${service}, ${OBJECTIVE_LABEL}=${key})`,
          );
          continue;
        }
        const fromTable = windows[key];
        const thresholdKey = RUNBOOK_WINDOW[key];
        const maxMinutes =
          typeof fromTable === "number" && fromTable > 0
            ? fromTable
            : thresholdKey !== undefined
              ? num(config, thresholdKey)
              : undefined;
        for (const a of guards) {
          const report = (message: string) =>
            violations.push({ urn: a.urn, message: `alarm ${a.name} ${message}` });
          const loose = looseness(a, key, value, slo, resources, config);
          if (loose !== undefined) {
            report(loose);
            continue;
          }
          const long = key === "uptimePct" ? undefined : windowSeconds(a.props);
          if (maxMinutes !== undefined && long !== undefined && long > maxMinutes * 60)
            report(
              `looks over ${round(long / 60)} minutes (period x evaluationPeriods); ${slo} must be decided within ${maxMinutes}`,
            );
        }
        for (const { rule, alert } of promGuards) {
          const report = (message: string) =>
            violations.push({
              urn: rule.urn,
              message: `Prometheus alert ${alert.alert} of ${rule.name} ${message}`,
            });
          const loose = promLooseness(alert, key, value, slo, config);
          if (loose !== undefined) {
            report(loose);
            continue;
          }
          const held = key === "uptimePct" ? undefined : alert.forSeconds;
          if (held === undefined && key !== "uptimePct") report(`has a for duration Prometheus cannot read`);
          else if (maxMinutes !== undefined && held !== undefined && held > maxMinutes * 60)
            report(`waits ${round(held / 60)} minutes (for); ${slo} must be decided within ${maxMinutes}`);
        }
      }
    }

    for (const a of alarms) {
      const tags = tagsOf(a);
      const service = tags[SERVICE_TAG];
      const key = tags[OBJECTIVE_TAG];
      if (service === undefined && key === undefined) continue;
      const table = typeof service === "string" ? asObject(tables[service]) : {};
      if (typeof key !== "string" || !isObjective(key) || !Object.prototype.hasOwnProperty.call(table, key)) {
        violations.push({
          urn: a.urn,
          message: `alarm ${a.name} claims SLO ${String(service)} ${String(key)}, which the SLO table does not have`,
        });
      }
    }
    for (const { rule, alert } of promRules) {
      const service = alert.labels[SERVICE_LABEL];
      const key = alert.labels[OBJECTIVE_LABEL];
      if (key === undefined) continue;
      const table = service !== undefined ? asObject(tables[service]) : {};
      if (!isObjective(key) || !Object.prototype.hasOwnProperty.call(table, key))
        violations.push({
          urn: rule.urn,
          message: `Prometheus alert ${alert.alert} of ${rule.name} claims SLO ${String(service)} ${key}, which the SLO table does not have`,
        });
    }
    return violations;
  },
});
