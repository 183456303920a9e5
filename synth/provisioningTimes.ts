/**
 * CI-1: how long a fresh create of each resource type takes, for the deploy's
 * critical path (synth/criticalPath.ts, docs/synth.md "critical-path.json").
 *
 * Seconds from the engine starting the create until the provider reports it
 * done (what Pulumi waits for before starting the dependents). Every figure
 * names its basis: a URL where a source gives a number, and the word
 * "estimate" where none does (an estimate may still cite a source that bounds
 * it). Sources are AWS documentation, maintainers' statements and logs of
 * real runs quoted in public issues; they were found through the project's
 * reference search, read, and are cited as read. The figures are typical
 * values, not guarantees: regions, instance sizes and AWS's own changes move
 * them. Raise `PROVISIONING_TABLE_VERSION` whenever a figure changes, so a
 * critical-path.json says which table it was computed with.
 *
 * Pure data and lookup: no Pulumi SDK.
 */

import { RESTORE_DATA_TAG } from "../components/backup/drCopies";

/** Version of the figures below; critical-path.json records it. */
export const PROVISIONING_TABLE_VERSION = 2;

/** A figure and its basis. */
export interface Timing {
  readonly seconds: number;
  /** A URL (or several, `; `-separated), or a sentence starting with "estimate". */
  readonly basis: string;
}

/** A refinement of a type's figure by its inputs (e.g. Multi-AZ RDS); the first that matches wins. */
export interface Variant extends Timing {
  /** What the variant is, for the reader: `multiAz: true`. */
  readonly when: string;
  readonly matches: (inputs: Readonly<Record<string, unknown>>) => boolean;
  /**
   * The figure as a function of the inputs (a restore: of the data it brings
   * back); `seconds` is then its value for the reference inputs the basis names.
   */
  readonly secondsFor?: (inputs: Readonly<Record<string, unknown>>) => number;
}

export interface TypeTiming extends Timing {
  readonly variants?: readonly Variant[];
}

/** RDS's create figure for these inputs (Multi-AZ or not, hashicorp/terraform#498): what a restore provisions too. */
function rdsCreate(inputs: Readonly<Record<string, unknown>>): number {
  return inputs.multiAz === true ? 1050 : 450;
}

/** Components (and the root stack) take no time of their own: they finish when their children do. */
export const COMPONENT_SECONDS = 0;

/** A custom resource of a type the table does not list: a plain create-and-describe API call. */
export const DEFAULT_CUSTOM: Timing = {
  seconds: 10,
  basis: "estimate: a synchronous create API call plus a describe; types not in the table",
};

const ESTIMATE_API = "estimate: a synchronous create API call (a few seconds), no waiter";

/** A small API-only create: the figure most configuration resources get. */
const api = (seconds = 2): TypeTiming => ({ seconds, basis: ESTIMATE_API });

/**
 * DR-3: the data a restore brings back, in GB: the `platform/restore-data-gb`
 * tag the program puts on a restored database (expectedDataGb in config),
 * else, for RDS, its allocated storage (the data fits in it); 0 when neither.
 */
export function restoreDataGb(inputs: Readonly<Record<string, unknown>>): number {
  const tags = (inputs.tags ?? {}) as Record<string, unknown>;
  const tagged = Number(tags[RESTORE_DATA_TAG]);
  if (Number.isFinite(tagged) && tagged > 0) return tagged;
  const allocated = Number(inputs.allocatedStorage);
  return Number.isFinite(allocated) && allocated > 0 ? allocated : 0;
}

/**
 * DR-3: seconds per GB a restore spends moving its data: one pass over it.
 * No AWS document or published measurement read gives a per-GB figure for an
 * RDS or DocumentDB restore. What bounds it: a volume restored from a snapshot
 * is loaded from S3 at a default rate that "fluctuates" with no figure, the
 * provisioned rate being 100-300 MiB/s (EBS User Guide, "Initialize Amazon EBS
 * volumes"); RDS restores lazily, then (since 2025) takes a full baseline
 * backup before the instance is available again, and the provider waits for
 * it: "2-3 hours (depending on DB size)" for an unstated size
 * (terraform-provider-aws#44104; its waiter keeps backing-up pending);
 * DocumentDB's cluster volume, like Aurora's, downloads the data from S3 to
 * its storage nodes before the cluster is available and "can take up to a few
 * hours" (AWS Knowledge Center, "Why is my Amazon Aurora DB cluster clone,
 * snapshot restore, or point in time restore taking so long?"). Assumed: 1 min
 * per GB (about 17 MiB/s, a sixth of EBS's lowest provisioned rate), to be
 * replaced by the quarterly drill's measurement (docs/dr.md).
 */
export const RESTORE_SECONDS_PER_GB = 60;

/**
 * DR-3: the transaction logs a point-in-time restore replays, as a share of
 * the data: RDS restores the snapshot closest before the target time, then
 * applies the logs up to it, "the length of the operation is based on the
 * number of transaction logs" (AWS Knowledge Center, "Why is the
 * point-in-time restore of my Amazon RDS DB instance taking a long time?").
 * Automated snapshots are daily, so up to a day of logs. No figure exists for
 * Psi's write volume (100,000 API requests a day [P §6.5.1]); assumed: a day's
 * logs are at most a tenth of the data, replayed at the per-GB rate above.
 */
export const PITR_LOG_SHARE = 0.1;

/**
 * DR-1: after a restore the provider applies what the restore API cannot take
 * (the master password, the parameter group, windows) with one modify and waits
 * for the database again (terraform-provider-aws: RDS instance and DocumentDB
 * cluster create, `requiresModify…`). Estimate: 1 min.
 */
export const MODIFY_AFTER_RESTORE_SECONDS = 60;

/** DR-3: the basis of a restore variant: what it adds to the create figure, and why. */
const restoreBasis = (create: string, extra: string, figure: string) =>
  `estimate: ${create}, plus 1 min for the modify after the restore, plus 1 min per GB restored ` +
  "(RESTORE_SECONDS_PER_GB, assumed: no per-GB figure is published; bounded by " +
  "https://docs.aws.amazon.com/ebs/latest/userguide/initalize-volume.html and " +
  `https://github.com/hashicorp/terraform-provider-aws/issues/44104)${extra}; ${figure}`;

const IAM_BASIS =
  "estimate: creation 5-7 s in logged runs (https://github.com/turbot/steampipe-plugin-aws/pull/131, " +
  "https://github.com/turbot/steampipe-plugin-aws/pull/571) plus propagation, IAM being eventually consistent " +
  "(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency); " +
  "no source read gives a propagation figure; the provider retries dependents that see the role too early";

/** Seconds for a fresh create, per Pulumi type token. */
export const PROVISIONING_SECONDS: Readonly<Record<string, TypeTiming>> = {
  // --- EKS ---------------------------------------------------------------
  // AWS (containers-roadmap #1227): "create an EKS control plane in 9 minutes on an average"
  // after a 40% reduction from ~15 min; third-party runs in 21 regions measured 13-16 min
  // (easontechtalk.com). 10 min taken as the typical control plane.
  "aws:eks/cluster:Cluster": {
    seconds: 600,
    basis:
      "https://github.com/aws/containers-roadmap/issues/1227; https://easontechtalk.com/unofficial-eks-cluster-creation-performance-across-aws-regions",
  },
  // Logged managed node group creates: "Creation complete after 2m50s" and a
  // node group stack "done after 3m36s".
  "aws:eks/nodeGroup:NodeGroup": {
    seconds: 200,
    basis:
      "https://github.com/umotif-public/terraform-aws-eks-node-group/issues/7; https://github.com/eksctl-io/eksctl/pull/482",
  },
  "aws:eks/addon:Addon": { seconds: 60, basis: "estimate: the add-on's pods become ACTIVE on running nodes" },
  "aws:eks/accessEntry:AccessEntry": api(5),
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": api(5),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { seconds: 10, basis: IAM_BASIS },
  "aws:ec2/launchTemplate:LaunchTemplate": api(3),

  // --- RDS ---------------------------------------------------------------
  // hashicorp/terraform#498: "up to 5/10 minutes with multi_az off ... 15/20 minutes
  // ... with mutli_az on" (the events show the Multi-AZ conversion after creation).
  // Midpoints of the ranges.
  "aws:rds/instance:Instance": {
    seconds: 450,
    basis: "https://github.com/hashicorp/terraform/issues/498",
    variants: [
      {
        // DR-3: restore the snapshot, replay up to a day of logs, then the baseline backup.
        when: "restoreToPointInTime set (point-in-time restore), by the data it restores",
        matches: (i) => typeof i.restoreToPointInTime === "object" && i.restoreToPointInTime !== null,
        secondsFor: (i) =>
          rdsCreate(i) +
          MODIFY_AFTER_RESTORE_SECONDS +
          Math.round((1 + PITR_LOG_SHARE) * restoreDataGb(i) * RESTORE_SECONDS_PER_GB),
        seconds: 1050 + 60 + Math.round(1.1 * 75 * 60),
        basis: restoreBasis(
          "RDS's create figure (https://github.com/hashicorp/terraform/issues/498)",
          ", plus a tenth more for up to a day of transaction logs replayed (PITR_LOG_SHARE, https://repost.aws/knowledge-center/rds-point-in-time-restore-issues)",
          "figure for Multi-AZ and 75 GB",
        ),
      },
      {
        when: "snapshotIdentifier set (snapshot restore), by the data it restores",
        matches: (i) => typeof i.snapshotIdentifier === "string" && i.snapshotIdentifier !== "",
        secondsFor: (i) =>
          rdsCreate(i) + MODIFY_AFTER_RESTORE_SECONDS + Math.round(restoreDataGb(i) * RESTORE_SECONDS_PER_GB),
        seconds: 1050 + 60 + 75 * 60,
        basis: restoreBasis(
          "RDS's create figure (https://github.com/hashicorp/terraform/issues/498)",
          "",
          "figure for Multi-AZ and 75 GB",
        ),
      },
      {
        when: "replicateSourceDb set (read replica)",
        matches: (i) => typeof i.replicateSourceDb === "string" && i.replicateSourceDb !== "",
        seconds: 600,
        basis:
          "estimate: a snapshot of the source restored as a new instance; no source gives a figure for an empty source, taken above a single-AZ create",
      },
      {
        when: "multiAz: true",
        matches: (i) => i.multiAz === true,
        seconds: 1050,
        basis: "https://github.com/hashicorp/terraform/issues/498",
      },
    ],
  },
  // Waits for the first backup replication to reach "replicating"; the provider's
  // create timeout is 75 min (terraform-provider-aws#25796), no typical figure found.
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
    seconds: 600,
    basis:
      "estimate: waits for status replicating (create timeout 75 min, https://github.com/hashicorp/terraform-provider-aws/pull/25796)",
  },
  "aws:rds/subnetGroup:SubnetGroup": api(3),
  "aws:rds/parameterGroup:ParameterGroup": api(3),

  // --- DocumentDB --------------------------------------------------------
  // No source found with a creation time: the cluster (storage volume only) is
  // quick, each instance is provisioned like an RDS instance.
  "aws:docdb/cluster:Cluster": {
    seconds: 120,
    basis: "estimate: cluster volume only, the instances are separate resources",
    variants: [
      {
        // DR-3: the cluster volume is filled from the snapshot before the cluster is available.
        when: "snapshotIdentifier set (snapshot restore), by the data it restores",
        matches: (i) => typeof i.snapshotIdentifier === "string" && i.snapshotIdentifier !== "",
        secondsFor: (i) =>
          120 + MODIFY_AFTER_RESTORE_SECONDS + Math.round(restoreDataGb(i) * RESTORE_SECONDS_PER_GB),
        seconds: 120 + 60 + 75 * 60,
        basis: restoreBasis(
          "the cluster's create figure",
          ", the cluster volume filling from S3 before the cluster is available, as Aurora's does (https://repost.aws/knowledge-center/aurora-mysql-slow-snapshot-restore)",
          "figure for 75 GB",
        ),
      },
    ],
  },
  "aws:docdb/clusterInstance:ClusterInstance": {
    seconds: 600,
    basis:
      "estimate: provisioned like a single-AZ RDS instance (5-10 min, https://github.com/hashicorp/terraform/issues/498)",
  },
  "aws:docdb/subnetGroup:SubnetGroup": api(3),
  "aws:docdb/clusterParameterGroup:ClusterParameterGroup": api(3),

  // --- ElastiCache -------------------------------------------------------
  // Sources give acceptance-test durations (a cache cluster create+destroy test took
  // 395 s, hashicorp/terraform#8275) and create timeouts raised to 60 min after Multi-AZ
  // replication groups exceeded 40 min (terraform-provider-aws#2048, #4093), not a typical time.
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    seconds: 600,
    basis:
      "estimate: https://github.com/hashicorp/terraform/pull/8275; https://github.com/hashicorp/terraform-provider-aws/pull/2048; https://github.com/hashicorp/terraform-provider-aws/pull/4093",
  },
  // Logged: "aws_elasticache_subnet_group ... Creation complete after 8s" / "after 2s".
  "aws:elasticache/subnetGroup:SubnetGroup": {
    seconds: 5,
    basis:
      "https://github.com/turbot/steampipe-plugin-aws/pull/184; https://github.com/turbot/steampipe-plugin-aws/pull/246",
  },
  "aws:elasticache/parameterGroup:ParameterGroup": api(3),

  // --- Network -----------------------------------------------------------
  // Logged VPC creates: 24 s, 13 s, 20 s, 39 s; subnets 7 s, 3 s, 5 s, 8 s.
  "aws:ec2/vpc:Vpc": {
    seconds: 20,
    basis:
      "https://github.com/turbot/steampipe-plugin-aws/pull/131; https://github.com/turbot/steampipe-plugin-aws/pull/571; https://github.com/turbot/steampipe-plugin-aws/pull/184",
  },
  "aws:ec2/subnet:Subnet": {
    seconds: 7,
    basis:
      "https://github.com/turbot/steampipe-plugin-aws/pull/131; https://github.com/turbot/steampipe-plugin-aws/pull/571",
  },
  // "aws_route_table_association ... Creation complete after 1s".
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    seconds: 1,
    basis: "https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2203",
  },
  // kops: a NAT gateway "can take up to 10 min ... from Pending to Available" and
  // "up to 5 min"; no typical figure given.
  "aws:ec2/natGateway:NatGateway": {
    seconds: 120,
    basis:
      "estimate: bounded by 5-10 min in https://github.com/kubernetes/kops/pull/944 and https://github.com/kubernetes/kops/pull/995",
  },
  "aws:ec2/eip:Eip": api(2),
  "aws:ec2/internetGateway:InternetGateway": api(3),
  "aws:ec2/routeTable:RouteTable": api(2),
  "aws:ec2/route:Route": api(2),
  // "aws_security_group ... Creation complete after 3s".
  "aws:ec2/securityGroup:SecurityGroup": {
    seconds: 3,
    basis: "https://github.com/DevopsArtFactory/terraform-provisioning/pull/47",
  },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": api(2),
  // Rules: "aws_security_group_rule ... Creation complete after 2s" to "after 5s".
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    seconds: 3,
    basis: "https://github.com/hashicorp-education/learn-terraform-variables/pull/6",
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    seconds: 3,
    basis: "https://github.com/hashicorp-education/learn-terraform-variables/pull/6",
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": {
    seconds: 5,
    basis: "estimate: a gateway endpoint is a route-table entry",
    variants: [
      {
        when: 'vpcEndpointType: "Interface"',
        matches: (i) => i.vpcEndpointType === "Interface",
        seconds: 90,
        basis: "estimate: network interfaces in each subnet go from pending to available",
      },
    ],
  },
  "aws:ec2/flowLog:FlowLog": api(3),

  // --- IAM, KMS, secrets ---------------------------------------------------
  "aws:iam/role:Role": { seconds: 15, basis: IAM_BASIS },
  // "aws_iam_role_policy_attachment ... Creation complete after 4s" (and 2 s, 0 s).
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    seconds: 4,
    basis:
      "https://github.com/turbot/steampipe-plugin-aws/pull/131; https://github.com/turbot/steampipe-plugin-aws/pull/571",
  },
  "aws:iam/rolePolicy:RolePolicy": { seconds: 5, basis: IAM_BASIS },
  "aws:iam/policy:Policy": { seconds: 5, basis: IAM_BASIS },
  "aws:kms/key:Key": {
    seconds: 10,
    basis: "estimate: CreateKey, then the provider waits for the key to be readable",
  },
  "aws:kms/alias:Alias": api(2),
  "aws:secretsmanager/secret:Secret": api(2),
  "aws:ssm/parameter:Parameter": api(2),
  "aws:secretsmanager/secretVersion:SecretVersion": api(2),

  // --- S3 ------------------------------------------------------------------
  "aws:s3/bucket:Bucket": api(5),
  "aws:s3/bucketV2:BucketV2": api(5),
  "aws:s3/bucketVersioning:BucketVersioning": api(2),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": api(2),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": api(2),
  "aws:s3/bucketPolicy:BucketPolicy": api(2),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": api(2),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": api(2),
  "aws:s3/bucketLoggingV2:BucketLoggingV2": api(2),
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": api(5),

  // --- Observability, notification, backup -----------------------------------
  "aws:cloudwatch/logGroup:LogGroup": api(2),
  "aws:cloudwatch/metricAlarm:MetricAlarm": api(2),
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": api(2),
  "aws:cloudwatch/dashboard:Dashboard": api(2),
  "aws:sns/topic:Topic": api(2),
  "aws:sns/topicPolicy:TopicPolicy": api(2),
  "aws:sns/topicSubscription:TopicSubscription": api(2),
  "aws:backup/vault:Vault": api(2),
  "aws:backup/plan:Plan": api(2),
  "aws:backup/selection:Selection": api(2),
  "aws:backup/regionSettings:RegionSettings": api(2),
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": api(2),
  "aws:backup/restoreTestingSelection:RestoreTestingSelection": api(2),

  // --- Edge: load balancing, DNS, certificates, WAF, CDN ------------------------
  // "when an ELB is first created ... it is very normal that it takes > 2 minutes"
  // (kubernetes#44695); "no more than 5" on most CI runs (terraform#24799).
  "aws:lb/loadBalancer:LoadBalancer": {
    seconds: 180,
    basis:
      "https://github.com/kubernetes/kubernetes/issues/44695; https://github.com/hashicorp/terraform/issues/24799",
  },
  "aws:lb/targetGroup:TargetGroup": api(2),
  "aws:lb/listener:Listener": api(2),
  "aws:lb/listenerRule:ListenerRule": api(2),
  // AWS: record changes "generally propagate to all Route 53 name servers within 60
  // seconds"; the provider waits for INSYNC. Logged: validation records "Creation
  // complete after 37s" / "39s".
  "aws:route53/record:Record": {
    seconds: 40,
    basis:
      "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-editing.html; https://github.com/hashicorp/terraform-provider-aws/pull/11300",
  },
  "aws:route53/healthCheck:HealthCheck": api(5),
  "aws:acm/certificate:Certificate": {
    seconds: 10,
    basis: "estimate: RequestCertificate, then the validation options appear",
  },
  // Waits for ISSUED once the validation record has propagated (the record is its own resource).
  "aws:acm/certificateValidation:CertificateValidation": {
    seconds: 120,
    basis:
      "estimate: ACM re-checks DNS after the record propagates (Route 53: within 60 s, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-editing.html)",
  },
  "aws:wafv2/webAcl:WebAcl": api(5),
  "aws:wafv2/webAclAssociation:WebAclAssociation": {
    seconds: 10,
    basis: "estimate: the provider retries until the load balancer accepts the ACL",
  },
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": api(3),
  // AWS's own waiter polls a new distribution every 60 s for up to 35 min; no typical figure found.
  "aws:cloudfront/distribution:Distribution": {
    seconds: 480,
    basis:
      "estimate: deployment to the edge fleet (waiter: 60 s polls, 35 attempts, https://docs.aws.amazon.com/cli/latest/reference/cloudfront/wait/distribution-deployed.html)",
  },

  // --- ECS, ECR, images -----------------------------------------------------
  "aws:ecs/cluster:Cluster": api(5),
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": api(5),
  "aws:ecs/taskDefinition:TaskDefinition": api(2),
  "aws:ecs/service:Service": {
    seconds: 30,
    basis: "estimate: CreateService returns before the tasks run",
    variants: [
      {
        // A maintainer: "A deployment should only take ~5mins if the boxes get healthy".
        when: "waitForSteadyState: true",
        matches: (i) => i.waitForSteadyState === true,
        seconds: 300,
        basis: "https://github.com/reown-com/blockchain-api/pull/46",
      },
    ],
  },
  "aws:appautoscaling/target:Target": api(2),
  "aws:appautoscaling/policy:Policy": api(2),
  "aws:ecr/repository:Repository": api(2),
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": api(2),
  "aws:ecr/replicationConfiguration:ReplicationConfiguration": api(2),
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": api(2),
  "docker:index/image:Image": {
    seconds: 180,
    basis: "estimate: a docker build and a push to ECR from the deploying machine; depends on the image",
  },

  // --- Kubernetes --------------------------------------------------------------
  // Helm waits for the release's resources up to its timeout, 300 s by default
  // (helm's --timeout 5m0s; gitlab-environment-toolkit#445 ran into it on first installs).
  "kubernetes:helm.sh/v3:Release": {
    seconds: 180,
    basis:
      "estimate: inside Helm's default 5-minute wait (https://gitlab.com/gitlab-org/gitlab-environment-toolkit/-/issues/445)",
  },
  // Pulumi awaits Deployment readiness (Available condition) and Ingress endpoints.
  "kubernetes:apps/v1:Deployment": {
    seconds: 90,
    basis:
      "estimate: Pulumi waits for the Available condition (https://pulumi.com/blog/improving-kubernetes-management-with-pulumis-await-logic/)",
  },
  "kubernetes:networking.k8s.io/v1:Ingress": {
    seconds: 180,
    basis: "estimate: the load balancer controller provisions an ALB (see aws:lb/loadBalancer:LoadBalancer)",
  },
};

/** Whole families by type prefix, after the exact types: providers and local resources take no time. */
export const PREFIX_SECONDS: readonly (readonly [string, Timing])[] = [
  ["pulumi:providers:", { seconds: 0, basis: "estimate: a provider is configured locally, no cloud call" }],
  ["random:", { seconds: 0, basis: "estimate: computed locally by the provider" }],
  ["tls:", { seconds: 0, basis: "estimate: computed locally by the provider" }],
  [
    "kubernetes:",
    { seconds: 2, basis: "estimate: one API server call, no await (Pulumi awaits only some kinds)" },
  ],
];

/** The fields the lookup reads: a `resources.json` record. */
export interface TimedRecord {
  readonly type: string;
  readonly custom: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface Provisioning extends Timing {
  /** `type`, `type (variant)`, `prefix*`, `component` or `default`: which row gave the figure. */
  readonly row: string;
  /** False where the type is not in the table (the default figure was used). */
  readonly known: boolean;
}

/** The figure for one record: components 0, exact type (first matching variant), type prefix, else the default. */
export function provisioningTime(record: TimedRecord): Provisioning {
  if (!record.custom) {
    return {
      seconds: COMPONENT_SECONDS,
      basis: "components take no time of their own",
      row: "component",
      known: true,
    };
  }
  const entry = PROVISIONING_SECONDS[record.type];
  if (entry) {
    const variant = entry.variants?.find((v) => v.matches(record.inputs));
    return variant
      ? {
          seconds: variant.secondsFor ? variant.secondsFor(record.inputs) : variant.seconds,
          basis: variant.basis,
          row: `${record.type} (${variant.when})`,
          known: true,
        }
      : { seconds: entry.seconds, basis: entry.basis, row: record.type, known: true };
  }
  const prefix = PREFIX_SECONDS.find(([p]) => record.type.startsWith(p));
  if (prefix) return { ...prefix[1], row: `${prefix[0]}*`, known: true };
  return { ...DEFAULT_CUSTOM, row: "default", known: false };
}
