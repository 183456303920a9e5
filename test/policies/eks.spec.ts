/**
 * EKS rules of the policy pack (K8S-1, K8S-6, K8S-7, K8S-9, K8S-10, NET-4..6): each passes the
 * cluster, node group, launch template and add-ons the program declares, and reports each
 * departure with its exact message.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import networkPolicyAddon from "../../policies/rules/eks/eks-addon-require-network-policy";
import accessEntries from "../../policies/rules/eks/eks-cluster-require-access-entries";
import logs from "../../policies/rules/eks/eks-cluster-require-control-plane-logs";
import privateEndpoint from "../../policies/rules/eks/eks-cluster-require-private-endpoint";
import secretsEncryption from "../../policies/rules/eks/eks-cluster-require-secrets-encryption";
import remoteAccess from "../../policies/rules/eks/eks-nodegroup-forbid-remote-access";
import imdsv2 from "../../policies/rules/eks/eks-nodegroup-require-imdsv2";
import { FakeResource, violations } from "../harness";

const T = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  addon: "aws:eks/addon:Addon",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
} as const;

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The cluster as K8S-1 wants it: private endpoint, public only from CI's CIDR, all logs, KMS, access entries. */
const cluster: Unwrap<aws.eks.ClusterArgs> = {
  roleArn: "arn:aws:iam::123456789012:role/psi-prod-eks-cluster",
  version: "1.33",
  vpcConfig: {
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    endpointPrivateAccess: true,
    endpointPublicAccess: true,
    publicAccessCidrs: ["203.0.113.0/24"],
  },
  enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY } },
  accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
};
const withCluster = (change: Partial<Unwrap<aws.eks.ClusterArgs>>): FakeResource[] => [
  { type: T.cluster, name: "eks", props: { ...cluster, ...change } },
];
const vpc = (change: Partial<Unwrap<aws.eks.ClusterArgs>["vpcConfig"]>) =>
  withCluster({ vpcConfig: { ...cluster.vpcConfig, ...change } });

const accessEntry: Unwrap<aws.eks.AccessEntryArgs> = {
  clusterName: "psi-prod-eks",
  principalArn: "arn:aws:iam::123456789012:role/psi-prod-deployer",
};

const launchTemplate: Unwrap<aws.ec2.LaunchTemplateArgs> = {
  metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
};
const nodeGroup: Unwrap<aws.eks.NodeGroupArgs> = {
  clusterName: "psi-prod-eks",
  nodeRoleArn: "arn:aws:iam::123456789012:role/psi-prod-eks-nodes",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 6 },
  // The template's id output: the node group depends on the template through this input.
  launchTemplate: { id: "lt-0123456789abcdef0", version: "1" },
};
/** A node group and its launch template, linked as the engine records `launchTemplate: { id: lt.id }`. */
const nodes = (
  group: object = nodeGroup,
  template: object = launchTemplate,
  linked = true,
): FakeResource[] => [
  { type: T.launchTemplate, name: "eks-nodes-lt", props: template },
  {
    type: T.nodeGroup,
    name: "eks-nodes",
    props: group,
    refs: linked ? { launchTemplate: ["eks-nodes-lt"] } : {},
  },
];

const vpcCni: Unwrap<aws.eks.AddonArgs> = {
  clusterName: "psi-prod-eks",
  addonName: "vpc-cni",
  configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
};
const denyAll = {
  metadata: { name: "default-deny", namespace: "production" },
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
};
/** The cluster, its add-on (linked by clusterName) and one NetworkPolicy. */
const withAddon = (addon: object | undefined, policies = 1): FakeResource[] => [
  { type: T.cluster, name: "eks", props: cluster },
  ...(addon ? [{ type: T.addon, name: "eks-vpc-cni", props: addon, refs: { clusterName: ["eks"] } }] : []),
  ...Array.from({ length: policies }, (_, i) => ({ type: T.networkPolicy, name: `np-${i}`, props: denyAll })),
];

describe("EKS rules pass the cluster K8S-1 describes", () => {
  test.each([privateEndpoint, logs, secretsEncryption])("K8S-1: $name", async (rule) => {
    expect(await violations(rule, withCluster({}))).toEqual([]);
  });

  test("K8S-1: a private-only endpoint passes without publicAccessCidrs", async () => {
    expect(
      await violations(privateEndpoint, vpc({ endpointPublicAccess: false, publicAccessCidrs: undefined })),
    ).toEqual([]);
  });

  test("K8S-1/K8S-9: API authentication, no creator admin and a deployer access entry pass", async () => {
    const world: FakeResource[] = [
      ...withCluster({}),
      { type: T.accessEntry, name: "eks-deployer", props: accessEntry, refs: { clusterName: ["eks"] } },
    ];
    expect(await violations(accessEntries, world)).toEqual([]);
  });

  test("K8S-1/K8S-6: a node group on a template requiring IMDSv2 with hop limit 1 passes, by dependency or by id", async () => {
    expect(await violations(imdsv2, nodes())).toEqual([]);
    const byId = { ...launchTemplate, id: "lt-0123456789abcdef0" };
    expect(await violations(imdsv2, nodes(nodeGroup, byId, false))).toEqual([]);
    expect(await violations(remoteAccess, nodes())).toEqual([]);
  });

  test("K8S-7: NetworkPolicies with the vpc-cni add-on enforcing them pass; a stack without NetworkPolicies needs none", async () => {
    expect(await violations(networkPolicyAddon, withAddon(vpcCni))).toEqual([]);
    expect(await violations(networkPolicyAddon, withAddon(undefined, 0))).toEqual([]);
  });
});

describe("EKS rules report each departure", () => {
  test("K8S-1/NET-4: no private endpoint and a public one open to the world are reported", async () => {
    expect(
      await violations(
        privateEndpoint,
        vpc({ endpointPrivateAccess: false, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }),
      ),
    ).toEqual([
      "mandatory: vpcConfig.endpointPrivateAccess is not true: nodes would reach the Kubernetes API over its public endpoint",
      "mandatory: vpcConfig.publicAccessCidrs includes 0.0.0.0/0: the API endpoint is open to the internet",
    ]);
  });

  test("K8S-1: AWS's defaults (public endpoint from anywhere) are reported", async () => {
    expect(
      await violations(
        privateEndpoint,
        withCluster({ vpcConfig: { subnetIds: ["subnet-a"], endpointPrivateAccess: true } }),
      ),
    ).toEqual([
      "mandatory: vpcConfig.endpointPublicAccess is not set (AWS defaults to true) with no publicAccessCidrs (AWS defaults to 0.0.0.0/0); disable it or name the CIDRs allowed",
    ]);
  });

  test("K8S-1/NET-5: missing control plane log types are named", async () => {
    expect(await violations(logs, withCluster({ enabledClusterLogTypes: ["api", "authenticator"] }))).toEqual(
      [
        "mandatory: enabledClusterLogTypes lacks audit, controllerManager, scheduler: enable every control plane log type",
      ],
    );
    expect(await violations(logs, withCluster({ enabledClusterLogTypes: undefined }))).toEqual([
      "mandatory: enabledClusterLogTypes lacks api, audit, authenticator, controllerManager, scheduler: enable every control plane log type",
    ]);
  });

  test("K8S-1/K8S-10: no secrets encryption, and encryption without a key, are reported", async () => {
    expect(await violations(secretsEncryption, withCluster({ encryptionConfig: undefined }))).toEqual([
      'mandatory: encryptionConfig does not cover "secrets": Secrets would sit in etcd under AWS-owned keys only',
    ]);
    expect(
      await violations(
        secretsEncryption,
        withCluster({ encryptionConfig: { resources: ["secrets"], provider: { keyArn: "" } } }),
      ),
    ).toEqual([
      "mandatory: encryptionConfig for secrets names no provider.keyArn; use a customer-managed KMS key",
    ]);
  });

  test("K8S-1/K8S-9: CONFIG_MAP authentication, a creator admin and no access entry are each reported", async () => {
    expect(
      await violations(
        accessEntries,
        withCluster({
          accessConfig: {
            authenticationMode: "API_AND_CONFIG_MAP",
            bootstrapClusterCreatorAdminPermissions: true,
          },
        }),
      ),
    ).toEqual([
      "mandatory: EKS cluster eks: accessConfig.authenticationMode is API_AND_CONFIG_MAP; use API so access is only what access entries grant",
      "mandatory: EKS cluster eks: accessConfig.bootstrapClusterCreatorAdminPermissions is true: the creating identity would be a hidden cluster admin; set it to false and grant access by access entries",
      "mandatory: EKS cluster eks: no access entry of this stack names the cluster: no principal could administer it",
    ]);
    // AWS's defaults, and an access entry naming another cluster.
    const other: FakeResource = {
      type: T.accessEntry,
      name: "other",
      props: { ...accessEntry, clusterName: "other" },
    };
    expect(
      await violations(accessEntries, [
        ...withCluster({ name: "psi-prod-eks", accessConfig: undefined }),
        other,
      ]),
    ).toEqual([
      "mandatory: EKS cluster psi-prod-eks: accessConfig.authenticationMode is not set (CONFIG_MAP); use API so access is only what access entries grant",
      "mandatory: EKS cluster psi-prod-eks: accessConfig.bootstrapClusterCreatorAdminPermissions is not set (true): the creating identity would be a hidden cluster admin; set it to false and grant access by access entries",
      "mandatory: EKS cluster psi-prod-eks: no access entry of this stack names the cluster: no principal could administer it",
    ]);
    // Named literally, the entry counts.
    const literal: FakeResource = { type: T.accessEntry, name: "deployer", props: accessEntry };
    expect(await violations(accessEntries, [...withCluster({ name: "psi-prod-eks" }), literal])).toEqual([]);
  });

  test("K8S-6: IMDSv1 allowed and a hop limit of 2 are reported on the launch template", async () => {
    const loose = { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } };
    expect(await violations(imdsv2, nodes(nodeGroup, loose))).toEqual([
      "mandatory: node group eks-nodes: launch template eks-nodes-lt metadataOptions.httpTokens is optional; set required (IMDSv2)",
      "mandatory: node group eks-nodes: launch template eks-nodes-lt metadataOptions.httpPutResponseHopLimit is 2; set 1 so pods cannot reach the node's credentials",
    ]);
    expect(await violations(imdsv2, nodes(nodeGroup, {}))).toEqual([
      "mandatory: node group eks-nodes: launch template eks-nodes-lt metadataOptions.httpTokens is not set; set required (IMDSv2)",
      "mandatory: node group eks-nodes: launch template eks-nodes-lt metadataOptions.httpPutResponseHopLimit is not set; set 1 so pods cannot reach the node's credentials",
    ]);
  });

  test("K8S-6: a node group without a launch template, or on one the stack does not declare, is reported", async () => {
    const bare = { ...nodeGroup, launchTemplate: undefined };
    expect(await violations(imdsv2, nodes(bare, launchTemplate, false))).toEqual([
      "mandatory: node group eks-nodes has no launchTemplate: its nodes' metadata options would be EKS's defaults; launch them from a template requiring IMDSv2",
    ]);
    expect(await violations(imdsv2, nodes(nodeGroup, launchTemplate, false))).toEqual([
      "mandatory: node group eks-nodes's launch template lt-0123456789abcdef0 is not declared in this stack: its metadata options cannot be checked",
    ]);
  });

  test("K8S-6: a stack allowing 2 hops (e.g. for a node agent) sets maxHopLimit in policy config", async () => {
    const twoHops = { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } };
    const config = { "eks-nodegroup-require-imdsv2": { maxHopLimit: 2 } };
    expect(await violations(imdsv2, nodes(nodeGroup, twoHops), config)).toEqual([]);
  });

  test("NET-6: SSH remote access on a node group is reported, louder without source security groups", async () => {
    const ssh = (sourceSecurityGroupIds?: string[]) =>
      nodes({ ...nodeGroup, remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds } });
    expect(await violations(remoteAccess, ssh())).toEqual([
      "mandatory: remoteAccess opens SSH (port 22) on every node from anywhere (no sourceSecurityGroupIds); use SSM Session Manager or kubectl",
    ]);
    expect(await violations(remoteAccess, ssh(["sg-0123"]))).toEqual([
      "mandatory: remoteAccess opens SSH (port 22) on every node; use SSM Session Manager or kubectl",
    ]);
  });

  test("K8S-7: NetworkPolicies on a cluster without vpc-cni, or with its network policy agent off, are reported", async () => {
    expect(await violations(networkPolicyAddon, withAddon(undefined, 2))).toEqual([
      "mandatory: EKS cluster eks has no vpc-cni add-on, though the stack declares 2 NetworkPolicies: nothing would enforce them",
    ]);
    const off = { ...vpcCni, configurationValues: JSON.stringify({ enableNetworkPolicy: "false" }) };
    expect(await violations(networkPolicyAddon, withAddon(off))).toEqual([
      'mandatory: EKS cluster eks: vpc-cni add-on configurationValues do not set enableNetworkPolicy "true" (given {"enableNetworkPolicy":"false"}): NetworkPolicies would be accepted but not enforced',
    ]);
    expect(
      await violations(networkPolicyAddon, withAddon({ ...vpcCni, configurationValues: undefined })),
    ).toEqual([
      'mandatory: EKS cluster eks: vpc-cni add-on configurationValues do not set enableNetworkPolicy "true" (none given): NetworkPolicies would be accepted but not enforced',
    ]);
    // A boolean is refused by the add-on's configuration schema (a string "true"), so it does not count.
    const boolean = { ...vpcCni, configurationValues: JSON.stringify({ enableNetworkPolicy: true }) };
    expect(await violations(networkPolicyAddon, withAddon(boolean))).toHaveLength(1);
    // Another add-on of the cluster is not the CNI.
    expect(
      await violations(
        networkPolicyAddon,
        withAddon({ ...vpcCni, addonName: "coredns", configurationValues: undefined }),
      ),
    ).toEqual([
      "mandatory: EKS cluster eks has no vpc-cni add-on, though the stack declares 1 NetworkPolicies: nothing would enforce them",
    ]);
  });
});
