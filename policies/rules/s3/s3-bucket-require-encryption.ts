import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { bucketsLacking, s3Types } from "../../lib/s3";
import { stackRule } from "../../rule";

export default stackRule({
  name: "s3-bucket-require-encryption",
  description: "Every bucket encrypts objects by default with SSE-KMS under a customer-managed key.",
  requirements: ["BAK-2"],
  severity: "critical",
  check: (resources) =>
    bucketsLacking(
      resources,
      s3Types("BucketServerSideEncryptionConfiguration"),
      (s) =>
        asArray(s.props.rules).some((r) => {
          const d = asObject(asObject(r).applyServerSideEncryptionByDefault);
          return String(d.sseAlgorithm).startsWith("aws:kms") && isNonEmptyString(d.kmsMasterKeyId);
        }),
      "default SSE-KMS encryption with a customer-managed key",
    ),
});
