import type { PolicyResource } from "@pulumi/policy";
import { asObject, parseJson } from "../../lib/props";
import {
  ABOVE,
  BELOW,
  OBJECTIVES,
  OBJECTIVE_TAG,
  SERVICE_TAG,
  SLO_OUTPUT,
  STACK,
  inTableUnit,
  isObjective,
} from "../../lib/slo";
import { StackViolation, stackRule } from "../../rule";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const tagsOf = (r: PolicyResource) => ({ ...asObject(r.props.tagsAll), ...asObject(r.props.tags) });

/**
 * SLO-1, SLO-3: every objective of the SLO table has an alarm at least as
 * strict as the table. The table is the `sloTables` stack output (the props
 * of the root `pulumi:pulumi:Stack` resource), shaped as `SloTables` in
 * policies/lib/slo.ts: `{ [service]: { latencyP95Ms?: number, … } }`. An
 * alarm guards one objective by its tags `slo:service` and `slo:objective`;
 * its threshold, converted from its `unit` (Seconds, Bytes, …) to the
 * objective's (the key's suffix), must not be looser than the table: at or
 * below it for objectives breached above (latency, errors, CPU, memory), at
 * or above it for uptime. A stack that publishes no table is not checked.
 */
export default stackRule({
  name: "cloudwatch-metricalarm-require-slo-coverage",
  description:
    "Every objective of the stack's SLO table has an alarm tagged with it whose threshold is no looser than the table.",
  requirements: ["SLO-1", "SLO-3", "POL-1"],
  severity: "high",
  check: (resources) => {
    const stack = resources.find((r) => r.type === STACK);
    if (!stack) return [];
    const raw = parseJson(stack.props[SLO_OUTPUT]);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return [];
    const tables = raw as Record<string, unknown>;
    const alarms = resources.filter((r) => r.type === ALARM);
    const violations: StackViolation[] = [];
    const atStack = (message: string) => violations.push({ urn: stack.urn, message });

    for (const [service, objectives] of Object.entries(tables)) {
      for (const [key, value] of Object.entries(asObject(objectives))) {
        if (!isObjective(key)) {
          atStack(`SLO table ${service}.${key} is not an objective the pack knows (see policies/lib/slo.ts)`);
          continue;
        }
        if (typeof value !== "number" || !Number.isFinite(value)) {
          atStack(`SLO table ${service}.${key} is ${JSON.stringify(value)}, not a number`);
          continue;
        }
        const { unit, breach } = OBJECTIVES[key];
        const slo = `SLO ${service} ${key} (${value} ${unit})`;
        const guards = alarms.filter((a) => {
          const tags = tagsOf(a);
          return tags[SERVICE_TAG] === service && tags[OBJECTIVE_TAG] === key;
        });
        if (guards.length === 0) {
          atStack(`no alarm guards ${slo}: tag one ${SERVICE_TAG}=${service}, ${OBJECTIVE_TAG}=${key}`);
          continue;
        }
        for (const a of guards) {
          const op = String(a.props.comparisonOperator);
          const report = (message: string) =>
            violations.push({ urn: a.urn, message: `alarm ${a.name} ${message}` });
          if (!(breach === "above" ? ABOVE : BELOW).includes(op)) {
            report(`compares ${op}; ${slo} is breached ${breach} it`);
            continue;
          }
          if (typeof a.props.threshold !== "number") {
            report(`has no static threshold to compare with ${slo}`);
            continue;
          }
          const threshold = inTableUnit(a.props.threshold, a.props.unit, unit);
          if (threshold === undefined) {
            report(`has unit ${String(a.props.unit)}, which cannot be compared with ${slo}`);
            continue;
          }
          const looser = breach === "above" ? threshold > value : threshold < value;
          if (looser) report(`threshold ${threshold} ${unit} is looser than ${slo}`);
        }
      }
    }

    for (const a of alarms) {
      const tags = tagsOf(a);
      const service = tags[SERVICE_TAG];
      const key = tags[OBJECTIVE_TAG];
      if (service === undefined && key === undefined) continue;
      const table = typeof service === "string" ? asObject(tables[service]) : {};
      if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(table, key)) {
        violations.push({
          urn: a.urn,
          message: `alarm ${a.name} claims SLO ${String(service)} ${String(key)}, which the SLO table does not have`,
        });
      }
    }
    return violations;
  },
});
