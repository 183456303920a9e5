/**
 * Compute on ECS Fargate (ECS-1..10, APP-1..4) and its SLO alarms, topics and dashboards (SLO-1..5, SLO-7): the pure helpers, and the services as recorded by the synth engine.
 *
 * Jest loads the Pulumi SDK afresh for every test file (about a second of
 * CPU each), so specs run in a few suite files instead of one file each
 * (docs/bench.md). Run one spec with `npx jest test/suites/compute -t <name>`.
 */
import "../compute/helpers.spec";
import "../compute/services.spec";
import "../observability/observability.spec";
import "../observability/alertRouting.spec";
import "../observability/alertTopics.spec";
