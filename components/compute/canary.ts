/**
 * ECS-10: the alarm that gates a canary, as data. ECS promotes a canary only
 * while its deployment alarms stay quiet and rolls back when one fires; this
 * one fires on the service's own evidence, so a canary is gated even before
 * the stack's SLO alarms (SLO-3) exist.
 */

/**
 * SLO-3's P1 line: 5xx responses from the service's tasks above 1 % of its
 * requests. During a 10 % canary, a new revision failing every request lifts
 * the whole load balancer's rate to about 10 %: far above the line.
 */
export const CANARY_GATE = {
  thresholdPercent: 1,
  periodSeconds: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
} as const;

/**
 * The gate's metric math over the load balancer (both target groups, so
 * whichever holds the canary counts): `100 * 5xx / requests` per minute. No
 * 5xx is 0; no requests is no data, which does not breach.
 */
export function canaryGateQueries(loadBalancerArnSuffix: string) {
  const metric = (id: string, metricName: string) => ({
    id,
    metric: {
      namespace: "AWS/ApplicationELB",
      metricName,
      dimensions: { LoadBalancer: loadBalancerArnSuffix },
      period: CANARY_GATE.periodSeconds,
      stat: "Sum",
    },
    returnData: false,
  });
  return [
    {
      id: "errorRate",
      expression: "100 * FILL(errors, 0) / requests",
      label: "Target 5xx, % of requests",
      returnData: true,
    },
    metric("errors", "HTTPCode_Target_5XX_Count"),
    metric("requests", "RequestCount"),
  ];
}
