import { bucketsLacking, s3Types } from "../../lib/s3";
import { stackRule } from "../../rule";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export default stackRule({
  name: "s3-bucket-require-public-access-block",
  description: "Every bucket blocks public access with all four public-access-block settings.",
  requirements: ["BAK-2", "NET-4"],
  severity: "critical",
  check: (resources) =>
    bucketsLacking(
      resources,
      s3Types("BucketPublicAccessBlock"),
      (s) => FLAGS.every((f) => s.props[f] === true),
      `public access block with ${FLAGS.join(", ")} all true`,
    ),
});
