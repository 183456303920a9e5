/**
 * Pricers for operations and security (issue 20): CloudWatch alarms
 * (standard, high resolution, composite), dashboards and log groups (SLO-1..7,
 * ECS-4, NET-5), SNS alert topics and their deliveries (SLO-2), KMS keys and
 * Secrets Manager secrets (APP-4).
 */
import { AssumptionKey } from "./assumptions";
import { DAYS_PER_MONTH, Pricer, arr, fmt, line, num, obj, str } from "./model";

/** Each metric an alarm watches is billed (an expression over two metrics costs two); periods under 60 s are high resolution. */
export const metricAlarm: Pricer = (r, ctx) => {
  const queries = arr(r.inputs.metricQueries).map(obj);
  const metrics =
    queries.length > 0 ? queries.filter((q) => q.metric !== undefined).map((q) => obj(q.metric)) : [r.inputs];
  const highRes = metrics.some((m) => (num(m.period) ?? 60) < 60);
  const n = Math.max(metrics.length, 1);
  const key = highRes ? "cloudwatch.alarm.highRes.metricMonth" : "cloudwatch.alarm.standard.metricMonth";
  return {
    lines: [
      line(ctx, `${highRes ? "high" : "standard"}-resolution alarm, ${n} metric(s)`, n, key, ctx.regionOf(r)),
    ],
  };
};

export const compositeAlarm: Pricer = (r, ctx) => ({
  lines: [line(ctx, "composite alarm", 1, "cloudwatch.alarm.composite.month", ctx.regionOf(r))],
});

export const dashboard: Pricer = (r, ctx) => ({
  lines: [
    line(
      ctx,
      "dashboard (the account's 3 free ones not applied)",
      1,
      "cloudwatch.dashboard.month",
      ctx.regionOf(r),
    ),
  ],
});

/** Which volume assumption a log group's name stands for. */
const LOG_KINDS: readonly [RegExp, AssumptionKey][] = [
  [/^\/aws\/eks\/.+\/cluster$/, "eksControlPlaneLogsGbPerMonth"],
  [/^\/vpc\/.+\/flow-logs$/, "flowLogsGbPerMonth"],
  [/^\/aws\/rds\/instance\/.+\/postgresql$/, "postgresLogsGbPerMonth"],
  [/^\/aws\/docdb\//, "documentDbLogsGbPerLogGroupPerMonth"],
  [/^\/aws\/elasticache\//, "redisLogsGbPerLogGroupPerMonth"],
  [/^\/ecs\//, "appLogsGbPerMonth"],
  [/^aws-waf-logs-/, "wafLogsGbPerMonth"],
];

/** Ingestion of a month's volume, and storage of what the retention keeps (uncompressed: an upper bound). */
export const logGroup: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const name = str(r.inputs.name) ?? r.name;
  const key = LOG_KINDS.find(([re]) => re.test(name))?.[1] ?? "otherLogsGbPerLogGroupPerMonth";
  const gb = ctx.assumptions[key].value;
  const retention = num(r.inputs.retentionInDays);
  // Never-expiring groups are priced as holding a year of logs.
  const months = retention !== undefined && retention > 0 ? retention / DAYS_PER_MONTH : 12;
  return {
    lines: [
      line(ctx, `ingestion, ${fmt(gb)} GB (assumption ${key})`, gb, "cloudwatch.logs.ingest.gb", region),
      line(
        ctx,
        `storage, ${fmt(months)} months kept (${retention ?? "never expires: 365"} days)`,
        gb * months,
        "cloudwatch.logs.storage.gbMonth",
        region,
      ),
    ],
  };
};

/** Publishes to an alert topic: one per notification its subscriptions receive. */
export const snsTopic: Pricer = (r, ctx) => {
  const name = str(r.inputs.name) ?? r.id ?? r.name;
  const subs = ctx
    .ofType("aws:sns/topicSubscription:TopicSubscription")
    .filter((s) => str(s.inputs.topic)?.endsWith(`:${name}`));
  const n = ctx.assumptions.alertNotificationsPerSubscriptionPerMonth.value;
  if (subs.length === 0)
    return { free: "a topic without subscriptions in this stack publishes nothing priced here" };
  return {
    lines: [
      line(ctx, `publishes, ${fmt(n)} a month (assumption)`, n / 1e6, "sns.publish.million", ctx.regionOf(r)),
    ],
  };
};

export const snsSubscription: Pricer = (r, ctx) => {
  const protocol = str(r.inputs.protocol) ?? "unknown";
  const n = ctx.assumptions.alertNotificationsPerSubscriptionPerMonth.value;
  const region = ctx.regionOf(r);
  if (protocol === "email" || protocol === "email-json") {
    return {
      lines: [
        line(ctx, `email deliveries, ${fmt(n)} a month (assumption)`, n / 1e5, "sns.email.100k", region),
      ],
    };
  }
  if (protocol === "http" || protocol === "https") {
    return {
      lines: [
        line(ctx, `HTTP/S deliveries, ${fmt(n)} a month (assumption)`, n / 1e6, "sns.https.million", region),
      ],
    };
  }
  if (protocol === "sqs" || protocol === "lambda" || protocol === "firehose") {
    return { free: `deliveries to ${protocol} carry no SNS charge` };
  }
  return { unpriced: `${protocol} deliveries are not in the price table` };
};

export const kmsKey: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const n = ctx.assumptions.kmsRequestsPerKeyPerMonth.value;
  return {
    lines: [
      line(ctx, "customer managed key", 1, "kms.key.month", region),
      line(ctx, `requests, ${fmt(n)} a month (assumption)`, n / 1e4, "kms.requests.10k", region),
    ],
  };
};

/**
 * A replica in another Region (DR-1) is billed as a secret of its own, at
 * that Region's price (AWS Secrets Manager pricing: "replica secrets are
 * considered distinct secrets").
 */
export const secret: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const n = ctx.assumptions.secretsApiCallsPerSecretPerMonth.value;
  const replicas = arr(r.inputs.replicas)
    .map((x) => str(obj(x).region))
    .filter((x): x is string => x !== undefined);
  return {
    lines: [
      line(ctx, "secret", 1, "secretsmanager.secret.month", region),
      ...replicas.map((to) => line(ctx, `replica in ${to}`, 1, "secretsmanager.secret.month", to)),
      line(ctx, `API calls, ${fmt(n)} a month (assumption)`, n / 1e4, "secretsmanager.api.10k", region),
    ],
  };
};

export const OPS_PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": compositeAlarm,
  "aws:cloudwatch/dashboard:Dashboard": dashboard,
  "aws:cloudwatch/logGroup:LogGroup": logGroup,
  "aws:sns/topic:Topic": snsTopic,
  "aws:sns/topicSubscription:TopicSubscription": snsSubscription,
  "aws:kms/key:Key": kmsKey,
  "aws:secretsmanager/secret:Secret": secret,
};
