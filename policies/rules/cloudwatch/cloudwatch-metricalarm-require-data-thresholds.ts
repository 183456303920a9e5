import type { PolicyResource } from "@pulumi/policy";
import { ABOVE, BELOW } from "../../lib/slo";
import { METRIC_ALARM, metricQueries } from "../../lib/alarms";
import { RDS_INSTANCE, REPLICATION_GROUP, isReplica } from "../../lib/databases";
import { postgresDefaultMaxConnections, rdsClassMemoryGib } from "../../lib/instanceClasses";
import { Props, asArray, asObject, isNonEmptyString, parameterMap, referencedBy } from "../../lib/props";
import { StackViolation, num, stackRule } from "../../rule";

const RDS_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";

/** Every metric an alarm reads: its own, or each metric of its metric math. */
function metricsOf(props: Props): Props[] {
  const queries = metricQueries(props);
  if (queries.length === 0) return [props];
  return queries.map((q) => asObject(q.metric)).filter((m) => Object.keys(m).length > 0);
}

/** Alarms on `namespace`/`metric` whose dimension `dimension` matches `id` (by `matches`). */
function alarmsOn(
  alarms: readonly PolicyResource[],
  namespace: string,
  metric: string,
  dimension: string,
  matches: (value: string) => boolean,
): PolicyResource[] {
  return alarms.filter((a) =>
    metricsOf(a.props).some(
      (m) =>
        m.namespace === namespace &&
        m.metricName === metric &&
        typeof asObject(m.dimensions)[dimension] === "string" &&
        matches(String(asObject(m.dimensions)[dimension])),
    ),
  );
}

const threshold = (a: PolicyResource) =>
  typeof a.props.threshold === "number" ? a.props.threshold : undefined;
const above = (a: PolicyResource) => ABOVE.includes(String(a.props.comparisonOperator));
const below = (a: PolicyResource) => BELOW.includes(String(a.props.comparisonOperator));

/** The instance's max_connections: its parameter group's number, else RDS's default for its class. */
function maxConnections(
  resources: readonly PolicyResource[],
  db: PolicyResource,
): { value: number; source: string } | undefined {
  const groups = referencedBy(
    db,
    "parameterGroupName",
    resources.filter((r) => r.type === RDS_PARAMETER_GROUP),
    (g, given) => isNonEmptyString(given) && g.props.name === given,
  );
  for (const g of groups) {
    const set = parameterMap(g.props).get("max_connections");
    if (set !== undefined && /^\d+$/.test(set))
      return { value: Number(set), source: `max_connections ${set} of parameter group ${g.name}` };
  }
  const gib = rdsClassMemoryGib(db.props.instanceClass);
  if (gib === undefined) return undefined;
  const value = postgresDefaultMaxConnections(gib);
  return {
    value,
    source: `RDS's default max_connections ${value} for ${String(db.props.instanceClass)} (LEAST(DBInstanceClassMemory/9531392, 5000), ${gib} GiB)`,
  };
}

/** The member node ids of a cluster-mode-disabled replication group: `<id>-001`, `<id>-002`, … */
function cacheNodes(group: PolicyResource): string[] | undefined {
  const members = asArray(group.props.memberClusters).filter(isNonEmptyString);
  if (members.length > 0) return members.map(String);
  const id = group.props.replicationGroupId;
  const n = group.props.numCacheClusters;
  if (!isNonEmptyString(id) || typeof n !== "number" || !(n >= 1 && n <= 6)) return undefined;
  return Array.from({ length: n }, (_, i) => `${id}-${String(i + 1).padStart(3, "0")}`);
}

/**
 * SLO-3 [P §4.2.3, §4.4.2, H §Alert Thresholds]: the data tier's percentage
 * alarms are percentages of the real limits, computed from each store's
 * class and size rather than typed in:
 *
 * - PostgreSQL (every RDS postgres instance, replicas too): a
 *   DatabaseConnections alarm (its DBInstanceIdentifier) at or below 80 %
 *   of max_connections, taken from the instance's parameter group when set
 *   there, else RDS's default for its class (policies/lib/instanceClasses.ts);
 *   a FreeStorageSpace alarm (bytes, breached below) at or above 15 % of the
 *   allocated storage (allocatedStorage GiB x 1024^3).
 * - Redis (every replication group): a DatabaseMemoryUsagePercentage alarm
 *   (breached above) at or below 90 % watching every node of the group
 *   (CacheClusterId `<group>-001`, …), the metric ElastiCache gives as a
 *   percentage of the memory Redis may use.
 *
 * A class outside the table with no max_connections in its parameter group
 * is reported: the limit cannot be computed.
 */
export default stackRule({
  name: "cloudwatch-metricalarm-require-data-thresholds",
  description:
    "Data-tier alarms fire at the runbook's share of the real limits: PostgreSQL connections at 80 % of max_connections for the class, free storage at 15 % of the allocated storage, Redis memory at 90 % on every node.",
  requirements: ["SLO-3", "PG-7"],
  severity: "high",
  config: {
    maxConnectionsPct: {
      type: "number",
      minimum: 1,
      maximum: 100,
      default: 80,
      description: "SLO-3: database connections above 80 % of the maximum [P §4.4.2].",
    },
    minFreeStoragePct: {
      type: "number",
      minimum: 1,
      maximum: 100,
      default: 15,
      description: "SLO-3: database free storage below 15 % [P §4.4.2].",
    },
    maxCacheMemoryPct: {
      type: "number",
      minimum: 1,
      maximum: 100,
      default: 90,
      description: "SLO-3: Redis memory above 90 % [H §Alert Thresholds, P §4.4.2].",
    },
  },
  check: (resources, config) => {
    const alarms = resources.filter((r) => r.type === METRIC_ALARM);
    const connPct = num(config, "maxConnectionsPct");
    const storagePct = num(config, "minFreeStoragePct");
    const memPct = num(config, "maxCacheMemoryPct");
    const violations: StackViolation[] = [];

    for (const db of resources.filter((r) => r.type === RDS_INSTANCE)) {
      if (!String(db.props.engine ?? "").startsWith("postgres")) continue;
      const id = db.props.identifier;
      if (!isNonEmptyString(id)) continue;
      const what = `PostgreSQL ${isReplica(db.props) ? "replica " : ""}${id}`;
      const max = maxConnections(resources, db);
      const conn = alarmsOn(
        alarms,
        "AWS/RDS",
        "DatabaseConnections",
        "DBInstanceIdentifier",
        (v) => v === id,
      );
      if (max === undefined)
        violations.push({
          urn: db.urn,
          message: `${what}: instance class ${String(db.props.instanceClass)} is not in the pack's memory table and its parameter group sets no max_connections: the connections alarm's threshold cannot be checked`,
        });
      else {
        const limit = Math.floor((max.value * connPct) / 100);
        if (!conn.some((a) => above(a) && (threshold(a) ?? Infinity) <= limit))
          violations.push({
            urn: conn[0]?.urn ?? db.urn,
            message: `${what}: no DatabaseConnections alarm fires at or below ${limit} (${connPct} % of ${max.source})${conn.length > 0 ? `; ${conn.map((a) => `${a.name} fires above ${String(a.props.threshold)}`).join(", ")}` : ""}`,
          });
      }
      const gib = Number(db.props.allocatedStorage);
      if (Number.isFinite(gib) && gib > 0) {
        const floor = Math.round((gib * 1024 ** 3 * storagePct) / 100);
        const free = alarmsOn(alarms, "AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", (v) => v === id);
        if (!free.some((a) => below(a) && (threshold(a) ?? -Infinity) >= floor))
          violations.push({
            urn: free[0]?.urn ?? db.urn,
            message: `${what}: no FreeStorageSpace alarm fires below ${floor} bytes (${storagePct} % of ${gib} GiB)${free.length > 0 ? `; ${free.map((a) => `${a.name} fires below ${String(a.props.threshold)}`).join(", ")}` : ""}`,
          });
      }
    }

    for (const group of resources.filter((r) => r.type === REPLICATION_GROUP)) {
      const id = group.props.replicationGroupId;
      if (!isNonEmptyString(id)) continue;
      const memory = alarmsOn(
        alarms,
        "AWS/ElastiCache",
        "DatabaseMemoryUsagePercentage",
        "CacheClusterId",
        (v) => v.startsWith(`${id}-`),
      );
      const strict = memory.filter((a) => above(a) && (threshold(a) ?? Infinity) <= memPct);
      const nodes = cacheNodes(group) ?? [];
      const watched = new Set(
        strict.flatMap((a) => metricsOf(a.props).map((m) => String(asObject(m.dimensions).CacheClusterId))),
      );
      const unwatched = nodes.filter((n) => !watched.has(n));
      if (strict.length === 0)
        violations.push({
          urn: memory[0]?.urn ?? group.urn,
          message: `Redis ${id}: no DatabaseMemoryUsagePercentage alarm fires at or below ${memPct} %${memory.length > 0 ? `; ${memory.map((a) => `${a.name} fires above ${String(a.props.threshold)}`).join(", ")}` : ""}`,
        });
      else if (unwatched.length > 0)
        violations.push({
          urn: strict[0].urn,
          message: `Redis ${id}: the memory alarm at ${memPct} % does not watch node(s) ${unwatched.join(", ")}`,
        });
    }
    return violations;
  },
});
