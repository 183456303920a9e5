import {
  OBJECTIVE_LABEL,
  PROMETHEUS_RULE,
  SERVICE_LABEL,
  promAlerts,
  trailingComparison,
} from "../../lib/prometheus";
import { asObject, isNonEmptyString, parseJson } from "../../lib/props";
import { KUBERNETES_SERVICES_OUTPUT, SLO_OUTPUT, STACK, WINDOWS_KEY, isObjective } from "../../lib/slo";
import { StackViolation, list, num, stackRule } from "../../rule";

/** kube-state-metrics' ready (or available) replica count of a Deployment. */
const READY_METRICS = ["kube_deployment_status_replicas_ready", "kube_deployment_status_replicas_available"];

/**
 * SLO-6, SLO-1, SLO-3 [P §4.4.4, §4.1]: on Kubernetes the SLO table becomes
 * PrometheusRule alerts. A service the stack runs on Kubernetes (its
 * `kubernetesServices` output) has, for every objective of its SLO table, a
 * Prometheus alert labelled `service` and `slo_objective` with it, except
 * objectives Prometheus cannot see (`cloudWatchObjectives`: the database's
 * latency, measured by RDS) (how
 * strict each must be is cloudwatch-metricalarm-require-slo-coverage's
 * check); a CloudWatch alarm on the objective (the Route 53 health check's)
 * does not stand in for it, as Alertmanager, not CloudWatch, routes the
 * cluster's alerts. And it has a "no ready pod" alert: labelled with the
 * service, on kube-state-metrics' ready replicas of its Deployment, firing
 * when they drop below 1, within the service-down window.
 */
export default stackRule({
  name: "kubernetes-prometheusrule-require-slo-alerts",
  description:
    "Every service on Kubernetes has a Prometheus alert for each objective of its SLO table and one for no ready pod of its Deployment.",
  requirements: ["SLO-6", "SLO-1", "SLO-3"],
  severity: "high",
  config: {
    cloudWatchObjectives: {
      type: "array",
      items: { type: "string" },
      default: ["dbLatencyP95Ms", "dbLatencyP95CriticalMs"],
      description:
        "SLO-6: objectives measured outside the cluster, guarded by CloudWatch alone: PostgreSQL is RDS on either compute path and its latency (RDS Read/WriteLatency) reaches CloudWatch, not Prometheus.",
    },
    maxNoReadyForSeconds: {
      type: "integer",
      minimum: 0,
      default: 90,
      description:
        "SLO-3: the service is down after its health check fails 3 times [P §4.4.2]; at SLO-7's 30 s interval that is 90 s, the longest a no-ready-pod alert may wait (for).",
    },
  },
  check: (resources, config) => {
    const stack = resources.find((r) => r.type === STACK);
    if (!stack) return [];
    const tables = asObject(parseJson(stack.props[SLO_OUTPUT]));
    const services = asObject(parseJson(stack.props[KUBERNETES_SERVICES_OUTPUT]));
    const maxFor = num(config, "maxNoReadyForSeconds");
    const outside = list(config, "cloudWatchObjectives").map(String);
    const rules = resources.filter((r) => r.type === PROMETHEUS_RULE);
    const alerts = rules.flatMap((r) => promAlerts(r.props));
    const violations: StackViolation[] = [];
    for (const [service, outputs] of Object.entries(services)) {
      const mine = alerts.filter((a) => a.labels[SERVICE_LABEL] === service);
      for (const key of Object.keys(asObject(tables[service]))) {
        if (key === WINDOWS_KEY || !isObjective(key) || outside.includes(key)) continue;
        if (!mine.some((a) => a.labels[OBJECTIVE_LABEL] === key))
          violations.push({
            urn: stack.urn,
            message: `Kubernetes service ${service} has no Prometheus alert for SLO ${key}: label one ${SERVICE_LABEL}=${service}, ${OBJECTIVE_LABEL}=${key} in a PrometheusRule`,
          });
      }
      const o = asObject(outputs);
      const deployment = isNonEmptyString(o.deploymentName) ? o.deploymentName : undefined;
      const namespace = isNonEmptyString(o.namespace) ? o.namespace : undefined;
      const noReady = mine.filter((a) => {
        if (!READY_METRICS.some((m) => a.expr.includes(m))) return false;
        if (deployment !== undefined && !a.expr.includes(`deployment="${deployment}"`)) return false;
        if (namespace !== undefined && !a.expr.includes(`namespace="${namespace}"`)) return false;
        const cmp = trailingComparison(a.expr);
        return (
          cmp !== undefined &&
          ((cmp.op === "<" && cmp.value > 0 && cmp.value <= 1) || (cmp.op === "<=" && cmp.value === 0))
        );
      });
      const what = `Deployment ${namespace ?? "?"}/${deployment ?? "?"}`;
      if (noReady.length === 0)
        violations.push({
          urn: stack.urn,
          message: `Kubernetes service ${service} has no Prometheus alert for no ready pod: label one ${SERVICE_LABEL}=${service} on ${READY_METRICS[0]} of ${what} < 1`,
        });
      else if (!noReady.some((a) => a.forSeconds !== undefined && a.forSeconds <= maxFor))
        violations.push({
          urn: stack.urn,
          message: `Kubernetes service ${service}'s no-ready-pod alert ${noReady[0].alert} waits ${String(noReady[0].forSeconds ?? "an unreadable for")} s before it fires; service down must page within ${maxFor} s`,
        });
    }
    return violations;
  },
});
