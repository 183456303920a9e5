/**
 * POL-1: the pack served by Pulumi's own policy-pack runner (its own file: it starts a process).
 *
 * Jest loads the Pulumi SDK afresh for every test file (about a second of
 * CPU each), so specs run in a few suite files instead of one file each
 * (docs/bench.md). Run one spec with `npx jest test/suites/served -t <name>`.
 */
import "../policies/served.spec";
