/**
 * The policy pack (POL-1..3): every rule against compliant, violating and real recorded
 * resources, and the pack over every shipped stack; and stack config validation
 * (pure, no SDK) of every key (APP-1..4, NET-1..2, PG-2, PG-8, BAK-1, ECS-2, ECS-6, ECS-9, SLO-1..5, SLO-7).
 *
 * Jest loads the Pulumi SDK afresh for every test file (about a second of
 * CPU each), so specs run in a few suite files instead of one file each
 * (docs/bench.md). Run one spec with `npx jest test/suites/policies -t <name>`.
 */
import "../policies/alarms.spec";
import "../policies/az-spread.spec";
import "../policies/backup-coverage.spec";
import "../policies/backup.spec";
import "../policies/cloudtrail.spec";
import "../policies/guardduty.spec";
import "../policies/compute-blind-spots.spec";
import "../policies/compute-recorded.spec";
import "../policies/docdb.spec";
import "../policies/ec2.spec";
import "../policies/ecs.spec";
import "../policies/ecs-services.spec";
import "../policies/ecs-tasks.spec";
import "../policies/eks.spec";
import "../policies/elasticache.spec";
import "../policies/kubernetes-blind-spots.spec";
import "../policies/kubernetes.spec";
import "../policies/kubernetes-platform.spec";
import "../policies/kubernetes-recorded.spec";
import "../policies/lb.spec";
import "../policies/observability-recorded.spec";
import "../policies/observability-dr-blind-spots.spec";
import "../policies/observability.spec";
import "../policies/pack.spec";
import "../policies/platform.spec";
import "../policies/rds.spec";
import "../policies/s3-alb-logs.spec";
import "../policies/s3-replication-kms.spec";
import "../policies/s3.spec";
import "../policies/secrets-dr.spec";
import "../policies/stacks.spec";
import "../policies/tiers.spec";
import "../policies/vercel.spec";
import "../policies/waf.spec";
import "../config.spec";
import "../packConfig.spec";
import "../schedule.spec";
import "../windows.spec";
import "../cidrPlan.spec";
import "../naming.spec";
