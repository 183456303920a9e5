/**
 * ECS-6: a service's target-tracking policies, as data (the HPA figures of
 * [P §6.5.2]: CPU 70 %, memory 80 %, scale-in cooldown 300 s, scale-out 60 s).
 */

export interface ScalingTargets {
  /** ECS-6: average CPU utilization to hold, percent. */
  readonly cpuPercent: number;
  /** ECS-6: average memory utilization to hold, percent. */
  readonly memoryPercent: number;
  /** Requests per task per minute through the load balancer; undefined for none. */
  readonly requestsPerTarget?: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

export interface TrackingPolicy<L = string> {
  /** Child name suffix. */
  readonly role: "cpu" | "memory" | "requests";
  readonly configuration: {
    readonly targetValue: number;
    readonly scaleInCooldown: number;
    readonly scaleOutCooldown: number;
    readonly predefinedMetricSpecification: {
      readonly predefinedMetricType: string;
      readonly resourceLabel?: L;
    };
  };
}

/**
 * The policies: CPU, memory, and (with a label) ALB requests per target,
 * whose resource label is `<load balancer arn suffix>/<target group arn
 * suffix>` (Application Auto Scaling API, PredefinedMetricSpecification).
 * Application Auto Scaling scales out when any policy asks and in only when
 * all agree.
 */
export function trackingPolicies<L = string>(
  t: ScalingTargets,
  requestResourceLabel?: L,
): TrackingPolicy<L>[] {
  const cooldowns = {
    scaleInCooldown: t.scaleInCooldownSeconds,
    scaleOutCooldown: t.scaleOutCooldownSeconds,
  };
  return [
    {
      role: "cpu" as const,
      configuration: {
        targetValue: t.cpuPercent,
        ...cooldowns,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      },
    },
    {
      role: "memory" as const,
      configuration: {
        targetValue: t.memoryPercent,
        ...cooldowns,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
      },
    },
    ...(t.requestsPerTarget !== undefined && requestResourceLabel !== undefined
      ? [
          {
            role: "requests" as const,
            configuration: {
              targetValue: t.requestsPerTarget,
              ...cooldowns,
              predefinedMetricSpecification: {
                predefinedMetricType: "ALBRequestCountPerTarget",
                resourceLabel: requestResourceLabel,
              },
            },
          },
        ]
      : []),
  ];
}

/** `<load balancer arn suffix>/<target group arn suffix>`, checked for their shapes. */
export function requestCountLabel(loadBalancerArnSuffix: string, targetGroupArnSuffix: string): string {
  if (!/^app\/[^/]+\/[0-9a-f]+$/.test(loadBalancerArnSuffix))
    throw new Error(`${loadBalancerArnSuffix}: not an ALB ARN suffix (app/<name>/<id>)`);
  if (!/^targetgroup\/[^/]+\/[0-9a-f]+$/.test(targetGroupArnSuffix))
    throw new Error(`${targetGroupArnSuffix}: not a target group ARN suffix (targetgroup/<name>/<id>)`);
  return `${loadBalancerArnSuffix}/${targetGroupArnSuffix}`;
}
