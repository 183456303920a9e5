/**
 * POL-1: no rule of the pack throws on odd-shaped props (its own file: the heaviest suite); CI-3:
 * the program loads through the Pulumi CLI's door (cliDoor.spec).
 *
 * Jest loads the Pulumi SDK afresh for every test file (about a second of
 * CPU each), so specs run in a few suite files instead of one file each
 * (docs/bench.md). Run one spec with `npx jest test/suites/robustness -t <name>`.
 */
import "../policies/robustness.spec";
import "../diff.spec";
import "../criticalPath.spec";
import "../traceability.spec";
import "../workflows.spec";
import "../synthCache.spec";
import "../cliDoor.spec";
import "../deployDocs.spec";
import "../cost.spec";
import "../runbookDocs.spec";
import "../writeCheck.spec";
