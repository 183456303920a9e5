/**
 * The alarm rules as data (SLO-2, SLO-3, SLO-4): severities and the topics
 * they reach, what an alarm's description must say, the error-budget burn
 * windows, and the capacity figures data-store thresholds are fractions of.
 */

/** SLO-2: the runbooks' severities [P §4.4.1]. P0 and P1 page, P2 is a ticket, P3 is for the record. */
export const SEVERITIES = ["P0", "P1", "P2", "P3"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** SLO-2: the three topics: page (P0/P1), ticket (P2) and info (P3). */
export type TopicRole = "page" | "ticket" | "info";
export const TOPIC_OF: Readonly<Record<Severity, TopicRole>> = {
  P0: "page",
  P1: "page",
  P2: "ticket",
  P3: "info",
};

/**
 * SLO-3: the severities the requirement itself fixes, whatever an app's
 * runbook calls the same line: 5xx above 5 % for 5 minutes is P0 and above
 * 1 % is P1 (both page), a certificate expiring within 7 days is P1. The
 * one place they are written: the per-app defaults take them from here
 * (infra/defaults.ts), config refuses a stack row that says otherwise
 * (infra/slo.ts), and every alarm, Prometheus rule, Alertmanager route
 * (TOPIC_OF) and the generated docs/slo.md follow the row.
 */
export const SLO3_SEVERITIES = {
  /** `services.<name>.slo` rows. */
  slo: { errorRateCriticalPct: "P1" },
  /** `alarms.service` rows. */
  service: { errorRatePagePct: "P0" },
  /** `alarms.certificate` rows. */
  certificate: { expiryDays: "P1" },
} as const satisfies Readonly<Record<string, Readonly<Record<string, Severity>>>>;

/** SLO-2, SLO-4: the topic ARN each severity notifies on ALARM and OK. */
export type SeverityTopics<T> = Readonly<Record<Severity, T>>;

/** SLO-4: what every alarm carries besides its metric. */
export interface AlarmMeta {
  readonly severity: Severity;
  /** The runbook section, e.g. "§4.4.3" (linked under the runbook base URL). */
  readonly runbookSection: string;
  /** The first thing the responder does. */
  readonly firstAction: string;
  /** Minutes the condition must hold (1-minute periods) before the alarm fires. */
  readonly evaluationMinutes: number;
}

/** SLO-3, SLO-4: an alarm row: its threshold and its route (config's AlarmRow). */
export interface AlarmRule extends AlarmMeta {
  readonly threshold: number;
}

/** SLO-4: `P1 <what>. Runbook §<section>: <base>#<anchor>. First action: <action>.` */
/** SLO-4: a runbook section's link: the base URL and the section as an anchor ("§4.4.3" -> "#4-4-3"). */
export function runbookUrl(runbookBaseUrl: string, section: string): string {
  const anchor = section
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
  return `${runbookBaseUrl.replace(/\/$/, "")}#${anchor}`;
}

export function alarmDescription(what: string, meta: AlarmMeta, runbookBaseUrl: string): string {
  const section = meta.runbookSection.startsWith("§") ? meta.runbookSection : `§${meta.runbookSection}`;
  const text =
    `${meta.severity} ${what}. Runbook ${section}: ${runbookUrl(runbookBaseUrl, section)}. ` +
    `First action: ${meta.firstAction.replace(/\.$/, "")}.`;
  // CloudWatch takes at most 1024 characters.
  return text.length <= 1024 ? text : `${text.slice(0, 1021)}...`;
}

/**
 * SLO-3 multi-window, multi-burn-rate alerts on an error budget (Google SRE
 * workbook, "Alerting on SLOs", the recommended table): page when the budget
 * burns 14.4× over 1 h and 5 min (2 % of a 30-day budget in an hour), page
 * at 6× over 6 h and 30 min (5 % in six hours). The workbook's ticket row,
 * 1× over 3 days and 6 h, is simplified to 1× over 1 day and 2 h: a
 * CloudWatch metric alarm has one period per datapoint and periods up to a
 * day, so a 3-day average is not expressible in one alarm; the 1-day window
 * still tickets a budget that would run out within the SLO period.
 * The long window fires only while the short one agrees (a composite AND),
 * so an alert resets minutes after the burn stops.
 */
export interface BurnWindow {
  readonly name: "fast" | "slow" | "ticket";
  readonly burnRate: number;
  readonly longSeconds: number;
  readonly shortSeconds: number;
  readonly severity: Severity;
}
export const BURN_WINDOWS: readonly BurnWindow[] = [
  { name: "fast", burnRate: 14.4, longSeconds: 3600, shortSeconds: 300, severity: "P1" },
  { name: "slow", burnRate: 6, longSeconds: 21600, shortSeconds: 1800, severity: "P1" },
  { name: "ticket", burnRate: 1, longSeconds: 86400, shortSeconds: 7200, severity: "P2" },
];

/** The bad-event share (percent) at which `budgetPct` burns `burnRate` times too fast, capped at 100. */
export const burnThresholdPct = (budgetPct: number, burnRate: number): number =>
  Math.min(100, Math.round(budgetPct * burnRate * 1e6) / 1e6);

/** GiB of memory per vCPU of an RDS family; t-classes by size below. */
const GIB_PER_VCPU: Readonly<Record<string, number>> = { m: 4, r: 8, x: 16 };
const VCPUS: Readonly<Record<string, number>> = { large: 2, xlarge: 4 };
const T_GIB: Readonly<Record<string, number>> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  "2xlarge": 32,
};

/** Nominal memory (GiB) of an RDS instance class such as db.m7g.large (PG-7's current-generation families). */
export function instanceMemoryGib(instanceClass: string): number {
  const m = /^db\.([a-z])(\d+)[a-z]*\.(micro|small|medium|large|\d*xlarge)$/.exec(instanceClass);
  if (!m) throw new Error(`${instanceClass}: not an RDS instance class such as db.m7g.large`);
  const [, family, , size] = m;
  if (family === "t") {
    const gib = T_GIB[size];
    if (gib === undefined) throw new Error(`${instanceClass}: unknown burstable size`);
    return gib;
  }
  const perVcpu = GIB_PER_VCPU[family];
  const vcpus = VCPUS[size] ?? (size.endsWith("xlarge") ? 4 * Number(size.slice(0, -6)) : undefined);
  if (perVcpu === undefined || vcpus === undefined || Number.isNaN(vcpus))
    throw new Error(`${instanceClass}: unknown family or size`);
  return perVcpu * vcpus;
}

/**
 * SLO-3 "connections > 80 % of max": RDS for PostgreSQL's default
 * `max_connections` is `LEAST({DBInstanceClassMemory/9531392}, 5000)` (RDS
 * User Guide, "Maximum number of database connections"). The parameter group
 * leaves it at that default, so it is computed here from the class's nominal
 * memory. DBInstanceClassMemory is the nominal memory less what RDS reserves
 * (a few percent), so this is a slight overestimate: an 80 % alarm fires at
 * about 82-87 % of the real limit, still before clients are refused.
 */
export function postgresMaxConnections(instanceClass: string): number {
  return Math.min(Math.floor((instanceMemoryGib(instanceClass) * 1024 ** 3) / 9531392), 5000);
}

/**
 * SLO-3: DocumentDB's connection limit per instance by size (Amazon
 * DocumentDB Developer Guide, "Quotas and limits", instance limits: t3/t4g
 * medium 500, large 1,700, then doubling per size to a cap of 30,000).
 */
export function docdbMaxConnections(instanceClass: string): number {
  const m = /^db\.[a-z0-9]+\.(medium|large|\d*xlarge)$/.exec(instanceClass);
  if (!m) throw new Error(`${instanceClass}: not a DocumentDB instance class such as db.r6g.large`);
  const size = m[1];
  if (size === "medium") return 500;
  if (size === "large") return 1700;
  const factor = size === "xlarge" ? 1 : Number(size.slice(0, -6));
  return Math.min(3500 * factor, 30000);
}

/**
 * SLO-3, SLO-4: how "for N minutes" becomes period x evaluation periods. Up to
 * 15 minutes: 1-minute periods, every one in breach (sustained, as the
 * runbooks' "for 10 min"). Longer: one period of the whole window, so a ratio
 * (error rate "per hour", uptime) is averaged over it rather than required in
 * every minute. A day is CloudWatch's longest period.
 */
export function windowing(minutes: number): {
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
} {
  if (minutes <= 15) return { period: 60, evaluationPeriods: minutes, datapointsToAlarm: minutes };
  return { period: Math.min(minutes, 1440) * 60, evaluationPeriods: 1, datapointsToAlarm: 1 };
}
