import { resourceRule } from "../../rule";

export default resourceRule({
  name: "ec2-subnet-forbid-public-ip",
  description: "No subnet gives instances a public IP on launch; only the load balancer faces the internet.",
  requirements: ["NET-4"],
  severity: "high",
  types: ["aws:ec2/subnet:Subnet"],
  check: ({ props }) =>
    props.mapPublicIpOnLaunch === true
      ? ["mapPublicIpOnLaunch is true: tasks and nodes must not get public IPs"]
      : [],
});
