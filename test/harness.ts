/**
 * The one test harness: every test that needs the program runs it through the
 * synth engine (synth/engine.ts), exactly as `npm run synth` does.
 */
import * as path from "path";
import { Evaluation, ResourceRecord, SynthResult, evaluate, synthesize } from "../synth/engine";
import { StackConfig, readStackConfig, toEngineConfig } from "../synth/stackConfig";
import { PackConfig, runPolicies } from "../synth/policy";
import type { Rule } from "../policies/rule";
import { load } from "./synthCache";

export const ROOT = path.resolve(__dirname, "..");
export const SHIPPED_STACKS = ["prod", "staging", "myhibachi-prod", "prod-dr"] as const;

/** A shipped stack's config, with `overrides` (a `config:` block, bare keys allowed) on top. */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): StackConfig {
  const base = readStackConfig(ROOT, stack);
  const extra = toEngineConfig(base.project, overrides);
  return {
    ...base,
    config: { ...base.config, ...extra.config },
    secretKeys: [...base.secretKeys, ...extra.secretKeys],
  };
}

const cache = new Map<string, Promise<SynthResult>>();

/** Freezes a value and everything in it: a shared record must not be edited in place. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The recorded resources of a shipped stack: evaluated once per jest run
 * (test/globalSetup.ts) and shared by every spec, so frozen: a spec edits a
 * copy (test/policies/recorded.ts), and the policy runner may reuse what it
 * built from these props (synth/policy.ts).
 */
export function synthStack(stack: string): Promise<SynthResult> {
  let run = cache.get(stack);
  if (!run) {
    const stored = load(stack);
    run = (stored ? Promise.resolve(stored) : synthesize(stackConfig(stack))).then((r) => {
      for (const props of [...r.outputs.values(), ...r.plainInputs.values()]) deepFreeze(props);
      for (const record of r.records) deepFreeze(record);
      return r;
    });
    cache.set(stack, run);
  }
  return run;
}

export function evaluateWith(stack: string, overrides: Record<string, unknown>): Promise<Evaluation> {
  return evaluate(stackConfig(stack, overrides));
}

export function ofType(records: readonly ResourceRecord[], type: string): ResourceRecord[] {
  return records.filter((r) => r.type === type);
}

export function one(records: readonly ResourceRecord[], type: string): ResourceRecord {
  const found = ofType(records, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

export function byId(records: readonly ResourceRecord[], id: unknown): ResourceRecord {
  const found = records.find((r) => r.id !== null && r.id === id);
  if (!found) throw new Error(`no record has id ${String(id)}`);
  return found;
}

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  kmsKey: "aws:kms/key:Key",
  kmsAlias: "aws:kms/alias:Alias",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  rdsInstance: "aws:rds/instance:Instance",
  rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  rdsBackupReplication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
  docdbCluster: "aws:docdb/cluster:Cluster",
  docdbInstance: "aws:docdb/clusterInstance:ClusterInstance",
  docdbParameterGroup: "aws:docdb/clusterParameterGroup:ClusterParameterGroup",
  cacheGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  cacheParameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  randomId: "random:index/randomId:RandomId",
  randomPassword: "random:index/randomPassword:RandomPassword",
  backupVault: "aws:backup/vault:Vault",
  backupPlan: "aws:backup/plan:Plan",
  backupSelection: "aws:backup/selection:Selection",
  backupRegionSettings: "aws:backup/regionSettings:RegionSettings",
  restoreTestingPlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
  restoreTestingSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
  bucket: "aws:s3/bucket:Bucket",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketOwnership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  ecrRepository: "aws:ecr/repository:Repository",
  ecrLifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  ecrReplication: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
  ecrCreationTemplate: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
  dockerImage: "docker:index/image:Image",
  ecsCluster: "aws:ecs/cluster:Cluster",
  ecsCapacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ecsService: "aws:ecs/service:Service",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  certificate: "aws:acm/certificate:Certificate",
  certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
  dnsRecord: "aws:route53/record:Record",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
  webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

/** The record named `name` (logical names are unique per type in this program). */
export function named(records: readonly ResourceRecord[], type: string, name: string): ResourceRecord {
  const found = records.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}

/** The custom resources declared under a component (its children and theirs). */
export function within(records: readonly ResourceRecord[], component: ResourceRecord): ResourceRecord[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const under = (r: ResourceRecord): boolean => {
    const p = r.parent === null ? undefined : byUrn.get(r.parent);
    return p !== undefined && (p.urn === component.urn || under(p));
  };
  return records.filter(under);
}

/* ---------- policy pack ---------- */

/** A resource handed to the policy runner: `props` typed by the caller against the real resource args. */
export interface FakeResource {
  readonly type: string;
  readonly name: string;
  readonly props: object;
  readonly protect?: boolean;
  /** Input name -> names of the fake resources it references (becomes propertyDependencies). */
  readonly refs?: Readonly<Record<string, readonly string[]>>;
}

const fakeUrn = (r: { type: string; name: string }) =>
  `urn:pulumi:test::runbook-platform::${r.type}::${r.name}`;

/** A minimal evaluation of `resources`, as the synth engine would record them. */
export function fakeEvaluation(resources: readonly FakeResource[]) {
  const byName = new Map(resources.map((r) => [r.name, fakeUrn(r)]));
  const records: ResourceRecord[] = resources.map((r) => ({
    urn: fakeUrn(r),
    type: r.type,
    name: r.name,
    id: null,
    parent: null,
    custom: true,
    provider: null,
    protect: r.protect ?? false,
    // Unique, as the engine records them: a resource named by several inputs is one dependency.
    dependencies: [
      ...new Set(Object.values(r.refs ?? {}).flatMap((names) => names.map((n) => byName.get(n)!))),
    ],
    inputs: r.props as Record<string, unknown>,
    ignoreChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
  }));
  const props = new Map(resources.map((r) => [fakeUrn(r), r.props as Record<string, unknown>]));
  const propertyDependencies = new Map(
    resources.map((r) => [
      fakeUrn(r),
      Object.fromEntries(
        Object.entries(r.refs ?? {}).map(([k, names]) => [k, names.map((n) => byName.get(n)!)]),
      ),
    ]),
  );
  return { records, outputs: props, plainInputs: props, propertyDependencies };
}

/** What one rule reports over `resources`: "<level>: <message>" per finding, in report order. */
export async function violations(
  rule: Rule,
  resources: readonly FakeResource[],
  config: PackConfig = {},
): Promise<string[]> {
  const findings = await runPolicies(fakeEvaluation(resources), config, [rule]);
  return findings.map((f) => `${f.enforcementLevel}: ${f.message}`);
}
