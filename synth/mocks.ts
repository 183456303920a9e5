/**
 * The mock cloud behind the offline synth: realistic, deterministic ids and
 * ARNs (account, region, resource type) for what the program declares, and
 * answers to the invokes it makes. An invoke without an answer here fails the
 * run loudly rather than returning something made up.
 */
import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";
/** The SDK's marker of a secret value (pulumi.runtime.specialSigKey / specialSecretSig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const MOCK_PARTITION = "aws";

type State = Record<string, unknown>;
interface Ctx {
  readonly name: string;
  readonly inputs: State;
  readonly region: string;
  readonly account: string;
  /** Deterministic hex digest of the resource's type and name. */
  hex(length: number): string;
}
interface Spec {
  /** The input AWS names the resource by; filled like Pulumi's auto-naming when absent. */
  readonly nameField?: string;
  readonly lowerCaseName?: boolean;
  /** AWS's name length limit: an auto-name that would exceed it fails, as Pulumi's auto-naming does. */
  readonly maxLength?: number;
  readonly id: (c: Ctx, physical: string) => string;
  readonly extra?: (c: Ctx, id: string, physical: string) => State;
}

const arn = (c: Ctx, service: string, rest: string, region = c.region, account = c.account) =>
  `arn:${MOCK_PARTITION}:${service}:${region}:${account}:${rest}`;
/** Deterministic hex digest of any text (for values keyed by an input, not by the resource). */
const digest = (text: string, length: number) =>
  createHash("sha256").update(text).digest("hex").slice(0, length);
const str = (v: unknown) => (typeof v === "string" ? v : "");
/** An input as the provider sees it: secret inputs reach the mock in the SDK's secret envelope. */
const plain = (v: unknown): unknown =>
  typeof v === "object" && v !== null && (v as State)[SIG_KEY] === SECRET_SIG ? (v as State).value : v;

/** The canonical hosted zone id of Application Load Balancers per Region (ELB endpoints and quotas). */
const ALB_ZONE_IDS: Readonly<Record<string, string>> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
  "ca-central-1": "ZQSVJUPU6J1EY",
  "eu-central-1": "Z215JYRZR1TBD5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-west-2": "ZHURV8PSTC4K8",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
};

/** The Elastic Load Balancing account per Region opened before August 2022 (ALB access log writer). */
const ELB_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "ap-southeast-2": "783225319266",
};

/** WAF capacity units (WCU) AWS documents for the rule groups and statements the program uses. */
const WAF_CAPACITY: Readonly<Record<string, number>> = {
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  rateBasedStatement: 2,
};

function wafCapacity(rules: unknown): number {
  return (Array.isArray(rules) ? rules : []).reduce<number>((sum, rule) => {
    const statement = ((rule as State).statement ?? {}) as State;
    const managed = statement.managedRuleGroupStatement as State | undefined;
    if (managed) return sum + (WAF_CAPACITY[str(managed.name)] ?? 0);
    return sum + (statement.rateBasedStatement ? WAF_CAPACITY.rateBasedStatement : 1);
  }, 0);
}

/** ACM's DNS validation record for one domain: a CNAME under the domain pointing into acm-validations.aws. */
function acmValidation(domain: string) {
  const letters = digest(`acm-target:${domain}`, 10).replace(/[0-9]/g, (d) => "ghijklmnop"[Number(d)]);
  return {
    domainName: domain,
    resourceRecordName: `_${digest(`acm-name:${domain}`, 32)}.${domain}.`,
    resourceRecordType: "CNAME",
    resourceRecordValue: `_${digest(`acm-value:${domain}`, 32)}.${letters}.acm-validations.aws.`,
  };
}

const uuid = (c: Ctx) => {
  const h = c.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

function ec2(prefix: string, kind: string): Spec {
  return {
    id: (c) => `${prefix}-${c.hex(17)}`,
    extra: (c, id) => ({ arn: arn(c, "ec2", `${kind}/${id}`), ownerId: c.account }),
  };
}

const named = (service: string, kind: (id: string) => string, nameField = "name"): Spec => ({
  nameField,
  id: (_c, physical) => physical,
  extra: (c, id) => ({ arn: arn(c, service, kind(id)) }),
});

const SPECS: Record<string, Spec> = {
  "aws:ec2/vpc:Vpc": {
    id: (c) => `vpc-${c.hex(17)}`,
    extra: (c, id) => ({
      arn: arn(c, "ec2", `vpc/${id}`),
      defaultSecurityGroupId: `sg-${c.hex(17)}`,
      mainRouteTableId: `rtb-${c.hex(17)}`,
      defaultNetworkAclId: `acl-${c.hex(17)}`,
      ownerId: c.account,
    }),
  },
  "aws:ec2/subnet:Subnet": ec2("subnet", "subnet"),
  "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
  "aws:ec2/natGateway:NatGateway": ec2("nat", "natgateway"),
  "aws:ec2/eip:Eip": {
    id: (c) => `eipalloc-${c.hex(17)}`,
    extra: (c, id) => ({
      allocationId: id,
      publicIp: `3.${parseInt(c.hex(2), 16)}.${parseInt(c.hex(4).slice(2), 16)}.${parseInt(c.hex(6).slice(4), 16)}`,
      arn: arn(c, "ec2", `elastic-ip/${id}`),
    }),
  },
  "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
  "aws:ec2/route:Route": { id: (c) => `r-rtb-${c.hex(17)}1080289494` },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": { id: (c) => `rtbassoc-${c.hex(17)}` },
  "aws:ec2/securityGroup:SecurityGroup": { ...ec2("sg", "security-group"), nameField: "name" },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group"),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr", "security-group-rule"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("sgr", "security-group-rule"),
  "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint"),
  "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
  "aws:cloudwatch/logGroup:LogGroup": named("logs", (id) => `log-group:${id}`),
  "aws:cloudwatch/metricAlarm:MetricAlarm": named("cloudwatch", (id) => `alarm:${id}`),
  // ---- observability (SLO-2..7) ----
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": named("cloudwatch", (id) => `alarm:${id}`, "alarmName"),
  // Dashboards are global: no Region in the ARN.
  "aws:cloudwatch/dashboard:Dashboard": {
    nameField: "dashboardName",
    id: (_c, physical) => physical,
    extra: (c, id) => ({ dashboardArn: `arn:${MOCK_PARTITION}:cloudwatch::${c.account}:dashboard/${id}` }),
  },
  // Route 53 health checks are global and identified by a UUID.
  "aws:route53/healthCheck:HealthCheck": {
    id: (c) => uuid(c),
    extra: (_c, id) => ({ arn: `arn:${MOCK_PARTITION}:route53:::healthcheck/${id}` }),
  },
  "aws:sns/topicPolicy:TopicPolicy": { id: (c) => str(c.inputs.arn), extra: (c) => ({ owner: c.account }) },
  "aws:sns/topicSubscription:TopicSubscription": {
    id: (c) => `${str(c.inputs.topic)}:${uuid(c)}`,
    extra: (c, id) => ({
      arn: id,
      ownerId: c.account,
      // E-mail subscriptions wait for the recipient to confirm; an auto-confirming HTTPS endpoint does not.
      pendingConfirmation: c.inputs.protocol === "email",
      confirmationWasAuthenticated: c.inputs.protocol !== "email",
    }),
  },
  "aws:iam/role:Role": {
    nameField: "name",
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: `arn:${MOCK_PARTITION}:iam::${c.account}:role/${id}`,
      uniqueId: `AROA${c.hex(17).toUpperCase()}`,
    }),
  },
  "aws:iam/policy:Policy": {
    nameField: "name",
    id: (c, physical) => `arn:${MOCK_PARTITION}:iam::${c.account}:policy/${physical}`,
    extra: (_c, id) => ({ arn: id }),
  },
  "aws:iam/rolePolicy:RolePolicy": {
    nameField: "name",
    id: (c, physical) => `${String(c.inputs.role)}:${physical}`,
  },
  "aws:kms/key:Key": {
    id: (c) => uuid(c),
    extra: (c, id) => ({ arn: arn(c, "kms", `key/${id}`), keyId: id }),
  },
  "aws:kms/alias:Alias": {
    nameField: "name",
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: arn(c, "kms", id),
      targetKeyArn: arn(c, "kms", `key/${String(c.inputs.targetKeyId)}`),
    }),
  },
  "aws:s3/bucket:Bucket": {
    nameField: "bucket",
    lowerCaseName: true,
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: `arn:${MOCK_PARTITION}:s3:::${id}`,
      bucketDomainName: `${id}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${id}.s3.${c.region}.amazonaws.com`,
      region: c.region,
    }),
  },
  "aws:secretsmanager/secret:Secret": {
    nameField: "name",
    id: (c, physical) => arn(c, "secretsmanager", `secret:${physical}-${c.hex(6)}`),
    extra: (_c, id) => ({ arn: id }),
  },
  "aws:sns/topic:Topic": {
    nameField: "name",
    id: (c, physical) => arn(c, "sns", physical),
    extra: (_c, id) => ({ arn: id }),
  },
  "aws:rds/instance:Instance": {
    nameField: "identifier",
    lowerCaseName: true,
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: arn(c, "rds", `db:${id}`),
      address: `${id}.${c.hex(12)}.${c.region}.rds.amazonaws.com`,
      endpoint: `${id}.${c.hex(12)}.${c.region}.rds.amazonaws.com:5432`,
      port: 5432,
      resourceId: `db-${c.hex(26).toUpperCase()}`,
    }),
  },
  "aws:rds/parameterGroup:ParameterGroup": named("rds", (id) => `pg:${id}`),
  "aws:rds/subnetGroup:SubnetGroup": named("rds", (id) => `subgrp:${id}`),
  // SSM identifies a parameter by its name (DR-1: the pointers a primary publishes in its DR Region).
  "aws:ssm/parameter:Parameter": {
    nameField: "name",
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: arn(c, "ssm", `parameter${id.startsWith("/") ? "" : "/"}${id}`),
      version: 1,
      tier: c.inputs.tier ?? "Standard",
    }),
  },
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
    id: (c) => arn(c, "rds", `auto-backup:ab-${c.hex(26)}`),
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    id: (c) => `${String(c.inputs.role)}-${c.hex(20)}`,
  },
  "aws:secretsmanager/secretVersion:SecretVersion": {
    id: (c) => `${String(c.inputs.secretId)}|${uuid(c)}`,
    extra: (c) => ({ arn: c.inputs.secretId, versionId: uuid(c), versionStages: ["AWSCURRENT"] }),
  },
  "aws:docdb/cluster:Cluster": {
    nameField: "clusterIdentifier",
    lowerCaseName: true,
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: arn(c, "rds", `cluster:${id}`),
      endpoint: `${id}.cluster-${c.hex(12)}.${c.region}.docdb.amazonaws.com`,
      readerEndpoint: `${id}.cluster-ro-${c.hex(12)}.${c.region}.docdb.amazonaws.com`,
      port: 27017,
      clusterResourceId: `cluster-${c.hex(26).toUpperCase()}`,
      masterUserSecrets: c.inputs.manageMasterUserPassword
        ? [
            {
              secretArn: arn(c, "secretsmanager", `secret:rds!cluster-${uuid(c)}-${c.hex(6)}`),
              kmsKeyId: arn(c, "kms", `key/${uuid(c)}`),
              secretStatus: "active",
            },
          ]
        : [],
    }),
  },
  "aws:docdb/clusterInstance:ClusterInstance": {
    nameField: "identifier",
    lowerCaseName: true,
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: arn(c, "rds", `db:${id}`),
      endpoint: `${id}.${c.hex(12)}.${c.region}.docdb.amazonaws.com`,
      port: 27017,
    }),
  },
  "aws:docdb/clusterParameterGroup:ClusterParameterGroup": named("rds", (id) => `cluster-pg:${id}`),
  "aws:docdb/subnetGroup:SubnetGroup": named("rds", (id) => `subgrp:${id}`),
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    nameField: "replicationGroupId",
    lowerCaseName: true,
    id: (_c, physical) => physical,
    extra: (c, id) => {
      const host = (role: string) => `${role}.${id}.${c.hex(6)}.${c.region}.cache.amazonaws.com`;
      const clustered = c.inputs.clusterMode === "enabled";
      return {
        arn: arn(c, "elasticache", `replicationgroup:${id}`),
        port: 6379,
        ...(clustered
          ? { configurationEndpointAddress: host("clustercfg") }
          : { primaryEndpointAddress: host("master"), readerEndpointAddress: host("replica") }),
      };
    },
  },
  "aws:elasticache/parameterGroup:ParameterGroup": named("elasticache", (id) => `parametergroup:${id}`),
  "aws:elasticache/subnetGroup:SubnetGroup": named("elasticache", (id) => `subnetgroup:${id}`),
  "aws:backup/vault:Vault": named("backup", (id) => `backup-vault:${id}`),
  "aws:backup/plan:Plan": {
    nameField: "name",
    id: (c) => uuid(c),
    extra: (c, id) => ({ arn: arn(c, "backup", `backup-plan:${id}`), version: c.hex(32) }),
  },
  "aws:backup/selection:Selection": { nameField: "name", id: (c) => c.hex(36) },
  // One per account and Region: AWS identifies it by the Region.
  "aws:backup/regionSettings:RegionSettings": { id: (c) => c.region },
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": named("backup", (id) => `restore-testing-plan:${id}`),
  "aws:backup/restoreTestingSelection:RestoreTestingSelection": {
    nameField: "name",
    id: (c, physical) => `${physical}:${String(c.inputs.restoreTestingPlanName)}`,
  },
  // Bucket sub-resources are identified by their bucket.
  "aws:s3/bucketVersioning:BucketVersioning": { id: (c) => String(c.inputs.bucket) },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    id: (c) => String(c.inputs.bucket),
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { id: (c) => String(c.inputs.bucket) },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { id: (c) => String(c.inputs.bucket) },
  "aws:s3/bucketPolicy:BucketPolicy": { id: (c) => String(c.inputs.bucket) },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { id: (c) => String(c.inputs.bucket) },
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": { id: (c) => String(c.inputs.bucket) },
  "random:index/randomId:RandomId": {
    id: (c) => Buffer.from(c.hex(2 * Number(c.inputs.byteLength ?? 8)), "hex").toString("base64url"),
    extra: (c) => {
      const hex = c.hex(2 * Number(c.inputs.byteLength ?? 8));
      const bytes = Buffer.from(hex, "hex");
      return {
        hex,
        dec: BigInt(`0x${hex}`).toString(),
        b64Std: bytes.toString("base64"),
        b64Url: bytes.toString("base64url"),
      };
    },
  },
  // ---- compute (ECS-1..10) ----
  "aws:ecr/repository:Repository": {
    nameField: "name",
    lowerCaseName: true,
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: arn(c, "ecr", `repository/${id}`),
      registryId: c.account,
      repositoryUrl: `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${id}`,
    }),
  },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
    id: (c) => str(c.inputs.repository),
    extra: (c) => ({ registryId: c.account }),
  },
  // One per registry: AWS identifies it by the registry (the account).
  "aws:ecr/replicationConfiguration:ReplicationConfiguration": {
    id: (c) => c.account,
    extra: (c) => ({ registryId: c.account }),
  },
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": {
    id: (c) => str(c.inputs.prefix),
    extra: (c) => ({ registryId: c.account }),
  },
  "docker:index/image:Image": {
    id: (c) =>
      `${str(c.inputs.imageName).replace(/:[^:/]+$/, "")}@sha256:${digest(`image:${c.name}:${str(c.inputs.imageName)}`, 64)}`,
    extra: (c, id) => {
      const build = (c.inputs.build ?? {}) as State;
      const registry = (plain(c.inputs.registry) ?? {}) as State;
      return {
        imageName: c.inputs.imageName,
        baseImageName: c.inputs.imageName,
        repoDigest: id,
        registryServer: registry.server,
        context: build.context,
        dockerfile: build.dockerfile,
        platform: build.platform,
      };
    },
  },
  "aws:ecs/cluster:Cluster": {
    nameField: "name",
    id: (c, physical) => arn(c, "ecs", `cluster/${physical}`),
    extra: (_c, id) => ({ arn: id }),
  },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { id: (c) => str(c.inputs.clusterName) },
  "aws:ecs/taskDefinition:TaskDefinition": {
    id: (c) => str(c.inputs.family),
    extra: (c, id) => ({
      arn: arn(c, "ecs", `task-definition/${id}:1`),
      arnWithoutRevision: arn(c, "ecs", `task-definition/${id}`),
      revision: 1,
    }),
  },
  // The provider's id for a service is its ARN: service/<cluster name>/<service name>.
  "aws:ecs/service:Service": {
    nameField: "name",
    id: (c, physical) => {
      const cluster = str(c.inputs.cluster);
      return arn(c, "ecs", `service/${cluster.slice(cluster.lastIndexOf("/") + 1)}/${physical}`);
    },
  },
  "aws:appautoscaling/target:Target": {
    id: (c) => str(c.inputs.resourceId),
    extra: (c) => ({ arn: arn(c, "application-autoscaling", `scalable-target/${c.hex(36)}`) }),
  },
  "aws:appautoscaling/policy:Policy": {
    nameField: "name",
    id: (_c, physical) => physical,
    extra: (c, id) => ({
      arn: arn(
        c,
        "autoscaling",
        `scalingPolicy:${uuid(c)}:resource/ecs/${str(c.inputs.resourceId)}:policyName/${id}`,
      ),
      alarmArns: [],
    }),
  },
  "aws:lb/loadBalancer:LoadBalancer": {
    nameField: "name",
    maxLength: 32,
    id: (c, physical) =>
      arn(c, "elasticloadbalancing", `loadbalancer/app/${physical}/${digest(`lb:${c.name}`, 16)}`),
    extra: (c, id, physical) => {
      const zoneId = ALB_ZONE_IDS[c.region];
      if (!zoneId) throw new Error(`synth: no ALB hosted zone id for ${c.region} in synth/mocks.ts`);
      const internal = c.inputs.internal === true ? "internal-" : "";
      return {
        arn: id,
        arnSuffix: id.slice(id.indexOf(":loadbalancer/") + ":loadbalancer/".length),
        dnsName: `${internal}${physical}-${parseInt(c.hex(8), 16)}.${c.region}.elb.amazonaws.com`,
        zoneId,
      };
    },
  },
  "aws:lb/targetGroup:TargetGroup": {
    nameField: "name",
    maxLength: 32,
    id: (c, physical) =>
      arn(c, "elasticloadbalancing", `targetgroup/${physical}/${digest(`tg:${c.name}`, 16)}`),
    extra: (_c, id) => ({ arn: id, arnSuffix: id.slice(id.lastIndexOf(":") + 1) }),
  },
  "aws:lb/listener:Listener": {
    id: (c) =>
      `${str(c.inputs.loadBalancerArn).replace(":loadbalancer/", ":listener/")}/${digest(`listener:${c.name}`, 16)}`,
    extra: (_c, id) => ({ arn: id }),
  },
  "aws:lb/listenerRule:ListenerRule": {
    id: (c) =>
      `${str(c.inputs.listenerArn).replace(":listener/", ":listener-rule/")}/${digest(`rule:${c.name}`, 16)}`,
    extra: (_c, id) => ({ arn: id }),
  },
  "aws:acm/certificate:Certificate": {
    id: (c) => arn(c, "acm", `certificate/${uuid(c)}`),
    extra: (c, id) => {
      const domains = [str(c.inputs.domainName), ...((c.inputs.subjectAlternativeNames as string[]) ?? [])];
      return {
        arn: id,
        domainValidationOptions: [...new Set(domains)].map(acmValidation),
        status: "PENDING_VALIDATION",
        type: "AMAZON_ISSUED",
        keyAlgorithm: c.inputs.keyAlgorithm ?? "RSA_2048",
      };
    },
  },
  // The provider's id is the certificate's issue time.
  "aws:acm/certificateValidation:CertificateValidation": { id: () => "2026-11-26 00:00:00 +0000 UTC" },
  "aws:route53/record:Record": {
    id: (c) => `${str(c.inputs.zoneId)}_${str(c.inputs.name)}_${str(c.inputs.type)}`,
    extra: (c) => ({ fqdn: str(c.inputs.name).replace(/\.$/, "").toLowerCase() }),
  },
  "aws:wafv2/webAcl:WebAcl": {
    nameField: "name",
    id: (c) => uuid(c),
    extra: (c, id, physical) => ({
      arn: arn(
        c,
        "wafv2",
        `${c.inputs.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${physical}/${id}`,
      ),
      capacity: wafCapacity(c.inputs.rules),
      lockToken: digest(`lock:${id}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"),
    }),
  },
  "aws:wafv2/webAclAssociation:WebAclAssociation": {
    id: (c) => `${str(c.inputs.webAclArn)},${str(c.inputs.resourceArn)}`,
  },
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": { id: (c) => str(c.inputs.resourceArn) },
  // A recognisable fake, so tests can prove it never appears in clear in any input.
  "random:index/randomPassword:RandomPassword": {
    id: () => "none",
    extra: (c) => ({ result: `synthpw${c.hex(Math.max(8, Number(c.inputs.length ?? 16) - 7))}` }),
  },
  // ---- EKS (K8S-1) ----
  "aws:eks/cluster:Cluster": {
    nameField: "name",
    maxLength: 100,
    id: (_c, physical) => physical,
    extra: (c, id) => {
      // EKS uses one id for the API endpoint's host and the OIDC issuer's path.
      const eksId = digest(`eks:${c.account}:${c.region}:${id}`, 32).toUpperCase();
      const ca = `-----BEGIN CERTIFICATE-----\n${Buffer.from(digest(`eks-ca:${eksId}`, 48)).toString("base64")}\n-----END CERTIFICATE-----\n`;
      return {
        arn: arn(c, "eks", `cluster/${id}`),
        endpoint: `https://${eksId}.gr7.${c.region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(ca).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${eksId}` }] }],
        vpcConfig: {
          ...((c.inputs.vpcConfig as State | undefined) ?? {}),
          clusterSecurityGroupId: `sg-${digest(`eks-cluster-sg:${eksId}`, 17)}`,
        },
        platformVersion: "eks.1",
        status: "ACTIVE",
        createdAt: "2026-11-26T00:00:00Z",
      };
    },
  },
  // The provider's id is "<cluster>:<node group>"; ARNs end in a UUID EKS assigns.
  "aws:eks/nodeGroup:NodeGroup": {
    nameField: "nodeGroupName",
    maxLength: 63,
    id: (c, physical) => `${str(c.inputs.clusterName)}:${physical}`,
    extra: (c, _id, physical) => ({
      arn: arn(c, "eks", `nodegroup/${str(c.inputs.clusterName)}/${physical}/${uuid(c)}`),
      status: "ACTIVE",
      resources: [
        { autoscalingGroups: [{ name: `eks-${physical}-${uuid(c)}` }], remoteAccessSecurityGroupId: "" },
      ],
    }),
  },
  "aws:eks/addon:Addon": {
    id: (c) => `${str(c.inputs.clusterName)}:${str(c.inputs.addonName)}`,
    extra: (c) => ({
      arn: arn(c, "eks", `addon/${str(c.inputs.clusterName)}/${str(c.inputs.addonName)}/${uuid(c)}`),
      createdAt: "2026-11-26T00:00:00Z",
    }),
  },
  "aws:eks/accessEntry:AccessEntry": {
    id: (c) => `${str(c.inputs.clusterName)}:${str(c.inputs.principalArn)}`,
    extra: (c) => {
      const principal = str(c.inputs.principalArn);
      const [, , , , account = "", resource = ""] = principal.split(":");
      const kind = resource.split("/")[0];
      const shortName = resource.slice(resource.lastIndexOf("/") + 1);
      return {
        accessEntryArn: arn(
          c,
          "eks",
          `access-entry/${str(c.inputs.clusterName)}/${kind}/${account}/${shortName}/${uuid(c)}`,
        ),
        // A role's sessions authenticate as the assumed role, a user as itself.
        userName:
          kind === "role"
            ? `arn:${MOCK_PARTITION}:sts::${account}:assumed-role/${shortName}/{{SessionName}}`
            : principal,
        kubernetesGroups: c.inputs.kubernetesGroups ?? [],
        type: c.inputs.type ?? "STANDARD",
      };
    },
  },
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
    id: (c) => `${str(c.inputs.clusterName)}#${str(c.inputs.principalArn)}#${str(c.inputs.policyArn)}`,
    extra: () => ({ associatedAt: "2026-11-26T00:00:00Z", modifiedAt: "2026-11-26T00:00:00Z" }),
  },
  // IAM identifies an OIDC provider by its ARN: the issuer's host and path.
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
    id: (c) =>
      `arn:${MOCK_PARTITION}:iam::${c.account}:oidc-provider/${str(c.inputs.url).replace(/^https:\/\//, "")}`,
    extra: (_c, id) => ({ arn: id }),
  },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    nameField: "name",
    maxLength: 128,
    id: (c) => `lt-${c.hex(17)}`,
    extra: (c, id) => ({ arn: arn(c, "ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 }),
  },
};

/** `length` characters of [0-9A-Za-z] from a hex digest: the alphabet of Vercel's ids. */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const base62 = (hex: string, length: number) =>
  Array.from(
    { length },
    (_, i) => BASE62[parseInt(hex.slice((i * 2) % 62, ((i * 2) % 62) + 2), 16) % 62],
  ).join("");
/** FE-1: the Vercel team the mock cloud answers for (the stack's `vercel:team` is the provider's, not the program's). */
const VERCEL_TEAM_ID = `team_${base62(digest("vercel-team", 64), 24)}`;

/**
 * FE-1..4: the Vercel API's answers (the provider @pulumiverse/vercel):
 * projects are `prj_` and 28 characters, teams `team_` and 24, environment
 * variables 16; a project domain is known by its name. The project reports
 * what Vercel fills in when the program does not say (Node.js 22.x, the
 * iad1 function Region, Standard Protection, custom domains assigned to each
 * production deployment).
 */
const VERCEL_SPECS: Record<string, Spec> = {
  "vercel:index/project:Project": {
    nameField: "name",
    lowerCaseName: true,
    id: (c) => `prj_${base62(c.hex(64), 28)}`,
    extra: (c) => ({
      teamId: str(c.inputs.teamId) || VERCEL_TEAM_ID,
      nodeVersion: "22.x",
      serverlessFunctionRegion: "iad1",
      autoAssignCustomDomains: true,
      previewDeploymentsDisabled: c.inputs.previewDeploymentsDisabled ?? false,
      vercelAuthentication: c.inputs.vercelAuthentication ?? { deploymentType: "standardProtectionNew" },
    }),
  },
  "vercel:index/projectDomain:ProjectDomain": {
    id: (c) => str(c.inputs.domain),
    extra: (c) => ({ teamId: str(c.inputs.teamId) || VERCEL_TEAM_ID }),
  },
  "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": {
    id: (c) => base62(c.hex(64), 16),
    extra: (c) => ({
      teamId: str(c.inputs.teamId) || VERCEL_TEAM_ID,
      customEnvironmentIds: [],
    }),
  },
};

function genericSpec(type: string): Spec {
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const kind = (type.split(":")[2] ?? "resource").toLowerCase();
  return {
    id: (c) => `${c.name}-${c.hex(8)}`,
    extra: (c, id) => ({ arn: arn(c, service, `${kind}/${id}`) }),
  };
}

/**
 * DR-1, DR-2: the Region the mock cloud holds the prod stacks' cross-Region
 * copies in (Pulumi.prod.yaml's drRegion): their replicated secrets and
 * automated backups, AWS Backup's copies, the pointers published for them.
 * A lookup of a copy in any other Region finds nothing and fails, as the
 * data source would: a rebuild that reads another Region (the failed one)
 * fails its synth.
 */
export const MOCK_COPIES_REGION = "us-west-2";

function copiesOnly(kind: string, region: string, what: string): void {
  if (region !== MOCK_COPIES_REGION)
    throw new Error(
      `synth: no ${kind} ${what} in ${region} (the mock cloud keeps copies in ${MOCK_COPIES_REGION})`,
    );
}

/** The creation time of the newest AWS Backup copy in the mock cloud: the 03:00 UTC job of the day before. */
const LATEST_COPY_TIME = "2026-11-25T03:40:00Z";

/** Answers to the provider functions the program calls; anything else is an error. */
const INVOKES: Record<string, (region: string, inputs: State) => State> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": (region) => {
    const letters = ["a", "b", "c", "d", "e", "f"];
    return {
      id: region,
      names: letters.map((l) => `${region}${l}`),
      zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
      groupNames: letters.map(() => region),
      state: "available",
    };
  },
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    id: MOCK_ACCOUNT,
    accountId: MOCK_ACCOUNT,
    arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT}:role/synth`,
    userId: "AROASYNTHSYNTHSYNTH:synth",
  }),
  "aws:index/getPartition:getPartition": () => ({
    id: MOCK_PARTITION,
    partition: MOCK_PARTITION,
    dnsSuffix: "amazonaws.com",
    reverseDnsPrefix: "com.amazonaws",
  }),
  "aws:ecr/getAuthorizationToken:getAuthorizationToken": (region, inputs) => {
    const registryId = str(inputs.registryId) || MOCK_ACCOUNT;
    const password = `synthecr${digest(`ecr:${registryId}:${region}`, 24)}`;
    return {
      id: registryId,
      registryId,
      userName: "AWS",
      password,
      authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
      proxyEndpoint: `https://${registryId}.dkr.ecr.${region}.amazonaws.com`,
      expiresAt: "2026-11-26T12:00:00Z",
    };
  },
  "aws:route53/getZone:getZone": (_region, inputs) => {
    const name = str(inputs.name).replace(/\.$/, "");
    const zoneId = `Z0${digest(`zone:${name}`, 19).toUpperCase()}`;
    const ns = (i: number) =>
      `ns-${parseInt(digest(`ns${i}:${name}`, 3), 16)}.awsdns-${10 + i}.${["com", "net", "org", "co.uk"][i]}`;
    return {
      id: zoneId,
      zoneId,
      name,
      arn: `arn:${MOCK_PARTITION}:route53:::hostedzone/${zoneId}`,
      callerReference: digest(`ref:${name}`, 16),
      comment: "",
      linkedServiceDescription: "",
      linkedServicePrincipal: "",
      nameServers: [0, 1, 2, 3].map(ns),
      primaryNameServer: ns(0),
      privateZone: inputs.privateZone === true,
      resourceRecordSetCount: 2,
      tags: {},
    };
  },
  "aws:elb/getServiceAccount:getServiceAccount": (region, inputs) => {
    const r = str(inputs.region) || region;
    const account = ELB_ACCOUNTS[r];
    // Like the provider: Regions opened since August 2022 have no such account.
    if (!account) throw new Error(`unsupported AWS Region: ${r}`);
    return { id: account, arn: `arn:${MOCK_PARTITION}:iam::${account}:root`, region: r };
  },
  // A KMS alias of the Region asked (DR-1: the keys a primary stack gave its copies there).
  "aws:kms/getAlias:getAlias": (region, inputs) => {
    const name = str(inputs.name);
    const h = digest(`alias:${region}:${name}`, 32);
    const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    const kms = (rest: string) => `arn:${MOCK_PARTITION}:kms:${region}:${MOCK_ACCOUNT}:${rest}`;
    return { id: kms(name), name, arn: kms(name), targetKeyId: keyId, targetKeyArn: kms(`key/${keyId}`) };
  },
  // DR-1: a pointer a primary published in its DR Region (components/backup/drCopies.ts).
  "aws:ssm/getParameter:getParameter": (region, inputs) => {
    const name = str(inputs.name);
    copiesOnly("SSM parameter", region, name);
    const m = /^\/(.+)-(postgres|images|backups)\/dr\/(automated-backups-arn|replica-bucket)$/.exec(name);
    if (!m) throw new Error(`synth: no SSM parameter ${name} in ${region}`);
    const [, primary, component, item] = m;
    const value =
      item === "automated-backups-arn"
        ? `arn:${MOCK_PARTITION}:rds:${region}:${MOCK_ACCOUNT}:auto-backup:ab-${digest(`ab:${name}`, 26)}`
        : `${primary}-${component}-replica-${digest(`replica:${name}`, 7)}`;
    return {
      id: name,
      name,
      arn: `arn:${MOCK_PARTITION}:ssm:${region}:${MOCK_ACCOUNT}:parameter${name}`,
      type: "String",
      value,
      insecureValue: value,
      version: 1,
      withDecryption: true,
    };
  },
  // APP-4, DR-1: a secret replicated into the Region: the primary's name, the primary's ARN but the Region.
  "aws:secretsmanager/getSecret:getSecret": (region, inputs) => {
    const name = str(inputs.name);
    copiesOnly("secret", region, name);
    const secretArn = `arn:${MOCK_PARTITION}:secretsmanager:${region}:${MOCK_ACCOUNT}:secret:${name}-${digest(`secret:${name}`, 6)}`;
    return {
      id: secretArn,
      arn: secretArn,
      name,
      description: "",
      kmsKeyId: "",
      policy: "",
      createdDate: "2026-11-01T00:00:00Z",
      lastChangedDate: "2026-11-01T00:00:00Z",
      tags: {},
    };
  },
  // DR-1: the newest AWS Backup copy of a DocumentDB cluster in the Region, by its tags.
  "aws:rds/getClusterSnapshot:getClusterSnapshot": (region, inputs) => {
    const tags = (inputs.tags ?? {}) as Record<string, string>;
    copiesOnly("cluster snapshot tagged", region, JSON.stringify(tags));
    const job = digest(`copyjob:cluster:${JSON.stringify(tags)}`, 32);
    const id = `awsbackup:copyjob-${job.slice(0, 8)}-${job.slice(8, 12)}-${job.slice(12, 16)}-${job.slice(16, 20)}-${job.slice(20)}`;
    const snapshotArn = `arn:${MOCK_PARTITION}:rds:${region}:${MOCK_ACCOUNT}:cluster-snapshot:${id}`;
    return {
      id: snapshotArn,
      dbClusterSnapshotArn: snapshotArn,
      dbClusterSnapshotIdentifier: snapshotArn,
      dbClusterIdentifier: "",
      snapshotType: inputs.snapshotType ?? "awsbackup",
      mostRecent: inputs.mostRecent ?? false,
      status: "available",
      engine: "docdb",
      engineVersion: "5.0.0",
      storageEncrypted: true,
      kmsKeyId: `arn:${MOCK_PARTITION}:kms:${region}:${MOCK_ACCOUNT}:key/${digest(`vault-key:${region}`, 8)}`,
      snapshotCreateTime: LATEST_COPY_TIME,
      allocatedStorage: 0,
      availabilityZones: ["a", "b", "c"].map((z) => `${region}${z}`),
      port: 27017,
      tags,
    };
  },
  // DR-1: the newest AWS Backup copy of a PostgreSQL instance in the Region, by its tags.
  "aws:rds/getSnapshot:getSnapshot": (region, inputs) => {
    const tags = (inputs.tags ?? {}) as Record<string, string>;
    copiesOnly("DB snapshot tagged", region, JSON.stringify(tags));
    const job = digest(`copyjob:db:${JSON.stringify(tags)}`, 32);
    const id = `awsbackup:copyjob-${job.slice(0, 8)}-${job.slice(8, 12)}-${job.slice(12, 16)}-${job.slice(16, 20)}-${job.slice(20)}`;
    const snapshotArn = `arn:${MOCK_PARTITION}:rds:${region}:${MOCK_ACCOUNT}:snapshot:${id}`;
    return {
      id: snapshotArn,
      dbSnapshotArn: snapshotArn,
      dbSnapshotIdentifier: snapshotArn,
      snapshotType: inputs.snapshotType ?? "awsbackup",
      mostRecent: inputs.mostRecent ?? false,
      status: "available",
      engine: "postgres",
      encrypted: true,
      snapshotCreateTime: LATEST_COPY_TIME,
      originalSnapshotCreateTime: LATEST_COPY_TIME,
      sourceRegion: region,
      tags,
    };
  },
  "aws:index/getRegion:getRegion": (region) => ({
    id: region,
    name: region,
    region,
    endpoint: `ec2.${region}.amazonaws.com`,
    description: region,
  }),
  // The chain protecting a URL, root first (as the tls provider returns it); fingerprints are SHA-1 hex.
  "tls:index/getCertificate:getCertificate": (_region, inputs) => {
    const url = str(inputs.url);
    const host = url.replace(/^https:\/\//, "").split("/")[0];
    const cert = (subject: string, issuer: string, isCa: boolean) => ({
      certPem: `-----BEGIN CERTIFICATE-----\n${Buffer.from(digest(`pem:${subject}`, 48)).toString("base64")}\n-----END CERTIFICATE-----\n`,
      isCa,
      issuer,
      subject,
      maxPathLength: isCa ? 0 : -1,
      notBefore: "2026-01-01T00:00:00Z",
      notAfter: isCa ? "2038-01-01T00:00:00Z" : "2027-01-01T00:00:00Z",
      publicKeyAlgorithm: "RSA",
      serialNumber: BigInt(`0x${digest(`serial:${subject}`, 16)}`).toString(),
      sha1Fingerprint: digest(`sha1:${subject}`, 40),
      signatureAlgorithm: "SHA256-RSA",
      version: 3,
    });
    const root = "CN=Synth Root CA,O=Synth";
    return {
      id: digest(`chain:${url}`, 40),
      url,
      verifyChain: inputs.verifyChain ?? true,
      certificates: [cert(root, root, true), cert(`CN=${host}`, root, false)],
    };
  },
};

/** One invoke as the mock cloud answered it. */
export interface InvokeRecord {
  readonly token: string;
  readonly region: string;
  readonly inputs: Record<string, unknown>;
}

export class SynthMocks implements pulumi.runtime.Mocks {
  private readonly providerRegions = new Map<string, string>();
  /**
   * Invokes that had no answer. The SDK drops a mock's error message on the way
   * back to the program, so the engine reads them here to fail the run clearly.
   */
  readonly unansweredInvokes: string[] = [];
  /** Every invoke the program made, with the Region it was answered for and its inputs (DR-2's proof). */
  readonly invokes: InvokeRecord[] = [];

  constructor(
    private readonly defaultRegion: string,
    private readonly account = MOCK_ACCOUNT,
  ) {}

  private regionOf(inputs: State, providerRef: string | undefined): string {
    if (typeof inputs.region === "string" && inputs.region) return inputs.region;
    const providerId = providerRef?.slice(providerRef.lastIndexOf("::") + 2);
    return (providerId && this.providerRegions.get(providerId)) || this.defaultRegion;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    if (!args.custom) return { id: undefined, state: args.inputs };
    const inputs = args.inputs as State;
    const region = this.regionOf(inputs, args.provider);
    const seed = `${args.type}::${args.name}`;
    const ctx: Ctx = {
      name: args.name,
      inputs,
      region,
      account: this.account,
      hex: (n) => createHash("sha256").update(seed).digest("hex").slice(0, n),
    };

    if (args.type.startsWith("pulumi:providers:")) {
      const id = uuid(ctx);
      if (typeof inputs.region === "string") this.providerRegions.set(id, inputs.region);
      return { id, state: inputs };
    }
    if (args.type.startsWith("kubernetes:")) return this.kubernetes(args, ctx);

    const spec = SPECS[args.type] ?? VERCEL_SPECS[args.type] ?? genericSpec(args.type);
    const state: State = { ...inputs };
    let physical = `${args.name}-${ctx.hex(7)}`;
    if (spec.lowerCaseName) physical = physical.toLowerCase();
    if (spec.nameField) {
      const given = inputs[spec.nameField];
      if (typeof given === "string") physical = given;
      else if (spec.maxLength !== undefined && physical.length > spec.maxLength)
        throw new Error(
          `name '${args.name}-' plus 7 random chars is longer than maximum length ${spec.maxLength} (${args.type})`,
        );
      else state[spec.nameField] = physical;
    }
    const id = spec.id(ctx, physical);
    Object.assign(state, spec.extra?.(ctx, id, physical) ?? {});
    if (args.type.startsWith("aws:")) {
      state.region = region;
      if (inputs.tags && typeof inputs.tags === "object") state.tagsAll = inputs.tags;
    }
    return { id, state };
  }

  /** The Kubernetes provider auto-names objects that set no metadata.name. */
  private kubernetes(args: pulumi.runtime.MockResourceArgs, ctx: Ctx): pulumi.runtime.MockResourceResult {
    const inputs = args.inputs as State;
    if (args.type === "kubernetes:core/v1:Service" && args.id) {
      const h = ctx.hex(48);
      // A read of a LoadBalancer Service (the ingress controller's): the DNS name of the NLB the
      // AWS cloud provider made for it, as `a<uid>-<hash>.elb.<region>.amazonaws.com`.
      const slash = args.id.indexOf("/");
      return {
        id: args.id,
        state: {
          metadata: { namespace: args.id.slice(0, slash), name: args.id.slice(slash + 1) },
          spec: { type: "LoadBalancer" },
          status: {
            loadBalancer: {
              ingress: [{ hostname: `a${h.slice(0, 32)}-${h.slice(32)}.elb.${ctx.region}.amazonaws.com` }],
            },
          },
        },
      };
    }
    const metadata = { ...((inputs.metadata as State | undefined) ?? {}) };
    if (typeof metadata.name !== "string") metadata.name = `${args.name}-${ctx.hex(8)}`;
    const ns = typeof metadata.namespace === "string" ? `${metadata.namespace}/` : "";
    return { id: `${ns}${String(metadata.name)}`, state: { ...inputs, metadata } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const region = this.regionOf(args.inputs as State, args.provider);
    this.invokes.push({ token: args.token, region, inputs: plain(args.inputs) as State });
    const answer = INVOKES[args.token];
    if (!answer) {
      this.unansweredInvokes.push(args.token);
      throw new Error(`synth: no mock for invoke ${args.token}`);
    }
    return answer(region, args.inputs as State);
  }
}
