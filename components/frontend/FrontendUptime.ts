import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AlarmMeta,
  AlarmRule,
  SeverityTopics,
  alarmDescription,
  windowing,
} from "../observability/alarmPolicy";
import { alarmMetric } from "../observability/metrics";
import { ServiceAlarms, ServicePlatformRules } from "../observability/ServiceAlarms";

type Input = pulumi.Input<string>;

/** SLO-7: Route 53 publishes health-check metrics (and so their alarms live) in us-east-1 only. */
const ROUTE53_METRICS_REGION = "us-east-1";

export interface FrontendUptimeArgs {
  /** FE-5, SLO-1: the front end's name in the SLO table (tag `slo:service`). */
  readonly frontend: string;
  /** FE-3, FE-5: the production custom domain the check requests. */
  readonly domain: string;
  /** FE-5: the path it requests over HTTPS [H §Frontend Health Check: `/api/health`]. */
  readonly healthPath: string;
  /** FE-5: availability: the uptime objective's row (percent). */
  readonly uptime: AlarmRule;
  /** FE-5: page load: the objective's row (ms), watched through the check's time to first byte. @default none */
  readonly pageLoad?: AlarmRule;
  /**
   * SLO-3, SLO-7: the health check's interval and failure count, and the
   * route of its "down" alarm (a Vercel rollback, not a task restart).
   */
  readonly down: AlarmMeta & { readonly requestIntervalSeconds: 10 | 30; readonly failureThreshold: number };
  /** SLO-4: base of the runbook links in descriptions. */
  readonly runbookBaseUrl: string;
  /** SLO-2: the stack Region's topic per severity. */
  readonly topics: SeverityTopics<Input>;
  /** SLO-2, SLO-7: the topics per severity in us-east-1. Required unless `region` is us-east-1. @default none */
  readonly usEast1Topics?: SeverityTopics<Input>;
  /** The stack's Region. */
  readonly region: string;
  /** SLO-7: what must exist before Route 53 probes `domain`: its project domain and DNS record. @default [] */
  readonly dependsOn?: readonly pulumi.Input<pulumi.Resource>[];
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * FE-5: a front end watched like an API's public endpoint (SLO-7): a Route
 * 53 HTTPS health check of `https://<domain><healthPath>` every 30 s, down
 * after 3 failures, with the alarms ServiceAlarms gives a service whose only
 * signal is that check (its status, the availability objective and its
 * error-budget burn, in us-east-1, to the stack's severity topics), plus the
 * page-load objective: Route 53's average time to first byte over the
 * objective's window above its figure (a first byte later than the figure
 * is a page later than it; the page itself is not measured from AWS).
 */
export class FrontendUptime extends pulumi.ComponentResource {
  /** SLO-7: the Route 53 health check. */
  public readonly healthCheckId: pulumi.Output<string>;
  /** Alarm names by role (ServiceAlarms' and `page-load`). */
  public readonly alarmNames: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: FrontendUptimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:frontend:FrontendUptime", name, {}, opts);
    const baseTags = args.tags ?? {};
    // Only the rows a front end has: no load balancer, tasks or certificate of ours (Vercel's own).
    const unused: AlarmRule = { ...args.down, threshold: 0 };
    const rules: ServicePlatformRules = {
      errorRatePagePct: unused,
      memoryPct: unused,
      memoryCriticalPct: unused,
      down: args.down,
      certificate: { expiryWarningDays: unused, expiryDays: unused },
    };
    const alarms = new ServiceAlarms(
      `${name}-alarms`,
      {
        service: args.frontend,
        slo: { uptimePct: args.uptime },
        rules,
        runbookBaseUrl: args.runbookBaseUrl,
        topics: args.topics,
        healthCheck: true,
        usEast1Topics: args.usEast1Topics,
        region: args.region,
        domain: args.domain,
        healthCheckPath: args.healthPath,
        healthCheckDependsOn: args.dependsOn ?? [],
        tags: baseTags,
      },
      { parent: this },
    );
    const healthCheckId = alarms.healthCheckId;
    if (healthCheckId === undefined) throw new Error(`${name}: ServiceAlarms made no health check`);
    const names: Record<string, pulumi.Output<string>> = { ...alarms.alarmNames };

    const row = args.pageLoad;
    if (row) {
      const topics =
        args.region === ROUTE53_METRICS_REGION ? args.topics : (args.usEast1Topics ?? args.topics);
      const topic = [topics[row.severity]];
      const w = windowing(row.evaluationMinutes);
      const alarmName = `${name}-page-load`;
      const url = `https://${args.domain}${args.healthPath}`;
      const alarm = new aws.cloudwatch.MetricAlarm(
        alarmName,
        {
          name: alarmName,
          alarmDescription: alarmDescription(
            `${args.frontend} (${args.domain}): Route 53's time to first byte of ${url} above ${row.threshold} ms on average over ${row.evaluationMinutes} min (page load objective)`,
            row,
            args.runbookBaseUrl,
          ),
          ...alarmMetric({
            namespace: "AWS/Route53",
            metricName: "TimeToFirstByte",
            dimensions: { HealthCheckId: healthCheckId },
            stat: "Average",
            periodSeconds: w.period,
            unit: "Milliseconds",
          }),
          comparisonOperator: "GreaterThanThreshold",
          threshold: row.threshold,
          evaluationPeriods: w.evaluationPeriods,
          datapointsToAlarm: w.datapointsToAlarm,
          // No first byte measured is the down alarms' business (the check failing), not a slow page.
          treatMissingData: "notBreaching",
          alarmActions: topic,
          okActions: topic,
          region: args.region === ROUTE53_METRICS_REGION ? undefined : ROUTE53_METRICS_REGION,
          tags: {
            ...baseTags,
            Name: alarmName,
            Severity: row.severity,
            "slo:service": args.frontend,
            "slo:objective": "pageLoadMs",
          },
        },
        { parent: this },
      );
      names["page-load"] = alarm.name;
    }

    this.healthCheckId = healthCheckId;
    this.alarmNames = names;
    this.registerOutputs({ healthCheckId, alarmNames: names });
  }
}
