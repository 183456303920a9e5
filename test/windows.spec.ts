/** PG-8, BAK-1, DOC-2: the window arithmetic behind the config checks and the pack. */
import {
  DEFAULT_START_WINDOW_MINUTES,
  ENGINE_WINDOW_GAP_MINUTES,
  JobStartSpan,
  durationMinutes,
  formatStartSpan,
  parseDailyWindow,
  parseWeeklyWindow,
  startsWithinGap,
  windowsOverlap,
} from "../policies/lib/windows";

describe("PG-8 window parsing", () => {
  test.each([
    ["02:00-03:00", { start: 120, end: 180 }],
    ["23:30-00:30", { start: 1410, end: 1470 }],
    ["00:00-23:59", { start: 0, end: 1439 }],
  ])("daily %s parses to %o", (text, span) => expect(parseDailyWindow(text)).toEqual(span));

  test.each([
    "2:00-3:00",
    "02:00",
    "02:00-03:00-04:00",
    "24:00-01:00",
    "02:60-03:00",
    "02:00-02:00",
    "",
    // Anchored at both ends: nothing before or after a time.
    "x02:00-03:00",
    "02:00-03:00x",
    "102:00-03:00",
    "02:00-03:001",
  ])("daily %p is rejected", (text) => expect(parseDailyWindow(text)).toBeUndefined());

  test.each([
    ["sun:03:30-sun:05:30", { start: 210, end: 330 }],
    ["Mon:00:00-mon:01:00", { start: 1440, end: 1500 }],
    ["sat:23:00-sun:01:00", { start: 6 * 1440 + 1380, end: 7 * 1440 + 60 }],
  ])("weekly %s parses to %o", (text, span) => expect(parseWeeklyWindow(text)).toEqual(span));

  test.each([
    "sunday:03:00-sunday:05:00",
    "sun:03:00",
    "sun:3:00-sun:05:00",
    "xyz:03:00-sun:05:00",
    "sun:03:00-sun:05:00-mon:01:00",
    "sun:03:00-sun:03:00",
    "xsun:03:00-sun:05:00",
    "sun:03:00-sun:05:00x",
  ])("weekly %p is rejected", (text) => expect(parseWeeklyWindow(text)).toBeUndefined());

  test("durations count minutes across midnight", () => {
    expect(durationMinutes(parseDailyWindow("23:30-00:30")!)).toBe(60);
    expect(durationMinutes(parseWeeklyWindow("sat:23:00-sun:01:00")!)).toBe(120);
  });
});

describe("PG-8 overlap between a daily backup window and a weekly maintenance window", () => {
  test.each([
    ["02:00-03:00", "sun:02:00-sun:04:00", true], // the runbooks' own pair
    ["02:00-03:00", "sun:03:30-sun:05:30", false], // the shipped PostgreSQL pair
    ["02:00-03:00", "sun:03:00-sun:05:00", false], // back to back is allowed
    ["02:00-03:00", "wed:02:59-wed:04:00", true], // any day counts, not only Sunday
    ["23:30-00:30", "sun:00:00-sun:00:45", true], // a backup window wrapping midnight
    ["23:30-00:30", "sat:23:00-sat:23:30", false],
    ["01:00-02:00", "sat:23:00-sun:01:30", true], // a maintenance window wrapping into Sunday
    ["03:00-04:00", "sun:04:30-sun:06:30", false], // the shipped DocumentDB pair
  ] as const)("%s against %s overlaps: %p", (daily, weekly, expected) => {
    expect(windowsOverlap(parseDailyWindow(daily)!, parseWeeklyWindow(weekly)!)).toBe(expected);
  });
});

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const job = (minute: number, startWindowMinutes: number, days: number[] = EVERY_DAY): JobStartSpan => ({
  minute,
  startWindowMinutes,
  days,
});

describe("BAK-1: an AWS Backup job's start span against an engine's daily backup window", () => {
  test("BAK-1: AWS's figures: a 60-minute gap, and 8 hours of start window when a rule sets none", () => {
    expect(ENGINE_WINDOW_GAP_MINUTES).toBe(60);
    expect(DEFAULT_START_WINDOW_MINUTES).toBe(480);
  });

  test.each([
    // [job, backup window, conflicts, start minute, start window minutes]
    ["02:00 +60", "00:00-01:00", false, 120, 60], // the shipped PostgreSQL pair (PG-8)
    ["03:00 +60", "01:00-02:00", false, 180, 60], // the shipped DocumentDB pair (DOC-2)
    ["02:00 +60", "02:00-03:00", true, 120, 60], // the old defaults: the job sat in the backup window
    ["03:00 +60", "03:00-04:00", true, 180, 60],
    ["02:00 +60", "01:30-02:30", true, 120, 60], // starts inside the window
    ["02:00 +60", "03:00-04:00", true, 120, 60], // the span reaches the hour before the window
    ["02:00 +60", "04:00-05:00", false, 120, 60], // ends exactly an hour before it: half-open
    ["02:00 +61", "04:00-05:00", true, 120, 61], // one minute more reaches the gap
    ["02:00 +60", "01:00-02:00", false, 120, 60], // starts as the window ends
    ["02:00 +60", "01:01-02:01", true, 120, 60],
    ["23:30 +60", "01:29-02:00", true, 1410, 60], // span wraps midnight into the gap
    ["23:30 +60", "01:30-02:00", false, 1410, 60],
    ["00:10 +60", "23:00-00:30", true, 10, 60], // window wraps midnight over the job
    ["12:00 +60", "23:00-00:30", false, 720, 60],
    ["02:00 +480", "08:00-09:00", true, 120, DEFAULT_START_WINDOW_MINUTES], // AWS's default 8 hours
    ["02:00 +480", "11:00-12:00", false, 120, DEFAULT_START_WINDOW_MINUTES],
    ["02:00 +1440", "12:00-12:30", true, 120, 1440], // a day-long span meets every window
  ] as const)(
    "BAK-1, PG-8, DOC-2: job %s against %s conflicts: %p",
    (_label, window, expected, minute, startWindow) => {
      expect(startsWithinGap(job(minute, startWindow), parseDailyWindow(window)!, "daily")).toBe(expected);
    },
  );

  test("BAK-1: the gap is a parameter", () => {
    const early = job(120, 60);
    const window = parseDailyWindow("04:00-05:00")!;
    expect(startsWithinGap(early, window, "daily", 60)).toBe(false);
    expect(startsWithinGap(early, window, "daily", 61)).toBe(true);
    expect(startsWithinGap(job(120, 60), parseDailyWindow("03:00-04:00")!, "daily", 0)).toBe(false);
  });

  test("a job on no day, or with no start window, never conflicts", () => {
    expect(startsWithinGap(job(120, 60, []), parseDailyWindow("02:00-03:00")!, "daily")).toBe(false);
    expect(startsWithinGap(job(120, 0), parseDailyWindow("02:00-03:00")!, "daily")).toBe(false);
  });
});

describe("BAK-1: an AWS Backup job's start span against an engine's weekly maintenance window", () => {
  test.each([
    // [job, maintenance window, conflicts, start minute, start window minutes, days]
    ["daily 02:00 +60", "sun:04:00-sun:06:00", false, 120, 60, EVERY_DAY], // shipped PostgreSQL (PG-8)
    ["daily 03:00 +60", "sun:05:00-sun:07:00", false, 180, 60, EVERY_DAY], // shipped DocumentDB (DOC-2)
    ["daily 02:00 +60", "sun:02:00-sun:04:00", true, 120, 60, EVERY_DAY], // the runbooks' own Sunday window
    ["daily 02:00 +60", "sun:03:30-sun:05:30", true, 120, 60, EVERY_DAY], // the old PostgreSQL default
    ["daily 03:00 +60", "sun:04:30-sun:06:30", true, 180, 60, EVERY_DAY], // the old DocumentDB default
    ["daily 02:00 +60", "wed:03:59-wed:05:00", true, 120, 60, EVERY_DAY], // any day of a daily job counts
    ["SUN 02:00 +60", "wed:03:00-wed:05:00", false, 120, 60, [0]], // a Sunday job misses Wednesday
    ["SUN 02:00 +60", "sun:03:00-sun:05:00", true, 120, 60, [0]],
    ["SAT 23:30 +60", "sun:01:00-sun:02:00", true, 1410, 60, [6]], // job wraps from Saturday into Sunday
    ["SAT 23:30 +60", "sun:01:30-sun:02:00", false, 1410, 60, [6]],
    ["SUN 00:15 +60", "sat:23:30-sun:00:30", true, 15, 60, [0]], // window wraps the end of the week
    ["MON 00:15 +60", "sat:23:30-sun:00:30", false, 15, 60, [1]],
    ["SUN 00:15 +60", "sun:01:15-sun:02:00", true, 15, 60, [0]], // gap reaches back to the job
    ["daily 02:00 +1440", "thu:12:00-thu:12:30", true, 120, 1440, EVERY_DAY],
  ] as const)(
    "BAK-1, PG-8, DOC-2: job %s against %s conflicts: %p",
    (_label, window, expected, minute, startWindow, days) => {
      expect(startsWithinGap(job(minute, startWindow, [...days]), parseWeeklyWindow(window)!, "weekly")).toBe(
        expected,
      );
    },
  );
});

describe("BAK-1: start spans in messages", () => {
  test.each([
    ["02:00 +60 daily", "02:00-03:00 UTC", job(120, 60)],
    ["23:30 +60 daily", "23:30-00:30 UTC", job(1410, 60)],
    ["08:00 +120 on Sundays", "08:00-10:00 UTC on sun", job(480, 120, [0])],
    ["04:00 +60 on Mondays and Wednesdays", "04:00-05:00 UTC on mon,wed", job(240, 60, [1, 3])],
    ["02:00 +1440 daily", "02:00-02:00 (+1d) UTC", job(120, 1440)],
  ] as const)("BAK-1: %s reads %s", (_label, text, j) => expect(formatStartSpan(j)).toBe(text));
});
