/**
 * Issue 19, the front ends on Vercel: the pack's Vercel rules (FE-2..5) and
 * the uptime rules that now read a front end's probe (SLO-7, FE-5), each
 * shown failing on a copy of myhibachi-prod's REAL recorded resources with
 * one thing changed, and passing every shipped stack as recorded (POL-3).
 */
import coverage from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-slo-coverage";
import healthChecks from "../../policies/rules/route53/route53-healthcheck-require-slo-probe";
import customDomain from "../../policies/rules/vercel/vercel-project-require-custom-domain";
import previewProtection from "../../policies/rules/vercel/vercel-project-require-preview-protection";
import uptimeCheck from "../../policies/rules/vercel/vercel-project-require-uptime-check";
import plainSecrets from "../../policies/rules/vercel/vercel-projectenvironmentvariable-forbid-plain-secrets";
import { PREVIEW_ONLY_IGNORE_COMMAND } from "../../policies/lib/vercel";
import type { Rule } from "../../policies/rule";
import type { PolicyInput } from "../../synth/policy";
import { SHIPPED_STACKS, synthStack } from "../harness";
import {
  addResource,
  editDependencies,
  editInputs,
  editOutputs,
  findings,
  mandatory,
  record,
} from "./recorded";

const STACK = "myhibachi-prod";
const T = {
  project: "vercel:index/project:Project",
  domain: "vercel:index/projectDomain:ProjectDomain",
  envVar: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;
const RULES: readonly Rule[] = [customDomain, previewProtection, uptimeCheck, plainSecrets, healthChecks];

const expectOnly = async (rule: Rule, ev: PolicyInput, urn: string, messages: string[]) =>
  expect(await findings(rule, ev, STACK)).toEqual(messages.map((m) => mandatory(rule, urn, m)));

/** myhibachi-prod's record and its customer front end's resources. */
async function real() {
  const ev = await synthStack(STACK);
  return {
    ev,
    project: record(ev, T.project, `${STACK}-customer-project`),
    domain: record(ev, T.domain, `${STACK}-customer-domain`),
    apiUrl: record(ev, T.envVar, `${STACK}-customer-env-next-public-api-url`),
    check: record(ev, T.healthCheck, `${STACK}-customer-uptime-alarms-health`),
    apiCheck: record(ev, T.healthCheck, `${STACK}-api-alarms-health`),
  };
}

describe("issue 19: the Vercel and uptime rules pass every shipped stack as recorded", () => {
  test.each(SHIPPED_STACKS.flatMap((stack) => RULES.map((r) => [r.name, stack, r] as const)))(
    "POL-3: %s reports nothing on %s",
    async (_, stack, rule) => {
      expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
    },
  );
});

describe("FE-3: every production front end has a custom domain (vercel-project-require-custom-domain)", () => {
  test("FE-3: the customer project with its domain moved off it is reported", async () => {
    const { ev, project, domain } = await real();
    const mutated = editDependencies(ev, domain.urn, "projectId", []);
    await expectOnly(customDomain, mutated, project.urn, [
      `Vercel project ${STACK}-customer deploys production but has no custom domain: attach one with a ProjectDomain (its public name, what the API's CORS origins and the uptime check name)`,
    ]);
  });

  test("FE-1, FE-3: the same project made preview-only (its production builds skipped) needs no domain", async () => {
    const { ev, project, domain } = await real();
    const detached = editDependencies(ev, domain.urn, "projectId", []);
    const previewOnly = editOutputs(detached, project.urn, (p) => ({
      ...p,
      ignoreCommand: PREVIEW_ONLY_IGNORE_COMMAND,
    }));
    expect(await findings(customDomain, previewOnly, STACK)).toEqual([]);
  });
});

describe("FE-5: every production front end has an uptime check (vercel-project-require-uptime-check)", () => {
  test("FE-5: the customer site's real health check pointed at www, or made plain HTTP, leaves the site unwatched", async () => {
    const { ev, project, check } = await real();
    const message = `Vercel project ${STACK}-customer deploys production but no Route 53 HTTPS health check requests myhibachichef.com: nothing pages when the site is down`;
    const www = editOutputs(ev, check.urn, (p) => ({ ...p, fqdn: "www.myhibachichef.com" }));
    await expectOnly(uptimeCheck, www, project.urn, [message]);
    const http = editOutputs(ev, check.urn, (p) => ({ ...p, type: "HTTP", port: 80 }));
    await expectOnly(uptimeCheck, http, project.urn, [message]);
  });
});

describe("FE-4: previews are protected (vercel-project-require-preview-protection)", () => {
  test("FE-4: the customer project's real protection set to none, or left unset, is reported", async () => {
    const { ev, project } = await real();
    const none = editInputs(ev, project.urn, (p) => ({
      ...p,
      vercelAuthentication: { deploymentType: "none" },
    }));
    await expectOnly(previewProtection, none, project.urn, [
      "vercelAuthentication.deploymentType is none: preview deployments are open to anyone with the URL; set it to standardProtectionNew (every URL but the production domains) or onlyPreviewDeployments",
    ]);
    const unset = editInputs(ev, project.urn, (p) => {
      delete p.vercelAuthentication;
    });
    await expectOnly(previewProtection, unset, project.urn, [
      "vercelAuthentication.deploymentType is not set (the team's default decides): preview deployments are open to anyone with the URL; set it to standardProtectionNew (every URL but the production domains) or onlyPreviewDeployments",
    ]);
  });

  test("FE-4: password protection of previews, or no previews at all, is protection enough", async () => {
    const { ev, project } = await real();
    const password = editInputs(ev, project.urn, (p) => ({
      ...p,
      vercelAuthentication: { deploymentType: "none" },
      passwordProtection: { deploymentType: "onlyPreviewDeployments", password: "x" },
    }));
    expect(await findings(previewProtection, password, STACK)).toEqual([]);
    const disabled = editInputs(ev, project.urn, (p) => ({
      ...p,
      vercelAuthentication: { deploymentType: "none" },
      previewDeploymentsDisabled: true,
    }));
    expect(await findings(previewProtection, disabled, STACK)).toEqual([]);
  });
});

describe("FE-2: no Vercel secret in clear (vercel-projectenvironmentvariable-forbid-plain-secrets)", () => {
  test("FE-2, APP-4: the customer's real API URL variable renamed to a secret's name and left not sensitive is reported", async () => {
    const { ev, apiUrl } = await real();
    const token = editInputs(ev, apiUrl.urn, (p) => ({
      ...p,
      key: "SENTRY_AUTH_TOKEN",
      value: "sntrys_abc",
    }));
    await expectOnly(plainSecrets, token, apiUrl.urn, [
      "SENTRY_AUTH_TOKEN has a plain value and is not sensitive: set sensitive: true and hand the value over as a Pulumi secret",
    ]);
    const sensitive = editInputs(ev, apiUrl.urn, (p) => ({
      ...p,
      key: "SENTRY_AUTH_TOKEN",
      value: "sntrys_abc",
      sensitive: true,
    }));
    expect(await findings(plainSecrets, sensitive, STACK)).toEqual([]);
  });

  test("FE-2: credentials in the public API URL are reported whatever its sensitivity: Next.js ships it to browsers", async () => {
    const { ev, apiUrl } = await real();
    const leaked = editInputs(ev, apiUrl.urn, (p) => ({
      ...p,
      value: "https://admin:hunter2@mhapi.mysticdatanode.net",
      sensitive: true,
    }));
    await expectOnly(plainSecrets, leaked, apiUrl.urn, [
      "NEXT_PUBLIC_API_URL has a URL with credentials inline: NEXT_PUBLIC_ variables are sent to every browser; take the credentials out",
    ]);
  });

  test("FE-2: a secret in a project's inline environments, not sensitive, is reported too", async () => {
    const { ev } = await real();
    const { ev: added, urn } = addResource(ev, {
      type: T.project,
      name: "inline-env",
      inputs: {
        name: "inline-env",
        vercelAuthentication: { deploymentType: "standardProtectionNew" },
        environments: [
          { key: "NEXT_PUBLIC_API_URL", value: "https://mhapi.mysticdatanode.net", sensitive: false },
          { key: "STRIPE_SECRET_KEY", value: "sk_live_x", sensitive: false, targets: ["production"] },
        ],
      },
    });
    await expectOnly(plainSecrets, added, urn, [
      "STRIPE_SECRET_KEY has a plain value and is not sensitive: set sensitive: true and hand the value over as a Pulumi secret",
    ]);
  });
});

describe("SLO-7, FE-5: the uptime check's path comes from the SLO table's probe (route53-healthcheck-require-slo-probe)", () => {
  test("FE-5: the customer site's real check requesting /health instead of its probe's /api/health is reported", async () => {
    const { ev, check } = await real();
    const mutated = editOutputs(ev, check.urn, (p) => ({ ...p, resourcePath: "/health", type: "HTTP" }));
    await expectOnly(healthChecks, mutated, check.urn, [
      "type is HTTP; check https://myhibachichef.com/api/health (HTTPS)",
      "resourcePath is /health; request /api/health",
    ]);
  });

  test("SLO-7, APP-2: the API's real check moved to a front end's path is still held to /health", async () => {
    const { ev, apiCheck } = await real();
    const mutated = editOutputs(ev, apiCheck.urn, (p) => ({ ...p, resourcePath: "/api/health" }));
    await expectOnly(healthChecks, mutated, apiCheck.urn, ["resourcePath is /api/health; request /health"]);
  });

  test("SLO-7: a table probe for the API's own name is the only way its path changes, and a stack that drops the probe holds the front end to /health", async () => {
    const { ev, check } = await real();
    const root = ev.records.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const noProbe = editOutputs(ev, root.urn, (p) => {
      const tables = p.sloTables as Record<string, Record<string, unknown>>;
      delete tables.customer.probeUrl;
    });
    await expectOnly(healthChecks, noProbe, check.urn, ["resourcePath is /api/health; request /health"]);
  });
});

describe("FE-5, SLO-1: the page-load objective has its alarm (cloudwatch-metricalarm-require-slo-coverage)", () => {
  test("FE-5: the customer site's real page-load alarm raised to 3 s is looser than the 2 s objective", async () => {
    const { ev } = await real();
    const alarm = record(ev, T.alarm, `${STACK}-customer-uptime-page-load`);
    const loose = editOutputs(ev, alarm.urn, (p) => ({ ...p, threshold: 3000 }));
    await expectOnly(coverage, loose, alarm.urn, [
      `alarm ${STACK}-customer-uptime-page-load threshold 3000 ms is looser than SLO customer pageLoadMs (2000 ms)`,
    ]);
  });
});
