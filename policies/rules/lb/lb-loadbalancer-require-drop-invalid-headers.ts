import { LOAD_BALANCER_TYPES, isApplicationLb } from "../../lib/lb";
import { resourceRule } from "../../rule";

/**
 * ECS-5: an Application Load Balancer drops HTTP headers that are not valid
 * header names before they reach the app (`dropInvalidHeaderFields`, off by
 * default), one of the request-smuggling defences AWS recommends and the
 * Security Hub control ELB.4 checks. Network and gateway load balancers do not
 * parse HTTP and are not checked.
 */
export default resourceRule({
  name: "lb-loadbalancer-require-drop-invalid-headers",
  description:
    "Application Load Balancers drop invalid HTTP header fields instead of passing them to the app.",
  requirements: ["ECS-5"],
  severity: "medium",
  types: LOAD_BALANCER_TYPES,
  check: ({ props }) =>
    !isApplicationLb(props) || props.dropInvalidHeaderFields === true
      ? []
      : ["dropInvalidHeaderFields is not true: malformed headers would reach the app (request smuggling)"],
});
