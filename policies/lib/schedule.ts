/**
 * AWS schedule expressions as AWS Backup and EventBridge take them (BAK-1, BAK-3).
 *
 * - `cron(Minutes Hours Day-of-month Month Day-of-week Year)`: exactly six
 *   fields, in UTC unless the resource names a timezone. Minutes 0-59,
 *   hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7
 *   (1 = Sunday) or SUN-SAT, year 1970-2199. Every field takes `,` lists,
 *   `-` ranges and `*`; all but day-of-week take `/` steps; day-of-month also
 *   takes `?`, `L` (last day) and `nW` (weekday nearest day n); day-of-week
 *   takes `?`, `L`, `nL` (last day n of the month) and `n#k` (k-th day n of
 *   the month, alone in its field). Exactly one of day-of-month and
 *   day-of-week is `?`.
 * - `rate(value unit)`: a whole value of at least 1 with `minute`, `hour` or
 *   `day`, singular for 1 and plural (`minutes`, `hours`, `days`) otherwise.
 *   EventBridge takes these; AWS Backup takes cron only.
 *
 * Pure and self-contained (the pack is published on its own): config
 * validation (infra/validators.ts) and the policy pack share it.
 */

/** The six fields of an AWS cron expression, in order. */
export const CRON_FIELDS = ["minutes", "hours", "day-of-month", "month", "day-of-week", "year"] as const;
export type CronField = (typeof CRON_FIELDS)[number];

export interface CronSchedule {
  readonly kind: "cron";
  /** The fields as written, keyed by name. */
  readonly fields: Readonly<Record<CronField, string>>;
}

export interface RateSchedule {
  readonly kind: "rate";
  readonly value: number;
  readonly unit: "minute" | "hour" | "day";
  /** The interval in minutes. */
  readonly everyMinutes: number;
}

export type Schedule = CronSchedule | RateSchedule;

export type ScheduleResult =
  { readonly ok: true; readonly schedule: Schedule } | { readonly ok: false; readonly reason: string };

/** When a fixed-time cron starts each day, and on which days of the week it may run. */
export interface DailyStart {
  /** Minutes after midnight (in the schedule's timezone, UTC here). */
  readonly minute: number;
  /**
   * Days of the week it may run, 0 = Sunday … 6 = Saturday, ascending. All
   * seven when day-of-week is `*` or `?` (a day-of-month schedule can fall on
   * any weekday).
   */
  readonly days: readonly number[];
}

export type DailyStartResult =
  { readonly ok: true; readonly start: DailyStart } | { readonly ok: false; readonly reason: string };

const CRON_SYNTAX = "minutes hours day-of-month month day-of-week year";
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/** Day-of-week names; AWS numbers them 1 (SUN) to 7 (SAT). */
export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  /** Names for min, min+1, … (months, weekdays). */
  readonly names?: readonly string[];
  /** The wildcards AWS lists for the field, for messages. */
  readonly wildcards: string;
  readonly step: boolean;
  readonly question: boolean;
}

const SPECS: Readonly<Record<CronField, FieldSpec>> = {
  minutes: { min: 0, max: 59, wildcards: ", - * /", step: true, question: false },
  hours: { min: 0, max: 23, wildcards: ", - * /", step: true, question: false },
  "day-of-month": { min: 1, max: 31, wildcards: ", - * ? / L W", step: true, question: true },
  month: { min: 1, max: 12, names: MONTHS, wildcards: ", - * /", step: true, question: false },
  "day-of-week": { min: 1, max: 7, names: WEEKDAYS, wildcards: ", - * ? L #", step: false, question: true },
  year: { min: 1970, max: 2199, wildcards: ", - * /", step: true, question: false },
};

function allowed(field: CronField): string {
  const s = SPECS[field];
  const names = s.names ? ` or ${s.names[0]}-${s.names[s.names.length - 1]}` : "";
  return `${s.min}-${s.max}${names} with ${s.wildcards}`;
}

/** A single value of the field (number or name); a reason string when it is not one. */
function value(field: CronField, text: string): number | string {
  const s = SPECS[field];
  const named = s.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return s.min + named;
  if (!/^\d+$/.test(text))
    return `${field} ${JSON.stringify(text)} is not a value; allowed: ${allowed(field)}`;
  const n = Number(text);
  if (n < s.min || n > s.max) return `${field} ${text} is outside ${s.min}-${s.max}`;
  return n;
}

/** The values one list element of a numeric field stands for; a reason string when it is malformed. */
function element(field: CronField, text: string): number[] | string {
  const s = SPECS[field];
  const [base, step, ...more] = text.split("/");
  if (more.length > 0) return `${field} ${JSON.stringify(text)} has more than one /`;
  if (step !== undefined && !s.step) return `${field} does not take / steps; allowed: ${allowed(field)}`;
  let from: number;
  let to: number;
  if (base === "*") {
    from = s.min;
    to = s.max;
  } else {
    const [a, b, ...rest] = base.split("-");
    if (rest.length > 0 || a === "" || b === "")
      return `${field} ${JSON.stringify(text)} is not a value or range; allowed: ${allowed(field)}`;
    const start = value(field, a);
    if (typeof start === "string") return start;
    const end = b === undefined ? (step === undefined ? start : s.max) : value(field, b);
    if (typeof end === "string") return end;
    if (end < start) return `${field} range ${base} runs backwards; write the smaller value first`;
    from = start;
    to = end;
  }
  let by = 1;
  if (step !== undefined) {
    if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > s.max)
      return `${field} step /${step} must be a whole number from 1 to ${s.max}`;
    by = Number(step);
  }
  const values: number[] = [];
  for (let v = from; v <= to; v += by) values.push(v);
  return values;
}

/** Day-of-month's own forms: `?`, `L`, `nW`; otherwise the numeric list. */
function checkDayOfMonth(text: string): string | undefined {
  if (text === "?" || text === "L") return undefined;
  const w = /^(\d+)W$/.exec(text);
  if (w) {
    const day = value("day-of-month", w[1]);
    return typeof day === "string" ? day : undefined;
  }
  if (/[?LW]/.test(text))
    return `day-of-month ${JSON.stringify(text)}: ?, L and nW stand alone in the field; allowed: ${allowed("day-of-month")}`;
  return numericList("day-of-month", text);
}

/** Day-of-week's own forms: `?`, `L`, `nL`, `n#k`; otherwise the numeric list. */
function checkDayOfWeek(text: string): string | undefined {
  if (text === "?" || text === "L") return undefined;
  const last = /^(\w+)L$/i.exec(text);
  if (last && !/,|-/.test(text)) {
    const day = value("day-of-week", last[1]);
    return typeof day === "string" ? day : undefined;
  }
  const nth = /^(\w+)#(\d+)$/.exec(text);
  if (nth) {
    const day = value("day-of-week", nth[1]);
    if (typeof day === "string") return day;
    const k = Number(nth[2]);
    return k >= 1 && k <= 5 ? undefined : `day-of-week ${text}: the week of the month after # must be 1-5`;
  }
  if (text.includes("#"))
    return `day-of-week ${JSON.stringify(text)}: a # expression stands alone in the field (AWS reads 3#1,6#3 as two expressions)`;
  if (text.includes("?"))
    return `day-of-week ${JSON.stringify(text)}: ? stands alone in the field; allowed: ${allowed("day-of-week")}`;
  return numericList("day-of-week", text);
}

function numericList(field: CronField, text: string): string | undefined {
  for (const part of text.split(",")) {
    if (part === "") return `${field} ${JSON.stringify(text)} has an empty list item`;
    if (part === "?") return `${field} does not take ?; allowed: ${allowed(field)}`;
    const r = element(field, part);
    if (typeof r === "string") return r;
  }
  return undefined;
}

function parseCron(inner: string): ScheduleResult {
  const parts = inner
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "");
  if (parts.length !== CRON_FIELDS.length) {
    return {
      ok: false,
      reason: `has ${parts.length} field${parts.length === 1 ? "" : "s"}; AWS cron takes 6: ${CRON_SYNTAX}`,
    };
  }
  const fields = Object.fromEntries(CRON_FIELDS.map((f, i) => [f, parts[i]])) as Record<CronField, string>;
  for (const field of CRON_FIELDS) {
    const text = fields[field];
    const problem =
      field === "day-of-month"
        ? checkDayOfMonth(text)
        : field === "day-of-week"
          ? checkDayOfWeek(text)
          : numericList(field, text);
    if (problem !== undefined) return { ok: false, reason: problem };
  }
  const dom = fields["day-of-month"];
  const dow = fields["day-of-week"];
  if (dom === "?" && dow === "?")
    return {
      ok: false,
      reason: "day-of-month and day-of-week are both ?; set one of them, such as cron(0 2 * * ? *)",
    };
  if (dom !== "?" && dow !== "?")
    return {
      ok: false,
      reason: `day-of-month (${dom}) and day-of-week (${dow}) are both set; AWS needs ? in one of them, such as cron(0 2 * * ? *)`,
    };
  return { ok: true, schedule: { kind: "cron", fields } };
}

const RATE_UNITS = { minute: 1, hour: 60, day: 24 * 60 } as const;

function parseRate(inner: string): ScheduleResult {
  const parts = inner
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "");
  if (parts.length !== 2) return { ok: false, reason: "takes a value and a unit, such as rate(5 minutes)" };
  const [count, unitText] = parts;
  if (!/^\d+$/.test(count) || Number(count) < 1)
    return { ok: false, reason: `the value ${count} must be a whole number of at least 1` };
  const n = Number(count);
  const singular = unitText.replace(/s$/, "") as keyof typeof RATE_UNITS;
  if (!Object.hasOwn(RATE_UNITS, singular))
    return { ok: false, reason: `the unit ${unitText} must be minute(s), hour(s) or day(s)` };
  const plural = unitText.endsWith("s");
  if (n === 1 && plural) return { ok: false, reason: `1 takes the singular unit: rate(1 ${singular})` };
  if (n > 1 && !plural) return { ok: false, reason: `${n} takes the plural unit: rate(${n} ${singular}s)` };
  return {
    ok: true,
    schedule: { kind: "rate", value: n, unit: singular, everyMinutes: n * RATE_UNITS[singular] },
  };
}

/**
 * Parses an AWS schedule expression, `cron(…)` or `rate(…)`. On failure the
 * reason says what is wrong and what AWS allows, without repeating the text.
 */
export function parseSchedule(text: unknown): ScheduleResult {
  if (typeof text !== "string") return { ok: false, reason: "is not a string" };
  const m = /^(cron|rate)\((.*)\)$/.exec(text);
  if (!m) {
    return {
      ok: false,
      reason: `is neither cron(${CRON_SYNTAX}) nor rate(value unit)`,
    };
  }
  return m[1] === "cron" ? parseCron(m[2]) : parseRate(m[2]);
}

/** The one value a field holds when it is a plain number or name, else undefined. */
function single(field: CronField, text: string): number | undefined {
  const v = /^\w+$/.test(text) ? value(field, text) : undefined;
  return typeof v === "number" ? v : undefined;
}

const ALL_DAYS: readonly number[] = [0, 1, 2, 3, 4, 5, 6];

/** The weekdays (0 = Sunday) a valid day-of-week field may select. */
function weekdays(dow: string): number[] {
  if (dow === "?" || dow === "*") return [...ALL_DAYS];
  if (dow === "L") return [6];
  const special = /^(\w+?)(?:L|#\d+)$/i.exec(dow);
  if (special && !/,|-/.test(dow)) return [Number(value("day-of-week", special[1])) - 1];
  const days = new Set<number>();
  for (const part of dow.split(",")) {
    const values = element("day-of-week", part);
    if (typeof values !== "string") for (const v of values) days.add(v - 1);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * For a cron schedule that starts at one fixed minute and hour (such as
 * `cron(0 2 * * ? *)` or `cron(30 4 ? * SUN *)`), the start time in minutes
 * after midnight and the days of the week it may run. Anything else (rate
 * expressions, steps, lists or ranges in minutes or hours) has no single daily
 * start, and the reason says so: window arithmetic cannot verify it.
 */
export function dailyStart(text: unknown): DailyStartResult {
  const parsed = parseSchedule(text);
  if (!parsed.ok) return parsed;
  const s = parsed.schedule;
  if (s.kind === "rate") {
    return {
      ok: false,
      reason: `runs every ${s.value} ${s.unit}${s.value === 1 ? "" : "s"}, not at a fixed time of day`,
    };
  }
  const minute = single("minutes", s.fields.minutes);
  if (minute === undefined)
    return { ok: false, reason: `minutes ${s.fields.minutes} is not one fixed minute` };
  const hour = single("hours", s.fields.hours);
  if (hour === undefined) return { ok: false, reason: `hours ${s.fields.hours} is not one fixed hour` };
  return { ok: true, start: { minute: hour * 60 + minute, days: weekdays(s.fields["day-of-week"]) } };
}
