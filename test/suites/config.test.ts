/**
 * Stack config validation and the pure helpers behind it (no Pulumi SDK).
 *
 * Jest loads the Pulumi SDK afresh for every test file (about a second of
 * CPU each), so specs run in a few suite files instead of one file each
 * (docs/bench.md). Run one spec with `npx jest test/suites/config -t <name>`.
 */
import "../config.spec";
import "../schedule.spec";
import "../windows.spec";
import "../cidrPlan.spec";
import "../naming.spec";
