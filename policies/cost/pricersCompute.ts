/**
 * Pricers for compute and the network edge (issue 20): the EKS control plane
 * and managed nodes, Fargate tasks, NAT gateways (NET-2), public IPv4
 * addresses, interface endpoints (NET-5), load balancers — including the NLB a
 * Helm-installed ingress controller asks AWS for — WAF (ECS-9) and Route 53
 * health checks.
 */
import { grown } from "./assumptions";
import {
  CostLine,
  DAYS_PER_MONTH,
  Pricer,
  PricingContext,
  arr,
  fmt,
  hourly,
  line,
  num,
  obj,
  str,
} from "./model";

export const eksCluster: Pricer = (r, ctx) => ({
  lines: [
    hourly(
      ctx,
      `EKS cluster, Kubernetes ${str(r.inputs.version) ?? "default version"} (standard support)`,
      1,
      "eks.cluster.hour",
      ctx.regionOf(r),
    ),
  ],
});

/** Instance count from scalingConfig.desiredSize; type and root volume from instanceTypes and the launch template. */
export const eksNodeGroup: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  if (str(r.inputs.capacityType) === "SPOT")
    return { unpriced: "Spot capacity: its price changes hour by hour" };
  const desired = num(obj(r.inputs.scalingConfig).desiredSize) ?? 1;
  const template = ctx.byId(obj(r.inputs.launchTemplate).id, "aws:ec2/launchTemplate:LaunchTemplate");
  const instanceType =
    str(arr(r.inputs.instanceTypes)[0]) ?? str(template?.inputs.instanceType) ?? "t3.medium";
  const lines: CostLine[] = [
    hourly(
      ctx,
      `EC2 ${instanceType} nodes x ${desired} (scalingConfig.desiredSize)`,
      desired,
      `ec2.instance.${instanceType}.hour`,
      region,
    ),
  ];
  const volumes = template
    ? arr(template.inputs.blockDeviceMappings).map((m) => obj(obj(m).ebs))
    : [{ volumeSize: num(r.inputs.diskSize) ?? 20, volumeType: "gp3" }];
  for (const ebs of volumes) {
    const size = num(ebs.volumeSize) ?? 8;
    const type = str(ebs.volumeType) ?? "gp3";
    lines.push(
      line(
        ctx,
        `EBS ${type} node volumes, ${desired} x ${size} GB`,
        desired * size,
        `ebs.${type}.gbMonth`,
        region,
      ),
    );
  }
  return { lines };
};

/** Fargate: the task definition's cpu/memory × desiredCount, all month. */
export const ecsService: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const strategy = arr(r.inputs.capacityProviderStrategies).map((s) => str(obj(s).capacityProvider));
  const launchType = str(r.inputs.launchType) ?? (strategy.includes("FARGATE") ? "FARGATE" : undefined);
  if (launchType !== "FARGATE") {
    return { unpriced: `launch type ${launchType ?? strategy.join("+")}: only on-demand Fargate is priced` };
  }
  const family = str(r.inputs.taskDefinition)?.split("/").pop()?.split(":")[0];
  const task = ctx.ofType("aws:ecs/taskDefinition:TaskDefinition").find((t) => t.inputs.family === family);
  if (!task) return { unpriced: `task definition ${family ?? "(unknown)"} is not in this stack` };
  const tasks = num(r.inputs.desiredCount) ?? 1;
  const vcpu = (num(task.inputs.cpu) ?? 256) / 1024;
  const gb = (num(task.inputs.memory) ?? 512) / 1024;
  const arch = str(obj(task.inputs.runtimePlatform).cpuArchitecture) === "ARM64" ? "arm" : "x86";
  return {
    lines: [
      hourly(
        ctx,
        `Fargate vCPU, ${tasks} tasks (desiredCount) x ${vcpu} vCPU`,
        tasks * vcpu,
        `fargate.linux.${arch}.vcpuHour`,
        region,
      ),
      hourly(
        ctx,
        `Fargate memory, ${tasks} tasks x ${gb} GB`,
        tasks * gb,
        `fargate.linux.${arch}.gbHour`,
        region,
      ),
    ],
  };
};

/** Container Insights is billed by what it observes; a cluster without it is free. */
export const ecsCluster: Pricer = (r) => {
  const insights = arr(r.inputs.settings)
    .map(obj)
    .find((s) => s.name === "containerInsights");
  const mode = str(insights?.value);
  return mode === "enabled" || mode === "enhanced"
    ? {
        unpriced: `Container Insights (${mode}) is billed per metric or observation it records; not modelled`,
      }
    : { free: "an ECS cluster carries no charge; its tasks are priced on the service" };
};

/** NET-2: each NAT gateway by the hour, plus the GB it processes. */
export const natGateway: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const gb = ctx.assumptions.natGbPerGatewayPerMonth.value;
  return {
    lines: [
      hourly(ctx, "NAT gateway", 1, "ec2.natGateway.hour", region),
      line(
        ctx,
        `NAT data processed, ${fmt(gb)} GB (assumption natGbPerGatewayPerMonth)`,
        gb,
        "ec2.natGateway.gb",
        region,
      ),
    ],
  };
};

export const elasticIp: Pricer = (r, ctx) => ({
  lines: [hourly(ctx, "public IPv4 address (Elastic IP)", 1, "ec2.publicIpv4.hour", ctx.regionOf(r))],
});

/** NET-5: interface endpoints per AZ-hour and GB; gateway endpoints are free. */
export const vpcEndpoint: Pricer = (r, ctx) => {
  const type = str(r.inputs.vpcEndpointType) ?? "Gateway";
  const service = str(r.inputs.serviceName)?.split(".").slice(3).join(".") || "service";
  if (type === "Gateway") return { free: "gateway endpoints (S3, DynamoDB) carry no charge" };
  if (type !== "Interface") return { unpriced: `${type} endpoints are not in the price table` };
  const region = ctx.regionOf(r);
  const azs = Math.max(arr(r.inputs.subnetIds).length, 1);
  const gb = ctx.assumptions.interfaceEndpointGbPerEndpointPerMonth.value;
  return {
    lines: [
      hourly(ctx, `interface endpoint ${service}, ${azs} AZ(s)`, azs, "vpc.interfaceEndpoint.azHour", region),
      line(
        ctx,
        `endpoint data processed, ${fmt(gb)} GB (assumption)`,
        gb,
        "vpc.interfaceEndpoint.gb",
        region,
      ),
    ],
  };
};

/** Hours, capacity units, public IPv4 addresses and data out of one load balancer. */
function loadBalancerLines(
  ctx: PricingContext,
  kind: "alb" | "nlb",
  region: string,
  publicIps: number,
): CostLine[] {
  const a = ctx.assumptions;
  const lcu = a.loadBalancerCapacityUnitsPerHour.value;
  const lines = [
    hourly(
      ctx,
      kind === "alb" ? "Application Load Balancer" : "Network Load Balancer",
      1,
      `elb.${kind}.hour`,
      region,
    ),
    hourly(
      ctx,
      `${kind === "alb" ? "LCUs" : "NLCUs"}, ${fmt(lcu)} an hour (assumption loadBalancerCapacityUnitsPerHour)`,
      lcu,
      kind === "alb" ? "elb.alb.lcuHour" : "elb.nlb.nlcuHour",
      region,
    ),
  ];
  if (publicIps > 0) {
    const dto = grown(a, "dataTransferOutGbPerMonth", "dataTransferOutGbGrowthPerMonth");
    lines.push(
      hourly(
        ctx,
        `public IPv4 addresses, one per subnet (${publicIps})`,
        publicIps,
        "ec2.publicIpv4.hour",
        region,
      ),
      line(
        ctx,
        `data transfer out to the internet, ${fmt(dto)} GB (assumption)`,
        dto,
        "dataTransfer.internetOut.gb",
        region,
      ),
    );
  }
  return lines;
}

export const loadBalancer: Pricer = (r, ctx) => {
  const type = str(r.inputs.loadBalancerType) ?? "application";
  if (type !== "application" && type !== "network")
    return { unpriced: `${type} load balancers are not in the price table` };
  const internetFacing = r.inputs.internal !== true;
  const subnets = arr(r.inputs.subnets).length || arr(r.inputs.subnetMappings).length;
  return {
    lines: loadBalancerLines(
      ctx,
      type === "application" ? "alb" : "nlb",
      ctx.regionOf(r),
      internetFacing ? subnets : 0,
    ),
  };
};

const NLB_TYPES = ["nlb", "nlb-ip", "external"];

/**
 * A Helm release is free (it runs on the priced nodes) unless its values ask
 * for a `LoadBalancer` Service (`controller.service`, as ingress-nginx does):
 * AWS then creates a Network Load Balancer for it, priced here.
 */
export const helmRelease: Pricer = (r, ctx) => {
  const values = obj(r.inputs.values);
  const service = obj(obj(values.controller).service);
  if (service.type !== "LoadBalancer") return { free: "a Helm release runs on the priced nodes" };
  const annotations = obj(service.annotations);
  const lbType = str(annotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
  if (!lbType || !NLB_TYPES.includes(lbType)) {
    return {
      unpriced:
        "a LoadBalancer Service without an NLB annotation gets a Classic Load Balancer, not in the price table",
    };
  }
  const region = ctx.regionOf(r);
  const internal = str(annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]) === "true";
  const publicSubnets = ctx
    .ofType("aws:ec2/subnet:Subnet")
    .filter((s) => ctx.regionOf(s) === region && obj(s.inputs.tags)["kubernetes.io/role/elb"] === "1").length;
  return { lines: loadBalancerLines(ctx, "nlb", region, internal ? 0 : Math.max(publicSubnets, 1)) };
};

/** ECS-9: the web ACL, each rule or managed rule group, and every request inspected. */
export const webAcl: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  if (str(r.inputs.scope) === "CLOUDFRONT")
    return { unpriced: "CloudFront-scoped web ACLs are not in the price table" };
  const rules = arr(r.inputs.rules).length;
  const a = ctx.assumptions;
  const requests = grown(a, "requestsPerDay", "requestsPerDayGrowthPerMonth") * DAYS_PER_MONTH;
  return {
    lines: [
      line(ctx, "web ACL", 1, "waf.webAcl.month", region),
      line(ctx, `rules and managed rule groups (${rules})`, rules, "waf.rule.month", region),
      line(
        ctx,
        `requests inspected, ${fmt(requests)} (assumption requestsPerDay x ${fmt(DAYS_PER_MONTH)} days)`,
        requests / 1e6,
        "waf.requests.million",
        region,
      ),
    ],
  };
};

/** The target is this stack's load balancer, so AWS-endpoint prices; each optional feature adds its own. */
export const healthCheck: Pricer = (r, ctx) => {
  const region = ctx.regionOf(r);
  const type = str(r.inputs.type) ?? "HTTP";
  const features = [
    type.startsWith("HTTPS") ? "HTTPS" : undefined,
    type.endsWith("_STR_MATCH") ? "string matching" : undefined,
    num(r.inputs.requestInterval) === 10 ? "fast interval" : undefined,
    r.inputs.measureLatency === true ? "latency measurement" : undefined,
  ].filter((f): f is string => f !== undefined);
  const lines = [
    line(ctx, `health check (${type}, AWS endpoint)`, 1, "route53.healthCheck.aws.month", region),
  ];
  if (features.length > 0) {
    lines.push(
      line(
        ctx,
        `optional features: ${features.join(", ")}`,
        features.length,
        "route53.healthCheck.aws.optionalFeature.month",
        region,
      ),
    );
  }
  return { lines };
};

/** Pricers of this module by type token. */
export const COMPUTE_PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:eks/cluster:Cluster": eksCluster,
  "aws:eks/nodeGroup:NodeGroup": eksNodeGroup,
  "aws:ecs/service:Service": ecsService,
  "aws:ecs/cluster:Cluster": ecsCluster,
  "aws:ec2/natGateway:NatGateway": natGateway,
  "aws:ec2/eip:Eip": elasticIp,
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
  "kubernetes:helm.sh/v3:Release": helmRelease,
  "aws:wafv2/webAcl:WebAcl": webAcl,
  "aws:route53/healthCheck:HealthCheck": healthCheck,
};
