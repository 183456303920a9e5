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
