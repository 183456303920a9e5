import { asArray, asObject, isNonEmptyString } from "../../lib/props";
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
          // An expiration that only sets expiredObjectDeleteMarker tidies delete markers: it expires
          // no object. (Provider state may hold days 0 and date "" for the unset fields.)
          const expiration = asObject(rule.expiration);
          const expires = Number(expiration.days) > 0 || isNonEmptyString(expiration.date);
          return rule.status === "Enabled" && (asArray(rule.transitions).length > 0 || expires);
        }),
      "enabled lifecycle rule with a transition or expiration",
    ),
});
