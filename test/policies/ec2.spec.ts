/** EC2/VPC rules of the policy pack: NET-3 security-group tiers, NET-4, NET-5, NET-6. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import forbidSsh from "../../policies/rules/ec2/ec2-securitygroup-forbid-ssh";
import publicIngress from "../../policies/rules/ec2/ec2-securitygroup-limit-public-ingress";
import publicEgress from "../../policies/rules/ec2/ec2-securitygroup-limit-public-egress";
import dataEgress from "../../policies/rules/ec2/ec2-securitygroup-forbid-data-egress";
import publicIp from "../../policies/rules/ec2/ec2-subnet-forbid-public-ip";
import flowLogs from "../../policies/rules/ec2/ec2-vpc-require-flow-logs";
import endpoints from "../../policies/rules/ec2/ec2-vpc-require-endpoints";
import { FakeResource, violations } from "../harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const RDS = "aws:rds/instance:Instance";
const DOCDB = "aws:docdb/cluster:Cluster";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

const sg = (name: string, props: Unwrap<aws.ec2.SecurityGroupArgs>): FakeResource => ({
  type: SG,
  name,
  props,
});
const ingressRule = (
  name: string,
  props: Unwrap<aws.vpc.SecurityGroupIngressRuleArgs>,
  group = "data",
): FakeResource => ({ type: INGRESS, name, props, refs: { securityGroupId: [group] } });
const egressRule = (
  name: string,
  props: Unwrap<aws.vpc.SecurityGroupEgressRuleArgs>,
  group = "data",
): FakeResource => ({ type: EGRESS, name, props, refs: { securityGroupId: [group] } });
const classicRule = (
  name: string,
  props: Unwrap<aws.ec2.SecurityGroupRuleArgs>,
  group = "data",
): FakeResource => ({ type: SG_RULE, name, props, refs: { securityGroupId: [group] } });

/** NET-3's tiers exactly as [P §2.2], inline: LB in from the internet, app in from the LB, data in from the app. */
const lbSg: Unwrap<aws.ec2.SecurityGroupArgs> = {
  vpcId: "vpc-1",
  description: "load balancer",
  ingress: [
    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
    { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
  ],
  egress: [{ protocol: "tcp", fromPort: 8000, toPort: 8000, securityGroups: ["sg-app"] }],
};
const appSg: Unwrap<aws.ec2.SecurityGroupArgs> = {
  vpcId: "vpc-1",
  description: "app",
  ingress: [{ protocol: "tcp", fromPort: 8000, toPort: 8000, securityGroups: ["sg-lb"] }],
  egress: [
    ...[5432, 27017, 6379].map((port) => ({
      protocol: "tcp",
      fromPort: port,
      toPort: port,
      securityGroups: ["sg-data"],
    })),
    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
  ],
};
const dataSg: Unwrap<aws.ec2.SecurityGroupArgs> = {
  vpcId: "vpc-1",
  description: "data",
  ingress: [5432, 27017, 6379].map((port) => ({
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    securityGroups: ["sg-app"],
  })),
  egress: [],
};
const tiers = [sg("lb", lbSg), sg("app", appSg), sg("data", dataSg)];

/** The data tier's ingress from the app tier as a separate vpc rule resource. */
const dataIngress: Unwrap<aws.vpc.SecurityGroupIngressRuleArgs> = {
  securityGroupId: "sg-data",
  ipProtocol: "tcp",
  fromPort: 5432,
  toPort: 5432,
  referencedSecurityGroupId: "sg-app",
};

/** A data store of each kind, each using the data tier's security group. */
const rds: Unwrap<aws.rds.InstanceArgs> = { instanceClass: "db.m7g.large", vpcSecurityGroupIds: ["sg-data"] };
const docdb: Unwrap<aws.docdb.ClusterArgs> = { vpcSecurityGroupIds: ["sg-data"] };
const redis: Unwrap<aws.elasticache.ReplicationGroupArgs> = {
  description: "cache",
  securityGroupIds: ["sg-data"],
};
const stores = (group = "data"): FakeResource[] => [
  { type: RDS, name: "postgres", props: rds, refs: { vpcSecurityGroupIds: [group] } },
  { type: DOCDB, name: "docdb", props: docdb, refs: { vpcSecurityGroupIds: [group] } },
  { type: REDIS, name: "redis", props: redis, refs: { securityGroupIds: [group] } },
];

const sgRules = [forbidSsh, publicIngress, publicEgress];

describe("security-group rules pass NET-3's three tiers", () => {
  test.each(sgRules)("NET-3/NET-4/NET-6: $name passes the inline tiers", async (rule) => {
    expect(await violations(rule, tiers)).toEqual([]);
  });

  test("NET-3/NET-4: ec2-securitygroup-forbid-data-egress passes the tiers used by an RDS instance, a DocumentDB cluster and a replication group", async () => {
    expect(await violations(dataEgress, [...tiers, ...stores()])).toEqual([]);
  });

  /** The data tier with its rules as separate resources of both shapes (what components/network declares). */
  const separate = [
    sg("data", { vpcId: "vpc-1", description: "data" }),
    ingressRule("data-in-5432", dataIngress),
    classicRule("data-in-6379", {
      type: "ingress",
      securityGroupId: "sg-data",
      protocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
      sourceSecurityGroupId: "sg-app",
    }),
  ];

  test.each([...sgRules, dataEgress])(
    "NET-3/NET-6: $name passes the data tier declared as separate rule resources",
    async (rule) => expect(await violations(rule, [...separate, ...stores()])).toEqual([]),
  );
});

describe("ec2-securitygroup-forbid-ssh", () => {
  test("NET-6: port 22 is refused inline on a SecurityGroup, whoever the peer is", async () => {
    const ssh = sg("bastion", {
      ingress: [
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] },
        { protocol: "tcp", fromPort: 22, toPort: 22, securityGroups: ["sg-app"] },
      ],
    });
    expect(await violations(forbidSsh, [ssh])).toEqual([
      "mandatory: ingress tcp 22-22 from 10.0.0.0/16 admits SSH (port 22)",
      "mandatory: ingress tcp 22-22 admits SSH (port 22)",
    ]);
  });

  test("NET-6: port 22 is refused on a vpc SecurityGroupIngressRule and inside a port range", async () => {
    expect(
      await violations(forbidSsh, [
        ingressRule("ssh", { ...dataIngress, fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" }),
        ingressRule("range", { ...dataIngress, fromPort: 0, toPort: 1024 }),
      ]),
    ).toEqual([
      "mandatory: ingress tcp 0-1024 admits SSH (port 22)",
      "mandatory: ingress tcp 22-22 from 10.0.0.0/8 admits SSH (port 22)",
    ]);
  });

  test("NET-6: port 22 is refused on an ec2 SecurityGroupRule of type ingress, not on one of type egress", async () => {
    const rule: Unwrap<aws.ec2.SecurityGroupRuleArgs> = {
      type: "ingress",
      securityGroupId: "sg-app",
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrBlocks: ["0.0.0.0/0"],
    };
    expect(await violations(forbidSsh, [classicRule("ssh", rule)])).toEqual([
      "mandatory: ingress tcp 22-22 from 0.0.0.0/0 admits SSH (port 22)",
    ]);
    expect(await violations(forbidSsh, [classicRule("out", { ...rule, type: "egress" })])).toEqual([]);
  });

  test('NET-6: protocol "-1" (all traffic) covers port 22 on each resource shape', async () => {
    expect(
      await violations(forbidSsh, [
        sg("open", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] }),
        ingressRule("all", { securityGroupId: "sg-data", ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" }),
        classicRule("all-rule", {
          type: "ingress",
          securityGroupId: "sg-app",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["10.0.0.0/16"],
        }),
      ]),
    ).toEqual([
      "mandatory: ingress all traffic admits SSH (port 22)",
      "mandatory: ingress all traffic from 10.0.0.0/16 admits SSH (port 22)",
      "mandatory: ingress all traffic from 10.0.0.0/16 admits SSH (port 22)",
    ]);
  });

  test('NET-6: TCP written as protocol number "6" still admits SSH', async () => {
    expect(
      await violations(forbidSsh, [
        ingressRule("ssh6", { ...dataIngress, ipProtocol: "6", fromPort: 22, toPort: 22 }),
      ]),
    ).toEqual(["mandatory: ingress tcp 22-22 admits SSH (port 22)"]);
  });
});

describe("ec2-securitygroup-limit-public-ingress", () => {
  test("NET-3: 443 and 80 from 0.0.0.0/0 and ::/0 pass on every resource shape", async () => {
    expect(
      await violations(publicIngress, [
        sg("lb", lbSg),
        ingressRule("https", {
          securityGroupId: "sg-lb",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv6: "::/0",
        }),
        classicRule("http", {
          type: "ingress",
          securityGroupId: "sg-lb",
          protocol: "tcp",
          fromPort: 80,
          toPort: 80,
          cidrBlocks: ["0.0.0.0/0"],
        }),
      ]),
    ).toEqual([]);
  });

  test("NET-4: the app port 8000 from 0.0.0.0/0 is refused", async () => {
    const direct = sg("app", {
      ingress: [{ protocol: "tcp", fromPort: 8000, toPort: 8000, cidrBlocks: ["0.0.0.0/0"] }],
    });
    expect(await violations(publicIngress, [direct])).toEqual([
      "mandatory: ingress tcp 8000-8000 from 0.0.0.0/0: the internet may reach only TCP 443, 80",
    ]);
  });

  test("NET-4/NET-6: port 22 from ::/0 is refused, as are a port range spanning 443 and all traffic", async () => {
    expect(
      await violations(publicIngress, [
        ingressRule(
          "ssh",
          { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: "::/0" },
          "lb",
        ),
        ingressRule(
          "range",
          { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 80, toPort: 443, cidrIpv4: "0.0.0.0/0" },
          "lb",
        ),
        ingressRule("all", { securityGroupId: "sg-lb", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, "lb"),
        ingressRule(
          "udp",
          { securityGroupId: "sg-lb", ipProtocol: "udp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
          "lb",
        ),
      ]),
    ).toEqual([
      "mandatory: ingress all traffic from 0.0.0.0/0: the internet may reach only TCP 443, 80",
      "mandatory: ingress tcp 80-443 from 0.0.0.0/0: the internet may reach only TCP 443, 80",
      "mandatory: ingress tcp 22-22 from ::/0: the internet may reach only TCP 443, 80",
      "mandatory: ingress udp 443-443 from 0.0.0.0/0: the internet may reach only TCP 443, 80",
    ]);
  });

  test("NET-3: ingress from private addresses or another security group is not this rule's business", async () => {
    expect(
      await violations(publicIngress, [
        sg("internal", {
          ingress: [
            { protocol: "tcp", fromPort: 8000, toPort: 8000, cidrBlocks: ["10.0.0.0/16"] },
            { protocol: "-1", fromPort: 0, toPort: 0, securityGroups: ["sg-lb"] },
          ],
        }),
      ]),
    ).toEqual([]);
  });

  test("NET-3: policy config allowedPorts replaces the default ports", async () => {
    const https = [
      ingressRule(
        "https",
        { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
        "lb",
      ),
    ];
    const http = [
      ingressRule(
        "http",
        { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" },
        "lb",
      ),
    ];
    const httpsOnly = { "ec2-securitygroup-limit-public-ingress": { allowedPorts: [443] } };
    expect(await violations(publicIngress, https, httpsOnly)).toEqual([]);
    expect(await violations(publicIngress, http, httpsOnly)).toEqual([
      "mandatory: ingress tcp 80-80 from 0.0.0.0/0: the internet may reach only TCP 443",
    ]);
  });

  test('NET-3: TCP written as protocol number "6" on 443 passes like "tcp"', async () => {
    expect(
      await violations(publicIngress, [
        sg("lb", { ingress: [{ protocol: "6", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }),
        ingressRule(
          "https",
          { securityGroupId: "sg-lb", ipProtocol: "6", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
          "lb",
        ),
      ]),
    ).toEqual([]);
  });
});

describe("ec2-securitygroup-limit-public-egress", () => {
  test("NET-3: egress to 0.0.0.0/0 on 443 passes on every resource shape", async () => {
    expect(
      await violations(publicEgress, [
        sg("app", appSg),
        egressRule(
          "https",
          { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
          "app",
        ),
        classicRule(
          "https-rule",
          {
            type: "egress",
            securityGroupId: "sg-app",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["0.0.0.0/0"],
          },
          "app",
        ),
      ]),
    ).toEqual([]);
  });

  test("NET-3: the AWS default allow-all egress and plain HTTP out are refused", async () => {
    expect(
      await violations(publicEgress, [
        sg("app", {
          egress: [
            { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
            { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
          ],
        }),
      ]),
    ).toEqual([
      "mandatory: egress all traffic to 0.0.0.0/0, ::/0: traffic may leave for anywhere only on TCP 443",
      "mandatory: egress tcp 80-80 to 0.0.0.0/0: traffic may leave for anywhere only on TCP 443",
    ]);
  });

  test("NET-3: all traffic out is refused even to a private range; ingress is not this rule's business", async () => {
    expect(
      await violations(publicEgress, [
        egressRule("all", { securityGroupId: "sg-app", ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" }, "app"),
        ingressRule("in", { securityGroupId: "sg-lb", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, "lb"),
      ]),
    ).toEqual([
      "mandatory: egress all traffic to 10.0.0.0/16: traffic may leave for anywhere only on TCP 443",
    ]);
  });

  test("NET-3: policy config allowedPorts can allow another TCP port out (SMTP submission)", async () => {
    const smtp = [
      egressRule(
        "smtp",
        { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 587, toPort: 587, cidrIpv4: "0.0.0.0/0" },
        "app",
      ),
    ];
    expect(await violations(publicEgress, smtp)).toEqual([
      "mandatory: egress tcp 587-587 to 0.0.0.0/0: traffic may leave for anywhere only on TCP 443",
    ]);
    expect(
      await violations(publicEgress, smtp, {
        "ec2-securitygroup-limit-public-egress": { allowedPorts: [443, 587] },
      }),
    ).toEqual([]);
  });
});

describe("ec2-securitygroup-forbid-data-egress", () => {
  test.each([
    ["an RDS instance", RDS, "vpcSecurityGroupIds"],
    ["a DocumentDB cluster", DOCDB, "vpcSecurityGroupIds"],
    ["an ElastiCache replication group", REDIS, "securityGroupIds"],
    ["a single-node ElastiCache cluster", "aws:elasticache/cluster:Cluster", "securityGroupIds"],
    ["a serverless cache", "aws:elasticache/serverlessCache:ServerlessCache", "securityGroupIds"],
    ["an Aurora cluster", "aws:rds/cluster:Cluster", "vpcSecurityGroupIds"],
  ])("NET-3: egress inline on the security group of %s is reported", async (_, type, via) => {
    const store: FakeResource = { type, name: "store", props: {}, refs: { [via]: ["data"] } };
    const leaky = sg("data", {
      ...dataSg,
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    expect(await violations(dataEgress, [leaky, store])).toEqual([
      "mandatory: egress all traffic to 0.0.0.0/0 on a data-tier security group: the data tier has no egress",
    ]);
  });

  test("NET-3/NET-4: CIDR ingress on the data tier is reported; ingress from the app tier's group passes", async () => {
    const cidr = sg("data", {
      ingress: [
        { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-app"] },
        { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] },
      ],
    });
    expect(await violations(dataEgress, [cidr, ...stores()])).toEqual([
      "mandatory: ingress tcp 5432-5432 from 10.0.0.0/16 on a data-tier security group: admit the app tier's security group, not addresses",
    ]);
  });

  test("NET-3: rule resources attached to the data tier's group are reported, of each shape", async () => {
    const found = await violations(dataEgress, [
      sg("data", { vpcId: "vpc-1" }),
      ...stores(),
      ingressRule("from-app", dataIngress),
      ingressRule("from-vpc", {
        ...dataIngress,
        referencedSecurityGroupId: undefined,
        cidrIpv4: "10.0.0.0/16",
      }),
      egressRule("out", {
        securityGroupId: "sg-data",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      }),
      classicRule("classic-out", {
        type: "egress",
        securityGroupId: "sg-data",
        protocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        sourceSecurityGroupId: "sg-app",
      }),
    ]);
    expect(found.sort()).toEqual([
      "mandatory: egress tcp 443-443 to 0.0.0.0/0 on a data-tier security group: the data tier has no egress",
      "mandatory: egress tcp 5432-5432 on a data-tier security group: the data tier has no egress",
      "mandatory: ingress tcp 5432-5432 from 10.0.0.0/16 on a data-tier security group: admit the app tier's security group, not addresses",
    ]);
  });

  test("NET-3: a security group no data store uses is not this rule's business, nor are rules on it", async () => {
    const app = sg("app", {
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    const out = egressRule(
      "app-out",
      { securityGroupId: "sg-app", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
      "app",
    );
    expect(await violations(dataEgress, [app, out, sg("data", dataSg), ...stores()])).toEqual([]);
  });
});

describe("ec2-subnet-forbid-public-ip", () => {
  const subnet: Unwrap<aws.ec2.SubnetArgs> = {
    vpcId: "vpc-1",
    cidrBlock: "10.0.0.0/20",
    availabilityZone: "us-east-1a",
    mapPublicIpOnLaunch: false,
  };
  const subnets = (props: Unwrap<aws.ec2.SubnetArgs>) => [{ type: SUBNET, name: "public-a", props }];

  test("NET-4: a subnet that does not map public IPs passes, as does one that leaves the default", async () => {
    expect(await violations(publicIp, subnets(subnet))).toEqual([]);
    expect(await violations(publicIp, subnets({ ...subnet, mapPublicIpOnLaunch: undefined }))).toEqual([]);
  });

  test("NET-4: mapPublicIpOnLaunch is refused, even on a public subnet", async () => {
    expect(await violations(publicIp, subnets({ ...subnet, mapPublicIpOnLaunch: true }))).toEqual([
      "mandatory: mapPublicIpOnLaunch is true: tasks and nodes must not get public IPs",
    ]);
  });
});

describe("VPC stack rules", () => {
  const vpc: Unwrap<aws.ec2.VpcArgs> = {
    cidrBlock: "10.0.0.0/16",
    enableDnsHostnames: true,
    enableDnsSupport: true,
  };
  const flowLog: Unwrap<aws.ec2.FlowLogArgs> = {
    vpcId: "vpc-1",
    trafficType: "ALL",
    logDestinationType: "cloud-watch-logs",
    logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:psi-prod-flow-logs",
    iamRoleArn: "arn:aws:iam::123456789012:role/flow-logs",
  };
  const endpoint = (service: string, type = "Interface"): FakeResource => {
    const props: Unwrap<aws.ec2.VpcEndpointArgs> = {
      vpcId: "vpc-1",
      serviceName: `com.amazonaws.us-east-1.${service}`,
      vpcEndpointType: type,
    };
    return { type: ENDPOINT, name: `endpoint-${service}`, props, refs: { vpcId: ["vpc"] } };
  };
  const allEndpoints = [
    endpoint("s3", "Gateway"),
    endpoint("ecr.api"),
    endpoint("ecr.dkr"),
    endpoint("secretsmanager"),
    endpoint("logs"),
  ];
  const network = (...more: FakeResource[]): FakeResource[] => [
    { type: VPC, name: "vpc", props: vpc },
    ...more,
  ];
  const log = (props: Unwrap<aws.ec2.FlowLogArgs>, vpcName = "vpc"): FakeResource => ({
    type: FLOW_LOG,
    name: "flow-log",
    props,
    refs: { vpcId: [vpcName] },
  });

  test("NET-5: a VPC with an ALL flow log and the five endpoints passes both rules", async () => {
    const world = network(log(flowLog), ...allEndpoints);
    expect(await violations(flowLogs, world)).toEqual([]);
    expect(await violations(endpoints, world)).toEqual([]);
  });

  test("NET-5: a VPC without a flow log, or with one recording only rejected traffic, is reported", async () => {
    expect(await violations(flowLogs, network())).toEqual([
      "mandatory: VPC vpc has no flow log with trafficType ALL",
    ]);
    expect(await violations(flowLogs, network(log({ ...flowLog, trafficType: "REJECT" })))).toEqual([
      "mandatory: VPC vpc has no flow log with trafficType ALL",
    ]);
  });

  test("NET-5: a flow log of another VPC does not count", async () => {
    const world = [...network(), { type: VPC, name: "other", props: vpc }, log(flowLog, "other")];
    expect(await violations(flowLogs, world)).toEqual([
      "mandatory: VPC vpc has no flow log with trafficType ALL",
    ]);
  });

  test("NET-5: missing endpoints are listed by service; another VPC's endpoints do not count", async () => {
    expect(await violations(endpoints, network(...allEndpoints.slice(0, 2)))).toEqual([
      "mandatory: VPC vpc has no endpoint for ecr.dkr, secretsmanager, logs",
    ]);
    const elsewhere = allEndpoints.map((e) => ({ ...e, refs: { vpcId: ["other"] } }));
    expect(
      await violations(endpoints, [...network(), { type: VPC, name: "other", props: vpc }, ...elsewhere]),
    ).toEqual(["mandatory: VPC vpc has no endpoint for s3, ecr.api, ecr.dkr, secretsmanager, logs"]);
  });

  test("NET-5: policy config services sets which endpoints are required", async () => {
    const s3Only = { "ec2-vpc-require-endpoints": { services: ["s3"] } };
    expect(await violations(endpoints, network(endpoint("s3", "Gateway")), s3Only)).toEqual([]);
    expect(await violations(endpoints, network(), s3Only)).toEqual([
      "mandatory: VPC vpc has no endpoint for s3",
    ]);
  });
});
