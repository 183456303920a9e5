import { list, stackRule } from "../../rule";

export default stackRule({
  name: "ec2-vpc-require-endpoints",
  description:
    "Every VPC has endpoints for S3, ECR, Secrets Manager and CloudWatch Logs, so tasks need not cross the NAT.",
  requirements: ["NET-5"],
  severity: "low",
  config: {
    services: {
      type: "array",
      items: { type: "string" },
      default: ["s3", "ecr.api", "ecr.dkr", "secretsmanager", "logs"],
      description: "NET-5: the AWS APIs every task calls.",
    },
  },
  check: (resources, config) => {
    const services = list(config, "services").map(String);
    return resources
      .filter((r) => r.type === "aws:ec2/vpc:Vpc")
      .flatMap((vpc) => {
        const present = resources
          .filter((e) => e.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
          .filter((e) => (e.propertyDependencies.vpcId ?? []).some((d) => d.urn === vpc.urn))
          .map((e) => String(e.props.serviceName ?? ""));
        const missing = services.filter((s) => !present.some((name) => name.endsWith(`.${s}`)));
        return missing.length === 0
          ? []
          : [{ urn: vpc.urn, message: `VPC ${vpc.name} has no endpoint for ${missing.join(", ")}` }];
      });
  },
});
