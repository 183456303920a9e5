/**
 * SLO-2, SLO-3, SLO-6: where each error-rate alarm of every shipped stack
 * lands, end to end as recorded: a CloudWatch alarm by its alarm and OK
 * actions, a Prometheus rule by its `severity` label through the Alertmanager
 * route recorded in the kube-prometheus-stack release. SLO-3 fixes the
 * severities of the 5 % and 1 % lines (SLO3_SEVERITIES); config refuses a row
 * that says otherwise.
 */
import { PLATFORM_ALERTS, SLO_ALERTS } from "../../components/kubernetes/prometheusRules";
import { SLO3_SEVERITIES } from "../../components/observability/alarmPolicy";
import { ConfigError, parseStackConfig } from "../../infra/config";
import type { ResourceRecord } from "../../synth/engine";
import { SHIPPED_STACKS, ofType, stackConfig, synthStack } from "../harness";

const ALARMS = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"];
const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** The alert names of the error-rate rows on Kubernetes: the objective, the 1 % line, the 5 % page line. */
const ERROR_RATE_ALERTS = [
  SLO_ALERTS.errorRatePct,
  SLO_ALERTS.errorRateCriticalPct,
  PLATFORM_ALERTS.errorRatePagePct,
] as string[];

/** The topic role an alert topic ARN names (`…:<prefix>-alerts-<role>`). */
const roleOf = (arn: string) => /-alerts-(page|ticket|info)$/.exec(arn)?.[1] ?? `not an alert topic: ${arn}`;

/** CloudWatch: each error-rate alarm (`…-errors-…`) and the topic its ALARM and OK actions notify. */
function cloudWatchRoutes(records: readonly ResourceRecord[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of records.filter((r) => ALARMS.includes(r.type) && /-alarms-errors-/.test(r.name))) {
    const actions = a.inputs.alarmActions as string[];
    expect(a.inputs.okActions).toEqual(actions);
    expect(actions).toHaveLength(1);
    out[a.name.slice(a.name.indexOf("-alarms-") + "-alarms-".length)] = roleOf(actions[0]);
  }
  return out;
}

interface Route {
  readonly receiver: string;
  readonly matchers?: readonly string[];
  readonly routes?: readonly Route[];
}

/** Alertmanager's `<matcher>`s as alertmanager.ts writes them: `label="v"` and `label=~"a|b"`. */
function matches(matcher: string, labels: Readonly<Record<string, string>>): boolean {
  const m = /^(\w+)(=~|=)(".*")$/.exec(matcher);
  if (!m) throw new Error(`unexpected matcher ${matcher}`);
  const value = JSON.parse(m[3]) as string;
  const actual = labels[m[1]] ?? "";
  return m[2] === "=" ? actual === value : new RegExp(`^(?:${value})$`).test(actual);
}

/** Alertmanager's routing tree: the first child route whose matchers all match, else the root's receiver. */
function receiverOf(route: Route, labels: Readonly<Record<string, string>>): string {
  const child = (route.routes ?? []).find((r) => (r.matchers ?? []).every((m) => matches(m, labels)));
  return child ? receiverOf(child, labels) : route.receiver;
}

/** Kubernetes: each error-rate rule and the topic the recorded Alertmanager config sends it to. */
function prometheusRoutes(records: readonly ResourceRecord[]): Record<string, string> {
  const release = records.find((r) => r.type === RELEASE && r.name.endsWith("-kube-prometheus-stack"));
  if (!release) return {};
  const config = (release.inputs.values as { alertmanager: { config: Record<string, unknown> } }).alertmanager
    .config as {
    route: Route;
    receivers: { name: string; sns_configs?: { topic_arn: string }[] }[];
  };
  const out: Record<string, string> = {};
  for (const rule of ofType(records, PROMETHEUS_RULE)) {
    const groups = (
      rule.inputs.spec as { groups: { rules: { alert: string; labels: Record<string, string> }[] }[] }
    ).groups;
    for (const r of groups.flatMap((g) => g.rules).filter((x) => ERROR_RATE_ALERTS.includes(x.alert))) {
      const receiver = config.receivers.find(
        (x) => x.name === receiverOf(config.route, { ...r.labels, alertname: r.alert }),
      );
      const arns = (receiver?.sns_configs ?? []).map((s) => s.topic_arn);
      expect(arns).toHaveLength(1);
      out[r.alert] = roleOf(arns[0]);
    }
  }
  return out;
}

/** On Kubernetes: the 0.1 % objective informs, the 1 % line and the 5 % line page. */
const KUBERNETES = { ErrorRateAboveSlo: "info", HighErrorRate: "page", ErrorRatePage: "page" };

const EXPECTED: Record<(typeof SHIPPED_STACKS)[number], { cloudWatch: object; prometheus: object }> = {
  prod: { cloudWatch: {}, prometheus: KUBERNETES },
  staging: { cloudWatch: {}, prometheus: KUBERNETES },
  "prod-dr": { cloudWatch: {}, prometheus: KUBERNETES },
  // ECS: the 1 % line pages like on Kubernetes (it was a ticket: P2); the burn-rate windows of
  // the 0.1 % budget page fast and slow and ticket over a day; their parts only inform.
  "myhibachi-prod": {
    cloudWatch: {
      "errors-slo": "info",
      "errors-critical": "page",
      "errors-page": "page",
      "errors-burn-fast": "page",
      "errors-burn-slow": "page",
      "errors-burn-ticket": "ticket",
      "errors-burn-fast-long": "info",
      "errors-burn-fast-short": "info",
      "errors-burn-slow-long": "info",
      "errors-burn-slow-short": "info",
      "errors-burn-ticket-long": "info",
      "errors-burn-ticket-short": "info",
    },
    prometheus: {},
  },
};

describe("SLO-2, SLO-3: the topic each error-rate alarm notifies, per shipped stack", () => {
  test.each(SHIPPED_STACKS.map((s) => [s]))(
    "SLO-2, SLO-3, SLO-6: %s: the 5 % and 1 % error-rate lines page, the 0.1 % objective informs",
    async (stack) => {
      const { records } = await synthStack(stack);
      expect({ cloudWatch: cloudWatchRoutes(records), prometheus: prometheusRoutes(records) }).toEqual(
        EXPECTED[stack],
      );
    },
  );
});

describe("SLO-3: the severities SLO-3 fixes are config's, for every stack", () => {
  const parse = (stack: string, overrides: Record<string, unknown>) => {
    const sc = stackConfig(stack, overrides);
    return () => parseStackConfig(sc.config, sc.project, stack);
  };

  test("SLO-3: every shipped stack's 1 % line is P1, its 5 % line P0, its 7-day certificate line P1", () => {
    expect(SLO3_SEVERITIES).toEqual({
      slo: { errorRateCriticalPct: "P1" },
      service: { errorRatePagePct: "P0" },
      certificate: { expiryDays: "P1" },
    });
    for (const stack of SHIPPED_STACKS) {
      const cfg = parse(stack, {})();
      for (const svc of Object.values(cfg.services))
        expect(svc.slo.errorRateCriticalPct?.severity).toBe("P1");
      expect(cfg.alarms.service.errorRatePagePct.severity).toBe("P0");
      expect(cfg.alarms.certificate.expiryDays.severity).toBe("P1");
    }
  });

  test("SLO-2, SLO-3: a stack row that makes the 1 % line a ticket, or moves the 5 % or 7-day line, is refused", () => {
    const stack = "myhibachi-prod";
    const services = JSON.parse(stackConfig(stack).config["runbook-platform:services"]) as Record<
      string,
      Record<string, unknown>
    >;
    const load = parse(stack, {
      services: { api: { ...services.api, slo: { errorRateCriticalPct: { severity: "P2" } } } },
      alarms: {
        service: { errorRatePagePct: { severity: "P1" } },
        certificate: { expiryDays: { severity: "P0" } },
      },
    });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'runbook-platform:services.api.slo.errorRateCriticalPct.severity: must be P1: SLO-3 fixes this line\'s severity for every service (P1 reaches the page topic) (SLO-2, SLO-3) (got "P2")',
        'runbook-platform:alarms.service.errorRatePagePct.severity: must be P0: SLO-3 fixes this line\'s severity for every service (P0 reaches the page topic) (SLO-2, SLO-3) (got "P1")',
        'runbook-platform:alarms.certificate.expiryDays.severity: must be P1: SLO-3 fixes this line\'s severity for every service (P1 reaches the page topic) (SLO-2, SLO-3) (got "P0")',
      ]);
    }
  });
});
