import { BUCKET } from "../../lib/s3";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "s3-bucket-forbid-force-destroy",
  description: "No bucket may be destroyed together with its objects.",
  requirements: ["BAK-4"],
  severity: "critical",
  types: [BUCKET],
  check: ({ props }) =>
    props.forceDestroy === true
      ? ["forceDestroy is true: deleting the bucket would delete every object"]
      : [],
});
