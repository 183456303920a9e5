/** BAK-1, BAK-3: AWS schedule expressions as AWS Backup and EventBridge take them (policies/lib/schedule.ts). */
import { dailyStart, parseSchedule } from "../policies/lib/schedule";

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

describe("BAK-1, BAK-3: valid AWS cron expressions parse", () => {
  test.each([
    "cron(0 2 * * ? *)", // BAK-1: PostgreSQL daily
    "cron(0 3 * * ? *)", // BAK-1: DocumentDB daily
    "cron(0 8 ? * SUN *)", // BAK-3: the weekly restore test
    "cron(15 * ? * * *)", // AWS Backup's own example: hourly at :15
    "cron(0 12 * * ? *)",
    "cron(0/15 * * * ? *)",
    "cron(*/10 0-6 * * ? *)",
    "cron(5,35 14 * * ? *)",
    "cron(0 18 ? * MON-FRI *)",
    "cron(0 8 1 * ? *)",
    "cron(0 0 L * ? *)",
    "cron(0 9 15W * ? *)",
    "cron(0 10 ? * 6L *)",
    "cron(0 10 ? * FRIL *)",
    "cron(0 10 ? * L *)",
    "cron(0 10 ? * 3#2 *)",
    "cron(0 0 1 JAN,JUL ? 2026-2030)",
    "cron(0 0 1 1/3 ? *)",
    "cron(30 4 ? * sun,wed *)",
    "cron(0  2 *  * ? *)", // several spaces between fields
    // Bounds and every name (found by npm run mutate: each of these once passed a broken parser).
    "cron(0/1 2 * * ? *)",
    "cron(0/59 2 * * ? *)",
    "cron(0 0/2 * * ? *)",
    "cron(0 0 1/5 * ? *)",
    "cron(0 0 1 * ? 2026/2)",
    "cron(0 10 ? * FRI#2 *)",
    "cron(0 10 ? * 3#1 *)",
    "cron(0 10 ? * 3#5 *)",
    "cron(0 0 ? * * *)",
    "cron(0 0 1 JAN,FEB,MAR,APR,MAY,JUN,JUL,AUG,SEP,OCT,NOV,DEC ? *)",
  ])("%s", (text) => {
    expect(parseSchedule(text)).toEqual({ ok: true, schedule: expect.objectContaining({ kind: "cron" }) });
  });

  test("the fields are kept by name", () => {
    expect(parseSchedule("cron(0 2 * * ? *)")).toEqual({
      ok: true,
      schedule: {
        kind: "cron",
        fields: { minutes: "0", hours: "2", "day-of-month": "*", month: "*", "day-of-week": "?", year: "*" },
      },
    });
  });
});

describe("BAK-1, BAK-3: malformed cron expressions are rejected with the reason", () => {
  test.each([
    ["cron(0 2 * * *)", "has 5 fields; AWS cron takes 6: minutes hours day-of-month month day-of-week year"], // crontab's 5 fields wrapped in cron()
    [
      "cron(0 0 2 * * ? *)",
      "has 7 fields; AWS cron takes 6: minutes hours day-of-month month day-of-week year",
    ], // Quartz's seconds field
    ["cron()", "has 0 fields; AWS cron takes 6: minutes hours day-of-month month day-of-week year"],
    [
      "cron(0 2 * * * *)",
      "day-of-month (*) and day-of-week (*) are both set; AWS needs ? in one of them, such as cron(0 2 * * ? *)",
    ],
    [
      "cron(0 2 1 * MON *)",
      "day-of-month (1) and day-of-week (MON) are both set; AWS needs ? in one of them, such as cron(0 2 * * ? *)",
    ],
    [
      "cron(0 2 ? * ? *)",
      "day-of-month and day-of-week are both ?; set one of them, such as cron(0 2 * * ? *)",
    ],
    ["cron(60 2 * * ? *)", "minutes 60 is outside 0-59"],
    ["cron(0 24 * * ? *)", "hours 24 is outside 0-23"],
    ["cron(0 2 0 * ? *)", "day-of-month 0 is outside 1-31"],
    ["cron(0 2 32 * ? *)", "day-of-month 32 is outside 1-31"],
    ["cron(0 2 * 13 ? *)", "month 13 is outside 1-12"],
    ["cron(0 2 ? * 0 *)", "day-of-week 0 is outside 1-7"], // crontab's Sunday
    ["cron(0 2 ? * 8 *)", "day-of-week 8 is outside 1-7"],
    ["cron(0 2 * * ? 1969)", "year 1969 is outside 1970-2199"],
    ["cron(0 5-2 * * ? *)", "hours range 5-2 runs backwards; write the smaller value first"],
    ["cron(0 2 ? * FRI-MON *)", "day-of-week range FRI-MON runs backwards; write the smaller value first"],
    ["cron(0 2-25 * * ? *)", "hours 25 is outside 0-23"],
    ["cron(0 2- * * ? *)", 'hours "2-" is not a value or range; allowed: 0-23 with , - * /'],
    ["cron(0 1-2-3 * * ? *)", 'hours "1-2-3" is not a value or range; allowed: 0-23 with , - * /'],
    ["cron(0/0 2 * * ? *)", "minutes step /0 must be a whole number from 1 to 59"],
    ["cron(0/60 2 * * ? *)", "minutes step /60 must be a whole number from 1 to 59"],
    ["cron(0/5/5 2 * * ? *)", 'minutes "0/5/5" has more than one /'],
    ["cron(0 2 ? * MON/2 *)", "day-of-week does not take / steps; allowed: 1-7 or SUN-SAT with , - * ? L #"],
    ["cron(0 two * * ? *)", 'hours "two" is not a value; allowed: 0-23 with , - * /'],
    ["cron(0 2 * JANUARY ? *)", 'month "JANUARY" is not a value; allowed: 1-12 or JAN-DEC with , - * /'],
    [
      "cron(0 2 ? * SUNDAY *)",
      'day-of-week "SUNDAY" is not a value; allowed: 1-7 or SUN-SAT with , - * ? L #',
    ],
    ["cron(L 2 * * ? *)", 'minutes "L" is not a value; allowed: 0-59 with , - * /'],
    ["cron(0 ? * * ? *)", "hours does not take ?; allowed: 0-23 with , - * /"],
    [
      "cron(0 2 1,? * ? *)",
      'day-of-month "1,?": ?, L and nW stand alone in the field; allowed: 1-31 with , - * ? / L W',
    ],
    ["cron(0 2 32W * ? *)", "day-of-month 32 is outside 1-31"],
    ["cron(0 2 3#1 * ? *)", 'day-of-month "3#1" is not a value; allowed: 1-31 with , - * ? / L W'],
    [
      "cron(0 2 ? * 3#1,6#3 *)",
      'day-of-week "3#1,6#3": a # expression stands alone in the field (AWS reads 3#1,6#3 as two expressions)',
    ],
    ["cron(0 2 ? * 3#6 *)", "day-of-week 3#6: the week of the month after # must be 1-5"],
    ["cron(0 2 ? * 9L *)", "day-of-week 9 is outside 1-7"],
    ["cron(0 2 1,,2 * ? *)", 'day-of-month "1,,2" has an empty list item'],
    ["0 6 * * 0", "is neither cron(minutes hours day-of-month month day-of-week year) nor rate(value unit)"], // bare crontab
    [
      "cron 0 2 * * ? *",
      "is neither cron(minutes hours day-of-month month day-of-week year) nor rate(value unit)",
    ],
    ["cron(0/5x 2 * * ? *)", "minutes step /5x must be a whole number from 1 to 59"],
    ["cron(0/x5 2 * * ? *)", "minutes step /x5 must be a whole number from 1 to 59"],
    [
      "cron(0 2 x15W * ? *)",
      'day-of-month "x15W": ?, L and nW stand alone in the field; allowed: 1-31 with , - * ? / L W',
    ],
    [
      "cron(0 2 15Wx * ? *)",
      'day-of-month "15Wx": ?, L and nW stand alone in the field; allowed: 1-31 with , - * ? / L W',
    ],
    ["cron(0 10 ? * x6L *)", 'day-of-week "x6" is not a value; allowed: 1-7 or SUN-SAT with , - * ? L #'],
    ["cron(0 10 ? * 6Lx *)", 'day-of-week "6Lx" is not a value; allowed: 1-7 or SUN-SAT with , - * ? L #'],
    ["cron(0 10 ? * 3#10 *)", "day-of-week 3#10: the week of the month after # must be 1-5"],
    ["cron(0 10 ? * 3#0 *)", "day-of-week 3#0: the week of the month after # must be 1-5"],
    ["cron(? 2 * * ? *)", "minutes does not take ?; allowed: 0-59 with , - * /"],
    ["cron(0 0 1 * ? ?)", "year does not take ?; allowed: 1970-2199 with , - * /"],
    [
      "cron(0 2 1 * ?, *)",
      'day-of-week "?,": ? stands alone in the field; allowed: 1-7 or SUN-SAT with , - * ? L #',
    ],
    [
      "xcron(0 2 * * ? *)",
      "is neither cron(minutes hours day-of-month month day-of-week year) nor rate(value unit)",
    ],
    [
      "cron(0 2 * * ? *)x",
      "is neither cron(minutes hours day-of-month month day-of-week year) nor rate(value unit)",
    ],
    [
      "CRON(0 2 * * ? *)",
      "is neither cron(minutes hours day-of-month month day-of-week year) nor rate(value unit)",
    ],
  ])("%s: %s", (text, reason) => {
    expect(parseSchedule(text)).toEqual({ ok: false, reason });
  });

  test("a value that is not a string is rejected, not thrown on", () => {
    expect(parseSchedule(undefined)).toEqual({ ok: false, reason: "is not a string" });
    expect(parseSchedule(7)).toEqual({ ok: false, reason: "is not a string" });
  });
});

describe("rate expressions: a whole value of at least 1, singular unit for 1 only", () => {
  test.each([
    ["rate(1 minute)", 1, "minute", 1],
    ["rate(5 minutes)", 5, "minute", 5],
    ["rate(1 hour)", 1, "hour", 60],
    ["rate(12 hours)", 12, "hour", 720],
    ["rate(1 day)", 1, "day", 1440],
    ["rate(7 days)", 7, "day", 10080],
  ] as const)("%s", (text, value, unit, everyMinutes) => {
    expect(parseSchedule(text)).toEqual({ ok: true, schedule: { kind: "rate", value, unit, everyMinutes } });
  });

  test.each([
    ["rate(1 days)", "1 takes the singular unit: rate(1 day)"],
    ["rate(1 hours)", "1 takes the singular unit: rate(1 hour)"],
    ["rate(5 minute)", "5 takes the plural unit: rate(5 minutes)"],
    ["rate(0 minutes)", "the value 0 must be a whole number of at least 1"],
    ["rate(-1 days)", "the value -1 must be a whole number of at least 1"],
    ["rate(1.5 hours)", "the value 1.5 must be a whole number of at least 1"],
    ["rate(5 hrs)", "the unit hrs must be minute(s), hour(s) or day(s)"],
    ["rate(2 weeks)", "the unit weeks must be minute(s), hour(s) or day(s)"],
    ["rate(5 constructors)", "the unit constructors must be minute(s), hour(s) or day(s)"],
    ["rate(5)", "takes a value and a unit, such as rate(5 minutes)"],
    ["rate(every 5 minutes)", "takes a value and a unit, such as rate(5 minutes)"],
  ])("%s: %s", (text, reason) => {
    expect(parseSchedule(text)).toEqual({ ok: false, reason });
  });
});

describe("BAK-1: the daily start of a fixed-time cron, for the window arithmetic", () => {
  test.each([
    ["cron(0 2 * * ? *)", 120, EVERY_DAY], // BAK-1: PostgreSQL at 02:00 every day
    ["cron(0 3 * * ? *)", 180, EVERY_DAY], // BAK-1: DocumentDB at 03:00 every day
    ["cron(30 23 * * ? *)", 1410, EVERY_DAY],
    ["cron(0 8 ? * SUN *)", 480, [0]], // BAK-3
    ["cron(0 8 ? * 1 *)", 480, [0]],
    ["cron(15 4 ? * MON-FRI *)", 255, [1, 2, 3, 4, 5]],
    ["cron(0 4 ? * SAT,sun,WED *)", 240, [0, 3, 6]],
    ["cron(0 4 ? * * *)", 240, EVERY_DAY],
    ["cron(0 4 ? * L *)", 240, [6]],
    ["cron(0 4 ? * 6L *)", 240, [5]],
    ["cron(0 4 ? * 3#2 *)", 240, [2]],
    ["cron(0 4 1 * ? *)", 240, EVERY_DAY], // the 1st of a month can be any weekday
    ["cron(0 4 * JAN ? 2027)", 240, EVERY_DAY],
  ])("%s starts at minute %i on days %j", (text, minute, days) => {
    expect(dailyStart(text)).toEqual({ ok: true, start: { minute, days } });
  });

  test.each([
    ["cron(0/30 2 * * ? *)", "minutes 0/30 is not one fixed minute"],
    ["cron(5,35 2 * * ? *)", "minutes 5,35 is not one fixed minute"],
    ["cron(0 */6 * * ? *)", "hours */6 is not one fixed hour"],
    ["cron(0 2,14 * * ? *)", "hours 2,14 is not one fixed hour"],
    ["cron(15 * ? * * *)", "hours * is not one fixed hour"],
    ["rate(1 day)", "runs every 1 day, not at a fixed time of day"],
    ["rate(12 hours)", "runs every 12 hours, not at a fixed time of day"],
    ["cron(0 2 * * *)", "has 5 fields; AWS cron takes 6: minutes hours day-of-month month day-of-week year"],
  ])("%s has no fixed daily start: %s", (text, reason) => {
    expect(dailyStart(text)).toEqual({ ok: false, reason });
  });
});

describe("BAK-1: the days a weekly cron starts on", () => {
  test.each([
    ["cron(0 2 ? * * *)", 120, EVERY_DAY],
    ["cron(30 4 ? * SUN,WED *)", 270, [0, 3]],
    ["cron(0 2 ? * 6L *)", 120, [5]],
    ["cron(0 2 ? * 2#1 *)", 120, [1]],
  ])("%s starts at minute %d on days %o", (text, minute, days) => {
    expect(dailyStart(text)).toEqual({ ok: true, start: { minute, days } });
  });
});
