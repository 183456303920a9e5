import { isNonEmptyString } from "../../lib/props";
import { num, resourceRule } from "../../rule";

const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
/** Endpoint checks; CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL checks watch no URL. */
const ENDPOINT_TYPES = ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"];

/**
 * SLO-7 [H §Monitoring Stack, P §4.1]: uptime is watched by a Route 53
 * health check of `https://<api>/health` every 30 s, standing in for the
 * runbooks' UptimeRobot or Pingdom; SLO-3 calls the service down when the
 * check fails 3 times. Route 53 takes a request interval of 10 or 30 s
 * (30 when unset) and a failure threshold of 1-10 (3 when unset), and only
 * HTTPS types check over TLS (Route 53 API HealthCheckConfig). Every
 * endpoint health check is held to that: HTTPS (or HTTPS_STR_MATCH), the
 * liveness path, an interval no longer than 30 s, at most 3 failures.
 */
export default resourceRule({
  name: "route53-healthcheck-require-slo-probe",
  description:
    "Route 53 endpoint health checks probe the liveness path over HTTPS every 30 s or faster and call it down after at most 3 failures.",
  requirements: ["SLO-7", "SLO-3", "APP-2"],
  severity: "high",
  config: {
    resourcePath: {
      type: "string",
      default: "/health",
      description: "SLO-7, APP-2: the check requests https://<api>/health [H §Monitoring Stack].",
    },
    maxRequestIntervalSeconds: {
      type: "integer",
      minimum: 10,
      maximum: 30,
      default: 30,
      description: "SLO-7: a check every 30 s; Route 53 accepts 10 or 30 (default 30).",
    },
    maxFailureThreshold: {
      type: "integer",
      minimum: 1,
      maximum: 10,
      default: 3,
      description:
        "SLO-3: the service is down after the health check fails 3 times; Route 53 accepts 1-10 (default 3).",
    },
  },
  types: [HEALTH_CHECK],
  check: ({ props }, config) => {
    const type = props.type;
    if (isNonEmptyString(type) && !ENDPOINT_TYPES.includes(type)) return [];
    const problems: string[] = [];
    if (type !== "HTTPS" && type !== "HTTPS_STR_MATCH")
      problems.push(
        `type is ${String(type ?? "not set")}; check https://<api>${String(config.resourcePath)} (HTTPS)`,
      );
    const path = String(config.resourcePath);
    if (props.resourcePath !== path)
      problems.push(`resourcePath is ${String(props.resourcePath ?? "not set (/)")}; request ${path}`);
    const interval = Number(props.requestInterval ?? 30);
    const maxInterval = num(config, "maxRequestIntervalSeconds");
    if (!(interval <= maxInterval))
      problems.push(
        `requestInterval is ${String(props.requestInterval)}; check every ${maxInterval} s or faster`,
      );
    const failures = Number(props.failureThreshold ?? 3);
    const maxFailures = num(config, "maxFailureThreshold");
    if (!(failures <= maxFailures))
      problems.push(
        `failureThreshold is ${String(props.failureThreshold)}; call the service down after ${maxFailures} failed checks`,
      );
    return problems;
  },
});
