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

/** Where an ECS service's own panels read from: its load balancer, target groups, cluster and service. */
export interface EcsDashboardIds {
  readonly loadBalancer: string;
  readonly targetGroups: readonly string[];
  readonly cluster: string;
  readonly service: string;
}

export interface DashboardIds {
  readonly region: string;
  readonly title: string;
  /**
   * The ECS service's ids: request, latency, error, CPU, memory, health and
   * scaling panels. Absent for a service on Kubernetes, whose Grafana
   * dashboard draws those from Prometheus (components/kubernetes/grafanaDashboard.ts):
   * only the data tier's panels remain.
   */
  readonly ecs?: EcsDashboardIds;
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
 * SLO-5 [P §4.5.1]: the data tier's panels, database connections and cache
 * hit rate: CloudWatch metrics (RDS, ElastiCache) whichever path the service
 * runs on, from the same definitions as the data tier's alarms (./metrics).
 */
export function dataTierPanels(ids: Pick<DashboardIds, "database" | "cacheNodes">): Panel[] {
  return [
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
  ];
}

/**
 * The panels of [P §4.5.1] (request rate, p50/p95/p99, error rate, DB
 * connections, cache hit rate) and [P §4.5.2] (CPU, memory, container
 * health, scaling events: desired vs running tasks); without `ecs`, the
 * data tier's alone.
 */
export function servicePanels(ids: DashboardIds): Panel[] {
  if (ids.ecs === undefined) return dataTierPanels(ids);
  const { loadBalancer: lb, targetGroups, cluster, service } = ids.ecs;
  const tasks = taskCounts(cluster, service);
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
    ...dataTierPanels(ids),
    {
      title: "CPU (% of task)",
      signals: [{ signal: serviceUtilization(cluster, service, "CPU"), label: "CPU %" }],
      ...(o.cpuPct !== undefined ? { line: { label: "CPU SLO", value: o.cpuPct } } : {}),
    },
    {
      title: "Memory",
      signals: [
        { signal: serviceUtilization(cluster, service, "Memory"), label: "Memory % of task" },
        { signal: memoryPerTaskMb(cluster, service), label: "MiB per task" },
      ],
    },
    {
      title: "Container health (healthy targets, running tasks)",
      signals: [
        { signal: healthyHosts(lb, targetGroups), label: "Healthy targets" },
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
