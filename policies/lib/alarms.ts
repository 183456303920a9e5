/**
 * Readers for CloudWatch alarms and the SNS topics they notify (SLO-2, SLO-3,
 * SLO-4): the metric an alarm watches (its own or the one its metric math
 * returns), its unit when it sets none, its evaluation window, and the
 * severities a topic carries.
 */
import { asArray, asObject, isNonEmptyString, type Props } from "./props";
import { METRIC_UNITS } from "./slo";

export const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
export const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
export const TOPIC = "aws:sns/topic:Topic";
export const ECS_SERVICE = "aws:ecs/service:Service";
export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** The severities of SLO-2 as an alarm description names them. */
export const SEVERITY = /\bP[0-3]\b/;

/** The metric queries of a metric-math alarm (empty for a single-metric alarm). */
export function metricQueries(props: Props): Props[] {
  return asArray(props.metricQueries).map(asObject);
}

/** The query whose value the alarm compares: the one with `returnData`, else the last. */
export function returnedQuery(props: Props): Props | undefined {
  const queries = metricQueries(props);
  return queries.find((q) => q.returnData === true) ?? queries[queries.length - 1];
}

/** The metric an alarm compares, when it is one metric (its own, or the metric its returned query is). */
export function watchedMetric(props: Props): Props | undefined {
  if (metricQueries(props).length === 0) return props;
  const metric = asObject(returnedQuery(props)?.metric);
  return Object.keys(metric).length > 0 ? metric : undefined;
}

/** `Namespace/MetricName` of the watched metric, e.g. `AWS/ApplicationELB/TargetResponseTime`. */
export function metricId(props: Props): string | undefined {
  const m = watchedMetric(props);
  return m && isNonEmptyString(m.namespace) && isNonEmptyString(m.metricName)
    ? `${m.namespace}/${m.metricName}`
    : undefined;
}

/** The unit of the alarm's threshold: as set, or the one AWS fixes for its metric, or undefined (the table's). */
export function thresholdUnit(props: Props): string | undefined {
  const m = watchedMetric(props);
  if (m && isNonEmptyString(m.unit)) return m.unit;
  const id = metricId(props);
  return id === undefined ? undefined : METRIC_UNITS[id];
}

/** The dimensions of the watched metric. */
export function dimensionsOf(props: Props): Props {
  return asObject(watchedMetric(props)?.dimensions);
}

/** Every expression of a metric-math alarm. */
export function expressionsOf(props: Props): string[] {
  return metricQueries(props)
    .map((q) => q.expression)
    .filter(isNonEmptyString);
}

/** A literal factor of 100 in an expression: the metric math yields a percentage (`100 * errors / requests`). */
export function isPercentageExpression(expression: string): boolean {
  return /(?:^|[^\w.])100(?:\.0+)?(?![\w.])/.test(expression);
}

/**
 * How long the alarm looks before it fires, in seconds: period x
 * evaluationPeriods; for metric math the longest period among its queries.
 * Undefined when the alarm does not say.
 */
export function windowSeconds(props: Props): number | undefined {
  const periods = [
    props.period,
    ...metricQueries(props).flatMap((q) => [q.period, asObject(q.metric).period]),
  ].filter((p): p is number => typeof p === "number" && p > 0);
  const evaluations = props.evaluationPeriods;
  if (periods.length === 0 || typeof evaluations !== "number") return undefined;
  return Math.max(...periods) * evaluations;
}

/** Topic name words for severities (SLO-2: P0/P1 page, P2 ticket, P3 info; the alerting config's lists). */
const WORDS: Readonly<Record<string, readonly string[]>> = {
  page: ["P0", "P1"],
  ticket: ["P2"],
  info: ["P3"],
};

/** The severities one text names: P0-P3 tokens, or the words page/ticket/info. */
function severitiesIn(text: string): string[] {
  const found = new Set<string>();
  for (const token of text.split(/[^A-Za-z0-9]+/)) {
    const t = token.toLowerCase();
    if (/^p[0-3]$/.test(t)) found.add(t.toUpperCase());
    for (const s of WORDS[t] ?? []) found.add(s);
  }
  return [...found].sort();
}

/**
 * The severities a topic serves: its tag `severity` (or `Severity`), e.g. `P1`
 * or `P0/P1` or `page`; without the tag, what its name says
 * (`myhibachi-prod-alerts-page`, `psi-prod-alerts-p2`).
 */
export function topicSeverities(props: Props): string[] {
  const tags = { ...asObject(props.tagsAll), ...asObject(props.tags) };
  const tag = tags.severity ?? tags.Severity;
  if (isNonEmptyString(tag)) return severitiesIn(tag);
  return isNonEmptyString(props.name) ? severitiesIn(props.name) : [];
}
