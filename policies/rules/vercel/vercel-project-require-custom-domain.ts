import { isNonEmptyString, referencing } from "../../lib/props";
import { VERCEL_PROJECT, VERCEL_PROJECT_DOMAIN, isProductionProject } from "../../lib/vercel";
import { StackViolation, stackRule } from "../../rule";

/**
 * FE-3 [H §Frontend Services (Vercel)]: a production front end answers on
 * its own name (https://myhibachichef.com, https://admin.mysticdatanode.net),
 * not only on a generated `*.vercel.app` URL: the API admits browsers from
 * its CORS origins, and the uptime check (FE-5) probes that name. Every
 * Vercel project that is not preview-only (policies/lib/vercel.ts) has at
 * least one `ProjectDomain` whose `projectId` is the project's.
 */
export default stackRule({
  name: "vercel-project-require-custom-domain",
  description:
    "Every production Vercel project has a custom domain attached (a ProjectDomain of the project).",
  requirements: ["FE-3", "FE-1"],
  severity: "high",
  check: (resources) => {
    const violations: StackViolation[] = [];
    const domains = resources.filter((r) => r.type === VERCEL_PROJECT_DOMAIN);
    for (const project of resources.filter((r) => r.type === VERCEL_PROJECT)) {
      if (!isProductionProject(project.props)) continue;
      const attached = referencing(domains, project, "projectId").filter((d) =>
        isNonEmptyString(d.props.domain),
      );
      if (attached.length === 0)
        violations.push({
          urn: project.urn,
          message: `Vercel project ${String(project.props.name ?? project.name)} deploys production but has no custom domain: attach one with a ProjectDomain (its public name, what the API's CORS origins and the uptime check name)`,
        });
    }
    return violations;
  },
});
