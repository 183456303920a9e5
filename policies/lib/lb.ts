/** Load balancer types: v7 keeps the `aws:alb` aliases of the `aws:lb` resources; either counts. */
export const LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
export const TARGET_GROUP_TYPES = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];

/** An Application Load Balancer: `loadBalancerType` application, the provider's default. */
export function isApplicationLb(props: Readonly<Record<string, unknown>>): boolean {
  return props.loadBalancerType === undefined || props.loadBalancerType === "application";
}

/** Internet-facing unless `internal` is true (the provider's default is internet-facing). */
export function isInternetFacing(props: Readonly<Record<string, unknown>>): boolean {
  return props.internal !== true;
}
