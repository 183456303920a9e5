/**
 * The mock cloud behind the offline synth: realistic, deterministic ids and
 * ARNs (account, region, resource type) for what the program declares, and
 * answers to the invokes it makes. An invoke without an answer here fails the
 * run loudly rather than returning something made up.
 */
import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";
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
  readonly id: (c: Ctx, physical: string) => string;
  readonly extra?: (c: Ctx, id: string, physical: string) => State;
}

const arn = (c: Ctx, service: string, rest: string, region = c.region, account = c.account) =>
  `arn:${MOCK_PARTITION}:${service}:${region}:${account}:${rest}`;
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
  // A recognisable fake, so tests can prove it never appears in clear in any input.
  "random:index/randomPassword:RandomPassword": {
    id: () => "none",
    extra: (c) => ({ result: `synthpw${c.hex(Math.max(8, Number(c.inputs.length ?? 16) - 7))}` }),
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
  "aws:index/getRegion:getRegion": (region) => ({
    id: region,
    name: region,
    region,
    endpoint: `ec2.${region}.amazonaws.com`,
    description: region,
  }),
};

export class SynthMocks implements pulumi.runtime.Mocks {
  private readonly providerRegions = new Map<string, string>();
  /**
   * Invokes that had no answer. The SDK drops a mock's error message on the way
   * back to the program, so the engine reads them here to fail the run clearly.
   */
  readonly unansweredInvokes: string[] = [];

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

    const spec = SPECS[args.type] ?? genericSpec(args.type);
    const state: State = { ...inputs };
    let physical = `${args.name}-${ctx.hex(7)}`;
    if (spec.lowerCaseName) physical = physical.toLowerCase();
    if (spec.nameField) {
      const given = inputs[spec.nameField];
      if (typeof given === "string") physical = given;
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
    const metadata = { ...((inputs.metadata as State | undefined) ?? {}) };
    if (typeof metadata.name !== "string") metadata.name = `${args.name}-${ctx.hex(8)}`;
    const ns = typeof metadata.namespace === "string" ? `${metadata.namespace}/` : "";
    return { id: `${ns}${String(metadata.name)}`, state: { ...inputs, metadata } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const answer = INVOKES[args.token];
    if (!answer) {
      this.unansweredInvokes.push(args.token);
      throw new Error(`synth: no mock for invoke ${args.token}`);
    }
    return answer(this.regionOf(args.inputs as State, args.provider), args.inputs as State);
  }
}
