/**
 * The metric definitions alarms and dashboards share (SLO-3, SLO-5, SLO-7):
 * one function per signal, returning plain data that becomes either a
 * MetricAlarm's metric arguments (`alarmMetric`) or a dashboard widget's
 * `metrics` rows (`widgetMetrics`). An alarm and the panel that shows it can
 * therefore never disagree about namespace, dimensions, statistic or period.
 */

/** One CloudWatch metric with its statistic and period. */
export interface MetricSpec<V = string> {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension values: strings in a dashboard body, Pulumi inputs in an alarm. */
  readonly dimensions: Readonly<Record<string, V>>;
  /** `Average`, `Sum`, `Minimum`, `Maximum`, `SampleCount`, or an extended statistic (`p95`, `PR(:0.2)`). */
  readonly stat: string;
  readonly periodSeconds: number;
  /** The metric's unit as CloudWatch publishes it (the policy pack converts thresholds with it). */
  readonly unit?: string;
}

/** Metric math over named metrics; the expression refers to them by id. */
export interface MathSpec<V = string> {
  readonly expression: string;
  readonly label: string;
  readonly metrics: Readonly<Record<string, MetricSpec<V>>>;
}

export type Signal<V = string> = MetricSpec<V> | MathSpec<V>;

export const isMath = <V>(s: Signal<V>): s is MathSpec<V> => "expression" in s;

const STANDARD_STATS = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"];

/** The arguments of `aws.cloudwatch.MetricAlarm` that say what it watches. */
export function alarmMetric<V>(signal: Signal<V>) {
  if (isMath(signal)) {
    return {
      metricQueries: [
        { id: "e1", expression: signal.expression, label: signal.label, returnData: true },
        ...Object.entries(signal.metrics).map(([id, m]) => ({
          id,
          returnData: false,
          metric: {
            namespace: m.namespace,
            metricName: m.metricName,
            dimensions: { ...m.dimensions },
            period: m.periodSeconds,
            stat: m.stat,
            ...(m.unit ? { unit: m.unit } : {}),
          },
        })),
      ],
    };
  }
  return {
    namespace: signal.namespace,
    metricName: signal.metricName,
    dimensions: { ...signal.dimensions },
    period: signal.periodSeconds,
    ...(STANDARD_STATS.includes(signal.stat)
      ? { statistic: signal.stat }
      : { extendedStatistic: signal.stat }),
    ...(signal.unit ? { unit: signal.unit } : {}),
  };
}

/** The same signal as rows of a dashboard metric widget (SLO-5). */
export function widgetMetrics(signal: Signal, label?: string): unknown[][] {
  const row = (m: MetricSpec, options: Record<string, unknown>) => [
    m.namespace,
    m.metricName,
    ...Object.entries(m.dimensions).flat(),
    { stat: m.stat, period: m.periodSeconds, ...options },
  ];
  if (!isMath(signal)) return [row(signal, label ? { label } : {})];
  const prefix = `m${Math.abs(hash(signal.expression)).toString(36)}`;
  let expression = signal.expression;
  for (const id of Object.keys(signal.metrics))
    expression = expression.replace(new RegExp(`\\b${id}\\b`, "g"), `${prefix}${id}`);
  return [
    [{ expression, label: label ?? signal.label, id: `${prefix}e` }],
    ...Object.entries(signal.metrics).map(([id, m]) => row(m, { id: `${prefix}${id}`, visible: false })),
  ];
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

const ALB = "AWS/ApplicationELB";

/**
 * SLO-1: the objectives only the app can measure, by the histogram (seconds)
 * the app publishes for them. MyHibachi's is its runbook's own name [H §Key
 * Metrics to Monitor, AI Backend: `ai_request_duration_seconds (P95)`]; the
 * Psi runbook names YOLO Inference Time a histogram [P §4.2.1] but gives no
 * metric name, so `yolo_inference_duration_seconds` is the name the app must
 * publish (seconds, like the request histogram). On Kubernetes Prometheus
 * scrapes them from `/metrics` (the `_bucket` series, labelled by the
 * ServiceMonitor's `job`); on ECS the app must put them into CloudWatch
 * itself, namespace APP_NAMESPACE, dimension `ServiceName` (the ECS
 * service's name), unit Seconds: no exporter here does it, and until the app
 * publishes them the alarms have no data (treated as not breaching).
 */
export const APP_LATENCY_METRICS = {
  aiLatencyP95Ms: "ai_request_duration_seconds",
  inferenceP95Ms: "yolo_inference_duration_seconds",
  inferenceP95CriticalMs: "yolo_inference_duration_seconds",
} as const;
export type AppLatencyKey = keyof typeof APP_LATENCY_METRICS;

/** SLO-1: the CloudWatch namespace of the app's own metrics on ECS (APP_LATENCY_METRICS). */
export const APP_NAMESPACE = "RunbookPlatform/App";

/** SLO-1: one of the app's own latency histograms in CloudWatch, at a percentile (seconds). */
export const appLatency = <V>(
  serviceName: V,
  metricName: string,
  stat: string,
  periodSeconds = 60,
): MetricSpec<V> => ({
  namespace: APP_NAMESPACE,
  metricName,
  dimensions: { ServiceName: serviceName },
  stat,
  periodSeconds,
  unit: "Seconds",
});

/** ECS-5, SLO-3: the load balancer's target response time at a percentile, or a percentile rank `PR(:s)` (seconds). */
export const targetResponseTime = <V>(loadBalancer: V, stat: string, periodSeconds = 60): MetricSpec<V> => ({
  namespace: ALB,
  metricName: "TargetResponseTime",
  dimensions: { LoadBalancer: loadBalancer },
  stat,
  periodSeconds,
  unit: "Seconds",
});

/**
 * SLO-3: percent of requests answered with a 5xx: the targets' own 5xx and
 * the load balancer's (502/503/504 when no target could answer), over the
 * requests the load balancer handled. `RequestCount` counts only requests a
 * target was chosen for, so the ELB's 5xx are added to the denominator too.
 * No 5xx is 0; no requests is no data (division by zero), which each alarm
 * treats explicitly.
 */
export const errorRatePct = <V>(loadBalancer: V, periodSeconds = 60): MathSpec<V> => {
  const m = (metricName: string): MetricSpec<V> => ({
    namespace: ALB,
    metricName,
    dimensions: { LoadBalancer: loadBalancer },
    stat: "Sum",
    periodSeconds,
  });
  return {
    expression: "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0))",
    label: "5xx, % of requests",
    metrics: {
      target5xx: m("HTTPCode_Target_5XX_Count"),
      elb5xx: m("HTTPCode_ELB_5XX_Count"),
      requests: m("RequestCount"),
    },
  };
};

/** SLO-5: requests per period. */
export const requestCount = <V>(loadBalancer: V, periodSeconds = 60): MetricSpec<V> => ({
  namespace: ALB,
  metricName: "RequestCount",
  dimensions: { LoadBalancer: loadBalancer },
  stat: "Sum",
  periodSeconds,
});

/**
 * SLO-3 "service down": healthy targets, summed over the service's target
 * groups (a canary service alternates between two, so one alone would read 0
 * whenever the other is live).
 */
export const healthyHosts = <V>(
  loadBalancer: V,
  targetGroups: readonly V[],
  periodSeconds = 60,
): Signal<V> => {
  const m = (tg: V): MetricSpec<V> => ({
    namespace: ALB,
    metricName: "HealthyHostCount",
    dimensions: { TargetGroup: tg, LoadBalancer: loadBalancer },
    stat: "Minimum",
    periodSeconds,
  });
  if (targetGroups.length === 1) return m(targetGroups[0]);
  const ids = targetGroups.map((_, i) => `tg${i + 1}`);
  return {
    expression: ids.map((id) => `FILL(${id}, 0)`).join(" + "),
    label: "Healthy targets",
    metrics: Object.fromEntries(targetGroups.map((tg, i) => [ids[i], m(tg)])),
  };
};

/** ECS-2, ECS-6: the service's CPU and memory utilization, percent of the task size (AWS/ECS, average over tasks). */
export const serviceUtilization = <V>(
  cluster: V,
  service: V,
  resource: "CPU" | "Memory",
  periodSeconds = 60,
): MetricSpec<V> => ({
  namespace: "AWS/ECS",
  metricName: `${resource}Utilization`,
  dimensions: { ClusterName: cluster, ServiceName: service },
  stat: "Average",
  periodSeconds,
  unit: "Percent",
});

const insights = <V>(
  cluster: V,
  service: V,
  metricName: string,
  stat: string,
  periodSeconds: number,
): MetricSpec<V> => ({
  namespace: "ECS/ContainerInsights",
  metricName,
  dimensions: { ClusterName: cluster, ServiceName: service },
  stat,
  periodSeconds,
});

/**
 * SLO-1 memory objective (MiB per instance): Container Insights' memory in
 * use by the service's tasks divided by the tasks running, i.e. MiB per task,
 * the unit of the table's `memoryMb`.
 */
export const memoryPerTaskMb = <V>(cluster: V, service: V, periodSeconds = 60): MathSpec<V> => ({
  expression: "used / tasks",
  label: "Memory per task (MiB)",
  metrics: {
    used: insights(cluster, service, "MemoryUtilized", "Sum", periodSeconds),
    tasks: insights(cluster, service, "RunningTaskCount", "Average", periodSeconds),
  },
});

/** SLO-5 container health and scaling events: running vs desired tasks (Container Insights). */
export const taskCounts = <V>(cluster: V, service: V, periodSeconds = 60) => ({
  running: insights(cluster, service, "RunningTaskCount", "Average", periodSeconds),
  desired: insights(cluster, service, "DesiredTaskCount", "Average", periodSeconds),
  pending: insights(cluster, service, "PendingTaskCount", "Average", periodSeconds),
});

/** SLO-3: days until the ACM certificate expires (published once a day). */
export const certificateDaysToExpiry = <V>(certificateArn: V): MetricSpec<V> => ({
  namespace: "AWS/CertificateManager",
  metricName: "DaysToExpiry",
  dimensions: { CertificateArn: certificateArn },
  stat: "Minimum",
  periodSeconds: 86400,
});

/** SLO-7: the Route 53 health check (metrics only in us-east-1): 1 healthy, 0 failing. */
export const healthCheckStatus = <V>(healthCheckId: V, periodSeconds = 60): MetricSpec<V> => ({
  namespace: "AWS/Route53",
  metricName: "HealthCheckStatus",
  dimensions: { HealthCheckId: healthCheckId },
  stat: "Minimum",
  periodSeconds,
});

/** SLO-1 uptime: percent of Route 53's checkers that found the endpoint healthy, averaged over the period. */
export const healthCheckPercentHealthy = <V>(healthCheckId: V, periodSeconds: number): MetricSpec<V> => ({
  namespace: "AWS/Route53",
  metricName: "HealthCheckPercentageHealthy",
  dimensions: { HealthCheckId: healthCheckId },
  stat: "Average",
  periodSeconds,
  unit: "Percent",
});

/** SLO-3: RDS metric of one DB instance. */
export const rds = <V>(
  instance: V,
  metricName: string,
  stat: string,
  periodSeconds = 60,
  unit?: string,
): MetricSpec<V> => ({
  namespace: "AWS/RDS",
  metricName,
  dimensions: { DBInstanceIdentifier: instance },
  stat,
  periodSeconds,
  ...(unit ? { unit } : {}),
});

/** SLO-3: DocumentDB metric aggregated over the cluster's instances. */
export const docdb = <V>(
  cluster: V,
  metricName: string,
  stat: string,
  periodSeconds = 60,
): MetricSpec<V> => ({
  namespace: "AWS/DocDB",
  metricName,
  dimensions: { DBClusterIdentifier: cluster },
  stat,
  periodSeconds,
});

/** SLO-3: one ElastiCache metric, the worst node of the replication group (metrics are per node). */
export const redisWorstNode = <V>(
  nodeIds: readonly V[],
  metricName: string,
  stat: string,
  periodSeconds = 60,
): Signal<V> => {
  const m = (node: V): MetricSpec<V> => ({
    namespace: "AWS/ElastiCache",
    metricName,
    dimensions: { CacheClusterId: node },
    stat,
    periodSeconds,
  });
  if (nodeIds.length === 1) return m(nodeIds[0]);
  return {
    expression: `MAX([${nodeIds.map((_, i) => `n${i + 1}`).join(", ")}])`,
    label: `${metricName} (worst node)`,
    metrics: Object.fromEntries(nodeIds.map((n, i) => [`n${i + 1}`, m(n)])),
  };
};

/** SLO-5 cache hit rate, percent, over all nodes. */
export const redisHitRatePct = <V>(nodeIds: readonly V[], periodSeconds = 60): MathSpec<V> => {
  const metrics: Record<string, MetricSpec<V>> = {};
  nodeIds.forEach((node, i) => {
    for (const [id, name] of [
      ["h", "CacheHits"],
      ["x", "CacheMisses"],
    ] as const)
      metrics[`${id}${i + 1}`] = {
        namespace: "AWS/ElastiCache",
        metricName: name,
        dimensions: { CacheClusterId: node },
        stat: "Sum",
        periodSeconds,
      };
  });
  const sum = (p: string) => nodeIds.map((_, i) => `FILL(${p}${i + 1}, 0)`).join(" + ");
  return {
    expression: `100 * (${sum("h")}) / (${sum("h")} + ${sum("x")})`,
    label: "Cache hit rate %",
    metrics,
  };
};

/**
 * CACHE-1, CACHE-4: the node ids (CacheClusterId) ElastiCache gives a
 * replication group's members: `<group>-001`… without cluster mode,
 * `<group>-0001-001`… (shard, then node) with it.
 */
export function redisNodeIds(
  groupId: string,
  {
    clusterMode,
    shards,
    replicasPerShard,
  }: { clusterMode: boolean; shards: number; replicasPerShard: number },
): string[] {
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const nodes = Array.from({ length: 1 + replicasPerShard }, (_, i) => i + 1);
  if (!clusterMode) return nodes.map((n) => `${groupId}-${pad(n, 3)}`);
  return Array.from({ length: shards }, (_, s) => s + 1).flatMap((s) =>
    nodes.map((n) => `${groupId}-${pad(s, 4)}-${pad(n, 3)}`),
  );
}
