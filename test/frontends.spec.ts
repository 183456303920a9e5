/**
 * Issue 19: myhibachi-prod's front ends on Vercel as the synth engine records
 * them (FE-1..5): both projects with their Git source, protection, API URL,
 * custom domains, the one DNS record the stack's zone can hold, and their
 * uptime checks and alarms in us-east-1; secrets as sensitive Pulumi
 * secrets; a staging stack's preview-only project.
 */
import { RULES } from "../policies/rules";
import type { ResourceRecord } from "../synth/engine";
import { readPackConfig, runPolicies } from "../synth/policy";
import { SECRET_PLACEHOLDER } from "../synth/stackConfig";
import { T as H, evaluateWith, stackConfig, synthStack } from "./harness";

const STACK = "myhibachi-prod";
const T = {
  project: "vercel:index/project:Project",
  domain: "vercel:index/projectDomain:ProjectDomain",
  envVar: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  record: "aws:route53/record:Record",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  composite: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
} as const;
const FRONTENDS = ["customer", "admin"] as const;
/** The front-end components and their resources (VercelSite `<prefix>-<fe>`, FrontendUptime and their children). */
const isFrontend = (fe: string) => (r: ResourceRecord) =>
  r.name === `${STACK}-${fe}` || r.name.startsWith(`${STACK}-${fe}-`);
const named = (records: readonly ResourceRecord[], name: string) => {
  const found = records.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0];
};
const countByType = (records: readonly ResourceRecord[]) => {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
};

describe("FE-1: myhibachi-prod owns both front ends as Vercel projects", () => {
  test.each([
    ["customer", "apps/customer"],
    ["admin", "apps/admin"],
  ])(
    "FE-1, FE-4: the %s project is Next.js from %s of the Git repository, production from main, previews behind Standard Protection",
    async (fe, rootDirectory) => {
      const { records } = await synthStack(STACK);
      const project = named(records, `${STACK}-${fe}-project`);
      expect(project.type).toBe(T.project);
      expect(project.id).toMatch(/^prj_[0-9A-Za-z]{28}$/);
      expect(project.inputs).toEqual({
        name: `${STACK}-${fe}`,
        framework: "nextjs",
        gitRepository: { type: "github", repo: "myhibachi/myhibachi", productionBranch: "main" },
        rootDirectory,
        vercelAuthentication: { deploymentType: "standardProtectionNew" },
      });
    },
  );

  test("issue 19: the front ends add exactly these resources, per front end", async () => {
    const { records } = await synthStack(STACK);
    const uptime = {
      [T.healthCheck]: 1,
      // health check status, uptime objective, page load, and 6 burn-rate windows
      [T.alarm]: 9,
      // 3 burn-rate pages (fast, slow, ticket)
      [T.composite]: 3,
      "platform:frontend:FrontendUptime": 1,
      "platform:observability:ServiceAlarms": 1,
    };
    const site = { [T.project]: 1, [T.envVar]: 1, [T.domain]: 1, "platform:frontend:VercelSite": 1 };
    expect(countByType(records.filter(isFrontend("customer")))).toEqual({ ...site, ...uptime });
    expect(countByType(records.filter(isFrontend("admin")))).toEqual({ ...site, ...uptime, [T.record]: 1 });
  });
});

describe("FE-2: the API URL each front end is built with", () => {
  test.each(FRONTENDS)(
    "FE-2: %s gets NEXT_PUBLIC_API_URL = https://mhapi.mysticdatanode.net (the api service's domain) in production and preview",
    async (fe) => {
      const ev = await synthStack(STACK);
      const project = named(ev.records, `${STACK}-${fe}-project`);
      const variable = named(ev.records, `${STACK}-${fe}-env-next-public-api-url`);
      expect(variable.id).toMatch(/^[0-9A-Za-z]{16}$/);
      // The provider SDK stores every variable's value as a Pulumi secret.
      expect(variable.inputs).toEqual({
        projectId: project.id,
        key: "NEXT_PUBLIC_API_URL",
        value: "[secret]",
        targets: ["production", "preview"],
        sensitive: false,
        comment: "FE-2: set by Pulumi",
      });
      expect(ev.plainInputs.get(variable.urn)?.value).toBe("https://mhapi.mysticdatanode.net");
      expect(variable.dependencies).toEqual([project.urn]);
      expect((ev.stackOutputs.frontends as Record<string, { apiUrl: string }>)[fe].apiUrl).toBe(
        "https://mhapi.mysticdatanode.net",
      );
    },
  );

  test("FE-2, APP-4: a secret set with --secret becomes a sensitive variable whose value is a Pulumi secret, never in the record", async () => {
    const frontends = JSON.parse(stackConfig(STACK).config["runbook-platform:frontends"]) as Record<
      string,
      Record<string, unknown>
    >;
    frontends.customer.secrets = { SENTRY_AUTH_TOKEN: { secure: "v1:AAAA" } };
    const ev = await evaluateWith(STACK, { frontends });
    expect(ev.error).toBeUndefined();
    const variable = named(ev.records, `${STACK}-customer-env-sentry-auth-token`);
    expect(variable.inputs).toMatchObject({
      key: "SENTRY_AUTH_TOKEN",
      value: "[secret]",
      sensitive: true,
      targets: ["production", "preview"],
    });
    expect(ev.plainInputs.get(variable.urn)?.value).toBe(SECRET_PLACEHOLDER);
    expect(JSON.stringify(ev.records)).not.toContain(SECRET_PLACEHOLDER);
    expect(JSON.stringify(ev.stackOutputs)).not.toContain(SECRET_PLACEHOLDER);
  });
});

describe("FE-3: custom domains and the DNS records Vercel asks for", () => {
  test("FE-3: each project has its runbook domain; the one whose DNS this stack makes waits until Vercel verifies it", async () => {
    const { records } = await synthStack(STACK);
    const customer = named(records, `${STACK}-customer-domain`);
    const admin = named(records, `${STACK}-admin-domain`);
    expect(customer.inputs).toEqual({
      projectId: named(records, `${STACK}-customer-project`).id,
      domain: "myhibachichef.com",
    });
    expect(admin.inputs).toEqual({
      projectId: named(records, `${STACK}-admin-project`).id,
      domain: "admin.mysticdatanode.net",
      waitForReady: true,
    });
    expect([customer.id, admin.id]).toEqual(["myhibachichef.com", "admin.mysticdatanode.net"]);
  });

  test("FE-3: the admin name gets the CNAME to Vercel in the API's zone; myhibachichef.com, whose zone is elsewhere, gets no record and is the operator's A record", async () => {
    const ev = await synthStack(STACK);
    const apiRecord = named(ev.records, `${STACK}-api-lb-dns`);
    const admin = named(ev.records, `${STACK}-admin-domain-dns`);
    expect(admin.inputs).toEqual({
      zoneId: apiRecord.inputs.zoneId,
      name: "admin.mysticdatanode.net",
      type: "CNAME",
      ttl: 300,
      records: ["cname.vercel-dns-0.com"],
    });
    const names = ev.records.filter((r) => r.type === H.dnsRecord).map((r) => r.inputs.name);
    expect(names).not.toContain("myhibachichef.com");
    const outputs = ev.stackOutputs.frontends as Record<string, { manualDnsRecords: unknown; url: string }>;
    expect(outputs.customer.manualDnsRecords).toEqual([
      { name: "myhibachichef.com", type: "A", value: "76.76.21.21" },
    ]);
    expect(outputs.admin.manualDnsRecords).toEqual([]);
    expect([outputs.customer.url, outputs.admin.url]).toEqual([
      "https://myhibachichef.com",
      "https://admin.mysticdatanode.net",
    ]);
  });
});

describe("FE-5: uptime checks of both sites, alarmed in us-east-1 through the severity topics", () => {
  test.each([
    ["customer", "myhibachichef.com", "/api/health"],
    ["admin", "admin.mysticdatanode.net", "/"],
  ])(
    "FE-5, SLO-7: %s is checked over HTTPS at https://%s%s every 30 s, down after 3 failures, once its domain is attached",
    async (fe, fqdn, resourcePath) => {
      const { records } = await synthStack(STACK);
      const check = named(records, `${STACK}-${fe}-uptime-alarms-health`);
      expect(check.inputs).toMatchObject({
        type: "HTTPS",
        fqdn,
        port: 443,
        resourcePath,
        requestInterval: 30,
        failureThreshold: 3,
        enableSni: true,
        measureLatency: true,
      });
      const waitsFor = [named(records, `${STACK}-${fe}-domain`).urn];
      if (fe === "admin") waitsFor.push(named(records, `${STACK}-admin-domain-dns`).urn);
      expect([...check.dependencies].sort()).toEqual(waitsFor.sort());
    },
  );

  test("FE-5, SLO-2, SLO-4: the customer site's alarms live in us-east-1, tag its SLO rows and page (P1) or note (P3) through the stack's topics", async () => {
    const ev = await synthStack(STACK);
    const check = named(ev.records, `${STACK}-customer-uptime-alarms-health`);
    const topic = (role: string) =>
      named(
        ev.records.filter((r) => r.type === "aws:sns/topic:Topic"),
        `${STACK}-alerts-${role}`,
      ).id;
    const alarm = (role: string) => named(ev.records, `${STACK}-customer-uptime-${role}`);
    const down = alarm("alarms-health-check");
    expect(down.inputs).toMatchObject({
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: check.id },
      alarmActions: [topic("page")],
      okActions: [topic("page")],
      treatMissingData: "breaching",
    });
    expect(String(down.inputs.alarmDescription)).toMatch(
      /^P1 customer \(myhibachichef\.com\): Route 53 health check of https:\/\/myhibachichef\.com\/api\/health failing 3x\. Runbook §Frontend Rollback \(Vercel\): .*#frontend-rollback-vercel\. First action: Open the site/,
    );
    expect(alarm("alarms-uptime-slo").inputs).toMatchObject({
      metricName: "HealthCheckPercentageHealthy",
      threshold: 99.9,
      alarmActions: [topic("page")],
      tags: expect.objectContaining({ "slo:service": "customer", "slo:objective": "uptimePct" }),
    });
    expect(alarm("page-load").inputs).toMatchObject({
      namespace: "AWS/Route53",
      metricName: "TimeToFirstByte",
      dimensions: { HealthCheckId: check.id },
      statistic: "Average",
      period: 86400,
      evaluationPeriods: 1,
      unit: "Milliseconds",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 2000,
      alarmActions: [topic("info")],
      tags: expect.objectContaining({
        "slo:service": "customer",
        "slo:objective": "pageLoadMs",
        Severity: "P3",
      }),
    });
    const frontendAlarms = ev.records.filter(
      (r) => (r.type === T.alarm || r.type === T.composite) && isFrontend("customer")(r),
    );
    expect(frontendAlarms).toHaveLength(12);
    for (const a of frontendAlarms)
      expect([a.name, ev.outputs.get(a.urn)?.region]).toEqual([a.name, "us-east-1"]);
  });

  test("FE-5, POL-3: the record passes the whole pack with no mandatory finding", async () => {
    const ev = await synthStack(STACK);
    const findings = await runPolicies(ev, readPackConfig(STACK));
    expect(findings.filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
  });
});

describe("FE-1: a staging stack's front end builds previews only", () => {
  test("FE-1: Psi staging with a front end gets a preview-only project: production builds skipped, variables for previews only, no domain, no uptime check, and the pack finds nothing", async () => {
    const row = {
      severity: "P1",
      runbookSection: "§5.1.1",
      firstAction: "Check the site",
      evaluationMinutes: 5,
    };
    const ev = await evaluateWith("staging", {
      "vercel:team": "psi",
      frontends: {
        web: {
          repository: { type: "github", repo: "psi/web" },
          healthPath: "/",
          api: { service: "backend", variable: "NEXT_PUBLIC_API_URL" },
          slo: { uptimePct: { ...row, threshold: 99.9 } },
          down: row,
        },
      },
    });
    expect(ev.error).toBeUndefined();
    const web = ev.records.filter(
      (r) => r.name === "psi-staging-web" || r.name.startsWith("psi-staging-web-"),
    );
    expect(countByType(web)).toEqual({ "platform:frontend:VercelSite": 1, [T.project]: 1, [T.envVar]: 1 });
    expect(named(web, "psi-staging-web-project").inputs).toMatchObject({
      name: "psi-staging-web",
      ignoreCommand: '[ "$VERCEL_ENV" = "production" ]',
      vercelAuthentication: { deploymentType: "standardProtectionNew" },
    });
    expect(named(web, "psi-staging-web-env-next-public-api-url").inputs.targets).toEqual(["preview"]);
    const vercelRules = RULES.filter((r) => r.name.startsWith("vercel-"));
    expect(vercelRules).toHaveLength(4);
    expect(await runPolicies(ev, readPackConfig("staging"), vercelRules)).toEqual([]);
  });
});
