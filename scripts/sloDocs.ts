/**
 * docs/slo.md (SLO-1..4, SLO-7), generated from each shipped stack's
 * validated config (the SLO table of every service, the platform alarms and
 * the routing by severity) and from the synth engine's records: the alarms
 * tagged `slo:service` / `slo:objective` that guard each objective.
 * `npm run docs:slo` rewrites it; a test keeps it current.
 */
import * as fs from "fs";
import * as path from "path";
import { OBJECTIVES, OBJECTIVE_TAG, SERVICE_TAG, isObjective } from "../policies/lib/slo";
import { AlarmRow, PlatformConfig, SEVERITIES, SEVERITY_TOPICS, parseStackConfig } from "../infra/config";
import { SLO3_SEVERITIES } from "../components/observability/alarmPolicy";
import type { ResourceRecord } from "../synth/engine";
import { listStacks, readStackConfig } from "../synth/stackConfig";

export const ROOT = path.resolve(__dirname, "..");
export const SLO_DOC_FILE = path.join(ROOT, "docs/slo.md");
export const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** What the doc needs of one stack: its validated config and its recorded resources. */
export interface SloDocStack {
  readonly cfg: PlatformConfig;
  readonly records: readonly ResourceRecord[];
}

/** The validated config of a shipped stack, as `pulumi up` would read it. */
export function shippedConfig(stack: string): PlatformConfig {
  const { config, project, secretKeys } = readStackConfig(ROOT, stack);
  return parseStackConfig(config, project, stack, secretKeys);
}

/** The shipped stacks: every Pulumi.<stack>.yaml. */
export const SLO_DOC_STACKS: readonly string[] = listStacks(ROOT);

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** SLO-3: the names of the alarms tagged as guarding `service`'s `objective`, sorted. */
function guards(records: readonly ResourceRecord[], service: string, objective: string): string[] {
  return records
    .filter((r) => r.type === METRIC_ALARM)
    .filter((r) => {
      const tags = (r.inputs.tags ?? {}) as Record<string, unknown>;
      return tags[SERVICE_TAG] === service && tags[OBJECTIVE_TAG] === objective;
    })
    .map((r) => (typeof r.inputs.name === "string" ? r.inputs.name : r.name))
    .sort();
}

function route(row: Pick<AlarmRow, "severity" | "runbookSection" | "firstAction" | "evaluationMinutes">) {
  return `${row.evaluationMinutes} | ${row.severity} | ${SEVERITY_TOPICS[row.severity]} | ${cell(row.runbookSection)} | ${cell(row.firstAction)}`;
}

function sloSection({ cfg, records }: SloDocStack): string[] {
  const lines = [`### SLO tables (SLO-1, SLO-3, SLO-4)`, ""];
  // FE-5: a production front end's rows sit in the same table (sloTables publishes both).
  const services = [
    ...Object.entries(cfg.services),
    ...Object.entries(cfg.frontends).filter(([, fe]) => fe.deployments === "production"),
  ];
  if (services.length === 0) return [...lines, "No service yet: the `sloTables` output is `{}`.", ""];
  lines.push(
    "| service or front end | objective | level | alarm when | for (min) | severity | topic | runbook | first action | alarms (tagged) |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const [service, svc] of services) {
    for (const [key, row] of Object.entries(svc.slo)) {
      if (row === undefined || !isObjective(key)) continue;
      const { unit, breach } = OBJECTIVES[key];
      const level = key.includes("Critical") ? "critical" : "target";
      const names = guards(records, service, key);
      lines.push(
        `| ${service} | \`${key}\` | ${level} | ${breach === "above" ? ">" : "<"} ${row.threshold} ${unit} | ${route(row)} | ${names.length > 0 ? names.map((n) => `\`${n}\``).join("<br>") : "none yet"} |`,
      );
    }
  }
  return [...lines, ""];
}

/** SLO-3, SLO-7: the direction and unit of each platform alarm, by its key's suffix. */
function platformCondition(key: string, threshold: number): string {
  if (key.startsWith("freeStorage")) return `< ${threshold} % free`;
  if (key === "jobFailures") return "a backup, copy or restore job FAILED, ABORTED or EXPIRED";
  if (key === "noSuccessHours") return `no backup job completed in ${threshold} h`;
  if (key === "replicationFailures") return `> ${threshold} failed replication operations`;
  if (key === "evictions") return `> ${threshold} evictions`;
  if (key.endsWith("Days")) return `< ${threshold} days to expiry`;
  if (key.endsWith("Seconds")) return `> ${threshold} s`;
  if (key.endsWith("Ms")) return `> ${threshold} ms`;
  return `> ${threshold} %`;
}

function platformSection(cfg: PlatformConfig): string[] {
  const lines = [
    "### Platform alarms (SLO-3, SLO-7)",
    "",
    "| group | alarm | alarm when | for (min) | severity | topic | runbook | first action |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const [group, rows] of Object.entries(cfg.alarms)) {
    if (group === "documentdb" && !cfg.documentdb.enabled) continue;
    for (const [key, row] of Object.entries(
      rows as Record<string, AlarmRow | typeof cfg.alarms.service.down>,
    )) {
      const when =
        "threshold" in row
          ? platformCondition(key, row.threshold)
          : `Route 53 check every ${row.requestIntervalSeconds} s fails ${row.failureThreshold}x, or no healthy target`;
      lines.push(`| ${group} | \`${key}\` | ${when} | ${route(row)} |`);
    }
  }
  return [...lines, ""];
}

/** SLO-2: the severities a topic carries, from the one severity -> topic table (also Alertmanager's). */
function severitiesOf(topic: string): string {
  return SEVERITIES.filter((s) => SEVERITY_TOPICS[s] === topic).join(", ");
}

/** SLO-3: the rows whose severity SLO-3 fixes, as config enforces them (SLO3_SEVERITIES). */
function fixedSeverities(): string {
  const where: Record<keyof typeof SLO3_SEVERITIES, string> = {
    slo: "services.<name>.slo",
    service: "alarms.service",
    certificate: "alarms.certificate",
  };
  const rows = Object.entries(SLO3_SEVERITIES).flatMap(([group, keys]) =>
    Object.entries(keys).map(
      ([key, severity]) =>
        `\`${where[group as keyof typeof SLO3_SEVERITIES]}.${key}\` ${severity} (${SEVERITY_TOPICS[severity]})`,
    ),
  );
  return `SLO-3 fixes the severity of ${rows.join(", ")} for every service; config refuses a row that says otherwise.`;
}

function routingSection(cfg: PlatformConfig): string[] {
  const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(", ") : "nobody");
  const a = cfg.alerting;
  return [
    "### Routing (SLO-2)",
    "",
    "| topic | severities | reaches |",
    "|---|---|---|",
    `| page | ${severitiesOf("page")} | ${a.pagerEndpoint !== undefined ? "the pager endpoint (set), " : ""}${list(a.pageEmails)} |`,
    `| ticket | ${severitiesOf("ticket")} | ${list(a.ticketEmails)} |`,
    `| info | ${severitiesOf("info")} | ${list(a.infoEmails)} |`,
    "",
    `Runbook links start at ${a.runbookBaseUrl}.`,
    "",
  ];
}

export function renderSloDocs(stacks: readonly SloDocStack[]): string {
  const lines = [
    "# SLOs, alarms and routing",
    "",
    "<!-- Generated by `npm run docs:slo` from each stack's validated config and its synth records; do not edit. -->",
    "",
    "Each service's SLO table (`services.<name>.slo`, defaults per app in infra/defaults.ts) is one row per",
    "objective of the pack's `SloObjectives` (policies/lib/slo.ts): a threshold and its route. The program",
    "publishes the thresholds, and each row's `evaluationMinutes` under `windowMinutes`, as the stack output",
    "`sloTables`; the alarms guarding an objective carry the tags `slo:service` and `slo:objective`.",
    "Severities reach topics as [H §Alert Routing, P §4.4.1] ask: P0/P1 page, P2 tickets, P3 informs;",
    "every alarm notifies its topic on ALARM and OK (SLO-4).",
    fixedSeverities(),
    "",
  ];
  for (const s of stacks) {
    lines.push(`## ${s.cfg.stack} (${s.cfg.app}, ${s.cfg.env})`, "");
    lines.push(...sloSection(s), ...platformSection(s.cfg), ...routingSection(s.cfg));
  }
  return lines.join("\n").replace(/\n+$/, "\n");
}

if (require.main === module) {
  void (async () => {
    const { synthesize } = await import("../synth/engine");
    const stacks: SloDocStack[] = [];
    for (const stack of SLO_DOC_STACKS) {
      const { records } = await synthesize(readStackConfig(ROOT, stack));
      stacks.push({ cfg: shippedConfig(stack), records });
    }
    fs.writeFileSync(SLO_DOC_FILE, renderSloDocs(stacks));
    console.log(`wrote ${path.relative(process.cwd(), SLO_DOC_FILE)}`);
  })().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
