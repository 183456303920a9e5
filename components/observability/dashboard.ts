/**
 * SLO-5: a service's dashboard body as data, from the same metric
 * definitions as its alarms (./metrics). Pure: table-tested.
 */
import type { SloSettings } from "../../infra/config";
import {
  Signal,
  errorRatePct,
  memoryPerTaskMb,
  rds,
  redisHitRatePct,
  requestCount,
  serviceUtilization,
  targetResponseTime,
  taskCounts,
  healthyHosts,
  widgetMetrics,
} from "./metrics";

export interface DashboardIds {
  readonly region: string;
  readonly title: string;
  readonly loadBalancer: string;
  readonly targetGroups: readonly string[];
  readonly cluster: string;
  readonly service: string;
  /** The PostgreSQL primary, when the service uses it. */
  readonly database?: string;
  /** The Redis nodes, when the service uses the cache. */
  readonly cacheNodes?: readonly string[];
  /** Lines drawn on panels: the SLO table's figures (ms, %). */
  readonly objectives?: {
    readonly latencyP95Ms?: number;
    readonly errorRatePct?: number;
    readonly cpuPct?: number;
  };
}

/** SLO-1, SLO-5: the lines a service's dashboards draw, from its SLO table (CloudWatch and Grafana alike). */
export function dashboardObjectives(slo: SloSettings): NonNullable<DashboardIds["objectives"]> {
  return {
    latencyP95Ms: slo.latencyP95Ms?.threshold,
    errorRatePct: slo.errorRatePct?.threshold,
    cpuPct: slo.cpuPct?.threshold,
  };
}

/** One panel: title, its signals (with labels), and the view. */
export interface Panel {
  readonly title: string;
  readonly signals: readonly { readonly signal: Signal; readonly label: string }[];
  readonly view?: "timeSeries" | "gauge" | "singleValue";
  readonly line?: { readonly label: string; readonly value: number };
}

/**
 * The panels of [P §4.5.1] (request rate, p50/p95/p99, error rate, DB
 * connections, cache hit rate) and [P §4.5.2] (CPU, memory, container
 * health, scaling events: desired vs running tasks).
 */
export function servicePanels(ids: DashboardIds): Panel[] {
  const lb = ids.loadBalancer;
  const tasks = taskCounts(ids.cluster, ids.service);
  const o = ids.objectives ?? {};
  return [
    { title: "Request rate (requests/min)", signals: [{ signal: requestCount(lb), label: "Requests" }] },
    {
      title: "Response time p50 / p95 / p99 (s)",
      signals: ["p50", "p95", "p99"].map((p) => ({ signal: targetResponseTime(lb, p), label: p })),
      ...(o.latencyP95Ms !== undefined ? { line: { label: "p95 SLO", value: o.latencyP95Ms / 1000 } } : {}),
    },
    {
      title: "Error rate (5xx %)",
      signals: [{ signal: errorRatePct(lb), label: "5xx %" }],
      ...(o.errorRatePct !== undefined ? { line: { label: "SLO", value: o.errorRatePct } } : {}),
    },
    ...(ids.database
      ? [
          {
            title: "Database connections",
            signals: [
              { signal: rds(ids.database, "DatabaseConnections", "Maximum") as Signal, label: "Connections" },
            ],
          },
        ]
      : []),
    ...(ids.cacheNodes && ids.cacheNodes.length > 0
      ? [
          {
            title: "Cache hit rate (%)",
            signals: [{ signal: redisHitRatePct(ids.cacheNodes), label: "Hit rate %" }],
            view: "gauge" as const,
          },
        ]
      : []),
    {
      title: "CPU (% of task)",
      signals: [{ signal: serviceUtilization(ids.cluster, ids.service, "CPU"), label: "CPU %" }],
      ...(o.cpuPct !== undefined ? { line: { label: "CPU SLO", value: o.cpuPct } } : {}),
    },
    {
      title: "Memory",
      signals: [
        { signal: serviceUtilization(ids.cluster, ids.service, "Memory"), label: "Memory % of task" },
        { signal: memoryPerTaskMb(ids.cluster, ids.service), label: "MiB per task" },
      ],
    },
    {
      title: "Container health (healthy targets, running tasks)",
      signals: [
        { signal: healthyHosts(lb, ids.targetGroups), label: "Healthy targets" },
        { signal: tasks.running, label: "Running tasks" },
      ],
    },
    {
      title: "Scaling events (desired vs running vs pending tasks)",
      signals: [
        { signal: tasks.desired, label: "Desired" },
        { signal: tasks.running, label: "Running" },
        { signal: tasks.pending, label: "Pending" },
      ],
    },
  ];
}

/** The CloudWatch dashboard body (JSON) of the panels: two columns of 12 x 6 widgets. */
export function dashboardBody(ids: DashboardIds): string {
  const widgets = servicePanels(ids).map((panel, i) => ({
    type: "metric",
    x: (i % 2) * 12,
    y: Math.floor(i / 2) * 6,
    width: 12,
    height: 6,
    properties: {
      title: panel.title,
      region: ids.region,
      view: panel.view ?? "timeSeries",
      stacked: false,
      period: 60,
      metrics: panel.signals.flatMap(({ signal, label }) => widgetMetrics(signal, label)),
      ...(panel.line
        ? { annotations: { horizontal: [{ label: panel.line.label, value: panel.line.value }] } }
        : {}),
      ...(panel.view === "gauge" ? { yAxis: { left: { min: 0, max: 100 } } } : {}),
    },
  }));
  return JSON.stringify({ widgets });
}
