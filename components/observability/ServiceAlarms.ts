import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SloObjectives } from "../../policies/lib/slo";
import {
  AlarmMeta,
  AlarmRule,
  BURN_WINDOWS,
  SeverityTopics,
  alarmDescription,
  burnThresholdPct,
  windowing,
} from "./alarmPolicy";
import {
  APP_LATENCY_METRICS,
  AppLatencyKey,
  Signal,
  alarmMetric,
  appLatency,
  certificateDaysToExpiry,
  errorRatePct,
  healthCheckPercentHealthy,
  healthCheckStatus,
  healthyHosts,
  memoryPerTaskMb,
  rds,
  serviceUtilization,
  targetResponseTime,
} from "./metrics";

type Input = pulumi.Input<string>;
type Key = keyof SloObjectives;

/** SLO-1: a service's SLO table: one alarm row per objective (config's `services.<name>.slo`). */
export type SloRules = { readonly [K in Key]?: AlarmRule };

/** SLO-3, SLO-7: the platform's per-service rows (config's `alarms.service` and `alarms.certificate`). */
export interface ServicePlatformRules {
  readonly errorRatePagePct: AlarmRule;
  readonly memoryPct: AlarmRule;
  readonly memoryCriticalPct: AlarmRule;
  readonly down: AlarmMeta & { readonly requestIntervalSeconds: 10 | 30; readonly failureThreshold: number };
  readonly certificate: { readonly expiryWarningDays: AlarmRule; readonly expiryDays: AlarmRule };
}

export interface ServiceAlarmsArgs {
  /** SLO-1: the service's name in the SLO table (tag `slo:service`). */
  readonly service: string;
  /** SLO-1: the service's SLO table; every objective it sets gets the alarm tagged with it. */
  readonly slo: SloRules;
  /** SLO-3: the platform thresholds. */
  readonly rules: ServicePlatformRules;
  /** SLO-4: base of the runbook links in descriptions. */
  readonly runbookBaseUrl: string;
  /** SLO-2, SLO-4: the stack Region's topic per severity. */
  readonly topics: SeverityTopics<Input>;
  /**
   * SLO-7: a Route 53 health check of the public endpoint, with its alarms in
   * us-east-1. Off, uptime is watched by healthy targets only (DR-2: a stack
   * that must not depend on us-east-1). @default true
   */
  readonly healthCheck?: boolean;
  /**
   * SLO-7: the topics per severity in us-east-1, where Route 53 health-check
   * metrics (and so their alarms) live. Required with `healthCheck` unless
   * `region` is us-east-1. @default none
   */
  readonly usEast1Topics?: SeverityTopics<Input>;
  /** The stack's Region (the composite "service down" joins alarms of one Region only). */
  readonly region: string;
  /**
   * The load-balanced ECS service's metrics: latency, errors, CPU, memory,
   * certificate and healthy hosts. Absent for a service on Kubernetes, whose
   * Prometheus rules watch those (SLO-6, components/kubernetes/prometheusRules.ts):
   * only the database latency and the Route 53 uptime alarms remain here.
   * @default none
   */
  readonly ecs?: EcsSignals;
  /** SLO-7: the public name the health check requests. */
  readonly domain: string;
  /**
   * SLO-7: what must exist before Route 53 probes `domain`: its DNS record
   * when the stack creates one (the Record named `domain`), and what answers
   * behind it (the ECS service, the Ingress). A check created earlier fails
   * from its first probe and its alarms page on a first deploy. @default []
   */
  readonly healthCheckDependsOn?: readonly pulumi.Input<pulumi.Resource>[];
  /** APP-2: the liveness path. @default "/health" */
  readonly healthCheckPath?: string;
  /** SLO-1 DB latency: the PostgreSQL instances the service reads and writes (primary first). @default [] */
  readonly databaseInstanceIds?: Input[];
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Where an ECS service's metrics come from (ECS-2, ECS-5). */
export interface EcsSignals {
  readonly loadBalancerArnSuffix: Input;
  /** The service's target groups (two for a canary service). */
  readonly targetGroupArnSuffixes: Input[];
  readonly clusterName: Input;
  readonly serviceName: Input;
  /** ECS-5: the service's certificate (ACM DaysToExpiry). */
  readonly certificateArn: Input;
}

/** What `treatMissingData` means for an alarm, with the reason (SLO-3). */
type Missing = "notBreaching" | "breaching" | "missing" | "ignore";

interface AlarmSpec {
  readonly role: string;
  readonly what: string;
  readonly signal: Signal<Input>;
  readonly threshold: number;
  readonly above: boolean;
  readonly meta: AlarmMeta;
  readonly missing: Missing;
  readonly objective?: Key;
  /** Topics to notify instead of the severity's own (children of composites). */
  readonly topics?: SeverityTopics<Input>;
  readonly region?: string;
  readonly window?: { period: number; evaluationPeriods: number; datapointsToAlarm: number };
}

/**
 * SLO-3, SLO-4, SLO-7: the alarms of one API service on ECS, every
 * threshold from its SLO table (`slo`) or the platform rows (`rules`):
 *
 * - latency: ALB `TargetResponseTime` p95 and p99 (seconds: the table's ms /
 *   1000) over the objective and over critical;
 * - errors: 5xx share of requests (targets' and the ALB's own 5xx, metric
 *   math) over errorRatePct, errorRateCriticalPct and the platform's P0
 *   page line (errorRatePagePct, 5 % for 5 min);
 * - CPU (AWS/ECS CPUUtilization, percent, the table's unit) over cpuPct and
 *   cpuCriticalPct; memory in MiB per task (Container Insights
 *   MemoryUtilized / RunningTaskCount, the table's unit) over memoryMb and
 *   memoryCriticalMb, and AWS/ECS MemoryUtilization over 90 %/95 %;
 * - DB latency: RDS Read/WriteLatency of the service's PostgreSQL over
 *   dbLatencyP95Ms and dbLatencyP95CriticalMs. RDS publishes these as
 *   averages per minute, not percentiles: an average over the p95 objective
 *   is a stricter alarm than the p95 itself would be (a mean above a figure
 *   means many requests were above it), so the average stands in for p95;
 *   the true p95 lives in Performance Insights and the app's own metrics;
 * - certificate: ACM `DaysToExpiry` below the warning and the P1 days;
 * - uptime (SLO-7): a Route 53 HTTPS health check on
 *   `https://<domain>/health` every 30 s, 3 failures; an alarm on its
 *   status, one on `HealthCheckPercentageHealthy` below uptimePct, and a
 *   composite "service down" (no healthy target OR health check failing);
 * - error budgets: multi-window, multi-burn-rate alerts (BURN_WINDOWS) for
 *   the error-rate and uptime objectives, and for latency objectives on the
 *   share of slow requests, which CloudWatch gives directly as the percentile
 *   rank statistic `PR(:t)` of TargetResponseTime (the percent of requests
 *   at or under t seconds): slow share = 100 - PR.
 *
 * Each alarm that guards an objective is tagged `slo:service`/`slo:objective`.
 * Every alarm notifies its severity's topic on ALARM and OK; the window
 * alarms under a composite notify the P3 (record) topic, the composite pages.
 */
export class ServiceAlarms extends pulumi.ComponentResource {
  /** Alarm names by role, for deployment gates (ECS-10) and tests. */
  public readonly alarmNames: Readonly<Record<string, pulumi.Output<string>>>;
  /** SLO-7: undefined without the health check. */
  public readonly healthCheckId: pulumi.Output<string> | undefined;

  constructor(name: string, args: ServiceAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:ServiceAlarms", name, {}, opts);
    const slo = args.slo;
    const rules = args.rules;
    const healthPath = args.healthCheckPath ?? "/health";
    const dbs = args.databaseInstanceIds ?? [];
    const baseTags = args.tags ?? {};
    const parent = { parent: this };
    const ecs = args.ecs;
    const svc = `${args.service} (${args.domain})`;
    const names: Record<string, pulumi.Output<string>> = {};
    const withHealthCheck = args.healthCheck ?? true;
    const healthCheckDependsOn = args.healthCheckDependsOn ?? [];
    /** An alarm notifies topics of its own Region only: the stack's, or us-east-1's for health-check alarms. */
    const topicsIn = (region: string | undefined): SeverityTopics<Input> => {
      if (region === undefined || region === args.region) return args.topics;
      if (args.usEast1Topics === undefined) throw new Error(`${name}: no alert topics in ${region}`);
      return args.usEast1Topics;
    };

    const create = (a: AlarmSpec): aws.cloudwatch.MetricAlarm => {
      const w = a.window ?? windowing(a.meta.evaluationMinutes);
      const topics = a.topics ?? topicsIn(a.region);
      const topic = [topics[a.meta.severity]];
      const alarmName = `${name}-${a.role}`;
      const alarm = new aws.cloudwatch.MetricAlarm(
        alarmName,
        {
          name: alarmName,
          alarmDescription: alarmDescription(`${svc}: ${a.what}`, a.meta, args.runbookBaseUrl),
          ...alarmMetric(a.signal),
          ...("expression" in a.signal ? {} : { period: w.period }),
          comparisonOperator: a.above ? "GreaterThanThreshold" : "LessThanThreshold",
          threshold: a.threshold,
          evaluationPeriods: w.evaluationPeriods,
          datapointsToAlarm: w.datapointsToAlarm,
          treatMissingData: a.missing,
          alarmActions: topic,
          okActions: topic,
          region: a.region === args.region ? undefined : a.region,
          tags: {
            ...baseTags,
            Name: alarmName,
            Severity: a.meta.severity,
            ...(a.objective ? { "slo:service": args.service, "slo:objective": a.objective } : {}),
          },
        },
        parent,
      );
      names[a.role] = alarm.name;
      return alarm;
    };
    /** A metric-math signal's own periods follow the window too. */
    const periodic = <S extends Signal<Input>>(build: (period: number) => S, minutes: number) =>
      build(windowing(minutes).period);

    // ---- DB latency (SLO-1): RDS averages stand in for p95 (see above) ----
    for (const [key, label] of [
      ["dbLatencyP95Ms", "slo"],
      ["dbLatencyP95CriticalMs", "critical"],
    ] as [Key, string][]) {
      const row = slo[key];
      if (!row || dbs.length === 0) continue;
      for (const metric of ["ReadLatency", "WriteLatency"]) {
        create({
          role: `db-${metric === "ReadLatency" ? "read" : "write"}-${label}`,
          what: `PostgreSQL ${metric} (average) above ${row.threshold} ms for ${row.evaluationMinutes} min`,
          signal: periodic((p) => rds(dbs[0], metric, "Average", p, "Seconds"), row.evaluationMinutes),
          threshold: row.threshold / 1000,
          above: true,
          meta: row,
          // An idle database publishes 0, not nothing; missing data is a metrics gap, not latency.
          missing: "notBreaching",
          objective: key,
        });
      }
    }

    // ---- what only an ECS service behind its load balancer shows (absent on Kubernetes: SLO-6) ----
    if (ecs) {
      // ---- latency (SLO-1, SLO-3): p95/p99 over the objective and over critical ----
      const latency: [Key, string, string][] = [
        ["latencyP95Ms", "p95", "over the SLO"],
        ["latencyP95CriticalMs", "p95", "over critical"],
        ["latencyP99Ms", "p99", "over the SLO"],
        ["latencyP99CriticalMs", "p99", "over critical"],
      ];
      for (const [key, stat, label] of latency) {
        const row = slo[key];
        if (!row) continue;
        create({
          role: `${stat}-${key.includes("Critical") ? "critical" : "slo"}`,
          what: `${stat} latency above ${row.threshold} ms (${label}) for ${row.evaluationMinutes} min`,
          signal: periodic(
            (p) => targetResponseTime(ecs.loadBalancerArnSuffix, stat, p),
            row.evaluationMinutes,
          ),
          threshold: row.threshold / 1000,
          above: true,
          meta: row,
          // No requests, no latency: an idle service is not slow.
          missing: "notBreaching",
          objective: key,
        });
      }

      // ---- the app's own latencies (SLO-1): AI response time, YOLO inference, p95 ----
      for (const [key, role] of [
        ["aiLatencyP95Ms", "ai-p95-slo"],
        ["inferenceP95Ms", "inference-p95-slo"],
        ["inferenceP95CriticalMs", "inference-p95-critical"],
      ] as [AppLatencyKey, string][]) {
        const row = slo[key];
        if (!row) continue;
        const metric = APP_LATENCY_METRICS[key];
        create({
          role,
          what: `${metric} p95 above ${row.threshold} ms for ${row.evaluationMinutes} min`,
          signal: periodic((p) => appLatency(ecs.serviceName, metric, "p95", p), row.evaluationMinutes),
          threshold: row.threshold / 1000,
          above: true,
          meta: row,
          // No AI calls (or the app not publishing yet), no latency: not a breach.
          missing: "notBreaching",
          objective: key,
        });
      }

      // ---- 5xx rate (SLO-3): the objective, critical (P1 1 %) and the P0 page line (5 %) ----
      const errorRows: [string, AlarmRule, Key | undefined][] = [
        ...(slo.errorRatePct
          ? [["errors-slo", slo.errorRatePct, "errorRatePct"] as [string, AlarmRule, Key]]
          : []),
        ...(slo.errorRateCriticalPct
          ? [
              ["errors-critical", slo.errorRateCriticalPct, "errorRateCriticalPct"] as [
                string,
                AlarmRule,
                Key,
              ],
            ]
          : []),
        ["errors-page", rules.errorRatePagePct, undefined],
      ];
      for (const [role, row, objective] of errorRows) {
        create({
          role,
          what: `5xx above ${row.threshold} % of requests for ${row.evaluationMinutes} min`,
          signal: periodic((p) => errorRatePct(ecs.loadBalancerArnSuffix, p), row.evaluationMinutes),
          threshold: row.threshold,
          above: true,
          meta: row,
          // No requests is no data (0/0): nothing failed.
          missing: "notBreaching",
          objective,
        });
      }

      // ---- CPU and memory (SLO-1, SLO-3) ----
      for (const [key, label] of [
        ["cpuPct", "slo"],
        ["cpuCriticalPct", "critical"],
      ] as [Key, string][]) {
        const row = slo[key];
        if (!row) continue;
        create({
          role: `cpu-${label}`,
          what: `CPU above ${row.threshold} % of the task size for ${row.evaluationMinutes} min`,
          signal: periodic(
            (p) => serviceUtilization(ecs.clusterName, ecs.serviceName, "CPU", p),
            row.evaluationMinutes,
          ),
          threshold: row.threshold,
          above: true,
          meta: row,
          // No tasks report during a full outage, which the down alarms catch; here missing is not high CPU.
          missing: "notBreaching",
          objective: key,
        });
      }
      for (const [key, label] of [
        ["memoryMb", "slo"],
        ["memoryCriticalMb", "critical"],
      ] as [Key, string][]) {
        const row = slo[key];
        if (!row) continue;
        create({
          role: `memory-mib-${label}`,
          what: `memory above ${row.threshold} MiB per task for ${row.evaluationMinutes} min`,
          signal: periodic(
            (p) => memoryPerTaskMb(ecs.clusterName, ecs.serviceName, p),
            row.evaluationMinutes,
          ),
          threshold: row.threshold,
          above: true,
          meta: row,
          // No running task is no memory in use; the down alarms catch that.
          missing: "notBreaching",
          objective: key,
        });
      }
      for (const [role, row] of [
        ["memory-pct", rules.memoryPct],
        ["memory-pct-critical", rules.memoryCriticalPct],
      ] as [string, AlarmRule][]) {
        create({
          role,
          what: `memory above ${row.threshold} % of the task size for ${row.evaluationMinutes} min`,
          signal: periodic(
            (p) => serviceUtilization(ecs.clusterName, ecs.serviceName, "Memory", p),
            row.evaluationMinutes,
          ),
          threshold: row.threshold,
          above: true,
          meta: row,
          // As for CPU: absence is an outage the down alarms own.
          missing: "notBreaching",
        });
      }

      // ---- certificate expiry (SLO-3 [P §6.4.2]) ----
      for (const [role, row] of [
        ["cert-warning", rules.certificate.expiryWarningDays],
        ["cert-expiry", rules.certificate.expiryDays],
      ] as [string, AlarmRule][]) {
        create({
          role,
          what: `TLS certificate expires in fewer than ${row.threshold} days`,
          signal: certificateDaysToExpiry(ecs.certificateArn),
          threshold: row.threshold,
          above: false,
          meta: row,
          // ACM stops publishing DaysToExpiry for a deleted or failed certificate: silence is the danger.
          missing: "breaching",
          window: { period: 86400, evaluationPeriods: 1, datapointsToAlarm: 1 },
        });
      }
    }

    // ---- service down (SLO-3, SLO-7) ----
    const healthCheck = !withHealthCheck
      ? undefined
      : new aws.route53.HealthCheck(
          `${name}-health`,
          {
            type: "HTTPS",
            fqdn: args.domain,
            port: 443,
            resourcePath: healthPath,
            requestInterval: rules.down.requestIntervalSeconds,
            failureThreshold: rules.down.failureThreshold,
            enableSni: true,
            measureLatency: true,
            tags: { ...baseTags, Name: `${name}-health` },
          },
          { parent: this, dependsOn: [...healthCheckDependsOn] },
        );
    const down = rules.down;
    // One Region: the composite and both children; elsewhere (or with no health
    // check) each child pages on its own.
    const composite = healthCheck !== undefined && ecs !== undefined && args.region === "us-east-1";
    const record = composite ? { ...down, severity: "P3" as const } : down;
    const hosts =
      ecs &&
      create({
        role: "no-healthy-hosts",
        what: "no healthy target behind the load balancer",
        signal: healthyHosts(ecs.loadBalancerArnSuffix, ecs.targetGroupArnSuffixes),
        threshold: 1,
        above: false,
        meta: composite ? { ...record, firstAction: `part of ${name}-down. ${down.firstAction}` } : down,
        // The ALB stops publishing HealthyHostCount when nothing is registered: that is down.
        missing: "breaching",
        window: {
          period: 60,
          evaluationPeriods: down.evaluationMinutes,
          datapointsToAlarm: down.evaluationMinutes,
        },
      });
    const failing =
      healthCheck &&
      create({
        role: "health-check",
        what: `Route 53 health check of https://${args.domain}${healthPath} failing ${down.failureThreshold}x`,
        signal: healthCheckStatus(healthCheck.id),
        threshold: 1,
        above: false,
        meta: composite ? { ...record, firstAction: `part of ${name}-down. ${down.firstAction}` } : down,
        // Route 53 publishes every minute while the check exists; silence means the check is gone.
        missing: "breaching",
        region: "us-east-1",
        window: {
          period: 60,
          evaluationPeriods: down.evaluationMinutes,
          datapointsToAlarm: down.evaluationMinutes,
        },
      });
    if (composite && hosts && failing) {
      const topic = [args.topics[down.severity]];
      const downAlarm = new aws.cloudwatch.CompositeAlarm(
        `${name}-down`,
        {
          alarmName: `${name}-down`,
          alarmDescription: alarmDescription(
            `${svc}: service down (no healthy target, or the health check failing ${down.failureThreshold}x)`,
            down,
            args.runbookBaseUrl,
          ),
          alarmRule: pulumi.interpolate`ALARM("${hosts.name}") OR ALARM("${failing.name}")`,
          alarmActions: topic,
          okActions: topic,
          tags: { ...baseTags, Name: `${name}-down`, Severity: down.severity },
        },
        parent,
      );
      names.down = downAlarm.alarmName;
    }

    // ---- uptime objective (SLO-1, SLO-7) ----
    const uptime = slo.uptimePct;
    if (uptime && !healthCheck && ecs) {
      // DR-2: no health check: the objective is watched by the targets alone,
      // alarming as soon as none is healthy (no uptime objective tolerates an
      // outage; the pack reads a HealthyHostCount alarm so). The public path
      // (DNS, certificate, WAF) goes unwatched.
      create({
        role: "uptime-slo",
        what: `no healthy target behind the load balancer (uptime objective ${uptime.threshold} %, no Route 53 health check)`,
        signal: healthyHosts(ecs.loadBalancerArnSuffix, ecs.targetGroupArnSuffixes),
        threshold: 1,
        above: false,
        meta: uptime,
        // As for no-healthy-hosts: the ALB stops publishing when nothing is registered.
        missing: "breaching",
        objective: "uptimePct",
        window: {
          period: 60,
          evaluationPeriods: uptime.evaluationMinutes,
          datapointsToAlarm: uptime.evaluationMinutes,
        },
      });
    } else if (uptime && healthCheck) {
      create({
        role: "uptime-slo",
        what: `Route 53 checkers finding it healthy below ${uptime.threshold} % over ${uptime.evaluationMinutes} min`,
        signal: healthCheckPercentHealthy(healthCheck.id, windowing(uptime.evaluationMinutes).period),
        threshold: uptime.threshold,
        above: false,
        meta: uptime,
        // As for the health check alarm: no data means the check is gone.
        missing: "breaching",
        objective: "uptimePct",
        region: "us-east-1",
      });
    }

    // ---- error budgets: multi-window, multi-burn-rate (SLO-3) ----
    const burn = (
      role: string,
      what: string,
      row: AlarmRule,
      budgetPct: number,
      region: string,
      windowSignal: (
        periodSeconds: number,
        threshold: number,
      ) => { signal: Signal<Input>; threshold: number; above: boolean },
      missing: Missing,
    ) => {
      const topics = topicsIn(region);
      for (const w of BURN_WINDOWS) {
        const bad = burnThresholdPct(budgetPct, w.burnRate);
        const meta: AlarmMeta = { ...row, severity: w.severity };
        const child = (span: "long" | "short", seconds: number) => {
          const s = windowSignal(seconds, bad);
          return create({
            role: `${role}-burn-${w.name}-${span}`,
            what: `${what} burning the error budget ${w.burnRate}x over ${seconds / 60} min (${span} window of ${name}-${role}-burn-${w.name})`,
            signal: s.signal,
            threshold: s.threshold,
            above: s.above,
            meta: { ...meta, severity: "P3" },
            missing,
            region: region === args.region ? undefined : region,
            topics: { ...topics },
            window: { period: seconds, evaluationPeriods: 1, datapointsToAlarm: 1 },
          });
        };
        const long = child("long", w.longSeconds);
        const short = child("short", w.shortSeconds);
        const topic = [topics[w.severity]];
        const page = new aws.cloudwatch.CompositeAlarm(
          `${name}-${role}-burn-${w.name}`,
          {
            alarmName: `${name}-${role}-burn-${w.name}`,
            alarmDescription: alarmDescription(
              `${svc}: ${what} burning its error budget ${w.burnRate}x over ${w.longSeconds / 3600} h and ${w.shortSeconds / 60} min`,
              meta,
              args.runbookBaseUrl,
            ),
            alarmRule: pulumi.interpolate`ALARM("${long.name}") AND ALARM("${short.name}")`,
            alarmActions: topic,
            okActions: topic,
            region: region === args.region ? undefined : region,
            tags: { ...baseTags, Name: `${name}-${role}-burn-${w.name}`, Severity: w.severity },
          },
          parent,
        );
        names[`${role}-burn-${w.name}`] = page.alarmName;
      }
    };
    if (ecs && slo.errorRatePct) {
      burn(
        "errors",
        `5xx (objective ${slo.errorRatePct.threshold} %)`,
        slo.errorRatePct,
        slo.errorRatePct.threshold,
        args.region,
        (p, bad) => ({ signal: errorRatePct(ecs.loadBalancerArnSuffix, p), threshold: bad, above: true }),
        // No requests: nothing burnt.
        "notBreaching",
      );
    }
    if (uptime && healthCheck) {
      burn(
        "uptime",
        `availability (objective ${uptime.threshold} %)`,
        uptime,
        Math.round((100 - uptime.threshold) * 1e6) / 1e6,
        "us-east-1",
        (p, bad) => ({
          signal: healthCheckPercentHealthy(healthCheck.id, p),
          threshold: 100 - bad,
          above: false,
        }),
        // The check always reports; silence means it is gone.
        "breaching",
      );
    }
    // The latency budgets read the load balancer (ECS); on Kubernetes they are PrometheusRules.
    if (ecs) {
      for (const [key, percentile] of [
        ["latencyP95Ms", 95],
        ["latencyP99Ms", 99],
      ] as [Key, number][]) {
        const row = slo[key];
        if (!row) continue;
        const seconds = row.threshold / 1000;
        burn(
          `slow-p${percentile}`,
          `requests slower than ${row.threshold} ms (objective: ${percentile} % faster)`,
          row,
          100 - percentile,
          args.region,
          // PR(:t) is the percent of requests at or under t seconds; slow share above `bad` = PR below 100 - bad.
          (p, bad) => ({
            signal: targetResponseTime(ecs.loadBalancerArnSuffix, `PR(:${seconds})`, p),
            threshold: Math.round((100 - bad) * 1e6) / 1e6,
            above: false,
          }),
          // No requests: nothing slow.
          "notBreaching",
        );
      }
    }

    this.alarmNames = names;
    this.healthCheckId = healthCheck?.id;
    this.registerOutputs({ alarmNames: this.alarmNames, healthCheckId: this.healthCheckId });
  }
}
