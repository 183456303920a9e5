import { LAUNCH_TEMPLATE } from "../../lib/eks";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

/** The provider takes the launch template's EBS flags as strings ("true") as well as booleans. */
const isTrue = (v: unknown) => v === true || v === "true";

/**
 * K8S-1, POL-1 under the house rule "encryption with customer-managed keys":
 * every EBS volume a launch template declares (the nodes' root disks, which
 * hold container images, logs and emptyDir data) is encrypted under a key
 * the stack names. `encrypted` without `kmsKeyId` uses the account's default
 * EBS key, the AWS-managed aws/ebs unless someone changed it, whose policy
 * the platform cannot scope; and a template that declares no volume leaves
 * the root disk to the AMI and the account's encryption-by-default setting.
 * Instances an Auto Scaling group launches (an EKS managed node group's)
 * need the key policy to let the AWSServiceRoleForAutoScaling service-linked
 * role use the key (EC2 Auto Scaling User Guide, "Required AWS KMS key policy
 * for use with encrypted volumes"); components/security/KmsKey.ts's
 * allowEc2AutoScaling grants it.
 */
export default resourceRule({
  name: "ec2-launchtemplate-require-ebs-encryption",
  description:
    "Launch templates declare their EBS volumes encrypted with a customer-managed KMS key (kmsKeyId), never the account's default EBS key.",
  requirements: ["K8S-1", "POL-1"],
  severity: "high",
  types: [LAUNCH_TEMPLATE],
  check: ({ props }) => {
    const mappings = asArray(props.blockDeviceMappings).map(asObject);
    const volumes = mappings.filter((m) => m.ebs !== undefined);
    if (volumes.length === 0)
      return [
        "blockDeviceMappings declares no EBS volume: the root volume's encryption would be the AMI's and the account default's; declare it encrypted with kmsKeyId",
      ];
    return volumes.flatMap((m, i) => {
      const ebs = asObject(m.ebs);
      const device = isNonEmptyString(m.deviceName) ? m.deviceName : `#${i + 1}`;
      if (!isTrue(ebs.encrypted))
        return [`volume ${device}: ebs.encrypted is ${String(ebs.encrypted ?? "not set")}; encrypt it`];
      if (!isNonEmptyString(ebs.kmsKeyId))
        return [
          `volume ${device}: ebs.kmsKeyId is not set: the account's default EBS key (aws/ebs) would be used; name a customer-managed key`,
        ];
      if (/^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//.test(ebs.kmsKeyId))
        return [
          `volume ${device}: ebs.kmsKeyId ${ebs.kmsKeyId} is an AWS-managed key; name a customer-managed key`,
        ];
      return [];
    });
  },
});
