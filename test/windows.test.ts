/** PG-8: the window arithmetic behind the config check. */
import {
  durationMinutes,
  parseDailyWindow,
  parseWeeklyWindow,
  windowsOverlap,
} from "../policies/lib/windows";

describe("PG-8 window parsing", () => {
  test.each([
    ["02:00-03:00", { start: 120, end: 180 }],
    ["23:30-00:30", { start: 1410, end: 1470 }],
    ["00:00-23:59", { start: 0, end: 1439 }],
  ])("daily %s parses to %o", (text, span) => expect(parseDailyWindow(text)).toEqual(span));

  test.each(["2:00-3:00", "02:00", "02:00-03:00-04:00", "24:00-01:00", "02:60-03:00", "02:00-02:00", ""])(
    "daily %p is rejected",
    (text) => expect(parseDailyWindow(text)).toBeUndefined(),
  );

  test.each([
    ["sun:03:30-sun:05:30", { start: 210, end: 330 }],
    ["Mon:00:00-mon:01:00", { start: 1440, end: 1500 }],
    ["sat:23:00-sun:01:00", { start: 6 * 1440 + 1380, end: 7 * 1440 + 60 }],
  ])("weekly %s parses to %o", (text, span) => expect(parseWeeklyWindow(text)).toEqual(span));

  test.each(["sunday:03:00-sunday:05:00", "sun:03:00", "sun:3:00-sun:05:00", "xyz:03:00-sun:05:00"])(
    "weekly %p is rejected",
    (text) => expect(parseWeeklyWindow(text)).toBeUndefined(),
  );

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
