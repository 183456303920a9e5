/**
 * SLO-5 on Kubernetes: a service's dashboard as Grafana dashboard JSON, the
 * panels of [P §4.5.1] and [P §4.5.2] that the CloudWatch dashboard of an ECS
 * service has (components/observability/dashboard.ts), read from Prometheus
 * with the same queries as the service's alerting rules (./prometheusRules
 * serviceQueries, METRICS), so a panel plots what an alert compares. Pure: no
 * Pulumi, no I/O; table-tested in test/kubernetes/monitoring.spec.ts.
 *
 * What is not here, and why: database connections and cache hit rate
 * [P §4.5.1] are CloudWatch metrics (RDS DatabaseConnections, ElastiCache
 * hits and misses) on either compute path, and no exporter puts them into
 * Prometheus; they are on the service's CloudWatch dashboard of the same
 * name (infra/observability.ts serviceDashboard says why not here), as the
 * database-latency alarms stay CloudWatch alarms (NOT_ON_KUBERNETES).
 */
import { createHash } from "crypto";
import type { DashboardIds } from "../observability/dashboard";
import { GRAFANA_DASHBOARDS } from "./addonCharts";
import { METRICS, SHORT_WINDOW_SECONDS, promDuration, serviceQueries } from "./prometheusRules";

/** Grafana refuses a dashboard uid longer than 40 characters or with other than letters, digits, - and _ (pkg/util shortid). */
export const GRAFANA_UID_MAX_LENGTH = 40;
/** The dashboard JSON schema written (the one kube-prometheus-stack 88.5.3's own dashboards use); Grafana migrates it forward. */
export const GRAFANA_SCHEMA_VERSION = 39;
/** The Grafana grid: 24 columns; each panel is half a row wide and 8 units (of 30 px) high, two per row. */
const PANEL = { w: 12, h: 8 } as const;

export interface GrafanaDatasourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

export interface GrafanaTarget {
  readonly refId: string;
  readonly datasource: GrafanaDatasourceRef;
  readonly expr: string;
  readonly legendFormat: string;
}

/** A threshold step; the first is the base (`value: null`, from minus infinity). */
export interface GrafanaThresholdStep {
  readonly color: string;
  readonly value: number | null;
}

export interface GrafanaPanel {
  readonly id: number;
  readonly type: "timeseries";
  readonly title: string;
  readonly datasource: GrafanaDatasourceRef;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets: readonly GrafanaTarget[];
  readonly fieldConfig: {
    readonly defaults: {
      readonly unit: string;
      readonly min: number;
      readonly thresholds?: { readonly mode: "absolute"; readonly steps: readonly GrafanaThresholdStep[] };
      readonly custom?: { readonly thresholdsStyle: { readonly mode: "line" } };
    };
    readonly overrides: readonly never[];
  };
  readonly options: {
    readonly legend: {
      readonly displayMode: "list";
      readonly placement: "bottom";
      readonly showLegend: true;
    };
    readonly tooltip: { readonly mode: "multi"; readonly sort: "none" };
  };
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly version: number;
  /** Provisioned from code: changes go through the ConfigMap, not the UI. */
  readonly editable: false;
  readonly timezone: "utc";
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly never[] };
  readonly annotations: { readonly list: readonly never[] };
  readonly panels: readonly GrafanaPanel[];
}

export interface GrafanaDashboardArgs {
  /** SLO-1: the service's name (its `job` label). */
  readonly service: string;
  /** K8S-2: its namespace. */
  readonly namespace: string;
  /** K8S-2: its Deployment (KubernetesService `deploymentName`, also its HPA's name): the dashboard's title. */
  readonly deployment: string;
  /** K8S-2: the app's container in the pod spec. @default CONTAINER_NAME ("app") */
  readonly container?: string;
  /** SLO-1: the SLO table's figures drawn as threshold lines (ms, %): dashboardObjectives. @default none */
  readonly objectives?: DashboardIds["objectives"];
}

/**
 * SLO-5: the dashboard's uid, stable for a namespace and service: a readable
 * slug of both and 12 hex digits of their SHA-256 (unique even when slugs
 * collide or are cut), within Grafana's 40 characters.
 */
export function dashboardUid(namespace: string, service: string): string {
  const hash = createHash("sha256").update(`${namespace}/${service}`).digest("hex").slice(0, 12);
  const slug = `${namespace}-${service}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, GRAFANA_UID_MAX_LENGTH - hash.length - 1)
    .replace(/-+$/, "");
  return `${slug}-${hash}`;
}

interface PanelSpec {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legend: string }[];
  readonly objective?: number;
}

/**
 * SLO-5: the panels, in order: request rate, latency p50/p95/p99 [P §4.5.1]
 * (seconds, line at the p95 objective), 5xx error rate % (line at the
 * error-rate objective), CPU % of the pods' limits (line at the CPU
 * objective), memory working set per pod against the limit (MiB), ready vs
 * desired pods (container health), HPA current vs desired replicas (scaling
 * events) [P §4.5.2]. Rates are over 5 minutes, the window of the alerts the
 * panels stand beside.
 */
function panelSpecs(args: GrafanaDashboardArgs): PanelSpec[] {
  const q = serviceQueries(args.service, args.namespace, args.deployment, args.container);
  const w = promDuration(SHORT_WINDOW_SECONDS);
  const o = args.objectives ?? {};
  const maxOf = (metric: string, sel: string) => `max(${metric}${sel})`;
  return [
    {
      title: "Request rate (requests/min)",
      unit: "reqpm",
      targets: [{ expr: `${q.requestRate(w)} * 60`, legend: "requests/min" }],
    },
    {
      title: "Response time p50 / p95 / p99 (s)",
      unit: "s",
      targets: [0.5, 0.95, 0.99].map((quantile) => ({
        expr: q.latency(quantile, w),
        legend: `p${Math.round(quantile * 100)}`,
      })),
      objective: o.latencyP95Ms === undefined ? undefined : o.latencyP95Ms / 1000,
    },
    {
      title: "Error rate (5xx %)",
      unit: "percent",
      targets: [{ expr: `${q.errorRatio(w)} * 100`, legend: "5xx %" }],
      objective: o.errorRatePct,
    },
    {
      title: "CPU (% of limit)",
      unit: "percent",
      targets: [{ expr: q.cpuPctOfLimit(w), legend: "CPU % of limit" }],
      objective: o.cpuPct,
    },
    {
      title: "Memory working set (MiB) vs limit",
      unit: "mbytes",
      targets: [
        { expr: q.memoryMiBByPod, legend: "{{pod}}" },
        {
          expr: `${maxOf(METRICS.containerLimits, q.container([["resource", "=", "memory"]]))} / 1048576`,
          legend: "limit",
        },
      ],
    },
    {
      title: "Container health (ready vs desired pods)",
      unit: "none",
      targets: [
        { expr: maxOf(METRICS.deploymentReady, q.deployment()), legend: "ready" },
        { expr: maxOf(METRICS.deploymentDesired, q.deployment()), legend: "desired" },
      ],
    },
    {
      title: "Scaling events (HPA current vs desired replicas)",
      unit: "none",
      targets: [
        { expr: maxOf(METRICS.hpaCurrent, q.hpa()), legend: "current" },
        { expr: maxOf(METRICS.hpaDesired, q.hpa()), legend: "desired" },
      ],
    },
  ];
}

/**
 * SLO-5: a service's Grafana dashboard: the SLO-5 panels as timeseries on
 * the Prometheus datasource kube-prometheus-stack provisions
 * (GRAFANA_DASHBOARDS.datasourceUid), two per row in panel order, each
 * objective a red threshold line (fieldConfig thresholds, thresholdsStyle
 * "line"); uid from dashboardUid, titled after the Deployment (the name of
 * the ECS service's CloudWatch dashboard).
 */
export function serviceDashboard(args: GrafanaDashboardArgs): GrafanaDashboard {
  const datasource: GrafanaDatasourceRef = { type: "prometheus", uid: GRAFANA_DASHBOARDS.datasourceUid };
  const panels = panelSpecs(args).map((p, i): GrafanaPanel => ({
    id: i + 1,
    type: "timeseries",
    title: p.title,
    datasource,
    gridPos: { x: (i % 2) * PANEL.w, y: Math.floor(i / 2) * PANEL.h, w: PANEL.w, h: PANEL.h },
    targets: p.targets.map((t, j) => ({
      refId: String.fromCharCode(65 + j),
      datasource,
      expr: t.expr,
      legendFormat: t.legend,
    })),
    fieldConfig: {
      defaults: {
        unit: p.unit,
        min: 0,
        ...(p.objective === undefined
          ? {}
          : {
              thresholds: {
                mode: "absolute" as const,
                steps: [
                  { color: "green", value: null },
                  { color: "red", value: p.objective },
                ],
              },
              custom: { thresholdsStyle: { mode: "line" as const } },
            }),
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: "list", placement: "bottom", showLegend: true },
      tooltip: { mode: "multi", sort: "none" },
    },
  }));
  return {
    uid: dashboardUid(args.namespace, args.service),
    title: args.deployment,
    tags: ["slo-5", args.namespace, args.service],
    schemaVersion: GRAFANA_SCHEMA_VERSION,
    version: 1,
    editable: false,
    timezone: "utc",
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    templating: { list: [] },
    annotations: { list: [] },
    panels,
  };
}
