/**
 * FE-1..5: the stack's front ends on Vercel, from the validated `frontends`
 * config: per front end a VercelSite (project, variables, custom domains,
 * the DNS records in zones this stack's account holds) and, in production,
 * its uptime check and alarms (FrontendUptime). The API URL a front end
 * calls is its service's public name. Nothing here branches on the
 * environment: `deployments` says production or preview-only.
 */
import type * as pulumi from "@pulumi/pulumi";
import { FrontendUptime } from "../components/frontend/FrontendUptime";
import { DnsRecordSpec, VercelSite } from "../components/frontend/VercelSite";
import type { AlertTopics } from "../components/observability/AlertTopics";
import type { PlatformConfig } from "./config";
import { HEALTH_CHECK_REGION } from "./observability";

/** What the stack exports of each front end. */
export interface FrontendOutputs {
  readonly projectId: pulumi.Output<string>;
  /** FE-3: the production URL; absent for a preview-only project. */
  readonly url?: string;
  /** FE-2: the API URL the front end is built with. */
  readonly apiUrl?: string;
  /** FE-3: the records Vercel asks for in zones elsewhere: the operator's step (docs/frontends.md). */
  readonly manualDnsRecords: readonly DnsRecordSpec[];
  /** FE-5: the Route 53 health check watching it, in production. */
  readonly healthCheckId?: pulumi.Output<string>;
}

export function buildFrontends(
  cfg: PlatformConfig,
  prefix: string,
  alerts: AlertTopics,
  tags: Record<string, string>,
): Record<string, FrontendOutputs> {
  return Object.fromEntries(
    Object.entries(cfg.frontends).map(([name, fe]) => {
      const base = `${prefix}-${name}`;
      const production = fe.deployments === "production";
      // FE-2: the API's public URL, from the name its service answers on (ECS-5, K8S-3).
      const apiUrl = fe.api && `https://${cfg.services[fe.api.service].domain}`;
      const site = new VercelSite(base, {
        projectName: base,
        framework: fe.framework,
        repository: fe.repository,
        productionBranch: fe.productionBranch,
        rootDirectory: fe.rootDirectory,
        previewOnly: !production,
        env: { ...fe.env, ...(fe.api && apiUrl ? { [fe.api.variable]: apiUrl } : {}) },
        secrets: fe.secrets,
        domains: fe.domains,
        previewProtection: fe.previewProtection,
      });
      let uptime: FrontendUptime | undefined;
      if (production && fe.domains.length > 0) {
        // FE-5, SLO-7: the first domain, once it is attached and resolves.
        uptime = new FrontendUptime(`${base}-uptime`, {
          frontend: name,
          domain: fe.domains[0].name,
          healthPath: fe.healthPath,
          uptime: fe.slo.uptimePct,
          pageLoad: fe.slo.pageLoadMs,
          down: { ...cfg.alarms.service.down, ...fe.down },
          runbookBaseUrl: cfg.alerting.runbookBaseUrl,
          topics: alerts.bySeverity(),
          usEast1Topics: alerts.bySeverity(HEALTH_CHECK_REGION),
          region: cfg.region,
          dependsOn: site.domainResources,
          tags: { ...tags, Frontend: name },
        });
      }
      const out: FrontendOutputs = {
        projectId: site.projectId,
        ...(site.url ? { url: site.url } : {}),
        ...(apiUrl ? { apiUrl } : {}),
        manualDnsRecords: site.manualDnsRecords,
        ...(uptime ? { healthCheckId: uptime.healthCheckId } : {}),
      };
      return [name, out];
    }),
  );
}
