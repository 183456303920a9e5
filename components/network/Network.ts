import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "./cidrPlan";
import { DEFAULT_APP_PORT, DEFAULT_DATA_PORTS, Tier, ruleName, tierRules } from "./securityTiers";

/** NET-5: interface endpoints so tasks reach these AWS APIs without the NAT. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = [
  "ecr.api",
  "ecr.dkr",
  "secretsmanager",
  "logs",
];

export interface NetworkArgs {
  /** NET-1: the VPC block, /16 to /20 (validated in config). */
  readonly cidrBlock: string;
  /** NET-1: AZs to spread every tier over (prod 3+, staging 2+). */
  readonly azCount: number;
  /** NET-2: one NAT gateway per AZ, or a single shared one. */
  readonly natGateways: "perAz" | "single";
  /** The stack's region, for endpoint service names. */
  readonly region: string;
  /** NET-5: days to keep VPC flow logs. */
  readonly flowLogRetentionDays: number;
  /** NET-5: customer-managed key that encrypts the flow-log group. */
  readonly flowLogKmsKeyArn: pulumi.Input<string>;
  /** APP-2, NET-3: the port services listen on. @default 8000 */
  readonly appPort?: number;
  /** NET-3: ports the data tier serves. @default [5432, 27017, 6379] */
  readonly dataPorts?: readonly number[];
  /**
   * NET-3: TCP ports the app tier may reach the internet on to send mail (the
   * services' SMTP_PORT, e.g. 587 [H App. A]). @default []
   */
  readonly mailPorts?: readonly number[];
  /** NET-5: interface endpoint services. @default ["ecr.api", "ecr.dkr", "secretsmanager", "logs"] */
  readonly interfaceEndpoints?: readonly string[];
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One VPC with public, private app and isolated data subnets per AZ (NET-1),
 * NAT per AZ or single (NET-2), the NET-3 security-group tiers with exactly the
 * runbook's rules, no public IPs on launch anywhere (NET-4), flow logs and the
 * S3 gateway plus interface endpoints (NET-5), and no SSH rule (NET-6).
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly availabilityZones: pulumi.Output<string>[];
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly appSubnetIds: pulumi.Output<string>[];
  public readonly dataSubnetIds: pulumi.Output<string>[];
  /** NET-1: the data subnets' CIDR blocks (the plan's, known before anything is created). */
  public readonly dataSubnetCidrs: readonly string[];
  public readonly securityGroupIds: Readonly<Record<Tier, pulumi.Output<string>>>;
  public readonly flowLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:network:Network", name, {}, opts);
    const appPort = args.appPort ?? DEFAULT_APP_PORT;
    const dataPorts = args.dataPorts ?? DEFAULT_DATA_PORTS;
    const endpointServices = args.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS;
    const baseTags = args.tags ?? {};
    const tags = (role: string) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };
    const plan = planSubnets(args.cidrBlock, args.azCount);

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        // Interface endpoints' private DNS needs both.
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: tags("vpc"),
      },
      parent,
    );
    // The default SG allows all traffic between its members; strip it so nothing can use it.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, tags: tags("default-locked") },
      parent,
    );

    const zones = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      parent,
    ).names;
    const azs = plan.app.map((_, i) => zones.apply((names) => names[i]));
    const suffix = (i: number) => String.fromCharCode(97 + i);

    const subnet = (tier: "public" | "app" | "data", i: number, extraTags: Record<string, string>) =>
      new aws.ec2.Subnet(
        `${name}-${tier}-${suffix(i)}`,
        {
          vpcId: vpc.id,
          cidrBlock: plan[tier][i],
          availabilityZone: azs[i],
          // NET-4: nothing launches with a public IP, not even in public subnets;
          // the load balancer and NAT gateways get theirs explicitly.
          mapPublicIpOnLaunch: false,
          tags: { ...tags(`${tier}-${suffix(i)}`), "platform/tier": tier, ...extraTags },
        },
        parent,
      );
    const publicSubnets = plan.public.map((_, i) => subnet("public", i, { "kubernetes.io/role/elb": "1" }));
    const appSubnets = plan.app.map((_, i) => subnet("app", i, { "kubernetes.io/role/internal-elb": "1" }));
    const dataSubnets = plan.data.map((_, i) => subnet("data", i, {}));

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, parent);
    const publicRt = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, tags: tags("public-rt") },
      parent,
    );
    new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      parent,
    );
    publicSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${suffix(i)}`,
          { subnetId: s.id, routeTableId: publicRt.id },
          parent,
        ),
    );

    const natCount = args.natGateways === "perAz" ? args.azCount : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${suffix(i)}`,
        { domain: "vpc", tags: tags(`nat-${suffix(i)}`) },
        parent,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${suffix(i)}`,
        { allocationId: eip.allocationId, subnetId: publicSubnets[i].id, tags: tags(`nat-${suffix(i)}`) },
        { parent: this, dependsOn: [igw] },
      );
    });

    const appRts = appSubnets.map((s, i) => {
      const rt = new aws.ec2.RouteTable(
        `${name}-app-${suffix(i)}`,
        { vpcId: vpc.id, tags: tags(`app-${suffix(i)}`) },
        parent,
      );
      new aws.ec2.Route(
        `${name}-app-${suffix(i)}-default`,
        { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[i % natCount].id },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-app-${suffix(i)}`,
        { subnetId: s.id, routeTableId: rt.id },
        parent,
      );
      return rt;
    });

    // NET-4: the data tier has no route out of the VPC at all (S3 gateway aside).
    const dataRt = new aws.ec2.RouteTable(
      `${name}-data-rt`,
      { vpcId: vpc.id, tags: tags("data-rt") },
      parent,
    );
    dataSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-data-${suffix(i)}`,
          { subnetId: s.id, routeTableId: dataRt.id },
          parent,
        ),
    );

    const groups = Object.fromEntries(
      (["loadBalancer", "app", "data", "endpoints"] as const).map((tier) => [
        tier,
        new aws.ec2.SecurityGroup(
          `${name}-${tier}`,
          {
            vpcId: vpc.id,
            description: `${name} ${tier} tier (NET-3)`,
            // Rules are separate resources below; the provider strips AWS's default allow-all egress.
            revokeRulesOnDelete: true,
            // NET-3: the policy pack (ec2-securitygroup-require-tier-table) judges the group's rules by this tier.
            tags: { ...tags(`${tier}-sg`), "platform/tier": tier },
          },
          parent,
        ),
      ]),
    ) as Record<Tier, aws.ec2.SecurityGroup>;

    for (const rule of tierRules(appPort, dataPorts, args.mailPorts ?? [])) {
      const ruleArgs = {
        securityGroupId: groups[rule.tier].id,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
        ...("tier" in rule.peer
          ? { referencedSecurityGroupId: groups[rule.peer.tier].id }
          : { cidrIpv4: rule.peer.cidr }),
        tags: tags(ruleName(rule)),
      };
      if (rule.direction === "ingress") {
        new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName(rule)}`, ruleArgs, parent);
      } else {
        new aws.vpc.SecurityGroupEgressRule(`${name}-${ruleName(rule)}`, ruleArgs, parent);
      }
    }

    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...appRts.map((rt) => rt.id), dataRt.id],
        tags: tags("s3-endpoint"),
      },
      parent,
    );
    for (const service of endpointServices) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service.replace(/\./g, "-")}`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: appSubnets.map((s) => s.id),
          securityGroupIds: [groups.endpoints.id],
          tags: tags(`${service}-endpoint`),
        },
        parent,
      );
    }

    const flowLogGroup = this.flowLogs(name, vpc, args, tags);

    this.vpcId = vpc.id;
    this.availabilityZones = azs;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.appSubnetIds = appSubnets.map((s) => s.id);
    this.dataSubnetIds = dataSubnets.map((s) => s.id);
    this.dataSubnetCidrs = plan.data;
    this.securityGroupIds = {
      loadBalancer: groups.loadBalancer.id,
      app: groups.app.id,
      data: groups.data.id,
      endpoints: groups.endpoints.id,
    };
    this.flowLogGroupName = flowLogGroup.name;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      appSubnetIds: this.appSubnetIds,
      dataSubnetIds: this.dataSubnetIds,
      securityGroupIds: this.securityGroupIds,
      flowLogGroupName: this.flowLogGroupName,
    });
  }

  /** NET-5: every accepted and rejected flow, to an encrypted log group, via a role that can write only there. */
  private flowLogs(
    name: string,
    vpc: aws.ec2.Vpc,
    args: NetworkArgs,
    tags: (role: string) => Record<string, string>,
  ): aws.cloudwatch.LogGroup {
    const parent = { parent: this };
    const group = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        name: `/vpc/${name}/flow-logs`,
        retentionInDays: args.flowLogRetentionDays,
        kmsKeyId: args.flowLogKmsKeyArn,
        tags: tags("flow-logs"),
      },
      parent,
    );
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const role = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        description: `Lets VPC Flow Logs write ${name}'s flow log group`,
        assumeRolePolicy: account.apply((a) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                // Confused-deputy guard: only flow logs of this account may assume it.
                Condition: { StringEquals: { "aws:SourceAccount": a } },
              },
            ],
          }),
        ),
        tags: tags("flow-logs-role"),
      },
      parent,
    );
    // NET-5: the minimum AWS documents for flow logs to CloudWatch Logs (VPC
    // User Guide, "IAM role for publishing flow logs to CloudWatch Logs"):
    // Create/DescribeLogGroups, CreateLogStream, PutLogEvents, DescribeLogStreams.
    // Everything but DescribeLogGroups is held to this one group;
    // DescribeLogGroups lists groups, so it takes the account's group pattern.
    const region = aws.getRegionOutput({}, parent).region;
    const partition = aws.getPartitionOutput({}, parent).partition;
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: pulumi.all([group.arn, partition, region, account]).apply(([arn, p, r, a]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "WriteThisGroup",
                Effect: "Allow",
                Action: [
                  "logs:CreateLogGroup",
                  "logs:CreateLogStream",
                  "logs:PutLogEvents",
                  "logs:DescribeLogStreams",
                ],
                Resource: [arn, `${arn}:*`],
              },
              {
                Sid: "FindTheGroup",
                Effect: "Allow",
                Action: "logs:DescribeLogGroups",
                Resource: `arn:${p}:logs:${r}:${a}:log-group:*`,
              },
            ],
          }),
        ),
      },
      parent,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: tags("flow-log"),
      },
      parent,
    );
    return group;
  }
}
