import { RDS_INSTANCE, encryptionProblems } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-require-encryption",
  description: "RDS instances encrypt storage and Performance Insights with a customer-managed KMS key.",
  requirements: ["PG-1"],
  severity: "critical",
  types: [RDS_INSTANCE],
  check: ({ props }) => [
    ...encryptionProblems(props, "storageEncrypted", "kmsKeyId"),
    ...(props.performanceInsightsEnabled === true && !props.performanceInsightsKmsKeyId
      ? ["performanceInsightsKmsKeyId is not set: Performance Insights data holds query text"]
      : []),
  ],
});
