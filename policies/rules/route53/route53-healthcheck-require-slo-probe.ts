import { asObject, isNonEmptyString, parseJson } from "../../lib/props";
import { PROBE_KEY, SLO_OUTPUT, STACK } from "../../lib/slo";
import { StackViolation, num, stackRule } from "../../rule";

const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
/** Endpoint checks; CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL checks watch no URL. */
const ENDPOINT_TYPES = ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"];

/** A DNS name as Route 53 compares it: lower case, no final dot. */
const dnsName = (v: unknown) => (typeof v === "string" ? v.replace(/\.$/, "").toLowerCase() : undefined);

/**
 * FE-5: the probes the SLO table publishes (`probeUrl` of a front end's
 * entry), by host: the paths an uptime check of that name must request.
 */
function probesByHost(stackProps: Readonly<Record<string, unknown>> | undefined): Map<string, Set<string>> {
  const probes = new Map<string, Set<string>>();
  const tables = asObject(parseJson(stackProps?.[SLO_OUTPUT]));
  for (const entry of Object.values(tables)) {
    const url = asObject(entry)[PROBE_KEY];
    if (!isNonEmptyString(url)) continue;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    if (parsed.protocol !== "https:") continue;
    const host = parsed.hostname.toLowerCase();
    probes.set(host, (probes.get(host) ?? new Set()).add(`${parsed.pathname}${parsed.search}`));
  }
  return probes;
}

/**
 * SLO-7 [H §Monitoring Stack, P §4.1]: uptime is watched by a Route 53
 * health check of `https://<api>/health` every 30 s, standing in for the
 * runbooks' UptimeRobot or Pingdom; SLO-3 calls the service down when the
 * check fails 3 times. Route 53 takes a request interval of 10 or 30 s
 * (30 when unset) and a failure threshold of 1-10 (3 when unset), and only
 * HTTPS types check over TLS (Route 53 API HealthCheckConfig). Every
 * endpoint health check is held to that: HTTPS (or HTTPS_STR_MATCH), the
 * liveness path, an interval no longer than 30 s, at most 3 failures.
 *
 * FE-5: a front end is no API and answers elsewhere (the customer app on
 * `/api/health` [H §Frontend Health Check]). Its path is not this rule's
 * to relax: the SLO table (the `sloTables` stack output) publishes each
 * front end's probe as `probeUrl`, and a check of that URL's host must
 * request that URL's path. A check of any other name keeps `resourcePath`
 * (`/health`, APP-2): an API's check is held exactly as before, whatever the
 * table says of other names.
 */
export default stackRule({
  name: "route53-healthcheck-require-slo-probe",
  description:
    "Route 53 endpoint health checks probe the liveness path (a front end's: its SLO table's probe) over HTTPS every 30 s or faster and call it down after at most 3 failures.",
  requirements: ["SLO-7", "SLO-3", "APP-2", "FE-5"],
  severity: "high",
  config: {
    resourcePath: {
      type: "string",
      default: "/health",
      description:
        "SLO-7, APP-2: the check requests https://<api>/health [H §Monitoring Stack]; a front end's check, the probeUrl its SLO table publishes (FE-5).",
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
  check: (resources, config) => {
    const stack = resources.find((r) => r.type === STACK);
    const probes = probesByHost(stack?.props);
    const violations: StackViolation[] = [];
    for (const check of resources.filter((r) => r.type === HEALTH_CHECK)) {
      const props = check.props;
      const type = props.type;
      if (isNonEmptyString(type) && !ENDPOINT_TYPES.includes(type)) continue;
      const fqdn = dnsName(props.fqdn);
      const probed = fqdn === undefined ? undefined : probes.get(fqdn);
      const paths = probed ? [...probed] : [String(config.resourcePath)];
      const target = probed ? `https://${fqdn}${paths[0]}` : `https://<api>${paths[0]}`;
      const report = (message: string) => violations.push({ urn: check.urn, message });
      if (type !== "HTTPS" && type !== "HTTPS_STR_MATCH")
        report(`type is ${String(type ?? "not set")}; check ${target} (HTTPS)`);
      if (!paths.includes(String(props.resourcePath)))
        report(
          `resourcePath is ${String(props.resourcePath ?? "not set (/)")}; request ${paths.join(" or ")}`,
        );
      const interval = Number(props.requestInterval ?? 30);
      const maxInterval = num(config, "maxRequestIntervalSeconds");
      if (!(interval <= maxInterval))
        report(`requestInterval is ${String(props.requestInterval)}; check every ${maxInterval} s or faster`);
      const failures = Number(props.failureThreshold ?? 3);
      const maxFailures = num(config, "maxFailureThreshold");
      if (!(failures <= maxFailures))
        report(
          `failureThreshold is ${String(props.failureThreshold)}; call the service down after ${maxFailures} failed checks`,
        );
    }
    return violations;
  },
});
