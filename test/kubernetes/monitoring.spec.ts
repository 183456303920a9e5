/**
 * SLO-6 (with SLO-1..4, SLO-7 on Kubernetes): the SLO table as PrometheusRule
 * alerts (sloRuleGroups), Alertmanager's routing to the SLO-2 topics
 * (alertmanagerConfig) and the ServiceMonitoring component; SLO-5 on
 * Kubernetes: the service's Grafana dashboard (serviceDashboard) and its
 * ConfigMap. No PromQL parser is installed (and none is added): every
 * expression gets the structural check `promqlProblems` below (balanced
 * brackets, well-formed selectors and ranges, known functions and metrics, and
 * for an alert a comparison at the top level or on both sides of a top-level
 * `and`).
 */
import * as k8s from "@pulumi/kubernetes";
import { NULL_RECEIVER, SILENT_ALERTS, alertmanagerConfig } from "../../components/kubernetes/alertmanager";
import {
  AlertingRule,
  METRICS,
  NOT_ON_KUBERNETES,
  PLATFORM_ALERTS,
  PlatformRules,
  RuleGroup,
  SLO_ALERTS,
  promDuration,
  promNumber,
  runbookUrl,
  sloRuleGroups,
} from "../../components/kubernetes/prometheusRules";
import { METRICS_ENDPOINT, ServiceMonitoring } from "../../components/kubernetes/ServiceMonitoring";
import { APP_LATENCY_METRICS } from "../../components/observability/metrics";
import { GRAFANA_DASHBOARDS } from "../../components/kubernetes/addonCharts";
import {
  GRAFANA_UID_MAX_LENGTH,
  GrafanaDashboard,
  dashboardUid,
  serviceDashboard,
} from "../../components/kubernetes/grafanaDashboard";
import { BURN_WINDOWS, alarmDescription } from "../../components/observability/alarmPolicy";
import { dashboardObjectives } from "../../components/observability/dashboard";
import { PlatformConfig, SEVERITIES, SloSettings, parseStackConfig } from "../../infra/config";
import { evaluate } from "../../synth/engine";
import { ofType, one, stackConfig } from "../harness";
import { schemaErrors } from "./schema";

function configOf(stack: string, overrides: Record<string, unknown> = {}): PlatformConfig {
  const sc = stackConfig(stack, overrides);
  return parseStackConfig(sc.config, sc.project, stack);
}
/** The Psi stacks declare no service yet: one entry with nothing but its own values gets Psi's SLO table. */
const PSI_API = {
  image: { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-backend:1.0.0" },
  domain: "api.psi.example.com",
  hostedZone: "psi.example.com",
};
const psi = configOf("prod", { services: { api: PSI_API } });
const mh = configOf("myhibachi-prod");
const platformOf = (cfg: PlatformConfig): PlatformRules => ({
  ...cfg.alarms.service,
  certificate: cfg.alarms.certificate,
});
const NS = "production";
const PSI_BASE = "https://runbooks.psi.example.com/operations-manual";

const rulesOf = (groups: readonly RuleGroup[]): AlertingRule[] => groups.flatMap((g) => g.rules);
const byAlert = (groups: readonly RuleGroup[]) => new Map(rulesOf(groups).map((r) => [r.alert, r]));
const psiGroups = sloRuleGroups("api", NS, psi.services.api.slo, psi.alerting.runbookBaseUrl, {
  platform: platformOf(psi),
  deployment: "psi-prod-api",
});
const mhGroups = sloRuleGroups("api", NS, mh.services.api.slo, mh.alerting.runbookBaseUrl, {
  platform: platformOf(mh),
  deployment: "myhibachi-prod-api",
});

/* ---------- a structural PromQL check (no parser installed) ---------- */

const FUNCTIONS = new Set(["sum", "max", "rate", "histogram_quantile", "time", "vector"]);
const KEYWORDS = new Set(["and", "or"]);
const KNOWN_METRICS = new Set<string>([
  ...Object.values(METRICS),
  `${METRICS.requestDuration}_bucket`,
  // The app's own histograms (SLO-1): AI response time [H], YOLO inference [P].
  ...Object.values(APP_LATENCY_METRICS).map((m) => `${m}_bucket`),
]);
const DURATION = /^(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/;
const MATCHER = /^\s*[a-zA-Z_]\w*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/;

/** What is structurally wrong with a PromQL expression (an alert's when `alert`, a panel's otherwise); empty when nothing is. */
function promqlProblems(expr: string, alert = true): string[] {
  const problems: string[] = [];
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  let depth = 0;
  // Comparisons at depth 0 and 1, and a top-level `and` (whose sides are compared in parentheses).
  const compared = [false, false];
  let topAnd = false;
  for (const [i, c] of [...bare].entries()) {
    if ("({[".includes(c)) depth++;
    if (")}]".includes(c)) depth--;
    if (depth < 0) problems.push(`unbalanced ${c} at ${i}`);
    if (depth <= 1 && /[<>]/.test(c)) compared[depth] = true;
    if (depth === 0 && bare.startsWith(" and ", i)) topAnd = true;
  }
  if (depth !== 0) problems.push("unbalanced brackets");
  if (alert && !compared[0] && !(topAnd && compared[1])) problems.push("no comparison at the top level");
  // Selectors: a known metric, then well-formed matchers; ranges: a duration.
  let rest = expr.replace(/([a-zA-Z_:][\w:]*)\{([^}]*)\}/g, (_m, metric: string, body: string) => {
    if (!KNOWN_METRICS.has(metric)) problems.push(`unknown metric ${metric}`);
    for (const m of body.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [])
      if (!MATCHER.test(m)) problems.push(`bad matcher ${m}`);
    return " M ";
  });
  rest = rest.replace(/\[([^\]]*)\]/g, (_m, d: string) => {
    if (!DURATION.test(d) || d === "") problems.push(`bad range [${d}]`);
    return "";
  });
  rest = rest.replace(/\b(by|without|on|ignoring)\s*\(\s*\w+(\s*,\s*\w+)*\s*\)/g, " ");
  for (const [, word, call] of rest.matchAll(/([a-zA-Z_][\w:]*)\s*(\()?/g)) {
    if (word === "M" || KEYWORDS.has(word) || (call && FUNCTIONS.has(word))) continue;
    problems.push(`unknown ${call ? "function" : "word"} ${word}`);
  }
  return problems;
}

describe("promqlProblems: the structural PromQL check catches what it should (SLO-6)", () => {
  test.each([
    ['sum(rate(http_requests_total{job="a"}[5m]) > 1', "unbalanced brackets"],
    ['sum(rate(http_requests_total{job="a"}[5 minutes])) > 1', "bad range [5 minutes]"],
    ["sum(rate(http_requests_total{job=a}[5m])) > 1", "bad matcher job=a"],
    ['summ(rate(http_requests_total{job="a"}[5m])) > 1', "unknown function summ"],
    ['sum(rate(http_request_total{job="a"}[5m])) > 1', "unknown metric http_request_total"],
    ['sum(rate(http_requests_total{job="a"}[5m]))', "no comparison at the top level"],
  ])("%s -> %s", (expr, problem) => {
    expect(promqlProblems(expr)).toContain(problem);
  });
});

/* ---------- the rules ---------- */

/** [alert, the end of its expression, for, severity] of each SLO row: Psi [P §1.4] and MyHibachi [H §SLOs]. */
type Expected = readonly [alert: string, tail: string, forText: string, severity: string];
const PSI_ROWS: Record<string, Expected> = {
  latencyP95Ms: ["LatencyP95AboveSlo", ") > 0.5", "10m", "P2"],
  latencyP95CriticalMs: ["LatencyP95Critical", ") > 2", "5m", "P1"],
  latencyP99Ms: ["LatencyP99AboveSlo", ") > 1", "10m", "P3"],
  latencyP99CriticalMs: ["LatencyP99Critical", ") > 5", "5m", "P1"],
  errorRatePct: ["ErrorRateAboveSlo", "[1h])) > 0.001", "1h", "P3"],
  errorRateCriticalPct: ["HighErrorRate", "[5m])) > 0.01", "5m", "P1"],
  memoryMb: ["MemoryAboveSlo", "/ 1048576 > 2048", "10m", "P3"],
  memoryCriticalMb: ["MemoryCritical", "/ 1048576 > 3072", "5m", "P1"],
  cpuPct: ["CpuAboveSlo", "* 100 > 70", "15m", "P3"],
  cpuCriticalPct: ["CpuCritical", "* 100 > 90", "10m", "P1"],
  inferenceP95Ms: ["InferenceP95AboveSlo", ") > 2", "10m", "P3"],
  inferenceP95CriticalMs: ["InferenceP95Critical", ") > 5", "5m", "P2"],
};
const MH_ROWS: Record<string, Expected> = {
  latencyP95Ms: ["LatencyP95AboveSlo", ") > 0.2", "10m", "P3"],
  latencyP95CriticalMs: ["LatencyP95Critical", ") > 0.5", "10m", "P3"],
  errorRatePct: ["ErrorRateAboveSlo", "[1h])) > 0.001", "1h", "P3"],
  errorRateCriticalPct: ["HighErrorRate", "[5m])) > 0.01", "5m", "P1"],
  cpuCriticalPct: ["CpuCritical", "* 100 > 90", "15m", "P3"],
  aiLatencyP95Ms: ["AiLatencyP95AboveSlo", ") > 1", "10m", "P3"],
};

test("SLO-1, SLO-6: YOLO inference [P §1.4] and AI response time [H §SLOs] are p95s of the app's own histograms", () => {
  const q = (metric: string, w: string) =>
    `histogram_quantile(0.95, sum by (le) (rate(${metric}_bucket{namespace="production", job="api"}[${w}])))`;
  const psiRules = byAlert(psiGroups);
  expect(psiRules.get("InferenceP95AboveSlo")!.expr).toBe(
    `${q("yolo_inference_duration_seconds", "5m")} > 2`,
  );
  expect(psiRules.get("InferenceP95Critical")!.expr).toBe(
    `${q("yolo_inference_duration_seconds", "5m")} > 5`,
  );
  expect(byAlert(mhGroups).get("AiLatencyP95AboveSlo")!.expr).toBe(
    `${q("ai_request_duration_seconds", "5m")} > 1`,
  );
});

describe.each([
  ["Psi", psi, psiGroups, PSI_ROWS],
  ["MyHibachi", mh, mhGroups, MH_ROWS],
])("SLO-6: %s's SLO table as PrometheusRule alerts", (_app, cfg, groups, expected) => {
  const slo = cfg.services.api.slo as Record<string, { evaluationMinutes: number; severity: string }>;
  const rules = byAlert(groups);

  test("SLO-1, SLO-6: every threshold row has exactly its rule: its threshold, `for` = evaluationMinutes, its severity", () => {
    const thresholdRows = Object.keys(slo).filter(
      (k) => k !== "uptimePct" && !NOT_ON_KUBERNETES.includes(k as never),
    );
    expect(thresholdRows.sort()).toEqual(Object.keys(expected).sort());
    for (const [key, [alert, tail, forText, severity]] of Object.entries(expected)) {
      expect(SLO_ALERTS[key as keyof typeof SLO_ALERTS]).toBe(alert);
      const rule = rules.get(alert)!;
      expect(rule.expr.endsWith(tail)).toBe(true);
      expect(rule.for).toBe(forText);
      expect(rule.for).toBe(promDuration(slo[key].evaluationMinutes * 60));
      expect(rule.labels).toEqual({ severity, service: "api", namespace: NS, slo_objective: key });
      expect(slo[key].severity).toBe(severity);
    }
    expect(groups.find((g) => g.name === "api-slo")!.rules).toHaveLength(Object.keys(expected).length);
  });

  test("SLO-1, SLO-6: the DB-latency rows stay CloudWatch alarms on RDS: no Prometheus rule guards them", () => {
    expect(
      rulesOf(groups).filter((r) => NOT_ON_KUBERNETES.includes(r.labels.slo_objective as never)),
    ).toEqual([]);
  });

  test("SLO-3, SLO-6: uptime 99.9 % burns its 0.1 % budget on the CloudWatch BURN_WINDOWS: 14.4x 1h+5m P1, 6x 6h+30m P1, 1x 1d+2h P2", () => {
    const burns = groups.find((g) => g.name === "api-availability")!.rules.filter((r) => r.labels.window);
    expect(burns.map((r) => [r.alert, r.labels.severity, r.labels.window, r.for])).toEqual([
      ["AvailabilityBurnRateFast", "P1", "fast", "5m"],
      ["AvailabilityBurnRateSlow", "P1", "slow", "5m"],
      ["AvailabilityBurnRateTicket", "P2", "ticket", "5m"],
    ]);
    expect(burns.map((r) => r.labels.severity)).toEqual(BURN_WINDOWS.map((w) => w.severity));
    const ratio = (w: string) =>
      `sum(rate(http_requests_total{namespace="production", job="api", status=~"5.."}[${w}]))` +
      ` / sum(rate(http_requests_total{namespace="production", job="api"}[${w}]))`;
    expect(burns.map((r) => r.expr)).toEqual([
      `(${ratio("1h")} > 0.0144) and (${ratio("5m")} > 0.0144)`,
      `(${ratio("6h")} > 0.006) and (${ratio("30m")} > 0.006)`,
      `(${ratio("1d")} > 0.001) and (${ratio("2h")} > 0.001)`,
    ]);
  });

  test("SLO-3, SLO-7: the platform rows: the P0 5 % page line, memory 90/95 % of the limit, no ready pod, certificate < 30 and < 7 days", () => {
    const a = cfg.alarms;
    const cases: [string, string, string, string][] = [
      [PLATFORM_ALERTS.errorRatePagePct, "[5m])) > 0.05", "5m", a.service.errorRatePagePct.severity],
      [
        PLATFORM_ALERTS.memoryPct,
        "* 100 > 90",
        promDuration(a.service.memoryPct.evaluationMinutes * 60),
        a.service.memoryPct.severity,
      ],
      [PLATFORM_ALERTS.memoryCriticalPct, "* 100 > 95", "5m", "P1"],
      [PLATFORM_ALERTS.down, "or vector(0)) < 1", "1m", a.service.down.severity],
      [PLATFORM_ALERTS.expiryWarningDays, "/ 86400 < 30", "1d", "P3"],
      [PLATFORM_ALERTS.expiryDays, "/ 86400 < 7", "1d", "P1"],
    ];
    for (const [alert, tail, forText, severity] of cases) {
      const rule = rules.get(alert)!;
      expect([alert, rule.expr.endsWith(tail), rule.for, rule.labels.severity]).toEqual([
        alert,
        true,
        forText,
        severity,
      ]);
      expect(rule.labels.slo_objective).toBeUndefined();
    }
    expect(a.service.errorRatePagePct.severity).toBe("P0");
    expect(rules.size).toBe(Object.keys(expected).length + 3 + 6);
  });

  test("SLO-4: each alert names its severity, runbook section (runbook_url, as alarmDescription links it) and first action", () => {
    for (const r of rulesOf(groups)) {
      expect(Object.keys(r.annotations).sort()).toEqual([
        "description",
        "first_action",
        "runbook_url",
        "summary",
      ]);
      expect(r.annotations.description.startsWith(`${r.labels.severity} api: `)).toBe(true);
      expect(r.annotations.description).toContain(`: ${r.annotations.runbook_url}. First action: `);
      expect(r.annotations.runbook_url.startsWith(`${cfg.alerting.runbookBaseUrl}#`)).toBe(true);
      expect(r.annotations.summary).toMatch(/^api: .+ \(now \{\{ \$value .+ \}\}.*\)$/);
    }
  });

  test("SLO-6: every expression passes the structural PromQL check and reads only the exported metrics", () => {
    for (const r of rulesOf(groups)) expect([r.alert, promqlProblems(r.expr)]).toEqual([r.alert, []]);
  });
});

describe("SLO-6: expressions and links, exactly", () => {
  const rules = byAlert(psiGroups);

  test("[P §4.4.4]: HighErrorRate is the runbook's 5xx ratio over 5 min, summed over the service, > 0.01 for 5m, P1", () => {
    expect(rules.get("HighErrorRate")).toMatchObject({
      expr:
        'sum(rate(http_requests_total{namespace="production", job="api", status=~"5.."}[5m]))' +
        ' / sum(rate(http_requests_total{namespace="production", job="api"}[5m])) > 0.01',
      for: "5m",
      labels: { severity: "P1" },
    });
  });

  test("SLO-1: p95 over 500 ms is histogram_quantile(0.95) of the app's histogram over 5 min above 0.5 s", () => {
    expect(rules.get("LatencyP95AboveSlo")!.expr).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_highr_seconds_bucket{namespace="production", job="api"}[5m]))) > 0.5',
    );
  });

  test("K8S-2: memory and CPU read the app container of the service's own pods (every service's container is named app)", () => {
    const pods = 'container="app", pod=~"psi-prod-api-[a-z0-9]+-[a-z0-9]+"';
    expect(rules.get("MemoryAboveSlo")!.expr).toBe(
      `max by (pod) (container_memory_working_set_bytes{namespace="production", ${pods}}) / 1048576 > 2048`,
    );
    expect(rules.get("CpuCritical")!.expr).toBe(
      `sum(rate(container_cpu_usage_seconds_total{namespace="production", ${pods}}[5m]))` +
        ` / sum(kube_pod_container_resource_limits{namespace="production", ${pods}, resource="cpu"}) * 100 > 90`,
    );
    expect(rules.get("NoReadyPods")!.expr).toBe(
      '(max(kube_deployment_status_replicas_ready{namespace="production", deployment="psi-prod-api"}) or vector(0)) < 1',
    );
  });

  test("SLO-3 [P §6.4.2]: certificate expiry reads cert-manager's notAfter under either namespace label", () => {
    const e = (label: string) =>
      `max by (name) (certmanager_certificate_expiration_timestamp_seconds{${label}="production"})`;
    expect(rules.get("CertificateExpiryCritical")!.expr).toBe(
      `((${e("exported_namespace")} or ${e("namespace")}) - time()) / 86400 < 7`,
    );
  });

  test("SLO-4: runbook_url is the base with the section as alarmDescription's anchor", () => {
    const row = psi.services.api.slo.latencyP95Ms!;
    expect(rules.get("LatencyP95AboveSlo")!.annotations).toEqual({
      summary: "api: p95 latency above 500 ms for 10 min (now {{ $value | humanizeDuration }})",
      description: alarmDescription("api: p95 latency above 500 ms for 10 min", row, PSI_BASE),
      runbook_url: `${PSI_BASE}#5-1-2`,
      first_action: row.firstAction,
    });
    expect(runbookUrl("https://h.example.com/rb/", "§Incident: Slow API Response Times")).toBe(
      "https://h.example.com/rb#incident-slow-api-response-times",
    );
  });

  test("SLO-6: durations and numbers print as Prometheus reads them", () => {
    expect([60, 300, 3600, 5400, 86400, 90061].map(promDuration)).toEqual([
      "1m",
      "5m",
      "1h",
      "1h30m",
      "1d",
      "1d1h1m1s",
    ]);
    expect(() => promDuration(0)).toThrow("not a whole number");
    expect([0.1 / 100, 14.4 / 100, 500 / 1000, 2048].map(promNumber)).toEqual([
      "0.001",
      "0.144",
      "0.5",
      "2048",
    ]);
  });

  test("SLO-6: without platform rows NoReadyPods takes uptimePct's route; with no uptime row either, none", () => {
    const slo = psi.services.api.slo;
    const alone = byAlert(sloRuleGroups("api", NS, slo, PSI_BASE)).get("NoReadyPods")!;
    expect([alone.labels.severity, alone.for, alone.labels.slo_objective]).toEqual(["P1", "5m", "uptimePct"]);
    expect(alone.expr).toContain('deployment="api"');
    const groups = sloRuleGroups("api", NS, { ...slo, uptimePct: undefined }, PSI_BASE);
    expect(groups.map((g) => g.name)).toEqual(["api-slo"]);
  });

  test('SLO-6: text that Prometheus would read as a template ("{{") fails before any rule is built', () => {
    const slo: SloSettings = {
      cpuPct: { ...psi.services.api.slo.cpuPct!, firstAction: "Run {{ kubectl top }}" },
    };
    expect(() => sloRuleGroups("api", NS, slo, PSI_BASE)).toThrow(
      '"{{" would be read as a Prometheus template',
    );
  });
});

describe("SLO-1, SLO-6: one row, one figure: changing a threshold changes exactly the rules that use it", () => {
  const slo = psi.services.api.slo as Record<string, { threshold: number }>;
  const base = byAlert(psiGroups);
  const changed = (edit: (s: SloSettings, p: PlatformRules) => [SloSettings, PlatformRules]) => {
    const [s, p] = edit(psi.services.api.slo, platformOf(psi));
    const after = byAlert(sloRuleGroups("api", NS, s, PSI_BASE, { platform: p, deployment: "psi-prod-api" }));
    expect([...after.keys()]).toEqual([...base.keys()]);
    return [...after].filter(([k, r]) => JSON.stringify(r) !== JSON.stringify(base.get(k))).map(([k]) => k);
  };

  test.each(Object.keys(PSI_ROWS))("%s", (key) => {
    const bumped = (s: SloSettings) => ({
      ...s,
      [key]: { ...s[key as keyof SloSettings]!, threshold: slo[key].threshold + 1 },
    });
    expect(changed((s, p) => [bumped(s), p])).toEqual([PSI_ROWS[key][0]]);
  });

  test("uptimePct: the three burn-rate alerts", () => {
    expect(changed((s, p) => [{ ...s, uptimePct: { ...s.uptimePct!, threshold: 99.5 } }, p])).toEqual(
      Object.values(PLATFORM_ALERTS.burn),
    );
  });

  test("alarms.service.errorRatePagePct and alarms.certificate.expiryDays: their own rule", () => {
    expect(
      changed((s, p) => [s, { ...p, errorRatePagePct: { ...p.errorRatePagePct!, threshold: 6 } }]),
    ).toEqual([PLATFORM_ALERTS.errorRatePagePct]);
    expect(
      changed((s, p) => [
        s,
        {
          ...p,
          certificate: { ...p.certificate!, expiryDays: { ...p.certificate!.expiryDays, threshold: 10 } },
        },
      ]),
    ).toEqual([PLATFORM_ALERTS.expiryDays]);
  });
});

/* ---------- the Grafana dashboard (SLO-5) ---------- */

const PANEL_TITLES = [
  "Request rate (requests/min)",
  "Response time p50 / p95 / p99 (s)",
  "Error rate (5xx %)",
  "CPU (% of limit)",
  "Memory working set (MiB) vs limit",
  "Container health (ready vs desired pods)",
  "Scaling events (HPA current vs desired replicas)",
];
/** The red threshold line of each panel (undefined: none): p95 in s, 5xx %, CPU %. */
const thresholdsOf = (d: GrafanaDashboard) =>
  d.panels.map((p) => p.fieldConfig.defaults.thresholds?.steps.find((st) => st.value !== null)?.value);

describe.each([
  ["Psi", psi, "psi-prod-api", [undefined, 0.5, 0.1, 70, undefined, undefined, undefined]],
  ["MyHibachi", mh, "myhibachi-prod-api", [undefined, 0.2, 0.1, undefined, undefined, undefined, undefined]],
] as const)("SLO-5: %s's Grafana dashboard (serviceDashboard)", (_app, cfg, deployment, lines) => {
  const slo = cfg.services.api.slo;
  const d = serviceDashboard({
    service: "api",
    namespace: NS,
    deployment,
    objectives: dashboardObjectives(slo),
  });

  test("SLO-5 [P §4.5.1, §4.5.2]: the panels, in order, as timeseries on the chart's Prometheus datasource; no DB-connection or cache panel (CloudWatch)", () => {
    expect(d.panels.map((p) => p.title)).toEqual(PANEL_TITLES);
    expect(d.panels.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const p of d.panels) {
      expect(p.type).toBe("timeseries");
      expect(p.datasource).toEqual({ type: "prometheus", uid: GRAFANA_DASHBOARDS.datasourceUid });
      for (const t of p.targets) expect(t.datasource).toEqual(p.datasource);
    }
    expect(d.panels.map((p) => p.targets.map((t) => t.refId).join(""))).toEqual([
      "A",
      "ABC",
      "A",
      "A",
      "AB",
      "AB",
      "AB",
    ]);
    expect(JSON.stringify(d)).not.toMatch(/DatabaseConnections|CacheHit|database|cache/i);
  });

  test("SLO-1, SLO-5: the threshold lines are the SLO rows: p95 (ms as s), error rate %, CPU %; none without a row", () => {
    expect(thresholdsOf(d)).toEqual(lines);
    expect(thresholdsOf(d).slice(1, 4)).toEqual([
      slo.latencyP95Ms!.threshold / 1000,
      slo.errorRatePct!.threshold,
      slo.cpuPct?.threshold,
    ]);
    for (const p of d.panels) {
      const t = p.fieldConfig.defaults.thresholds;
      if (!t) {
        expect(p.fieldConfig.defaults.custom).toBeUndefined();
        continue;
      }
      expect(t).toEqual({ mode: "absolute", steps: [{ color: "green", value: null }, expect.anything()] });
      expect(p.fieldConfig.defaults.custom).toEqual({ thresholdsStyle: { mode: "line" } });
    }
    expect(d.panels.map((p) => p.fieldConfig.defaults.unit)).toEqual([
      "reqpm",
      "s",
      "percent",
      "percent",
      "mbytes",
      "none",
      "none",
    ]);
  });

  test("SLO-5: uid within Grafana's 40 characters, title the Deployment, panels two per row of 12 x 8", () => {
    expect(d.uid.length).toBeLessThanOrEqual(GRAFANA_UID_MAX_LENGTH);
    expect(d.uid).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(d.uid).toBe(dashboardUid(NS, "api"));
    expect(d).toMatchObject({ title: deployment, schemaVersion: 39, editable: false });
    expect(d.panels.map((p) => [p.gridPos.x, p.gridPos.y, p.gridPos.w, p.gridPos.h])).toEqual([
      [0, 0, 12, 8],
      [12, 0, 12, 8],
      [0, 8, 12, 8],
      [12, 8, 12, 8],
      [0, 16, 12, 8],
      [12, 16, 12, 8],
      [0, 24, 12, 8],
    ]);
  });

  test("SLO-5, SLO-6: every panel query passes the structural PromQL check and reads only the exported metrics", () => {
    for (const p of d.panels)
      for (const t of p.targets) expect([p.title, promqlProblems(t.expr, false)]).toEqual([p.title, []]);
  });
});

describe("SLO-5: the dashboard's queries and uid, exactly", () => {
  const d = serviceDashboard({
    service: "api",
    namespace: NS,
    deployment: "psi-prod-api",
    objectives: dashboardObjectives(psi.services.api.slo),
  });
  const exprs = (title: string) => d.panels.find((p) => p.title === title)!.targets.map((t) => t.expr);
  const rules = byAlert(psiGroups);

  test("SLO-5: error rate is the HighErrorRate ratio over 5 min as a percentage; p95 is LatencyP95AboveSlo's left-hand side", () => {
    expect(exprs("Error rate (5xx %)")).toEqual([
      'sum(rate(http_requests_total{namespace="production", job="api", status=~"5.."}[5m]))' +
        ' / sum(rate(http_requests_total{namespace="production", job="api"}[5m])) * 100',
    ]);
    const p95 = exprs("Response time p50 / p95 / p99 (s)")[1];
    expect(p95).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_highr_seconds_bucket{namespace="production", job="api"}[5m])))',
    );
    expect(rules.get("LatencyP95AboveSlo")!.expr).toBe(`${p95} > 0.5`);
  });

  test("SLO-5 [P §4.5.2]: scaling events are kube-state-metrics' HPA current and desired replicas (the HPA is named as the Deployment)", () => {
    const hpa = 'namespace="production", horizontalpodautoscaler="psi-prod-api"';
    expect(exprs("Scaling events (HPA current vs desired replicas)")).toEqual([
      `max(kube_horizontalpodautoscaler_status_current_replicas{${hpa}})`,
      `max(kube_horizontalpodautoscaler_status_desired_replicas{${hpa}})`,
    ]);
    expect(exprs("Container health (ready vs desired pods)")).toEqual([
      'max(kube_deployment_status_replicas_ready{namespace="production", deployment="psi-prod-api"})',
      'max(kube_deployment_spec_replicas{namespace="production", deployment="psi-prod-api"})',
    ]);
  });

  test.each([
    ["production", "api"],
    ["production", "backend"],
    ["a-very-long-namespace-name-for-a-team", "a-service-with-an-even-longer-name-than-that"],
    ["a-b", "c"],
    ["a", "b-c"],
  ])("SLO-5: dashboardUid(%s, %s) is stable, valid and at most 40 characters", (ns, service) => {
    const uid = dashboardUid(ns, service);
    expect(uid).toBe(dashboardUid(ns, service));
    expect(uid).toMatch(/^[a-z0-9-]+-[0-9a-f]{12}$/);
    expect(uid.length).toBeLessThanOrEqual(GRAFANA_UID_MAX_LENGTH);
  });

  test("SLO-5: uids differ where the namespace and service do, even when their slugs are the same", () => {
    expect(dashboardUid("production", "api")).toBe("production-api-22a63edfd3e5");
    expect(dashboardUid("a-b", "c")).not.toBe(dashboardUid("a", "b-c"));
    expect(dashboardUid("production", "api")).not.toBe(dashboardUid("staging", "api"));
  });
});

/* ---------- Alertmanager ---------- */

describe("SLO-2, SLO-6: Alertmanager routes the severities to the CloudWatch side's topics", () => {
  const arn = (role: string) => `arn:aws:sns:us-east-1:123456789012:psi-prod-alerts-${role}`;
  const topicArns = { page: arn("page"), ticket: arn("ticket"), info: arn("info") };
  type Route = { receiver: string; matchers?: string[]; routes?: Route[]; repeat_interval?: string };
  type Receiver = { name: string; sns_configs?: Record<string, unknown>[] };
  const config = alertmanagerConfig({ region: "us-east-1", topicArns }) as {
    route: Route;
    receivers: Receiver[];
  };

  /** Where Alertmanager sends an alert with these labels: the first matching child route, else the root's receiver. */
  function receiverOf(labels: Record<string, string>): Receiver {
    const matches = (m: string) => {
      const [, label, op, value] = /^(\w+)(=~|=)"(.*)"$/.exec(m)!;
      return op === "=" ? labels[label] === value : new RegExp(`^(?:${value})$`).test(labels[label] ?? "");
    };
    const route = config.route.routes!.find((r) => (r.matchers ?? []).every(matches)) ?? config.route;
    return config.receivers.find((r) => r.name === route.receiver)!;
  }

  test("SLO-2: P0/P1 reach the page topic, P2 the ticket topic, P3 the info topic, as the CloudWatch alarms do", () => {
    expect(
      SEVERITIES.map(
        (s) => receiverOf({ severity: s, alertname: "HighErrorRate" }).sns_configs![0].topic_arn,
      ),
    ).toEqual([topicArns.page, topicArns.page, topicArns.ticket, topicArns.info]);
    expect(config.route.routes!.map((r) => [r.receiver, r.matchers])).toEqual([
      [NULL_RECEIVER, ['alertname=~"Watchdog|InfoInhibitor"']],
      ["page", ['severity=~"P0|P1"']],
      ["ticket", ['severity="P2"']],
      ["info", ['severity="P3"']],
    ]);
  });

  test("SLO-4: every receiver publishes to its one topic with sigv4 in the stack's Region and sends resolved (the OK action)", () => {
    for (const role of ["page", "ticket", "info"] as const) {
      const r = config.receivers.find((x) => x.name === role)!;
      expect(r.sns_configs).toHaveLength(1);
      expect(r.sns_configs![0]).toMatchObject({
        topic_arn: topicArns[role],
        sigv4: { region: "us-east-1" },
        send_resolved: true,
      });
      expect(r.sns_configs![0].sigv4).toEqual({ region: "us-east-1" });
    }
    const assumed = alertmanagerConfig({
      region: "us-east-1",
      topicArns,
      roleArn: "arn:aws:iam::123456789012:role/am",
    }) as typeof config;
    expect(assumed.receivers[1].sns_configs![0].sigv4).toEqual({
      region: "us-east-1",
      role_arn: "arn:aws:iam::123456789012:role/am",
    });
  });

  test("SLO-6: kube-prometheus-stack's Watchdog and InfoInhibitor notify no one; the chart's own severities land on info", () => {
    for (const alertname of SILENT_ALERTS)
      expect(receiverOf({ alertname, severity: "none" })).toEqual({ name: NULL_RECEIVER });
    expect(receiverOf({ alertname: "KubePodCrashLooping", severity: "warning" }).name).toBe("info");
    expect(config.route).toMatchObject({
      receiver: "info",
      group_by: ["alertname", "namespace", "service", "severity"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "24h",
    });
    expect(config.route.routes![1].repeat_interval).toBe("4h");
  });
});

/* ---------- the component ---------- */

describe("SLO-6: ServiceMonitoring on the mock engine", () => {
  const SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
  const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
  const RELEASE = "kubernetes:helm.sh/v3:Release";
  const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
  const selectorLabels = { "app.kubernetes.io/name": "psi-prod-api" };
  const run = evaluate(stackConfig("prod"), async () => {
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    const kps = new k8s.helm.v3.Release("kps", { chart: "kube-prometheus-stack" }, { provider });
    new ServiceMonitoring("psi-prod-api-monitoring", {
      provider,
      namespace: NS,
      service: "api",
      selectorLabels,
      slo: psi.services.api.slo,
      dashboardNamespace: "monitoring",
      runbookBaseUrl: PSI_BASE,
      dependsOnCrds: [kps],
      platform: platformOf(psi),
      deployment: "psi-prod-api",
      labels: { team: "platform" },
    });
  });

  test("K8S-1, SLO-6: a ServiceMonitor and a PrometheusRule, each through the explicit provider, after the CRDs' release", async () => {
    const { records, error } = await run;
    expect(error).toBeUndefined();
    const provider = one(records, "pulumi:providers:kubernetes");
    const release = one(records, RELEASE);
    const component = one(records, "platform:kubernetes:ServiceMonitoring");
    for (const type of [SERVICE_MONITOR, PROMETHEUS_RULE]) {
      const r = one(records, type);
      expect(r.provider).toBe(`${provider.urn}::${provider.id}`);
      expect(r.dependencies).toContain(release.urn);
      expect(r.parent).toBe(component.urn);
    }
    expect(
      ofType(records, SERVICE_MONITOR)
        .concat(ofType(records, PROMETHEUS_RULE))
        .map((r) => r.name),
    ).toEqual(["psi-prod-api-monitoring-servicemonitor", "psi-prod-api-monitoring-rules"]);
    // The dashboard's ConfigMap waits for the chart too (Grafana and its namespace).
    expect(one(records, CONFIG_MAP).dependencies).toContain(release.urn);
  });

  test("APP-2: the ServiceMonitor scrapes the Service's http port at /metrics every 30 s and names the job after the service", async () => {
    const sm = one((await run).records, SERVICE_MONITOR).inputs;
    expect(sm).toEqual({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "api", namespace: NS, labels: { team: "platform" } },
      spec: {
        selector: { matchLabels: selectorLabels },
        endpoints: [
          {
            port: "http",
            path: "/metrics",
            interval: "30s",
            relabelings: [{ action: "replace", targetLabel: "job", replacement: "api" }],
          },
        ],
      },
    });
    expect(METRICS_ENDPOINT).toEqual({ port: "http", path: "/metrics", interval: "30s" });
    expect(schemaErrors(sm)).toEqual([]);
  });

  test("K8S-1, SLO-5: the dashboard is a ConfigMap through the explicit provider, in Grafana's namespace, labelled for its sidecar, holding serviceDashboard's JSON", async () => {
    const { records } = await run;
    const provider = one(records, "pulumi:providers:kubernetes");
    const cm = one(records, CONFIG_MAP);
    expect(cm.name).toBe("psi-prod-api-monitoring-dashboard");
    expect(cm.provider).toBe(`${provider.urn}::${provider.id}`);
    expect(cm.parent).toBe(one(records, "platform:kubernetes:ServiceMonitoring").urn);
    expect(cm.inputs.metadata).toEqual({
      name: "psi-prod-api-dashboard",
      namespace: GRAFANA_DASHBOARDS.namespace,
      labels: { team: "platform", grafana_dashboard: "1" },
    });
    const data = cm.inputs.data as Record<string, string>;
    expect(Object.keys(data)).toEqual(["api.json"]);
    const json = JSON.parse(data["api.json"]) as GrafanaDashboard;
    expect(json).toEqual(
      JSON.parse(
        JSON.stringify(
          serviceDashboard({
            service: "api",
            namespace: NS,
            deployment: "psi-prod-api",
            objectives: { latencyP95Ms: 500, errorRatePct: 0.1, cpuPct: 70 },
          }),
        ),
      ),
    );
    expect(json.panels.map((p) => p.title)).toEqual(PANEL_TITLES);
    expect(schemaErrors(cm.inputs)).toEqual([]);
  });

  test("SLO-6: the PrometheusRule carries exactly sloRuleGroups' groups and validates against the CRD schema", async () => {
    const pr = one((await run).records, PROMETHEUS_RULE).inputs;
    expect(pr.metadata).toEqual({ name: "api-slo", namespace: NS, labels: { team: "platform" } });
    expect((pr.spec as { groups: unknown }).groups).toEqual(JSON.parse(JSON.stringify(psiGroups)));
    expect(schemaErrors(pr)).toEqual([]);
  });
});
