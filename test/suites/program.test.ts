/**
 * The program as recorded by the synth engine: network, data tier, backups, buckets, protection, the synth contract.
 *
 * Jest loads the Pulumi SDK afresh for every test file (about a second of
 * CPU each), so specs run in a few suite files instead of one file each
 * (docs/bench.md). Run one spec with `npx jest test/suites/program -t <name>`.
 */
import "../network.spec";
import "../postgres.spec";
import "../documentdb.spec";
import "../redis.spec";
import "../backup.spec";
import "../buckets.spec";
import "../stateful.spec";
import "../synth.spec";
