import { isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "cloudwatch-loggroup-require-encryption",
  description: "Log groups are encrypted with a customer-managed KMS key.",
  requirements: ["NET-5", "ECS-4"],
  severity: "medium",
  types: ["aws:cloudwatch/logGroup:LogGroup"],
  check: ({ props }) =>
    isNonEmptyString(props.kmsKeyId) ? [] : ["kmsKeyId is not set: logs can hold personal data and tokens"],
});
