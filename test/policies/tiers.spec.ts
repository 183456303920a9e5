/** ec2-securitygroup-require-tier-table: NET-3 as one table (NET-3, NET-4, NET-6), on recorded stacks and edge cases. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { tierRules } from "../../components/network/securityTiers";
import { EKS_TIER_TAGS, clusterRules } from "../../components/kubernetes/clusterSecurity";
import { eksTable, tierTable } from "../../policies/lib/securityTiers";
import publicEgressRule from "../../policies/rules/ec2/ec2-securitygroup-limit-public-egress";
import tierTableRule from "../../policies/rules/ec2/ec2-securitygroup-require-tier-table";
import type { Finding, PolicyInput } from "../../synth/policy";
import { FakeResource, SHIPPED_STACKS, T, synthStack, violations } from "../harness";
import { editDependencies, editOutputs, findings, mandatory, record } from "./recorded";

const rule = tierTableRule;
const TAG = "platform/tier";

describe("NET-3: the pack's table is the component's", () => {
  test.each([
    [8000, [5432, 27017, 6379], []],
    [8080, [5432], []],
    [8000, [5432, 6379], [587]],
  ])(
    "NET-3: policies/lib tierTable(%p, %p, %p) equals components/network tierRules() row for row",
    (appPort, dataPorts, mailPorts) => {
      const component = tierRules(appPort, dataPorts, mailPorts).map(({ tier, direction, port, peer }) => ({
        tier,
        direction,
        port,
        peer,
      }));
      expect(tierTable(appPort, dataPorts, mailPorts)).toEqual(component);
    },
  );

  test("K8S-1: policies/lib eksTable() equals components/kubernetes clusterRules() row for row", () => {
    const component = clusterRules().map((r) => ({
      tier: EKS_TIER_TAGS[r.group],
      direction: r.direction,
      port: r.fromPort,
      toPort: r.toPort,
      protocol: r.protocol,
      peer: { tier: EKS_TIER_TAGS[r.peer] },
    }));
    expect(eksTable()).toEqual(component);
  });

  test("NET-3: the rule's config defaults are the runbook's ports", () => {
    expect(rule.config?.appPort.default).toBe(8000);
    expect(rule.config?.dataPorts.default).toEqual([5432, 27017, 6379]);
  });
});

describe("NET-3: SMTP 587 out is a row of the table only where the stack's pack config names it", () => {
  test("NET-3: myhibachi-prod's app-tier TCP 587 to the internet passes with its mailPorts [587] and fails under prod's config", async () => {
    const mh = await synthStack("myhibachi-prod");
    expect(await findings(rule, mh, "myhibachi-prod")).toEqual([]);
    const egress587 = record(mh, T.egress, "myhibachi-prod-network-app-egress-587-anywhere");
    expect(await findings(rule, mh, "prod")).toEqual([
      mandatory(
        rule,
        egress587.urn,
        "myhibachi-prod-network-app (app): egress tcp 587 to 0.0.0.0/0 is not in the NET-3 table, which allows app egress only TCP 5432, 27017, 6379 to data; TCP 443 to 0.0.0.0/0",
      ),
    ]);
    expect(
      await findings(publicEgressRule, mh, "prod").then((f) =>
        f.map((x) => `${x.urn === egress587.urn}: ${x.message}`),
      ),
    ).toEqual(["true: egress tcp 587-587 to 0.0.0.0/0: traffic may leave for anywhere only on TCP 443"]);
    expect(await findings(publicEgressRule, mh, "myhibachi-prod")).toEqual([]);
  });

  test("NET-3: tierTable with mailPorts [587] adds exactly the app tier's 587 to the internet", () => {
    expect(
      tierTable(8000, [5432], [587]).filter(
        (r) => !tierTable(8000, [5432]).some((x) => JSON.stringify(x) === JSON.stringify(r)),
      ),
    ).toEqual([{ tier: "app", direction: "egress", port: 587, peer: { cidr: "0.0.0.0/0" } }]);
    expect(rule.config?.mailPorts.default).toEqual([]);
  });
});

describe.each(SHIPPED_STACKS)("%s as recorded", (stack) => {
  test(`NET-3/NET-4/NET-6: ${stack}'s security groups and their rules are exactly the table`, async () => {
    expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
  });
});

/** The recorded prod network: groups and rules by their logical names. */
async function prodNetwork() {
  const prod = await synthStack("prod");
  const group = (tier: string) => record(prod, T.sg, `psi-prod-network-${tier}`);
  const ingress = (name: string) => record(prod, T.ingress, `psi-prod-network-${name}`);
  const egress = (name: string) => record(prod, T.egress, `psi-prod-network-${name}`);
  const idOf = (tier: string) => group(tier).id!;
  return { prod, group, ingress, egress, idOf };
}

const sameFindings = (found: Finding[], expected: Finding[]) => {
  expect(found).toHaveLength(expected.length);
  expect(found).toEqual(expect.arrayContaining(expected));
};

describe("ec2-securitygroup-require-tier-table on mutated copies of prod's real rules", () => {
  const dataAllows = "which allows data ingress only TCP 5432, 27017, 6379 from app";

  test("NET-3/NET-4: the data tier's 5432 rule from a private CIDR (10.0.0.0/8) instead of the app group fails", async () => {
    const { prod, ingress } = await prodNetwork();
    const r = ingress("data-ingress-5432-app");
    let ev: PolicyInput = editOutputs(prod, r.urn, (p) => {
      delete p.referencedSecurityGroupId;
      p.cidrIpv4 = "10.0.0.0/8";
    });
    ev = editDependencies(ev, r.urn, "referencedSecurityGroupId", []);
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        `psi-prod-network-data (data): ingress tcp 5432 from 10.0.0.0/8 is not in the NET-3 table, ${dataAllows}`,
      ),
    ]);
  });

  test("NET-3/NET-6: app group -> data group on tcp 22-65535 (a range, SSH included) fails", async () => {
    const { prod, ingress } = await prodNetwork();
    const r = ingress("data-ingress-5432-app");
    const ev = editOutputs(prod, r.urn, (p) => ({ ...p, fromPort: 22, toPort: 65535 }));
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        `psi-prod-network-data (data): ingress tcp 22-65535 from app group psi-prod-network-app is not in the NET-3 table, ${dataAllows}`,
      ),
    ]);
  });

  test("NET-3: app group -> data group on udp 5432 (the right port, the wrong protocol) fails", async () => {
    const { prod, ingress } = await prodNetwork();
    const r = ingress("data-ingress-5432-app");
    const ev = editOutputs(prod, r.urn, (p) => ({ ...p, ipProtocol: "udp" }));
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        `psi-prod-network-data (data): ingress udp 5432 from app group psi-prod-network-app is not in the NET-3 table, ${dataAllows}`,
      ),
    ]);
  });

  test("NET-3: the data tier's 5432 rule from the load balancer's group (the wrong peer) fails", async () => {
    const { prod, group, ingress, idOf } = await prodNetwork();
    const r = ingress("data-ingress-5432-app");
    let ev = editOutputs(prod, r.urn, (p) => ({ ...p, referencedSecurityGroupId: idOf("loadBalancer") }));
    ev = editDependencies(ev, r.urn, "referencedSecurityGroupId", [group("loadBalancer").urn]);
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        `psi-prod-network-data (data): ingress tcp 5432 from loadBalancer group psi-prod-network-loadBalancer is not in the NET-3 table, ${dataAllows}`,
      ),
    ]);
  });

  test("NET-3/NET-4: the app tier's HTTPS egress moved onto the data group (data egress) fails", async () => {
    const { prod, group, egress, idOf } = await prodNetwork();
    const r = egress("app-egress-443-anywhere");
    let ev = editOutputs(prod, r.urn, (p) => ({ ...p, securityGroupId: idOf("data") }));
    ev = editDependencies(ev, r.urn, "securityGroupId", [group("data").urn]);
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        "psi-prod-network-data (data): egress tcp 443 to 0.0.0.0/0 is not in the NET-3 table, which allows data no egress",
      ),
    ]);
  });

  test("NET-3: the app group without its tier tag fails, and so does every rule that names it as a peer", async () => {
    const { prod, group, ingress, egress } = await prodNetwork();
    const app = group("app");
    const ev = editOutputs(prod, app.urn, (p) => {
      for (const key of ["tags", "tagsAll"]) delete (p[key] as Record<string, string>)[TAG];
    });
    const untiered = (name: string, urn: string, what: string, allows: string) =>
      mandatory(
        rule,
        urn,
        `${name}: ${what} untiered group psi-prod-network-app is not in the NET-3 table, which allows ${allows}`,
      );
    sameFindings(await findings(rule, ev), [
      mandatory(
        rule,
        app.urn,
        "security group psi-prod-network-app has 5 rule(s) but no platform/tier tag: tag it loadBalancer, app, data, endpoints, eksControlPlane, eksNode so its rules can be checked against NET-3",
      ),
      untiered(
        "psi-prod-network-loadBalancer (loadBalancer)",
        egress("loadBalancer-egress-8000-app").urn,
        "egress tcp 8000 to",
        "loadBalancer egress only TCP 8000 to app",
      ),
      ...[5432, 27017, 6379].map((port) =>
        untiered(
          "psi-prod-network-data (data)",
          ingress(`data-ingress-${port}-app`).urn,
          `ingress tcp ${port} from`,
          "data ingress only TCP 5432, 27017, 6379 from app",
        ),
      ),
      untiered(
        "psi-prod-network-endpoints (endpoints)",
        ingress("endpoints-ingress-443-app").urn,
        "ingress tcp 443 from",
        "endpoints ingress only TCP 443 from app",
      ),
    ]);
  });

  test("NET-3: the tag is not trusted alone: the data group tagged app fails, and its rules are still judged as data", async () => {
    const { prod, group } = await prodNetwork();
    const data = group("data");
    const ev = editOutputs(prod, data.urn, (p) => {
      for (const key of ["tags", "tagsAll"]) (p[key] as Record<string, string>)[TAG] = "app";
    });
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        data.urn,
        "security group psi-prod-network-data is tagged platform/tier=app but is used by DocumentDB cluster psi-prod-docdb-cluster, ElastiCache replication group psi-prod-redis-group, RDS instance psi-prod-postgres-db: tag it data; its rules are judged as data",
      ),
    ]);
  });

  test("NET-3/NET-5: the endpoints group tagged data fails: an interface endpoint's group is the endpoints tier", async () => {
    const { prod, group } = await prodNetwork();
    const endpoints = group("endpoints");
    const ev = editOutputs(prod, endpoints.urn, (p) => {
      for (const key of ["tags", "tagsAll"]) (p[key] as Record<string, string>)[TAG] = "data";
    });
    const users = ["ecr-api", "ecr-dkr", "logs", "secretsmanager"]
      .map((s) => `VPC endpoint psi-prod-network-${s}`)
      .join(", ");
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        endpoints.urn,
        `security group psi-prod-network-endpoints is tagged platform/tier=data but is used by ${users}: tag it endpoints; its rules are judged as endpoints`,
      ),
    ]);
  });
});

/* ---------- edge cases on hand-made resources ---------- */

const SG = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const RDS = "aws:rds/instance:Instance";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** A group as the engine reports it: its args plus the ARN that carries its id. */
const group = (
  name: string,
  tier: string | undefined,
  args: Unwrap<aws.ec2.SecurityGroupArgs>,
): FakeResource => ({
  type: SG,
  name,
  props: {
    ...args,
    tags: tier ? { [TAG]: tier } : {},
    arn: `arn:aws:ec2:us-east-1:123456789012:security-group/sg-${name}`,
  },
});
const tcp = (port: number) => ({ protocol: "tcp", fromPort: port, toPort: port });

/** NET-3's four groups with every rule inline, IPv6 ::/0 beside 0.0.0.0/0 on the load balancer. */
const lbSg: Unwrap<aws.ec2.SecurityGroupArgs> = {
  ingress: [443, 80].map((p) => ({ ...tcp(p), cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] })),
  egress: [{ ...tcp(8000), securityGroups: ["sg-app"] }],
};
const appSg: Unwrap<aws.ec2.SecurityGroupArgs> = {
  ingress: [{ ...tcp(8000), securityGroups: ["sg-lb"] }],
  egress: [
    ...[5432, 27017, 6379].map((p) => ({ ...tcp(p), securityGroups: ["sg-data"] })),
    { ...tcp(443), cidrBlocks: ["0.0.0.0/0"] },
  ],
};
const dataSg: Unwrap<aws.ec2.SecurityGroupArgs> = {
  ingress: [5432, 27017, 6379].map((p) => ({ ...tcp(p), securityGroups: ["sg-app"] })),
};
const endpointsSg: Unwrap<aws.ec2.SecurityGroupArgs> = {
  ingress: [{ ...tcp(443), securityGroups: ["sg-app"] }],
};
const inline = [
  group("lb", "loadBalancer", lbSg),
  group("app", "app", appSg),
  group("data", "data", dataSg),
  group("endpoints", "endpoints", endpointsSg),
];
const withGroup = (name: string, args: Unwrap<aws.ec2.SecurityGroupArgs>, tier = name) =>
  inline.map((g) => (g.name === name ? group(name, tier, args) : g));

describe("ec2-securitygroup-require-tier-table on mutated copies of prod's real EKS rules (K8S-1)", () => {
  const eksRule = async (name: string) => {
    const prod = await synthStack("prod");
    return { prod, r: record(prod, name.includes("ingress") ? T.ingress : T.egress, `psi-prod-eks-${name}`) };
  };

  test("K8S-1/NET-6: node-to-node widened from 1025-65535 to 0-65535 (SSH included) fails", async () => {
    const { prod, r } = await eksRule("node-ingress-tcp-1025-65535-node");
    const ev = editOutputs(prod, r.urn, (p) => ({ ...p, fromPort: 0 }));
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        "psi-prod-eks-node (eksNode): ingress tcp 0-65535 from eksNode group psi-prod-eks-node is not in the NET-3 table, which allows eksNode ingress only TCP 10250, 443, 8443, 10251 from eksControlPlane; UDP 53, TCP 53, 1025-65535 from eksNode",
      ),
    ]);
  });

  test("K8S-1: DNS over UDP from the control plane instead of the nodes fails (the right port, the wrong peer)", async () => {
    const { prod, r } = await eksRule("node-ingress-udp-53-node");
    const cluster = record(prod, T.sg, "psi-prod-eks-cluster");
    let ev = editOutputs(prod, r.urn, (p) => ({ ...p, referencedSecurityGroupId: cluster.id }));
    ev = editDependencies(ev, r.urn, "referencedSecurityGroupId", [cluster.urn]);
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        "psi-prod-eks-node (eksNode): ingress udp 53 from eksControlPlane group psi-prod-eks-cluster is not in the NET-3 table, which allows eksNode ingress only TCP 10250, 443, 8443, 10251 from eksControlPlane; UDP 53, TCP 53, 1025-65535 from eksNode",
      ),
    ]);
  });
});

describe("ec2-securitygroup-require-tier-table on prod's private-endpoint rule (K8S-1)", () => {
  const NAME = "psi-prod-eks-cluster-ingress-tcp-443-10-0-0-0-17";
  const apiAllows =
    "which allows eksControlPlane ingress only TCP 443 from eksNode; TCP 443 from private networks (RFC 1918); TCP 443 from groups outside the stack";
  const apiRule = async () => {
    const prod = await synthStack("prod");
    return { prod, r: record(prod, T.ingress, NAME) };
  };

  test("K8S-1: the control plane admitting the app subnets (RFC 1918) on 443 passes", async () => {
    const { prod, r } = await apiRule();
    expect(r.inputs.cidrIpv4).toBe("10.0.0.0/17");
    expect((await findings(rule, prod)).filter((f) => f.urn === r.urn)).toEqual([]);
  });

  test("K8S-1: the control plane admitting a group outside the stack (a CI runner's) on 443 passes", async () => {
    const { prod, r } = await apiRule();
    const ev = editOutputs(prod, r.urn, (p) => {
      const rest = { ...p };
      delete rest.cidrIpv4;
      return { ...rest, referencedSecurityGroupId: "sg-0123456789abcdef0" };
    });
    expect(await findings(rule, ev)).toEqual([]);
  });

  test("K8S-1/NET-4: the same rule from a public range (203.0.113.0/24) fails: public access is the endpoint's, not a group's", async () => {
    const { prod, r } = await apiRule();
    const ev = editOutputs(prod, r.urn, (p) => ({ ...p, cidrIpv4: "203.0.113.0/24" }));
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        `psi-prod-eks-cluster (eksControlPlane): ingress tcp 443 from 203.0.113.0/24 is not in the NET-3 table, ${apiAllows}`,
      ),
    ]);
  });

  test("K8S-1: the app subnets on another port of the control plane (10250) fail: only the API's 443 is theirs", async () => {
    const { prod, r } = await apiRule();
    const ev = editOutputs(prod, r.urn, (p) => ({ ...p, fromPort: 10250, toPort: 10250 }));
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        r.urn,
        `psi-prod-eks-cluster (eksControlPlane): ingress tcp 10250 from 10.0.0.0/17 is not in the NET-3 table, ${apiAllows}`,
      ),
    ]);
  });
});

describe("ec2-securitygroup-require-tier-table edge cases", () => {
  test("NET-3: the table declared inline on the four groups passes", async () => {
    expect(await violations(rule, inline)).toEqual([]);
  });

  test("NET-3: ec2 SecurityGroupRule resources are judged by the same table (sourceSecurityGroupId names the peer)", async () => {
    const classic = (name: string, props: Unwrap<aws.ec2.SecurityGroupRuleArgs>): FakeResource => ({
      type: SG_RULE,
      name,
      props,
      refs: { securityGroupId: ["data"], sourceSecurityGroupId: ["app"] },
    });
    const base: Unwrap<aws.ec2.SecurityGroupRuleArgs> = {
      type: "ingress",
      securityGroupId: "sg-data",
      sourceSecurityGroupId: "sg-app",
      ...tcp(5432),
    };
    const world = [...withGroup("data", {}), classic("pg", base), classic("wide", { ...base, toPort: 5433 })];
    expect(await violations(rule, world)).toEqual([
      "mandatory: data (data): ingress tcp 5432-5433 from app group app is not in the NET-3 table, which allows data ingress only TCP 5432, 27017, 6379 from app",
    ]);
  });

  test("NET-3/NET-4: CIDR peers, all traffic, prefix lists and self are not rows of the table", async () => {
    const odd = withGroup("data", {
      ingress: [
        { ...tcp(5432), cidrBlocks: ["10.0.0.0/16"], securityGroups: ["sg-app"] },
        { ...tcp(6379), self: true },
        { ...tcp(27017), prefixListIds: ["pl-123"] },
      ],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    const allows = "which allows data ingress only TCP 5432, 27017, 6379 from app";
    expect(await violations(rule, odd)).toEqual([
      `mandatory: data (data): ingress tcp 5432 from 10.0.0.0/16 is not in the NET-3 table, ${allows}`,
      `mandatory: data (data): ingress tcp 6379 from data group data is not in the NET-3 table, ${allows}`,
      `mandatory: data (data): ingress tcp 27017 from prefix list pl-123 is not in the NET-3 table, ${allows}`,
      "mandatory: data (data): egress all traffic to 0.0.0.0/0 is not in the NET-3 table, which allows data no egress",
    ]);
  });

  test("NET-6: SSH between app instances is no row of the table", async () => {
    const ssh = withGroup("app", { ...appSg, ingress: [...appSg.ingress!, { ...tcp(22), self: true }] });
    expect(await violations(rule, ssh)).toEqual([
      "mandatory: app (app): ingress tcp 22 from app group app is not in the NET-3 table, which allows app ingress only TCP 8000 from loadBalancer",
    ]);
  });

  test("NET-3: a rule on a group the stack does not declare, or on the VPC's default group, fails", async () => {
    const external: Unwrap<aws.vpc.SecurityGroupIngressRuleArgs> = {
      securityGroupId: "sg-0123456789abcdef0",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    };
    const defaultSg: Unwrap<aws.ec2.DefaultSecurityGroupArgs> = {
      vpcId: "vpc-1",
      ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
    };
    expect(
      await violations(rule, [
        ...inline,
        { type: INGRESS, name: "external", props: external },
        { type: DEFAULT_SG, name: "default", props: defaultSg },
      ]),
    ).toEqual([
      "mandatory: ingress all traffic is on the VPC's default security group default: nothing in NET-3 uses it, so it must have no rules",
      "mandatory: ingress tcp 443 is on security group sg-0123456789abcdef0, which this stack does not declare: its NET-3 tier cannot be checked",
    ]);
  });

  test("NET-3: a tag naming no tier, and one group serving a data store and an endpoint, fail", async () => {
    const https = { ingress: [{ ...tcp(443), cidrBlocks: ["0.0.0.0/0"] }] };
    const shared: FakeResource[] = [
      group("shared", "data", { ingress: [{ ...tcp(5432), securityGroups: ["sg-app"] }] }),
      {
        type: RDS,
        name: "postgres",
        props: { instanceClass: "db.m7g.large" },
        refs: { vpcSecurityGroupIds: ["shared"] },
      },
      {
        type: ENDPOINT,
        name: "logs",
        props: { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.logs" },
        refs: { securityGroupIds: ["shared"] },
      },
    ];
    expect(await violations(rule, [group("odd", "public", https), ...shared])).toEqual([
      "mandatory: security group odd is tagged platform/tier=public, which is no NET-3 tier (loadBalancer, app, data, endpoints, eksControlPlane, eksNode): its 1 rule(s) cannot be checked",
      "mandatory: security group shared is used as data by RDS instance postgres and as endpoints by VPC endpoint logs: give each tier its own group",
    ]);
  });

  test("NET-3: policy config appPort moves the app tier's row (8000 then fails)", async () => {
    const config = { "ec2-securitygroup-require-tier-table": { appPort: 8080 } };
    expect(await violations(rule, inline, config)).toEqual([
      "mandatory: app (app): ingress tcp 8000 from loadBalancer group lb is not in the NET-3 table, which allows app ingress only TCP 8080 from loadBalancer",
      "mandatory: lb (loadBalancer): egress tcp 8000 to app group app is not in the NET-3 table, which allows loadBalancer egress only TCP 8080 to app",
    ]);
  });
});
