import { asArray, asObject } from "../../lib/props";
import { bucketsLacking, s3Types } from "../../lib/s3";
import { stackRule } from "../../rule";

export default stackRule({
  name: "s3-bucket-require-lifecycle",
  description: "Every bucket has an enabled lifecycle rule that archives or expires objects.",
  requirements: ["BAK-2"],
  severity: "medium",
  check: (resources) =>
    bucketsLacking(
      resources,
      s3Types("BucketLifecycleConfiguration"),
      (s) =>
        asArray(s.props.rules).some((r) => {
          const rule = asObject(r);
          return (
            rule.status === "Enabled" &&
            (asArray(rule.transitions).length > 0 || rule.expiration !== undefined)
          );
        }),
      "enabled lifecycle rule with a transition or expiration",
    ),
});
