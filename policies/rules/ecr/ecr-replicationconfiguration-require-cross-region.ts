import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { regionOf } from "../../lib/regions";
import { StackViolation, stackRule } from "../../rule";

const REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration";

/**
 * DR-1: ECR replication exists so that the images survive the loss of their
 * Region: the rebuild runs them from the replicas in the DR Region. A
 * destination in the registry's own Region (a same-Region copy) leaves
 * nothing when the Region goes, so every destination names another Region.
 */
export default stackRule({
  name: "ecr-replicationconfiguration-require-cross-region",
  description: "Every ECR replication rule replicates images to a Region other than the registry's own.",
  requirements: ["DR-1"],
  severity: "high",
  check: (resources) => {
    const violations: StackViolation[] = [];
    for (const config of resources.filter((r) => r.type === REPLICATION)) {
      const own = regionOf(config.props);
      const rules = asArray(asObject(config.props.replicationConfiguration).rules).map(asObject);
      rules.forEach((rule, i) => {
        const destinations = asArray(rule.destinations).map(asObject);
        if (destinations.length === 0)
          violations.push({ urn: config.urn, message: `replication rule ${i + 1} has no destination` });
        for (const d of destinations)
          if (!isNonEmptyString(d.region) || d.region === own)
            violations.push({
              urn: config.urn,
              message: `replication rule ${i + 1} replicates to ${String(d.region ?? "no Region")}, the registry's own Region: the images would not survive its loss; replicate to the DR Region`,
            });
      });
    }
    return violations;
  },
});
