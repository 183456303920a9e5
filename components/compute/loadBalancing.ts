/** ECS-5, APP-2: the load balancer's fixed settings, as data. */

/**
 * ECS-5: TLS 1.3 and 1.2 only, forward-secret ciphers (the ELB policy AWS
 * recommends for compatibility; accepted by lb-listener-limit-tls-policy).
 */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** ECS-5, NET-3: port 80 only answers with a permanent redirect to HTTPS 443. */
export const HTTPS_REDIRECT = {
  type: "redirect",
  redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
} as const;

/**
 * ECS-5, APP-2: the target group's health check on the readiness path
 * (`/health/ready` answers only when the data stores do [P §4.6.2]). A task
 * leaves rotation after 3 failed checks (the runbook's "health check failing
 * 3×", SLO-3), 15 s apart with 5 s to answer, and joins after 2 good ones.
 */
export function targetHealthCheck(path: string) {
  return {
    enabled: true,
    path,
    protocol: "HTTP",
    port: "traffic-port",
    matcher: "200",
    interval: 15,
    timeout: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  };
}

/**
 * Seconds a deregistering task keeps its in-flight requests: long enough for
 * the API's requests (gunicorn's graceful timeout is 30 s), short enough that
 * deploys and scale-ins do not idle for the default 300 s.
 */
export const DEREGISTRATION_DELAY_SECONDS = 30;

/** ELB's limit on load balancer and target group names. */
export const ELB_NAME_MAX = 32;

/**
 * A load balancer or target group name: `<prefix>-<hex>`, at most 32
 * characters of letters, digits and hyphens (ELB's rule), the prefix
 * shortened to fit. Pulumi's auto-name (`<logical>-<7 hex>`) cannot shorten
 * a long logical name and fails instead; the hex comes from a random.RandomId
 * whose keepers are the inputs that force a replacement, so a replacement
 * gets a fresh name and Pulumi's create-before-delete never collides.
 */
export function elbName(prefix: string, hex: string): string {
  if (!/^[0-9a-f]{1,16}$/.test(hex)) throw new Error(`${hex}: not a short hex suffix`);
  const stem = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, ELB_NAME_MAX - hex.length - 1)
    .replace(/^-+|-+$/g, "");
  if (stem === "" || stem.startsWith("internal-"))
    throw new Error(`${prefix}: an ELB name needs a prefix that is not empty and not internal-`);
  return `${stem}-${hex}`;
}
