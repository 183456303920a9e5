import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
  API_PORT,
  EKS_TIER_TAGS,
  EksGroup,
  clusterRules,
  privateAccessProblems,
  privateAccessRules,
  publicAccessProblems,
  ruleName,
} from "./clusterSecurity";
import {
  CLUSTER_ADMIN_ACCESS_POLICY,
  CLUSTER_MANAGED_POLICIES,
  NODE_MANAGED_POLICIES,
  STS_AUDIENCE,
  VPC_CNI_MANAGED_POLICY,
  VPC_CNI_SERVICE_ACCOUNT,
  accessEntryProblems,
  accessPolicyArn,
  clusterRolePolicy,
  clusterTrustPolicy,
  irsaTrustPolicy,
  managedPolicyArn,
  nodeTrustPolicy,
  principalName,
} from "./eksIam";
import { kubeconfig } from "./kubeconfig";

/** K8S-1: every control-plane log type (EKS User Guide, "Send control plane logs to CloudWatch Logs"). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** K8S-9: the Kubernetes group developers' access entries map to; the namespace `developer` Role is bound to it. */
export const DEVELOPER_GROUP = "developers";

/**
 * K8S-7: the vpc-cni add-on's configuration. Without `enableNetworkPolicy`
 * EKS accepts NetworkPolicy objects and enforces none of them (EKS User Guide,
 * "Restrict Pod network traffic with Kubernetes network policies", step 2:
 * the JSON key `enableNetworkPolicy` with the string value `"true"`).
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/**
 * K8S-1, K8S-4: the managed add-ons, in the order they are created. The first
 * three are DaemonSets and go in before the nodes (nodes stay NotReady without
 * a CNI); CoreDNS and metrics-server are Deployments and wait for the nodes, or
 * EKS would report them degraded with nowhere to schedule.
 *
 * metrics-server (K8S-4) serves the metrics API (metrics.k8s.io) the HPAs'
 * CPU and memory targets read; EKS installs none by default. It is an EKS
 * *community* add-on (EKS User Guide, "Community add-ons": add-on name
 * `metrics-server`, namespace kube-system, no IAM; `aws eks
 * describe-addon-versions --addon-name metrics-server` reports owner
 * "community"): AWS validates its versions against the cluster's Kubernetes
 * version and runs its lifecycle, the upstream project supports the software.
 * Unpinned like the others; the versions EKS offers for a cluster are
 * `aws eks describe-addon-versions --addon-name metrics-server
 * --kubernetes-version <version>` (a version with none fails the create).
 * Its pods serve on 10251, which the control plane reaches through
 * ./clusterSecurity's METRICS_SERVER_PORT rows.
 */
export const ADDONS = [
  "vpc-cni",
  "kube-proxy",
  "eks-pod-identity-agent",
  "coredns",
  "metrics-server",
] as const;

/**
 * K8S-1: nodes run the EKS-optimized Amazon Linux 2023 AMI for x86: the
 * program builds images for linux/amd64 (ImageBuild), and EKS picks the AMI
 * matching the cluster version, so there is no AMI id to keep current.
 */
export const NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";

/** The root device of the EKS-optimized AL2023 AMIs. */
const ROOT_DEVICE = "/dev/xvda";

type Tags = (role: string) => Record<string, string>;

export interface EksNodeGroupArgs {
  /** EC2 instance types of the managed node group (x86_64: NODE_AMI_TYPE). */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Encrypted gp3 root volume, GiB (at least 20: the AMI's own size). */
  readonly diskSizeGib: number;
}

export interface EksClusterArgs {
  /**
   * K8S-1: the EKS Kubernetes minor version, e.g. "1.35" (on EKS since
   * 2026-01-28, standard support to 2027-03-27; "1.34" ends standard support
   * 2026-12-02: EKS User Guide, "Understand the Kubernetes version lifecycle on
   * EKS", release calendar; endoflife.date/amazon-eks). Control plane and nodes
   * use the same version.
   */
  readonly kubernetesVersion: string;
  readonly vpcId: pulumi.Input<string>;
  /** NET-4, K8S-1: the private app subnets (nodes and the control plane's network interfaces), 2 AZs at least. */
  readonly subnetIds: pulumi.Input<string>[];
  /**
   * NET-3: the app tier's security group, attached to every node. With the VPC
   * CNI pods use their node's groups, so the data tier (which admits the app
   * tier) admits pods, and pods get the app tier's HTTPS egress.
   */
  readonly appSecurityGroupId: pulumi.Input<string>;
  /**
   * K8S-1: CIDRs allowed to reach the public API endpoint. Empty keeps the
   * endpoint private (reachable from the VPC only); 0.0.0.0/0 is refused.
   * @default []
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * K8S-1: private networks (RFC 1918: the VPC's own subnets, a peered VPC, a
   * VPN's client range) whose machines may reach the private API endpoint on
   * 443: the CI runners, a bastion, an operator. The control plane's group
   * admits only the nodes otherwise, so "inside the VPC" alone is not enough.
   * Public ranges are refused (publicAccessCidrs is for those). @default []
   */
  readonly privateAccessCidrs?: readonly string[];
  /**
   * K8S-1: security groups (of this VPC, or a VPC peered with it in the
   * Region) whose members may reach the private API endpoint on 443, e.g. the
   * CI runner's. They must exist before the cluster's rules are created.
   * @default []
   */
  readonly privateAccessSecurityGroupIds?: readonly string[];
  /** K8S-1: IAM principals (access entries) with AmazonEKSClusterAdminPolicy on the whole cluster. At least one. */
  readonly adminRoleArns: readonly string[];
  /**
   * K8S-9: IAM principals whose access entries map to the Kubernetes group
   * `developers` (DEVELOPER_GROUP) and nothing else: no EKS access policy; the
   * namespace Role bound to that group is all they get. @default []
   */
  readonly developerRoleArns?: readonly string[];
  /** K8S-1: the managed node group over `subnetIds`. */
  readonly nodeGroup: EksNodeGroupArgs;
  /** K8S-1: days to keep the control-plane logs (`/aws/eks/<cluster>/cluster`). */
  readonly logRetentionDays: number;
  /** K8S-1: customer-managed key (allowing CloudWatch Logs) for that log group. */
  readonly logsKmsKeyArn: pulumi.Input<string>;
  /** K8S-1, K8S-10: customer-managed key for envelope encryption of Secrets (components/security/KmsKey.ts). */
  readonly secretsKmsKeyArn: pulumi.Input<string>;
  /**
   * K8S-1: customer-managed key of the nodes' root volumes (a KmsKey with
   * `allowEc2AutoScaling`, so the node group's Auto Scaling group may launch
   * with it). Without one EBS would use the account's default key.
   */
  readonly nodeVolumeKmsKeyArn: pulumi.Input<string>;
  /** The Region of the provider the component is created with; the kubeconfig signs tokens for it. */
  readonly region: string;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** EKS CreateCluster `name`: alphanumerics, hyphens and underscores, starting alphanumeric, at most 100 characters. */
const CLUSTER_NAME = /^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/;

/** K8S-1: everything wrong with `args`, one line each (empty when they are fine). */
export function eksClusterProblems(name: string, args: EksClusterArgs): string[] {
  const problems: string[] = [];
  if (!CLUSTER_NAME.test(name))
    problems.push(`cluster name ${name}: letters, digits, - and _ only, starting alphanumeric, at most 100`);
  if (!/^1\.\d{2}$/.test(args.kubernetesVersion))
    problems.push(`kubernetesVersion ${args.kubernetesVersion}: an EKS minor version such as "1.35"`);
  if (args.subnetIds.length < 2) problems.push("subnetIds: EKS needs subnets in at least two AZs");
  problems.push(...publicAccessProblems(args.publicAccessCidrs ?? []));
  problems.push(
    ...privateAccessProblems(args.privateAccessCidrs ?? [], args.privateAccessSecurityGroupIds ?? []),
  );
  problems.push(...accessEntryProblems(args.adminRoleArns, args.developerRoleArns ?? []));
  const g = args.nodeGroup;
  if (g.instanceTypes.length === 0) problems.push("nodeGroup.instanceTypes: at least one");
  if (!(g.minSize >= 0 && g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize && g.maxSize >= 1))
    problems.push(
      `nodeGroup sizes ${g.minSize}/${g.desiredSize}/${g.maxSize}: need 0 <= min <= desired <= max, max >= 1`,
    );
  if (g.diskSizeGib < 20)
    problems.push(`nodeGroup.diskSizeGib ${g.diskSizeGib}: at least 20 (the AMI's size)`);
  return problems;
}

/**
 * K8S-1: an EKS cluster from @pulumi/aws resources only.
 *
 * - Control plane: API endpoint private (public only for listed CIDRs), all
 *   five log types into a pre-created encrypted log group, Secrets
 *   envelope-encrypted with the customer key, access entries only (`API`, no
 *   aws-auth ConfigMap) and no implicit admin for whoever runs `pulumi up`;
 *   EKS's self-managed add-ons are not bootstrapped (the managed ones replace them).
 * - Access: admins get AmazonEKSClusterAdminPolicy cluster-wide; developers
 *   only the Kubernetes group `developers` (K8S-9). `access` lists every entry
 *   and association: a Kubernetes provider must depend on them, or its first
 *   calls race the grants (401/403) and, on destroy, the grants go in the
 *   first wave and every Kubernetes delete after them is refused.
 * - Nodes: a managed node group over the app subnets (AL2023) from a launch
 *   template requiring IMDSv2 with a hop limit of 1: a pod's request to the
 *   node's metadata service is one hop too many, so pods cannot take the node
 *   role's credentials (EKS Best Practices, "Restrict access to the instance
 *   profile assigned to the worker node"); pods use IRSA/Pod Identity. A gp3
 *   root volume encrypted with the nodes' own customer-managed key; the node
 *   group and NET-3 app tier security groups.
 * - Security groups: the ./clusterSecurity table, a resource per rule, and
 *   the private endpoint opened on 443 to `privateAccessCidrs` and
 *   `privateAccessSecurityGroupIds`.
 * - IAM (./eksIam): cluster, node and VPC CNI (IRSA) roles; an IAM OIDC
 *   provider whose thumbprint is read from the issuer's certificate chain.
 * - Add-ons: vpc-cni (network policies enforced, K8S-7), kube-proxy,
 *   eks-pod-identity-agent, coredns, metrics-server (K8S-4). Versions are not
 *   pinned: EKS installs its default for the cluster's Kubernetes version and
 *   an upgrade is a deliberate step. Conflicts resolve to OVERWRITE, so this
 *   configuration wins over edits made inside the cluster (e.g. network
 *   policies switched off in aws-node).
 */
export class EksCluster extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly certificateAuthorityData: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** The OIDC issuer without `https://` (what IRSA trust conditions are keyed by). */
  public readonly oidcIssuer: pulumi.Output<string>;
  /** The security group EKS creates for the cluster (`vpcConfig.clusterSecurityGroupId`). */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  public readonly nodeRoleArn: pulumi.Output<string>;
  /** A kubeconfig using `aws eks get-token` (no credential inside; secret all the same). */
  public readonly kubeconfig: pulumi.Output<string>;
  /**
   * The managed add-ons pods need to be scheduled, networked and resolve
   * names (ADDONS order, metrics-server aside), for `dependsOn`.
   */
  public readonly addons: aws.eks.Addon[];
  /**
   * K8S-4: the metrics-server add-on, which serves metrics.k8s.io: an HPA
   * scaling on CPU or memory reads nothing until it runs.
   */
  public readonly metricsServer: aws.eks.Addon;
  /**
   * K8S-1, K8S-9: every access entry and access policy association. The
   * cluster grants its creator nothing, so a Kubernetes provider for it must
   * depend on all of them (see the class comment).
   */
  public readonly access: readonly pulumi.Resource[];

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:kubernetes:EksCluster", name, {}, opts);
    const problems = eksClusterProblems(name, args);
    if (problems.length > 0) throw new Error(`EksCluster ${name}:\n  ${problems.join("\n  ")}`);
    const publicCidrs = args.publicAccessCidrs ?? [];
    const baseTags = args.tags ?? {};
    const tags: Tags = (role) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const attach = (role: aws.iam.Role, policy: string) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy}`,
        { role: role.name, policyArn: partition.apply((p) => managedPolicyArn(p, policy)) },
        parent,
      );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      {
        // The name EKS writes to; created first so it has retention and encryption from the start.
        name: `/aws/eks/${name}/cluster`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.logsKmsKeyArn,
        tags: tags("control-plane-logs"),
      },
      parent,
    );

    const clusterRole = new aws.iam.Role(
      `${name}-cluster`,
      {
        description: `EKS control plane of ${name}`,
        assumeRolePolicy: JSON.stringify(clusterTrustPolicy()),
        tags: tags("cluster-role"),
      },
      parent,
    );
    const clusterRoleGrants = [
      ...CLUSTER_MANAGED_POLICIES.map((p) => attach(clusterRole, p)),
      new aws.iam.RolePolicy(
        `${name}-cluster`,
        {
          role: clusterRole.id,
          policy: pulumi
            .all([pulumi.output(args.secretsKmsKeyArn), logGroup.arn])
            .apply(([key, group]) => JSON.stringify(clusterRolePolicy(key, group))),
        },
        parent,
      ),
    ];

    const { groups, rules } = this.securityGroups(name, args, tags);

    const cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name,
        version: args.kubernetesVersion,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          securityGroupIds: [groups.cluster.id],
          endpointPrivateAccess: true,
          endpointPublicAccess: publicCidrs.length > 0,
          ...(publicCidrs.length > 0 ? { publicAccessCidrs: [...publicCidrs] } : {}),
        },
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: args.secretsKmsKeyArn } },
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        // The managed add-ons below are the only CNI, kube-proxy and CoreDNS.
        bootstrapSelfManagedAddons: false,
        tags: tags("cluster"),
      },
      { parent: this, dependsOn: [logGroup, ...clusterRoleGrants] },
    );

    const access = this.accessEntries(name, cluster, args, partition);

    // IRSA: the cluster's OIDC issuer as an IAM identity provider.
    const issuerUrl = cluster.identities.apply((ids) => {
      const issuer = ids?.[0]?.oidcs?.[0]?.issuer;
      if (!issuer) throw new Error(`EksCluster ${name}: EKS reported no OIDC issuer`);
      return issuer;
    });
    const chain = tls.getCertificateOutput({ url: issuerUrl }, parent);
    const oidc = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      {
        url: issuerUrl,
        clientIdLists: [STS_AUDIENCE],
        // The root of the chain comes first (tls.getCertificate), and IAM pins that CA.
        thumbprintLists: [chain.certificates.apply((c) => c[0].sha1Fingerprint)],
        tags: tags("oidc"),
      },
      parent,
    );
    const issuerHostPath = issuerUrl.apply((u) => u.replace(/^https:\/\//, ""));

    const cniRole = new aws.iam.Role(
      `${name}-vpc-cni`,
      {
        description: `VPC CNI (kube-system/aws-node) of ${name}, through IRSA`,
        assumeRolePolicy: pulumi
          .all([oidc.arn, issuerHostPath])
          .apply(([arn, issuer]) =>
            JSON.stringify(
              irsaTrustPolicy(arn, issuer, VPC_CNI_SERVICE_ACCOUNT.namespace, VPC_CNI_SERVICE_ACCOUNT.name),
            ),
          ),
        tags: tags("vpc-cni-role"),
      },
      parent,
    );
    const cniPolicy = attach(cniRole, VPC_CNI_MANAGED_POLICY);

    const addon = (
      addonName: (typeof ADDONS)[number],
      extra: Partial<aws.eks.AddonArgs>,
      dependsOn: pulumi.Resource[],
    ) =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: cluster.name,
          addonName,
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          ...extra,
          tags: tags(addonName),
        },
        { parent: this, dependsOn },
      );
    const beforeNodes = [
      addon(
        "vpc-cni",
        { serviceAccountRoleArn: cniRole.arn, configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) },
        [cniPolicy],
      ),
      addon("kube-proxy", {}, []),
      addon("eks-pod-identity-agent", {}, []),
    ];

    const nodes = this.nodes(name, args, cluster, groups.node, [...rules, ...beforeNodes], attach, tags);
    this.addons = [...beforeNodes, addon("coredns", {}, [nodes.nodeGroup])];
    this.metricsServer = addon("metrics-server", {}, [nodes.nodeGroup]);
    this.access = access;

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.apply((ca) => {
      if (!ca?.data) throw new Error(`EksCluster ${name}: EKS reported no certificate authority`);
      return ca.data;
    });
    this.oidcProviderArn = oidc.arn;
    this.oidcIssuer = issuerHostPath;
    this.clusterSecurityGroupId = cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId);
    this.nodeSecurityGroupId = groups.node.id;
    this.nodeRoleArn = nodes.nodeRole.arn;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, this.certificateAuthorityData])
        .apply(([clusterName, endpoint, certificateAuthorityData]) =>
          kubeconfig({ clusterName, endpoint, certificateAuthorityData, region: args.region }),
        ),
    );
    const { clusterName, clusterArn, endpoint, certificateAuthorityData, oidcProviderArn, oidcIssuer } = this;
    const { clusterSecurityGroupId, nodeSecurityGroupId, nodeRoleArn } = this;
    this.registerOutputs({
      ...{ clusterName, clusterArn, endpoint, certificateAuthorityData, oidcProviderArn, oidcIssuer },
      ...{ clusterSecurityGroupId, nodeSecurityGroupId, nodeRoleArn, kubeconfig: this.kubeconfig },
    });
  }

  /** The ./clusterSecurity table: two groups, each rule a resource of its own (as components/network does). */
  private securityGroups(name: string, args: EksClusterArgs, tags: Tags) {
    const parent = { parent: this };
    const group = (g: EksGroup, description: string, extra: Record<string, string>) =>
      new aws.ec2.SecurityGroup(
        `${name}-${g}`,
        {
          vpcId: args.vpcId,
          description,
          // Rules are separate resources; the provider strips AWS's default allow-all egress.
          revokeRulesOnDelete: true,
          tags: { ...tags(`${g}-sg`), "platform/tier": EKS_TIER_TAGS[g], ...extra },
        },
        parent,
      );
    const groups: Record<EksGroup, aws.ec2.SecurityGroup> = {
      cluster: group("cluster", `${name} EKS control plane (K8S-1)`, {}),
      // The one group per node a LoadBalancer Service's controller may open NodePorts on (never the app tier's).
      node: group("node", `${name} EKS nodes (K8S-1)`, { [`kubernetes.io/cluster/${name}`]: "owned" }),
    };
    const rules = clusterRules().map((rule) => {
      const ruleArgs = {
        securityGroupId: groups[rule.group].id,
        ipProtocol: rule.protocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        referencedSecurityGroupId: groups[rule.peer].id,
        description: rule.description,
        tags: tags(ruleName(rule)),
      };
      return rule.direction === "ingress"
        ? new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName(rule)}`, ruleArgs, parent)
        : new aws.vpc.SecurityGroupEgressRule(`${name}-${ruleName(rule)}`, ruleArgs, parent);
    });
    // K8S-1: operators' and CI's networks and groups to the private endpoint (config, not the table).
    for (const rule of privateAccessRules(
      args.privateAccessCidrs ?? [],
      args.privateAccessSecurityGroupIds ?? [],
    )) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${rule.name}`,
        {
          securityGroupId: groups.cluster.id,
          ipProtocol: "tcp",
          fromPort: API_PORT,
          toPort: API_PORT,
          ...(rule.cidr ? { cidrIpv4: rule.cidr } : { referencedSecurityGroupId: rule.securityGroupId }),
          description: rule.description,
          tags: tags(rule.name),
        },
        parent,
      );
    }
    return { groups, rules };
  }

  /**
   * K8S-1, K8S-9: one access entry per principal; admins get the cluster-admin
   * access policy, developers a group only. Returns every entry and association.
   */
  private accessEntries(
    name: string,
    cluster: aws.eks.Cluster,
    args: EksClusterArgs,
    partition: pulumi.Output<string>,
  ): pulumi.Resource[] {
    const entry = (kind: string, principalArn: string, kubernetesGroups?: string[]) =>
      new aws.eks.AccessEntry(
        `${name}-${kind}-${principalName(principalArn)}`,
        { clusterName: cluster.name, principalArn, type: "STANDARD", kubernetesGroups },
        { parent: this },
      );
    const admins = args.adminRoleArns.flatMap((principalArn) => {
      const adminEntry = entry("admin", principalArn);
      const policyArn = partition.apply((p) => accessPolicyArn(p, CLUSTER_ADMIN_ACCESS_POLICY));
      const association = new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${principalName(principalArn)}`,
        { clusterName: cluster.name, principalArn, policyArn, accessScope: { type: "cluster" } },
        { parent: this, dependsOn: [adminEntry] },
      );
      return [adminEntry, association];
    });
    const developers = (args.developerRoleArns ?? []).map((principalArn) =>
      entry("developer", principalArn, [DEVELOPER_GROUP]),
    );
    return [...admins, ...developers];
  }

  /** K8S-1: the node role, the IMDSv2-only launch template and the managed node group. */
  private nodes(
    name: string,
    args: EksClusterArgs,
    cluster: aws.eks.Cluster,
    nodeGroupSg: aws.ec2.SecurityGroup,
    prerequisites: pulumi.Resource[],
    attach: (role: aws.iam.Role, policy: string) => aws.iam.RolePolicyAttachment,
    tags: Tags,
  ) {
    const parent = { parent: this };
    const nodeRole = new aws.iam.Role(
      `${name}-node`,
      {
        description: `EKS nodes of ${name}`,
        assumeRolePolicy: JSON.stringify(nodeTrustPolicy()),
        tags: tags("node-role"),
      },
      parent,
    );
    const grants = NODE_MANAGED_POLICIES.map((p) => attach(nodeRole, p));
    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-nodes`,
      {
        description: `EKS nodes of ${name}: IMDSv2 only, hop limit 1, encrypted gp3 root (K8S-1)`,
        // No AMI, instance type or profile here: the node group supplies them (EKS-optimized AL2023).
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          // One hop: the node itself reaches IMDS, a pod (one network hop further) cannot.
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        blockDeviceMappings: [
          {
            deviceName: ROOT_DEVICE,
            ebs: {
              volumeSize: args.nodeGroup.diskSizeGib,
              volumeType: "gp3",
              encrypted: "true",
              kmsKeyId: args.nodeVolumeKmsKeyArn,
              deleteOnTermination: "true",
            },
          },
        ],
        // These replace the cluster security group EKS would otherwise put on the nodes.
        vpcSecurityGroupIds: [nodeGroupSg.id, args.appSecurityGroupId],
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags: tags("node"),
        })),
        updateDefaultVersion: true,
        tags: tags("nodes-lt"),
      },
      parent,
    );
    const { instanceTypes, minSize, maxSize, desiredSize } = args.nodeGroup;
    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: cluster.name,
        version: args.kubernetesVersion,
        nodeRoleArn: nodeRole.arn,
        subnetIds: args.subnetIds,
        amiType: NODE_AMI_TYPE,
        capacityType: "ON_DEMAND",
        instanceTypes: [...instanceTypes],
        scalingConfig: { minSize, maxSize, desiredSize },
        // One node at a time, so a node-group update keeps the PDBs (K8S-5) satisfiable.
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        tags: tags("nodes"),
      },
      // Nodes join only with their role's policies, a path to the API and a CNI in place.
      { parent: this, dependsOn: [...grants, ...prerequisites] },
    );
    return { nodeRole, nodeGroup };
  }
}
