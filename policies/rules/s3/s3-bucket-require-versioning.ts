import { asObject } from "../../lib/props";
import { bucketsLacking, s3Types } from "../../lib/s3";
import { stackRule } from "../../rule";

export default stackRule({
  name: "s3-bucket-require-versioning",
  description: "Every bucket keeps object versions, so an overwrite or delete can be undone.",
  requirements: ["BAK-2", "BAK-4"],
  severity: "high",
  check: (resources) =>
    bucketsLacking(
      resources,
      s3Types("BucketVersioning"),
      (s) => asObject(s.props.versioningConfiguration).status === "Enabled",
      "versioning with status Enabled",
    ),
});
