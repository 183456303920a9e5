import { isNonEmptyString } from "../../lib/props";
import { regionOf, strings } from "../../lib/regions";
import { StackViolation, num, stackRule } from "../../rule";

/** The root stack (its outputs, not a resource) is not checked. */
const STACK = "pulumi:pulumi:Stack";

/**
 * DR-2 [P §8.4.1]: a region rebuild needs nothing from the Region it stands
 * in for. In a stack whose policy config names that Region (`failedRegion`,
 * policies/config/prod-dr.json), no resource sits there (its `region`
 * output, or its ARN's) and no input names it: an ARN of that Region (a
 * restore source, a key, a topic), an endpoint `*.<region>.amazonaws.com`, a
 * replication or copy destination spelled as the Region. Any of them would
 * make the rebuild wait on, or write into, the Region that is down. Stacks
 * that are no rebuild leave `failedRegion` empty and are not checked.
 */
export default stackRule({
  name: "pulumi-stack-forbid-failed-region",
  description:
    "In a region rebuild, no resource sits in or names the failed Region the stack's policy config names (failedRegion).",
  requirements: ["DR-2", "DR-1"],
  severity: "critical",
  config: {
    failedRegion: {
      type: "string",
      default: "",
      description:
        "DR-2: the Region a rebuild stack stands in for (prod-dr: us-east-1); empty for a stack that is no rebuild.",
    },
    maxFindingsPerResource: {
      type: "integer",
      minimum: 1,
      default: 3,
      description:
        "How many of a resource's references to the failed Region are listed before the rest are counted.",
    },
  },
  check: (resources, config) => {
    const failed = config.failedRegion;
    if (!isNonEmptyString(failed)) return [];
    const max = num(config, "maxFindingsPerResource");
    const escaped = failed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // An ARN of the Region anywhere in the text (policy documents are JSON strings), or an endpoint.
    const arn = new RegExp(`arn:[^:"\\s]+:[^:"\\s]+:${escaped}:`);
    const endpoint = new RegExp(`(^|[./-])${escaped}\\.amazonaws\\.com`);
    const violations: StackViolation[] = [];
    for (const r of resources) {
      if (r.type === STACK) continue;
      if (regionOf(r.props) === failed) {
        violations.push({
          urn: r.urn,
          message: `${r.type.split(":").pop() ?? r.type} ${r.name} is created in ${failed}, the Region this rebuild stands in for`,
        });
        continue;
      }
      const refs = strings(r.props).filter(
        ({ value }) => value === failed || arn.test(value) || endpoint.test(value),
      );
      const shown = refs
        .slice(0, max)
        .map(({ path, value }) => `${path} ${value.length > 120 ? `${value.slice(0, 117)}...` : value}`);
      if (refs.length > 0)
        violations.push({
          urn: r.urn,
          message: `${r.type.split(":").pop() ?? r.type} ${r.name} names ${failed}, the Region this rebuild stands in for: ${shown.join("; ")}${refs.length > max ? ` (and ${refs.length - max} more)` : ""}`,
        });
    }
    return violations;
  },
});
