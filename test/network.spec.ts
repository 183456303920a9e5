/** NET-1..NET-6 on the recorded resources of the shipped stacks. */
import { ResourceRecord } from "../synth/engine";
import type { ServiceSettings } from "../infra/config";
import { mailPorts } from "../infra/services";
import { T, byId, ofType, one, synthStack } from "./harness";

function tierOfSg(records: readonly ResourceRecord[], id: unknown): string {
  return byId(records, id).name.replace(/^psi-\w+-network-/, "");
}

/** Every SG rule as `tier direction port peer`, peers as tiers or CIDRs. */
function describeRules(records: readonly ResourceRecord[]): string[] {
  const rules = [
    ...ofType(records, T.ingress).map((r) => ["in", r] as const),
    ...ofType(records, T.egress).map((r) => ["out", r] as const),
  ];
  return rules
    .map(([dir, r]) => {
      const i = r.inputs;
      expect(i.ipProtocol).toBe("tcp");
      expect(i.fromPort).toBe(i.toPort);
      const peer = i.cidrIpv4 ?? tierOfSg(records, i.referencedSecurityGroupId);
      return `${tierOfSg(records, i.securityGroupId)} ${dir} ${String(i.fromPort)} ${String(peer)}`;
    })
    .sort();
}

const NET3_RULES = [
  "app in 8000 loadBalancer",
  "app out 27017 data",
  "app out 443 0.0.0.0/0",
  "app out 5432 data",
  "app out 6379 data",
  "data in 27017 app",
  "data in 5432 app",
  "data in 6379 app",
  "endpoints in 443 app",
  "loadBalancer in 443 0.0.0.0/0",
  "loadBalancer in 80 0.0.0.0/0",
  "loadBalancer out 8000 app",
].sort();

describe.each([
  { stack: "prod", azs: 3, nats: 3, cidr: "10.0.0.0/16" },
  { stack: "staging", azs: 2, nats: 1, cidr: "10.1.0.0/16" },
])("$stack network", ({ stack, azs, nats, cidr }) => {
  let records: ResourceRecord[];
  beforeAll(async () => {
    records = (await synthStack(stack)).records;
  });

  test(`NET-1: one VPC ${cidr} with DNS support for private endpoints`, () => {
    const vpc = one(records, T.vpc);
    expect(vpc.inputs).toMatchObject({ cidrBlock: cidr, enableDnsSupport: true, enableDnsHostnames: true });
  });

  test(`NET-1: a public, an app and a data subnet in each of ${azs} distinct AZs`, () => {
    const subnets = ofType(records, T.subnet);
    expect(subnets).toHaveLength(3 * azs);
    for (const tier of ["public", "app", "data"]) {
      const tierSubnets = subnets.filter(
        (s) => (s.inputs.tags as Record<string, string>)["platform/tier"] === tier,
      );
      expect(tierSubnets).toHaveLength(azs);
      expect(new Set(tierSubnets.map((s) => s.inputs.availabilityZone)).size).toBe(azs);
    }
    expect(new Set(subnets.map((s) => s.inputs.cidrBlock)).size).toBe(3 * azs);
  });

  test("NET-4: no subnet hands out public IPs on launch", () => {
    for (const s of ofType(records, T.subnet)) expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
  });

  test(`NET-2: ${nats} NAT gateway(s), each with its own Elastic IP in a public subnet`, () => {
    const natGateways = ofType(records, T.nat);
    expect(natGateways).toHaveLength(nats);
    expect(ofType(records, T.eip)).toHaveLength(nats);
    for (const nat of natGateways) {
      const subnet = byId(records, nat.inputs.subnetId);
      expect((subnet.inputs.tags as Record<string, string>)["platform/tier"]).toBe("public");
    }
  });

  test("NET-2/NET-4: app subnets route out through a NAT; data subnets have no route out", () => {
    const routes = ofType(records, T.route);
    const viaNat = routes.filter((r) => r.inputs.natGatewayId !== undefined);
    expect(viaNat).toHaveLength(azs);
    expect(new Set(viaNat.map((r) => r.inputs.natGatewayId)).size).toBe(nats);
    expect(routes.filter((r) => r.inputs.gatewayId !== undefined)).toHaveLength(1);
    const dataRt = records.find((r) => r.type === T.routeTable && r.name.endsWith("-data-rt"))!;
    expect(routes.filter((r) => r.inputs.routeTableId === dataRt.id)).toHaveLength(0);
    const dataAssocs = ofType(records, T.rtAssoc).filter((a) => a.inputs.routeTableId === dataRt.id);
    expect(dataAssocs).toHaveLength(azs);
  });

  test("NET-3: the security-group rules are exactly the runbook's tiers, nothing wider", () => {
    // The Network's own groups; the EKS cluster's two (K8S-1) are test/kubernetes/cluster.spec.ts's.
    const network = records.filter((r) => r.urn.includes("platform:network:Network$"));
    expect(ofType(network, T.sg)).toHaveLength(4);
    expect(
      ofType(records, T.sg).every((sg) => sg.inputs.ingress === undefined && sg.inputs.egress === undefined),
    ).toBe(true);
    expect(describeRules(network)).toEqual(NET3_RULES);
  });

  test("NET-3: the data tier has no egress rule at all", () => {
    const dataSg = records.find((r) => r.type === T.sg && r.name.endsWith("-data"))!;
    expect(ofType(records, T.egress).filter((r) => r.inputs.securityGroupId === dataSg.id)).toHaveLength(0);
  });

  test("NET-3: the VPC's default security group is stripped of every rule", () => {
    const sg = one(records, T.defaultSg);
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toBeUndefined();
  });

  test("NET-6: no security-group rule opens port 22", () => {
    for (const r of [...ofType(records, T.ingress), ...ofType(records, T.egress)]) {
      expect(Number(r.inputs.fromPort) <= 22 && Number(r.inputs.toPort) >= 22).toBe(false);
    }
  });

  test("NET-5: every flow of the VPC is logged to a KMS-encrypted log group by a role scoped to it", () => {
    const flowLog = one(records, T.flowLog);
    const group = ofType(records, T.logGroup).find((g) => g.name.endsWith("-flow-logs"))!;
    expect(flowLog.inputs).toMatchObject({
      vpcId: one(records, T.vpc).id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      maxAggregationInterval: 60,
    });
    expect(flowLog.inputs.logDestination).toMatch(/^arn:aws:logs:us-east-1:123456789012:log-group:/);
    const logsKey = ofType(records, T.kmsKey).find((k) => k.name === `psi-${stack}-logs-key`)!;
    expect(group.inputs.kmsKeyId).toBe(`arn:aws:kms:us-east-1:123456789012:key/${logsKey.id}`);
    expect(group.inputs.retentionInDays).toBe(stack === "prod" ? 365 : 30);
    const rolePolicy = ofType(records, T.rolePolicy).find((p) => p.name.endsWith("-network-flow-logs"))!;
    const policy = JSON.parse(String(rolePolicy.inputs.policy));
    // AWS's documented minimum for flow-log delivery, each action held as narrowly as it allows.
    expect(policy.Statement).toEqual([
      {
        Sid: "WriteThisGroup",
        Effect: "Allow",
        Action: [
          "logs:CreateLogGroup",
          "logs:CreateLogStream",
          "logs:PutLogEvents",
          "logs:DescribeLogStreams",
        ],
        Resource: [flowLog.inputs.logDestination, `${String(flowLog.inputs.logDestination)}:*`],
      },
      {
        Sid: "FindTheGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: "arn:aws:logs:us-east-1:123456789012:log-group:*",
      },
    ]);
  });

  test("NET-5: an S3 gateway endpoint on the app and data route tables, and ECR, Secrets Manager and Logs interface endpoints", () => {
    const endpoints = ofType(records, T.endpoint);
    const services = endpoints.map((e) => String(e.inputs.serviceName)).sort();
    expect(services).toEqual(
      ["ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager"].map((s) => `com.amazonaws.us-east-1.${s}`),
    );
    const s3 = endpoints.find((e) => e.inputs.vpcEndpointType === "Gateway")!;
    expect(s3.inputs.routeTableIds).toHaveLength(azs + 1);
    const endpointSg = records.find((r) => r.type === T.sg && r.name.endsWith("-endpoints"))!;
    for (const e of endpoints.filter((x) => x.inputs.vpcEndpointType === "Interface")) {
      expect(e.inputs).toMatchObject({ privateDnsEnabled: true, securityGroupIds: [endpointSg.id] });
      expect(e.inputs.subnetIds).toHaveLength(azs);
    }
  });
});

describe("NET-3: SMTP out to the internet only where a service sends mail", () => {
  /** The app tier's rules to the internet, as `port description`. */
  const appInternetEgress = (records: readonly ResourceRecord[]) =>
    ofType(records, T.egress)
      .filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")
      .map(
        (r) =>
          `${r.name} ${String(r.inputs.fromPort)}-${String(r.inputs.toPort)} ${String(r.inputs.description)}`,
      )
      .sort();

  test("NET-3: myhibachi-prod's api sets SMTP_HOST smtp.gmail.com and SMTP_PORT 587, so its app tier gets TCP 587 out", async () => {
    const { records } = await synthStack("myhibachi-prod");
    expect(appInternetEgress(records)).toEqual([
      "myhibachi-prod-network-app-egress-443-anywhere 443-443 HTTPS to external APIs and AWS endpoints",
      "myhibachi-prod-network-app-egress-587-anywhere 587-587 SMTP mail submission (a service's SMTP_PORT)",
    ]);
  });

  test.each(["prod", "staging", "prod-dr"])(
    "NET-3: %s's services configure no SMTP, so its app tier reaches the internet on 443 alone",
    async (stack) => {
      const { records } = await synthStack(stack);
      expect(appInternetEgress(records).map((r) => r.split(" ")[1])).toEqual(["443-443"]);
    },
  );

  test("NET-3: mailPorts takes the SMTP_PORT of each service that sets SMTP_HOST too, once each, sorted", () => {
    const svc = (env: Record<string, string>) => ({ env }) as unknown as ServiceSettings;
    expect(
      mailPorts({
        services: {
          a: svc({ SMTP_HOST: "smtp.gmail.com", SMTP_PORT: "587" }),
          b: svc({ SMTP_HOST: "smtp.example.com", SMTP_PORT: "465" }),
          c: svc({ SMTP_HOST: "smtp.gmail.com", SMTP_PORT: "587" }),
          d: svc({ SMTP_PORT: "2525" }), // no host: sends no mail
          e: svc({}),
        },
      }),
    ).toEqual([465, 587]);
  });
});
