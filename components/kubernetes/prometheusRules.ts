/**
 * SLO-6: a service's SLO table (SLO-1) as Prometheus alerting rules, the
 * `spec.groups` of a PrometheusRule. The same rows the CloudWatch side turns
 * into alarms (components/observability/ServiceAlarms.ts): each rule takes its
 * threshold, severity, runbook section, first action and `for:` from one row,
 * and the error-budget alerts use the same BURN_WINDOWS and burnThresholdPct.
 * Pure: no Pulumi, no I/O; table-tested in test/kubernetes/monitoring.spec.ts.
 *
 * What is not here, and why:
 * - dbLatencyP95Ms / dbLatencyP95CriticalMs: PostgreSQL is RDS on either
 *   compute path and no exporter puts its latency into Prometheus; those rows
 *   stay CloudWatch alarms on RDS Read/WriteLatency (NOT_ON_KUBERNETES).
 * - partial unreadiness (some pods not ready, replicas mismatch):
 *   kube-prometheus-stack's own KubePodNotReady / KubeDeploymentReplicasMismatch
 *   cover it with no SLO figure; here only "no ready pod", the service down.
 */
import type { SloSettings } from "../../infra/config";
import type { ObjectiveKey } from "../../policies/lib/slo";
import { CONTAINER_NAME } from "../compute/taskDefinition";
import { APP_LATENCY_METRICS } from "../observability/metrics";
import {
  AlarmMeta,
  AlarmRule,
  BURN_WINDOWS,
  alarmDescription,
  burnThresholdPct,
  windowing,
  runbookUrl,
} from "../observability/alarmPolicy";

/**
 * The metrics the rules (and the service's Grafana dashboard, ./grafanaDashboard) read, by exporter.
 * kube-state-metrics is v2.20.0 (kube-prometheus-stack 88.5.3's subchart 8.4.0): every name below is
 * STABLE in its docs/metrics/workload/ tables. The app's names are the ones the
 * Psi runbook's HighErrorRate rule uses [P §4.4.4], which are
 * prometheus-fastapi-instrumentator's defaults (PyPI page: "Counter
 * http_requests_total with handler, status and method", "Histogram
 * http_request_duration_highr_seconds without any labels. Large number of
 * buckets (>20)"), served at `/metrics` (APP-2).
 */
export const METRICS = {
  /** The app (APP-2 `/metrics`): requests by `status` ("5xx" when grouped, "503" when not: both match `5..`). */
  requests: "http_requests_total",
  /** The app: the high-resolution latency histogram (seconds), the one fit for percentiles. */
  requestDuration: "http_request_duration_highr_seconds",
  /** kube-state-metrics: ready replicas of a Deployment. */
  deploymentReady: "kube_deployment_status_replicas_ready",
  /** kube-state-metrics: the replicas a Deployment asks for (its `spec.replicas`, which the HPA sets). */
  deploymentDesired: "kube_deployment_spec_replicas",
  /** kube-state-metrics: the replicas an HPA last saw (`status.currentReplicas`). */
  hpaCurrent: "kube_horizontalpodautoscaler_status_current_replicas",
  /** kube-state-metrics: the replicas an HPA last computed it wants (`status.desiredReplicas`). */
  hpaDesired: "kube_horizontalpodautoscaler_status_desired_replicas",
  /** kube-state-metrics: container limits (`resource` "cpu" in cores, "memory" in bytes). */
  containerLimits: "kube_pod_container_resource_limits",
  /** cAdvisor through the kubelet (kube-prometheus-stack's kubelet ServiceMonitor): memory the OOM killer counts. */
  containerMemory: "container_memory_working_set_bytes",
  /** cAdvisor through the kubelet: CPU seconds used. */
  containerCpu: "container_cpu_usage_seconds_total",
  /** cert-manager's controller (its chart's `prometheus.servicemonitor`): a Certificate's notAfter, Unix seconds. */
  certificateExpiry: "certmanager_certificate_expiration_timestamp_seconds",
} as const;

/** SLO-6: the objectives guarded outside Prometheus (see the module comment). */
export const NOT_ON_KUBERNETES: readonly ObjectiveKey[] = ["dbLatencyP95Ms", "dbLatencyP95CriticalMs"];

/** One alerting rule of a PrometheusRule group (monitoring.coreos.com/v1 `Rule`). */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One entry of a PrometheusRule's `spec.groups`. */
export interface RuleGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: readonly AlertingRule[];
}

/**
 * SLO-3, SLO-7: the platform rows (config `alarms.service` and
 * `alarms.certificate`, the same object ServiceAlarms takes as `rules`). Each
 * is optional: without it its rules are left out.
 */
export interface PlatformRules {
  /** SLO-3: 5xx > 5 % for 5 min, P0 [P §4.4.2]. */
  readonly errorRatePagePct?: AlarmRule;
  /** SLO-3: memory > 90 % of the container's limit [P §4.2.2]. */
  readonly memoryPct?: AlarmRule;
  /** SLO-3: memory > 95 % of the limit, P1 [P §4.4.3]. */
  readonly memoryCriticalPct?: AlarmRule;
  /** SLO-3, SLO-7: service down, here no ready pod ("All backend instances down" [P §4.4.2]). */
  readonly down?: AlarmMeta;
  /** SLO-3: certificate expiry < 30 days (warning) and < 7 days (P1) [P §6.4.2, §4.4.3]. */
  readonly certificate?: { readonly expiryWarningDays: AlarmRule; readonly expiryDays: AlarmRule };
}

export interface SloRuleOptions {
  /** SLO-3, SLO-7: the platform rows. @default none: no P0 page line, memory-%, certificate or service-down rule from them */
  readonly platform?: PlatformRules;
  /** K8S-2: the service's Deployment (its pods are `<deployment>-<hash>-<suffix>`). @default the service name */
  readonly deployment?: string;
  /** K8S-2: the app's container in the pod spec. @default CONTAINER_NAME ("app", as on ECS) */
  readonly container?: string;
  /** K8S-3: the cert-manager Certificate of the service's Ingress. @default every Certificate in the namespace */
  readonly certificateName?: string;
}

/** SLO-6: the rule groups are evaluated every 30 s, as the runbook's example group [P §4.4.4]. */
export const EVALUATION_INTERVAL = "30s";

/** A Prometheus duration in days, hours, minutes and seconds, largest first ("1d", "1h30m", "5m"). */
export function promDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new Error(`${seconds}: not a whole number of seconds`);
  let rest = seconds;
  let out = "";
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  return out;
}

/** A number as PromQL reads it, without float noise (0.1 / 100 is 0.001). */
export const promNumber = (n: number): string => String(Math.round(n * 1e9) / 1e9);

export type Matcher = readonly [label: string, op: "=" | "=~", value: string];

/** A PromQL selector: `{a="b", c=~"d"}`; values as double-quoted strings (JSON escapes are Go escapes). */
export function selector(matchers: readonly Matcher[]): string {
  return `{${matchers.map(([k, op, v]) => `${k}${op}${JSON.stringify(v)}`).join(", ")}}`;
}

/** The rate window of rows CloudWatch evaluates in 1-minute periods (windowing()), and of the dashboard's panels. */
export const SHORT_WINDOW_SECONDS = 300;

/**
 * SLO-5, SLO-6: the selectors and expressions of one service's series, shared
 * by its alerting rules (sloRuleGroups) and its Grafana dashboard
 * (./grafanaDashboard), so a panel plots what an alert compares.
 */
export interface ServiceQueries {
  /** The app's own series (APP-2 `/metrics`): `namespace` and `job` (the ServiceMonitor names the job after the service). */
  readonly app: (extra?: readonly Matcher[]) => string;
  /** cAdvisor and kube-state-metrics series of the app container of the Deployment's pods. */
  readonly container: (extra?: readonly Matcher[]) => string;
  /** kube-state-metrics series of the Deployment. */
  readonly deployment: () => string;
  /** kube-state-metrics series of the HPA: KubernetesService names it as its Deployment (one `meta`). */
  readonly hpa: () => string;
  /** Requests per second over `window`, summed over the service (`extra` narrows them, e.g. to 5xx). */
  readonly requestRate: (window: string, extra?: readonly Matcher[]) => string;
  /** The share of requests answered 5xx over `window` (0..1): the runbook's HighErrorRate ratio [P §4.4.4], summed over the service. */
  readonly errorRatio: (window: string) => string;
  /** The `quantile` of request duration over `window`, seconds: `histogram_quantile` of the app's histogram. */
  readonly latency: (quantile: number, window: string) => string;
  /** CPU used over `window` as % of the pods' CPU limits (the analogue of ECS CPUUtilization of the task size). */
  readonly cpuPctOfLimit: (window: string) => string;
  /** Each pod's working set, MiB (what the OOM killer counts). */
  readonly memoryMiBByPod: string;
}

/**
 * SLO-5, SLO-6: the queries of one service (ServiceQueries).
 * @param deployment K8S-2: the service's Deployment; its pods are `<deployment>-<hash>-<suffix>`. @default the service name
 * @param containerName K8S-2: the app's container in the pod spec. @default CONTAINER_NAME ("app", as on ECS)
 */
export function serviceQueries(
  service: string,
  namespace: string,
  deployment: string = service,
  containerName: string = CONTAINER_NAME,
): ServiceQueries {
  const app = (extra: readonly Matcher[] = []) =>
    selector([["namespace", "=", namespace], ["job", "=", service], ...extra]);
  // Every service's container has the same name: its pods tell them apart (ReplicaSet hash, pod suffix).
  const pods = `${deployment.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")}-[a-z0-9]+-[a-z0-9]+`;
  const container = (extra: readonly Matcher[] = []) =>
    selector([
      ["namespace", "=", namespace],
      ["container", "=", containerName],
      ["pod", "=~", pods],
      ...extra,
    ]);
  const requestRate = (window: string, extra: readonly Matcher[] = []) =>
    `sum(rate(${METRICS.requests}${app(extra)}[${window}]))`;
  return {
    app,
    container,
    deployment: () =>
      selector([
        ["namespace", "=", namespace],
        ["deployment", "=", deployment],
      ]),
    hpa: () =>
      selector([
        ["namespace", "=", namespace],
        ["horizontalpodautoscaler", "=", deployment],
      ]),
    requestRate,
    errorRatio: (window) => `${requestRate(window, [["status", "=~", "5.."]])} / ${requestRate(window)}`,
    latency: (quantile, window) =>
      `histogram_quantile(${quantile}, sum by (le) (rate(${METRICS.requestDuration}_bucket${app()}[${window}])))`,
    cpuPctOfLimit: (window) =>
      `sum(rate(${METRICS.containerCpu}${container()}[${window}]))` +
      ` / sum(${METRICS.containerLimits}${container([["resource", "=", "cpu"]])}) * 100`,
    memoryMiBByPod: `max by (pod) (${METRICS.containerMemory}${container()}) / 1048576`,
  };
}

/** The runbook link alarmDescription writes (one function for both sides). */
export { runbookUrl };

/** Bad input fails early: Prometheus would read "{{" in a label or annotation as a template and reject the rules. */
function noTemplate(...texts: string[]): void {
  const bad = texts.find((t) => t.includes("{{"));
  if (bad !== undefined) throw new Error(`${bad}: "{{" would be read as a Prometheus template (SLO-6)`);
}

/** How an alert's summary shows the value its expression returned (Prometheus template functions). */
const SHOW = {
  ratio: "{{ $value | humanizePercentage }}",
  seconds: "{{ $value | humanizeDuration }}",
  number: '{{ $value | printf "%.1f" }}',
} as const;

interface Spec {
  readonly alert: string;
  readonly what: string;
  readonly expr: string;
  readonly meta: AlarmMeta;
  readonly show: string;
  readonly objective?: ObjectiveKey;
  /** The burn windows' own `window` label. */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/** SLO-6: the alert names of the threshold rows (uptimePct becomes the burn-rate alerts and NoReadyPods). */
export const SLO_ALERTS: Readonly<Partial<Record<ObjectiveKey, string>>> = {
  latencyP95Ms: "LatencyP95AboveSlo",
  latencyP95CriticalMs: "LatencyP95Critical",
  latencyP99Ms: "LatencyP99AboveSlo",
  latencyP99CriticalMs: "LatencyP99Critical",
  errorRatePct: "ErrorRateAboveSlo",
  // The runbook's own name for the 1 % / 5 min P1 rule [P §4.4.4].
  errorRateCriticalPct: "HighErrorRate",
  memoryMb: "MemoryAboveSlo",
  memoryCriticalMb: "MemoryCritical",
  cpuPct: "CpuAboveSlo",
  cpuCriticalPct: "CpuCritical",
  aiLatencyP95Ms: "AiLatencyP95AboveSlo",
  inferenceP95Ms: "InferenceP95AboveSlo",
  inferenceP95CriticalMs: "InferenceP95Critical",
};

/** SLO-6: the alert names of the platform rows and of the availability objective. */
export const PLATFORM_ALERTS = {
  errorRatePagePct: "ErrorRatePage",
  memoryPct: "MemoryLimitHigh",
  memoryCriticalPct: "MemoryLimitCritical",
  down: "NoReadyPods",
  expiryWarningDays: "CertificateExpiringSoon",
  expiryDays: "CertificateExpiryCritical",
  burn: {
    fast: "AvailabilityBurnRateFast",
    slow: "AvailabilityBurnRateSlow",
    ticket: "AvailabilityBurnRateTicket",
  },
} as const;

/**
 * SLO-6: the PrometheusRule `spec.groups` of one service: `<service>-slo` (a
 * rule per threshold row), `<service>-availability` (uptimePct's burn-rate
 * alerts, NoReadyPods) and `<service>-platform` (the platform rows), empty
 * groups left out.
 *
 * - 5xx share: the runbook's HighErrorRate ratio [P §4.4.4] summed over the
 *   service (its share, as on the ALB, not one per handler).
 * - latency: `histogram_quantile` of the app's histogram, ms as seconds.
 * - memoryMb: each pod's working set in MiB ("per instance" [P §1.4]);
 *   memoryPct: of the container's limit.
 * - CPU: the service's use as a share of its pods' CPU limits, the analogue
 *   of ECS CPUUtilization of the task size (K8S-2: limit 1000m, 1 vCPU).
 * - availability: the 5xx share burning uptimePct's budget (100 - uptime) at
 *   each BURN_WINDOWS rate over its long and short window together, as the
 *   CloudWatch composites; NoReadyPods: the down row, else uptimePct's route.
 * - certificate: days to cert-manager's notAfter below each row.
 *
 * Rows windowing() gives 1-minute periods look at 5-minute rates (four 30 s
 * scrapes at least); longer rows average over their whole window, as on
 * CloudWatch. Every rule holds for its row's `evaluationMinutes` (`for:`), is
 * labelled `severity` (Alertmanager's route), `service`, `namespace` and, when
 * it guards an objective, `slo_objective` (the CloudWatch tag
 * `slo:objective`), and carries `summary`, `description` (alarmDescription,
 * SLO-4), `runbook_url` and `first_action`.
 */
export function sloRuleGroups(
  service: string,
  namespace: string,
  slo: SloSettings,
  runbookBaseUrl: string,
  options: SloRuleOptions = {},
): RuleGroup[] {
  const platform = options.platform ?? {};
  const deployment = options.deployment ?? service;
  const containerName = options.container ?? CONTAINER_NAME;
  noTemplate(service, namespace, deployment, containerName, runbookBaseUrl, options.certificateName ?? "");

  const q = serviceQueries(service, namespace, deployment, containerName);
  const container = q.container;
  const windowOf = (minutes: number) => {
    const { period } = windowing(minutes);
    return promDuration(period === 60 ? SHORT_WINDOW_SECONDS : period);
  };
  const errorRatio = q.errorRatio;

  const sloSpecs: Spec[] = [];
  for (const [key, quantile] of [
    ["latencyP95Ms", 0.95],
    ["latencyP95CriticalMs", 0.95],
    ["latencyP99Ms", 0.99],
    ["latencyP99CriticalMs", 0.99],
  ] as const) {
    const row = slo[key];
    if (!row) continue;
    const p = `p${Math.round(quantile * 100)}`;
    sloSpecs.push({
      alert: SLO_ALERTS[key] as string,
      what: `${p} latency above ${row.threshold} ms for ${row.evaluationMinutes} min`,
      expr: `${q.latency(quantile, windowOf(row.evaluationMinutes))} > ${promNumber(row.threshold / 1000)}`,
      meta: row,
      show: SHOW.seconds,
      objective: key,
    });
  }
  // The app's own histograms (APP_LATENCY_METRICS): AI response time, YOLO inference, p95.
  for (const key of ["aiLatencyP95Ms", "inferenceP95Ms", "inferenceP95CriticalMs"] as const) {
    const row = slo[key];
    if (!row) continue;
    const metric = APP_LATENCY_METRICS[key];
    const window = windowOf(row.evaluationMinutes);
    sloSpecs.push({
      alert: SLO_ALERTS[key] as string,
      what: `${metric} p95 above ${row.threshold} ms for ${row.evaluationMinutes} min`,
      expr: `histogram_quantile(0.95, sum by (le) (rate(${metric}_bucket${q.app()}[${window}]))) > ${promNumber(row.threshold / 1000)}`,
      meta: row,
      show: SHOW.seconds,
      objective: key,
    });
  }
  const errorRow = (alert: string, row: AlarmRule, objective?: ObjectiveKey): Spec => ({
    alert,
    what: `5xx above ${row.threshold} % of requests for ${row.evaluationMinutes} min`,
    expr: `${errorRatio(windowOf(row.evaluationMinutes))} > ${promNumber(row.threshold / 100)}`,
    meta: row,
    show: SHOW.ratio,
    objective,
  });
  for (const key of ["errorRatePct", "errorRateCriticalPct"] as const) {
    const row = slo[key];
    if (row) sloSpecs.push(errorRow(SLO_ALERTS[key] as string, row, key));
  }
  for (const key of ["memoryMb", "memoryCriticalMb"] as const) {
    const row = slo[key];
    if (!row) continue;
    sloSpecs.push({
      alert: SLO_ALERTS[key] as string,
      what: `memory of a pod above ${row.threshold} MiB for ${row.evaluationMinutes} min`,
      expr: `${q.memoryMiBByPod} > ${promNumber(row.threshold)}`,
      meta: row,
      show: `${SHOW.number} MiB`,
      objective: key,
    });
  }
  for (const key of ["cpuPct", "cpuCriticalPct"] as const) {
    const row = slo[key];
    if (!row) continue;
    sloSpecs.push({
      alert: SLO_ALERTS[key] as string,
      what: `CPU above ${row.threshold} % of the pods' limits for ${row.evaluationMinutes} min`,
      expr: `${q.cpuPctOfLimit(windowOf(row.evaluationMinutes))} > ${promNumber(row.threshold)}`,
      meta: row,
      show: `${SHOW.number} %`,
      objective: key,
    });
  }

  const availability: Spec[] = [];
  const uptime = slo.uptimePct;
  if (uptime) {
    const budgetPct = Math.round((100 - uptime.threshold) * 1e6) / 1e6;
    for (const w of BURN_WINDOWS) {
      const bad = promNumber(burnThresholdPct(budgetPct, w.burnRate) / 100);
      const [long, short] = [promDuration(w.longSeconds), promDuration(w.shortSeconds)];
      availability.push({
        alert: PLATFORM_ALERTS.burn[w.name],
        what:
          `5xx burning the ${budgetPct} % error budget of ${uptime.threshold} % availability ` +
          `${w.burnRate}x over ${long} and ${short}`,
        expr: `(${errorRatio(long)} > ${bad}) and (${errorRatio(short)} > ${bad})`,
        meta: { ...uptime, severity: w.severity },
        show: SHOW.ratio,
        objective: "uptimePct",
        extraLabels: { window: w.name },
      });
    }
  }
  const down = platform.down ?? uptime;
  if (down) {
    availability.push({
      alert: PLATFORM_ALERTS.down,
      what: `no ready pod of Deployment ${deployment} for ${down.evaluationMinutes} min`,
      // No series at all (Deployment gone, kube-state-metrics not scraping it) is down too.
      expr: `(max(${METRICS.deploymentReady}${q.deployment()}) or vector(0)) < 1`,
      meta: down,
      show: '{{ $value | printf "%.0f" }} ready',
      objective: platform.down ? undefined : "uptimePct",
    });
  }

  const platformSpecs: Spec[] = [];
  if (platform.errorRatePagePct)
    platformSpecs.push(errorRow(PLATFORM_ALERTS.errorRatePagePct, platform.errorRatePagePct));
  for (const key of ["memoryPct", "memoryCriticalPct"] as const) {
    const row = platform[key];
    if (!row) continue;
    const byContainer = (metric: string, extra: readonly Matcher[] = []) =>
      `sum by (namespace, pod, container) (${metric}${container(extra)})`;
    platformSpecs.push({
      alert: PLATFORM_ALERTS[key],
      what: `memory of a pod above ${row.threshold} % of its limit for ${row.evaluationMinutes} min`,
      expr:
        `max by (pod) (${byContainer(METRICS.containerMemory)}` +
        ` / ${byContainer(METRICS.containerLimits, [["resource", "=", "memory"]])}) * 100 > ${promNumber(row.threshold)}`,
      meta: row,
      show: `${SHOW.number} %`,
    });
  }
  if (platform.certificate) {
    // cert-manager's own `namespace` label becomes `exported_namespace` when its ServiceMonitor keeps
    // honorLabels false (the chart's default): either way, the Certificates of this namespace.
    const names: Matcher[] = options.certificateName ? [["name", "=", options.certificateName]] : [];
    const expiry = (label: string) =>
      `max by (name) (${METRICS.certificateExpiry}${selector([[label, "=", namespace], ...names])})`;
    for (const key of ["expiryWarningDays", "expiryDays"] as const) {
      const row = platform.certificate[key];
      platformSpecs.push({
        alert: PLATFORM_ALERTS[key],
        what: `TLS certificate expires in fewer than ${row.threshold} days`,
        expr: `((${expiry("exported_namespace")} or ${expiry("namespace")}) - time()) / 86400 < ${promNumber(row.threshold)}`,
        meta: row,
        show: `${SHOW.number} days left`,
      });
    }
  }

  const rule = (s: Spec): AlertingRule => {
    noTemplate(s.meta.runbookSection, s.meta.firstAction);
    const what = `${service}: ${s.what}`;
    return {
      alert: s.alert,
      expr: s.expr,
      for: promDuration(s.meta.evaluationMinutes * 60),
      labels: {
        severity: s.meta.severity,
        service,
        namespace,
        ...(s.objective ? { slo_objective: s.objective } : {}),
        ...(s.extraLabels ?? {}),
      },
      annotations: {
        summary: `${what} (now ${s.show})`,
        description: alarmDescription(what, s.meta, runbookBaseUrl),
        runbook_url: runbookUrl(runbookBaseUrl, s.meta.runbookSection),
        first_action: s.meta.firstAction,
      },
    };
  };
  return (
    [
      [`${service}-slo`, sloSpecs],
      [`${service}-availability`, availability],
      [`${service}-platform`, platformSpecs],
    ] as const
  )
    .filter(([, specs]) => specs.length > 0)
    .map(([name, specs]) => ({ name, interval: EVALUATION_INTERVAL, rules: specs.map(rule) }));
}
