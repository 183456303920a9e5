/**
 * The program as recorded by the synth engine: network (NET-1..6), data tier (PG-1..9, DOC-1..3,
 * CACHE-1..4), backups and buckets (BAK-1..5), protection (BAK-4), the synth contract (POL-3, DR-1),
 * the region rebuild stack prod-dr (DR-1, DR-2). The apply order (issue 16).
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
import "../sloDocs.spec";
import "../architecture.spec";
import "../dr.spec";
import "../configReach.spec";
import "../applyOrder.spec";
import "../accountSettings.spec";
import "../frontends.spec";
import "../backupSignals.spec";
import "../auditTrail.spec";
