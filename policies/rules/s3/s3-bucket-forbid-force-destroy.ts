import { BUCKET_TYPES } from "../../lib/s3";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "s3-bucket-forbid-force-destroy",
  description: "No bucket may be destroyed together with its objects.",
  requirements: ["BAK-4"],
  severity: "critical",
  types: BUCKET_TYPES,
  check: ({ props }) =>
    props.forceDestroy === true
      ? ["forceDestroy is true: deleting the bucket would delete every object"]
      : [],
});
