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

export const LISTENER_RULE_TYPES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];

/** A plain-HTTP listener: protocol HTTP, or no protocol on port 80 (an ALB listener without one is HTTP). */
export function isPlainHttp(props: Readonly<Record<string, unknown>>): boolean {
  return props.protocol === "HTTP" || (props.protocol === undefined && Number(props.port) === 80);
}

/**
 * ECS-5, NET-3: what keeps `actions` from only redirecting permanently to
 * HTTPS on 443; `what` names them in messages ("default action", "action").
 */
export function redirectProblems(
  actions: readonly Readonly<Record<string, unknown>>[],
  what: string,
): string[] {
  return actions.flatMap((a, i) => {
    if (a.type !== "redirect")
      return [`${what} ${i + 1} is ${String(a.type)}: plain HTTP must only redirect to HTTPS`];
    const r = (typeof a.redirect === "object" && a.redirect !== null ? a.redirect : {}) as Readonly<
      Record<string, unknown>
    >;
    const wrong = [
      r.protocol === "HTTPS" ? undefined : `protocol ${String(r.protocol ?? "#{protocol}")}`,
      String(r.port) === "443" ? undefined : `port ${String(r.port ?? "#{port}")}`,
      r.statusCode === "HTTP_301" ? undefined : `statusCode ${String(r.statusCode)}`,
    ].filter((w): w is string => w !== undefined);
    return wrong.length === 0
      ? []
      : [`${what} ${i + 1} redirects with ${wrong.join(", ")}; redirect to HTTPS 443 with HTTP_301`];
  });
}
