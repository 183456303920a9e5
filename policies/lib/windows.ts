/**
 * AWS backup / maintenance window arithmetic (PG-8).
 *
 * RDS, DocumentDB and ElastiCache take a daily backup window `hh:mm-hh:mm` and a
 * weekly maintenance window `ddd:hh:mm-ddd:hh:mm`, both in UTC, and reject a pair
 * that overlaps. The runbooks ask for both at Sunday 02:00 UTC, so config must
 * catch the clash before AWS does.
 */

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** A half-open span of minutes; `end` may pass the cycle length when the window wraps. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DDD_HHMM = /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/;

function parseHhmm(text: string): number | undefined {
  const m = HHMM.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function parseDddHhmm(text: string): number | undefined {
  const m = DDD_HHMM.exec(text);
  if (!m) return undefined;
  return DAYS.indexOf(m[1] as (typeof DAYS)[number]) * MINUTES_PER_DAY + Number(m[2]) * 60 + Number(m[3]);
}

function span(start: number, end: number, cycle: number): Span {
  return { start, end: end > start ? end : end + cycle };
}

/** Parses a daily window `hh:mm-hh:mm`; undefined when the shape is wrong. */
export function parseDailyWindow(text: string): Span | undefined {
  const [a, b, ...rest] = text.split("-");
  if (rest.length > 0 || a === undefined || b === undefined) return undefined;
  const start = parseHhmm(a);
  const end = parseHhmm(b);
  if (start === undefined || end === undefined || start === end) return undefined;
  return span(start, end, MINUTES_PER_DAY);
}

/** Parses a weekly window `ddd:hh:mm-ddd:hh:mm`; undefined when the shape is wrong. */
export function parseWeeklyWindow(text: string): Span | undefined {
  const [a, b, ...rest] = text.split("-");
  if (rest.length > 0 || a === undefined || b === undefined) return undefined;
  const start = parseDddHhmm(a.toLowerCase());
  const end = parseDddHhmm(b.toLowerCase());
  if (start === undefined || end === undefined || start === end) return undefined;
  return span(start, end, MINUTES_PER_WEEK);
}

export function durationMinutes(s: Span): number {
  return s.end - s.start;
}

function intersects(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * True when the daily window, repeated every day of the week, meets the weekly
 * window. Both are half-open, so back-to-back windows (02:00-03:00 and
 * sun:03:00-sun:05:00) do not overlap.
 */
export function windowsOverlap(daily: Span, weekly: Span): boolean {
  // Compare against every daily occurrence that can touch the weekly window,
  // including the wrap from Saturday night into Sunday.
  for (let day = -1; day <= 7; day++) {
    const offset = day * MINUTES_PER_DAY;
    const occurrence = { start: daily.start + offset, end: daily.end + offset };
    for (const shift of [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK]) {
      if (intersects(occurrence, { start: weekly.start + shift, end: weekly.end + shift })) return true;
    }
  }
  return false;
}

/* ---------- BAK-1: AWS Backup jobs against the engines' own windows ---------- */

/**
 * BAK-1: AWS Backup does not start an RDS or DocumentDB snapshot job during the
 * engine's backup or maintenance window, nor within this many minutes before
 * either; it retries until the rule's start window runs out and the job expires.
 */
export const ENGINE_WINDOW_GAP_MINUTES = 60;

/** AWS Backup's start window when a rule sets none: 8 hours. */
export const DEFAULT_START_WINDOW_MINUTES = 8 * 60;

/**
 * When an AWS Backup job may start: any moment of
 * [minute, minute + startWindowMinutes) on each of `days` (0 = Sunday).
 */
export interface JobStartSpan {
  /** The scheduled start, minutes after midnight UTC. */
  readonly minute: number;
  /** How long after the scheduled time AWS Backup may still start the job. */
  readonly startWindowMinutes: number;
  /** Days of the week the job is scheduled, 0 = Sunday … 6 = Saturday. */
  readonly days: readonly number[];
}

/** True when span `a` meets some repetition of `b` every `cycle` minutes (both half-open). */
function meetsRepeating(a: Span, b: Span, cycle: number): boolean {
  // Some whole k with a.start < b.end + k*cycle and b.start + k*cycle < a.end.
  const k = Math.floor((a.start - b.end) / cycle) + 1;
  return b.start + k * cycle < a.end;
}

/**
 * BAK-1, PG-8, DOC-2: true when any moment of the job's start span falls in
 * [window start - gap, window end) of an engine's window, `daily` (repeating
 * every day, as a backup window does) or `weekly` (a maintenance window).
 * Wrap-around at midnight and at the end of the week is handled; a job on no
 * day never conflicts.
 */
export function startsWithinGap(
  job: JobStartSpan,
  window: Span,
  cycle: "daily" | "weekly",
  gapMinutes: number = ENGINE_WINDOW_GAP_MINUTES,
): boolean {
  if (job.startWindowMinutes <= 0) return false;
  const guarded = { start: window.start - gapMinutes, end: window.end };
  return job.days.some((day) => {
    const offset = cycle === "weekly" ? day * MINUTES_PER_DAY : 0;
    const start = offset + job.minute;
    const occurrence = { start, end: start + job.startWindowMinutes };
    return meetsRepeating(occurrence, guarded, cycle === "weekly" ? MINUTES_PER_WEEK : MINUTES_PER_DAY);
  });
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `hh:mm` of a minute of the day (taken modulo a day). */
export function formatMinute(minute: number): string {
  const m = ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/**
 * A job's start span for messages: `02:00-03:00`, with ` on sun,wed` when it
 * does not run every day and `(+1d)` when the start window reaches past a day.
 */
export function formatStartSpan(job: JobStartSpan): string {
  const end = job.minute + job.startWindowMinutes;
  const daysLater = Math.floor(end / MINUTES_PER_DAY);
  const span = `${formatMinute(job.minute)}-${formatMinute(end)}${daysLater > 0 && job.startWindowMinutes >= MINUTES_PER_DAY ? ` (+${daysLater}d)` : ""}`;
  const days = job.days.length === 7 ? "" : ` on ${job.days.map((d) => DAYS[d] ?? String(d)).join(",")}`;
  return `${span} UTC${days}`;
}
