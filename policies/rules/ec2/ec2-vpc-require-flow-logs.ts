import { stackRule } from "../../rule";

export default stackRule({
  name: "ec2-vpc-require-flow-logs",
  description: "Every VPC has a flow log that records all traffic (accepted and rejected).",
  requirements: ["NET-5"],
  severity: "medium",
  check: (resources) =>
    resources
      .filter((r) => r.type === "aws:ec2/vpc:Vpc")
      .filter(
        (vpc) =>
          !resources.some(
            (f) =>
              f.type === "aws:ec2/flowLog:FlowLog" &&
              f.props.trafficType === "ALL" &&
              (f.propertyDependencies.vpcId ?? []).some((d) => d.urn === vpc.urn),
          ),
      )
      .map((vpc) => ({ urn: vpc.urn, message: `VPC ${vpc.name} has no flow log with trafficType ALL` })),
});
