import { isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * SLO-2: alert topics are encrypted at rest with a customer-managed KMS key.
 * Not the AWS-managed `alias/aws/sns`: its key policy cannot be changed, so
 * CloudWatch alarms (cloudwatch.amazonaws.com) could not use it to publish
 * and every alarm would fail to notify silently.
 */
export default resourceRule({
  name: "sns-topic-require-encryption",
  description:
    "SNS topics are encrypted with a customer-managed KMS key that CloudWatch alarms can publish with.",
  requirements: ["SLO-2"],
  severity: "medium",
  types: ["aws:sns/topic:Topic"],
  check: ({ props }) => {
    const key = props.kmsMasterKeyId;
    if (!isNonEmptyString(key)) return ["kmsMasterKeyId is not set: alert payloads are stored unencrypted"];
    if (/(^|:)alias\/aws\/sns$/.test(key))
      return [
        "kmsMasterKeyId is the AWS-managed alias/aws/sns: CloudWatch alarms cannot publish to it, use a customer-managed key",
      ];
    return [];
  },
});
