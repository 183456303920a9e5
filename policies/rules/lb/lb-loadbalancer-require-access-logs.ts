import { LOAD_BALANCER_TYPES } from "../../lib/lb";
import { asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "lb-loadbalancer-require-access-logs",
  description: "Load balancers write access logs to an S3 bucket.",
  requirements: ["ECS-5"],
  severity: "medium",
  types: LOAD_BALANCER_TYPES,
  check: ({ props }) => {
    const logs = asObject(props.accessLogs);
    // The provider's `enabled` defaults to false, even with a bucket named.
    if (logs.enabled !== true) return ["accessLogs.enabled is not true: requests would leave no trace"];
    return isNonEmptyString(logs.bucket) ? [] : ["accessLogs.bucket is not set"];
  },
});
