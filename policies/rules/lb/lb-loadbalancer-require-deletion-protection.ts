import { LOAD_BALANCER_TYPES } from "../../lib/lb";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "lb-loadbalancer-require-deletion-protection",
  description:
    "Load balancers have deletion protection on, so the public entry point cannot vanish by mistake.",
  requirements: ["ECS-5"],
  severity: "high",
  stagingMayDeviate: true,
  types: LOAD_BALANCER_TYPES,
  check: ({ props }) =>
    props.enableDeletionProtection === true
      ? []
      : [
          "enableDeletionProtection is not true: deleting the load balancer would take the API off the internet",
        ],
});
