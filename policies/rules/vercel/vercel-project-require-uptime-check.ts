import { isNonEmptyString, referencing } from "../../lib/props";
import { VERCEL_PROJECT, VERCEL_PROJECT_DOMAIN, isProductionProject } from "../../lib/vercel";
import { StackViolation, stackRule } from "../../rule";

const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const HTTPS_TYPES = ["HTTPS", "HTTPS_STR_MATCH"];

/** A DNS name as Route 53 compares it: lower case, no final dot. */
const dnsName = (v: unknown) => (typeof v === "string" ? v.replace(/\.$/, "").toLowerCase() : undefined);

/**
 * FE-5, SLO-7 [H §SLOs: uptime 99.9 %; §Frontend Health Check]: a production
 * front end is watched from outside like the API: a Route 53 health check
 * requests one of its custom domains over HTTPS (the check's path and
 * cadence are route53-healthcheck-require-slo-probe's, its alarms the SLO
 * coverage rule's). Vercel's own status page watches Vercel, not this site.
 */
export default stackRule({
  name: "vercel-project-require-uptime-check",
  description:
    "Every production Vercel project has a Route 53 HTTPS health check of one of its custom domains.",
  requirements: ["FE-5", "SLO-7"],
  severity: "high",
  check: (resources) => {
    const violations: StackViolation[] = [];
    const domains = resources.filter((r) => r.type === VERCEL_PROJECT_DOMAIN);
    const checked = new Set(
      resources
        .filter((r) => r.type === HEALTH_CHECK && HTTPS_TYPES.includes(String(r.props.type)))
        .map((r) => dnsName(r.props.fqdn))
        .filter(isNonEmptyString),
    );
    for (const project of resources.filter((r) => r.type === VERCEL_PROJECT)) {
      if (!isProductionProject(project.props)) continue;
      const names = referencing(domains, project, "projectId")
        .map((d) => dnsName(d.props.domain))
        .filter(isNonEmptyString);
      if (names.some((n) => checked.has(n))) continue;
      violations.push({
        urn: project.urn,
        message: `Vercel project ${String(project.props.name ?? project.name)} deploys production but no Route 53 HTTPS health check requests ${names.length > 0 ? names.join(" or ") : "any custom domain of it (it has none)"}: nothing pages when the site is down`,
      });
    }
    return violations;
  },
});
