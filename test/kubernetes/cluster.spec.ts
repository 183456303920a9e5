/**
 * K8S-1 (with K8S-7, K8S-9, NET-3, NET-6): the EKS cluster component. Its pure
 * modules (security-group table, IAM documents, kubeconfig) as tables, and the
 * component itself evaluated alone by the synth engine with literal network ids.
 */
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
  ADDONS,
  CONTROL_PLANE_LOG_TYPES,
  DEVELOPER_GROUP,
  EksCluster,
  EksClusterArgs,
  NODE_AMI_TYPE,
  VPC_CNI_CONFIGURATION,
  eksClusterProblems,
} from "../../components/kubernetes/EksCluster";
import {
  EKS_TIER_TAGS,
  METRICS_SERVER_PORT,
  SG_DESCRIPTION,
  clusterRules,
  privateAccessProblems,
  privateAccessRules,
  publicAccessProblems,
  ruleName,
} from "../../components/kubernetes/clusterSecurity";
import {
  accessEntryProblems,
  clusterRolePolicy,
  irsaTrustPolicy,
  nodeTrustPolicy,
} from "../../components/kubernetes/eksIam";
import { EXEC_API_VERSION, kubeconfig } from "../../components/kubernetes/kubeconfig";
import { Evaluation, ResourceRecord, evaluate } from "../../synth/engine";
import { MOCK_ACCOUNT, SynthMocks } from "../../synth/mocks";
import { T, byId, named, ofType, one, stackConfig } from "../harness";

const E = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  association: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
} as const;

const NAME = "psi-prod-eks";
const ADMIN = `arn:aws:iam::${MOCK_ACCOUNT}:role/platform-admin`;
const ONCALL = `arn:aws:iam::${MOCK_ACCOUNT}:role/ops/oncall`;
const DEVELOPER = `arn:aws:iam::${MOCK_ACCOUNT}:role/psi-developer`;
const SECRETS_KEY = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const LOGS_KEY = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT}:key/66666666-7777-8888-9999-000000000000`;
const NODES_KEY = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT}:key/77777777-8888-9999-0000-111111111111`;
const APP_SG = "sg-0a11a11a11a11a11a";
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"];

const ARGS: EksClusterArgs = {
  kubernetesVersion: "1.35",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: SUBNETS,
  appSecurityGroupId: APP_SG,
  adminRoleArns: [ADMIN, ONCALL],
  developerRoleArns: [DEVELOPER],
  nodeGroup: {
    instanceTypes: ["m6i.large", "m5.large"],
    minSize: 3,
    maxSize: 6,
    desiredSize: 3,
    diskSizeGib: 50,
  },
  logRetentionDays: 90,
  logsKmsKeyArn: LOGS_KEY,
  secretsKmsKeyArn: SECRETS_KEY,
  nodeVolumeKmsKeyArn: NODES_KEY,
  region: "us-east-1",
  tags: { CostCenter: "psi-platform" },
};

/** Evaluates one EksCluster alone and returns its outputs as stack outputs. */
function evaluateCluster(args: EksClusterArgs): Promise<Evaluation> {
  return evaluate(stackConfig("prod"), async () => {
    const c = new EksCluster(NAME, args);
    return {
      clusterName: c.clusterName,
      clusterArn: c.clusterArn,
      endpoint: c.endpoint,
      certificateAuthorityData: c.certificateAuthorityData,
      oidcProviderArn: c.oidcProviderArn,
      oidcIssuer: c.oidcIssuer,
      clusterSecurityGroupId: c.clusterSecurityGroupId,
      nodeSecurityGroupId: c.nodeSecurityGroupId,
      nodeRoleArn: c.nodeRoleArn,
      kubeconfig: c.kubeconfig,
      kubeconfigIsSecret: await pulumi.isSecret(c.kubeconfig),
      endpointIsSecret: await pulumi.isSecret(c.endpoint),
      addons: c.addons.map((a) => a.addonName),
      metricsServer: c.metricsServer.urn,
      access: c.access.map((r) => r.urn),
    };
  });
}

const statements = (policy: unknown) =>
  (JSON.parse(String(policy)) as { Statement: Record<string, unknown>[] }).Statement;

describe("K8S-1: the EKS security-group table (components/kubernetes/clusterSecurity)", () => {
  const rules = clusterRules();

  test("K8S-1: exactly the EKS flows, each an egress on one group and the matching ingress on the other", () => {
    expect(rules.map(ruleName).sort()).toEqual(
      [
        "cluster-egress-tcp-10250-node",
        "cluster-egress-tcp-10251-node",
        "cluster-egress-tcp-443-node",
        "cluster-egress-tcp-8443-node",
        "cluster-ingress-tcp-443-node",
        "node-egress-tcp-1025-65535-node",
        "node-egress-tcp-443-cluster",
        "node-egress-tcp-53-node",
        "node-egress-udp-53-node",
        "node-ingress-tcp-10250-cluster",
        "node-ingress-tcp-10251-cluster",
        "node-ingress-tcp-1025-65535-node",
        "node-ingress-tcp-443-cluster",
        "node-ingress-tcp-53-node",
        "node-ingress-tcp-8443-cluster",
        "node-ingress-udp-53-node",
      ].sort(),
    );
    for (const egress of rules.filter((r) => r.direction === "egress")) {
      const mirror = rules.filter(
        (r) =>
          r.direction === "ingress" &&
          r.group === egress.peer &&
          r.peer === egress.group &&
          r.protocol === egress.protocol &&
          r.fromPort === egress.fromPort &&
          r.toPort === egress.toPort,
      );
      expect(mirror).toHaveLength(1);
    }
  });

  test("NET-6, NET-3: no rule admits port 22 or names an address range; every description is one EC2 accepts", () => {
    for (const r of rules) {
      expect(r.fromPort <= 22 && 22 <= r.toPort).toBe(false);
      expect(["cluster", "node"]).toContain(r.peer);
      expect(r.description).toMatch(SG_DESCRIPTION);
    }
    expect(new Set(rules.map(ruleName)).size).toBe(rules.length);
    expect(EKS_TIER_TAGS).toEqual({ cluster: "eksControlPlane", node: "eksNode" });
    // The pattern itself rejects what EC2 rejects.
    expect("kubelet's port").not.toMatch(SG_DESCRIPTION);
  });

  test.each([
    [[], []],
    [["203.0.113.0/24", "198.51.100.7/32"], []],
    [
      ["0.0.0.0/0"],
      [
        "publicAccessCidrs 0.0.0.0/0: the whole internet may not reach the API; leave the list empty for a private endpoint or name your networks",
      ],
    ],
    [["10.0.0.0/0"], [expect.stringContaining("publicAccessCidrs 10.0.0.0/0: the whole internet")]],
    [["203.0.113.9/24"], ["publicAccessCidrs 203.0.113.9/24: write the network address, 203.0.113.0/24"]],
    [["::/0"], ["publicAccessCidrs ::/0: not an IPv4 CIDR"]],
    [["198.51.100.7"], ["publicAccessCidrs 198.51.100.7: not an IPv4 CIDR"]],
  ])("K8S-1: public endpoint CIDRs %j give %j", (cidrs, problems) => {
    expect(publicAccessProblems(cidrs)).toEqual(problems);
  });

  test("K8S-4: the API server reaches the metrics-server add-on's pods on 10251, the port the EKS add-on serves on", () => {
    expect(METRICS_SERVER_PORT).toBe(10251);
    const flows = rules.filter((r) => r.fromPort === 10251 && r.toPort === 10251);
    expect(flows.map(ruleName).sort()).toEqual([
      "cluster-egress-tcp-10251-node",
      "node-ingress-tcp-10251-cluster",
    ]);
  });

  test.each([
    [[], [], []],
    [["10.0.0.0/17", "172.16.8.0/24", "192.168.1.0/24"], ["sg-0123456789abcdef0", "sg-01234567"], []],
    [
      ["0.0.0.0/0"],
      [],
      [
        "privateAccessCidrs 0.0.0.0/0: not a private network; only 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 may reach the private endpoint",
      ],
    ],
    [
      ["203.0.113.0/24"],
      [],
      [
        "privateAccessCidrs 203.0.113.0/24: not a private network; only 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 may reach the private endpoint",
      ],
    ],
    [["10.0.0.9/17"], [], ["privateAccessCidrs 10.0.0.9/17: write the network address, 10.0.0.0/17"]],
    [["10/8"], [], ["privateAccessCidrs 10/8: not an IPv4 CIDR"]],
    [[], ["sg-XYZ"], ["privateAccessSecurityGroupIds sg-XYZ: not a security group id"]],
    [["10.0.0.0/17", "10.0.0.0/17"], [], ["10.0.0.0/17: listed twice"]],
  ])("K8S-1: private endpoint CIDRs %j and groups %j give %j", (cidrs, groups, problems) => {
    expect(privateAccessProblems(cidrs, groups)).toEqual(problems);
  });

  test("K8S-1: each admitted network and group is one 443 rule on the control plane's group, named after it", () => {
    expect(privateAccessRules(["10.0.0.0/17"], ["sg-0123456789abcdef0"])).toEqual([
      {
        name: "cluster-ingress-tcp-443-10-0-0-0-17",
        cidr: "10.0.0.0/17",
        description: "Kubernetes API (private endpoint) from 10.0.0.0/17: CI runners and operators (K8S-1)",
      },
      {
        name: "cluster-ingress-tcp-443-sg-0123456789abcdef0",
        securityGroupId: "sg-0123456789abcdef0",
        description:
          "Kubernetes API (private endpoint) from members of sg-0123456789abcdef0: CI runners and operators (K8S-1)",
      },
    ]);
    for (const r of privateAccessRules(["10.0.0.0/17"], ["sg-0123456789abcdef0"]))
      expect(r.description).toMatch(SG_DESCRIPTION);
  });
});

describe("K8S-1, K8S-9: the IAM documents (components/kubernetes/eksIam)", () => {
  test("K8S-1: IRSA trust names exactly one service account and the STS audience", () => {
    const provider = `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`;
    const doc = irsaTrustPolicy(
      provider,
      "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
      "production",
      "api",
    );
    expect(doc).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ServiceAccountWebIdentity",
          Effect: "Allow",
          Principal: { Federated: provider },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:production:api",
              "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });

  test("K8S-1: the cluster role may use only the Secrets key and may never re-create its log group", () => {
    expect(clusterRolePolicy("arn:key", "arn:group").Statement).toEqual([
      {
        Sid: "EnvelopeEncryptionOfSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"],
        Resource: "arn:key",
      },
      {
        Sid: "NeverRecreateTheLogGroup",
        Effect: "Deny",
        Action: "logs:CreateLogGroup",
        Resource: ["arn:group", "arn:group:*"],
      },
    ]);
  });

  test.each([
    [[ADMIN], [DEVELOPER], []],
    [[], [DEVELOPER], ["adminRoleArns: at least one; the cluster creator gets no admin rights of its own"]],
    [[ADMIN], [ADMIN], [`${ADMIN}: listed twice; EKS allows one access entry per principal`]],
    [
      [ADMIN, `arn:aws:iam::${MOCK_ACCOUNT}:role/other/platform-admin`],
      [],
      ["principals named platform-admin in several ARNs: give them distinct names"],
    ],
    [
      ["arn:aws:sts::123456789012:assumed-role/x/y"],
      [],
      [expect.stringContaining("not an IAM role or user ARN")],
    ],
  ])("K8S-1, K8S-9: admins %j and developers %j give %j", (admins, developers, problems) => {
    expect(accessEntryProblems(admins, developers)).toEqual(problems);
  });
});

describe("K8S-1: the kubeconfig (components/kubernetes/kubeconfig)", () => {
  test("K8S-1: one cluster, user and context, authenticated by `aws eks get-token` for the cluster's Region", () => {
    const text = kubeconfig({
      clusterName: "c1",
      endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
      certificateAuthorityData: "Q0E=",
      region: "eu-west-1",
    });
    expect(parse(text)).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "c1",
          cluster: {
            server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
            "certificate-authority-data": "Q0E=",
          },
        },
      ],
      users: [
        {
          name: "c1",
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "c1", "--output", "json"],
              interactiveMode: "Never",
            },
          },
        },
      ],
      contexts: [{ name: "c1", context: { cluster: "c1", user: "c1" } }],
      "current-context": "c1",
      preferences: {},
    });
    expect(EXEC_API_VERSION).toBe("client.authentication.k8s.io/v1beta1");
  });
});

describe("K8S-1: argument checks before anything is declared", () => {
  test.each([
    [{ kubernetesVersion: "1.35.2" }, 'kubernetesVersion 1.35.2: an EKS minor version such as "1.35"'],
    [{ subnetIds: [SUBNETS[0]] }, "subnetIds: EKS needs subnets in at least two AZs"],
    [
      { nodeGroup: { ...ARGS.nodeGroup, minSize: 4, desiredSize: 3 } },
      "nodeGroup sizes 4/3/6: need 0 <= min <= desired <= max, max >= 1",
    ],
    [
      { nodeGroup: { ...ARGS.nodeGroup, diskSizeGib: 8 } },
      "nodeGroup.diskSizeGib 8: at least 20 (the AMI's size)",
    ],
    [{ nodeGroup: { ...ARGS.nodeGroup, instanceTypes: [] } }, "nodeGroup.instanceTypes: at least one"],
  ])("K8S-1: %j is refused", (change, problem) => {
    expect(eksClusterProblems(NAME, { ...ARGS, ...change })).toEqual([problem]);
  });

  test("K8S-1: a cluster name EKS would refuse is refused", () => {
    expect(eksClusterProblems("psi.prod", ARGS)).toEqual([
      "cluster name psi.prod: letters, digits, - and _ only, starting alphanumeric, at most 100",
    ]);
  });

  test("K8S-1: a public endpoint open to 0.0.0.0/0 fails the program with a clear error and declares no cluster", async () => {
    const ev = await evaluateCluster({ ...ARGS, publicAccessCidrs: ["0.0.0.0/0"] });
    expect(String(ev.error)).toContain(
      `EksCluster ${NAME}:\n  publicAccessCidrs 0.0.0.0/0: the whole internet may not reach the API`,
    );
    expect(ofType(ev.records, E.cluster)).toEqual([]);
    expect(ev.records.filter((r) => r.custom)).toEqual([]);
  });
});

describe("K8S-1: one EksCluster as the synth engine records it", () => {
  let ev: Evaluation;
  let records: ResourceRecord[];
  let out: Record<string, unknown>;
  beforeAll(async () => {
    ev = await evaluateCluster(ARGS);
    records = ev.records;
    const root = one(records, "pulumi:pulumi:Stack");
    out = ev.outputs.get(root.urn)!;
  });
  const outputsOf = (r: ResourceRecord) => ev.outputs.get(r.urn)!;
  const cluster = () => one(records, E.cluster);
  const role = (name: string) => named(records, T.role, name);
  const attachedTo = (r: ResourceRecord) =>
    ofType(records, T.rolePolicyAttachment)
      .filter((a) => a.inputs.role === outputsOf(r).name)
      .map((a) => a.inputs.policyArn)
      .sort();

  test("K8S-1: the program evaluates with every invoke answered", () => {
    expect(ev.error).toBeUndefined();
  });

  test("K8S-1: private endpoint only, all five log types, Secrets encrypted with the key, access entries only", () => {
    const c = cluster();
    expect(c.inputs).toMatchObject({
      name: NAME,
      version: "1.35",
      roleArn: outputsOf(role(`${NAME}-cluster`)).arn,
      vpcConfig: {
        subnetIds: SUBNETS,
        securityGroupIds: [named(records, T.sg, `${NAME}-cluster`).id],
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: SECRETS_KEY } },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
    });
    expect((c.inputs.vpcConfig as Record<string, unknown>).publicAccessCidrs).toBeUndefined();
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
  });

  test("K8S-1: the control-plane log group exists first, with retention and the logs key", () => {
    const group = named(records, T.logGroup, `${NAME}-control-plane`);
    expect(group.inputs).toMatchObject({
      name: `/aws/eks/${NAME}/cluster`,
      retentionInDays: 90,
      kmsKeyId: LOGS_KEY,
    });
    expect(cluster().dependencies).toContain(group.urn);
  });

  test("K8S-1: the cluster role has AmazonEKSClusterPolicy, the Secrets key, and is trusted by EKS only", () => {
    const r = role(`${NAME}-cluster`);
    expect(statements(r.inputs.assumeRolePolicy)).toEqual([
      {
        Sid: "EksControlPlane",
        Effect: "Allow",
        Principal: { Service: "eks.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(attachedTo(r)).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    const inline = named(records, T.rolePolicy, `${NAME}-cluster`);
    const logGroupArn = outputsOf(named(records, T.logGroup, `${NAME}-control-plane`)).arn as string;
    expect(JSON.parse(String(inline.inputs.policy))).toEqual(clusterRolePolicy(SECRETS_KEY, logGroupArn));
    // The cluster is created only once its role can do all that.
    const grants = [
      inline,
      ...ofType(records, T.rolePolicyAttachment).filter((a) => a.inputs.role === outputsOf(r).name),
    ];
    for (const g of grants) expect(cluster().dependencies).toContain(g.urn);
  });

  test("K8S-1: nodes use the IMDSv2-only launch template: hop limit 1, gp3 root encrypted with the nodes' key, node and app tier groups", () => {
    const lt = one(records, E.launchTemplate);
    const nodeSg = named(records, T.sg, `${NAME}-node`).id;
    expect(lt.inputs.metadataOptions).toEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    });
    expect(lt.inputs.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: {
          volumeSize: 50,
          volumeType: "gp3",
          encrypted: "true",
          kmsKeyId: NODES_KEY,
          deleteOnTermination: "true",
        },
      },
    ]);
    expect(lt.inputs.vpcSecurityGroupIds).toEqual([nodeSg, APP_SG]);
    // EKS supplies AMI, instance type and profile; a launch template naming them would fight the node group.
    for (const key of ["imageId", "instanceType", "iamInstanceProfile", "userData", "keyName"])
      expect(lt.inputs[key]).toBeUndefined();
  });

  test("K8S-1: one managed node group over the app subnets, from that template, once a CNI and the API path exist", () => {
    const ng = one(records, E.nodeGroup);
    const lt = one(records, E.launchTemplate);
    expect(ng.inputs).toMatchObject({
      clusterName: NAME,
      version: "1.35",
      nodeRoleArn: outputsOf(role(`${NAME}-node`)).arn,
      subnetIds: SUBNETS,
      amiType: NODE_AMI_TYPE,
      capacityType: "ON_DEMAND",
      instanceTypes: ["m6i.large", "m5.large"],
      scalingConfig: { minSize: 3, maxSize: 6, desiredSize: 3 },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: lt.id, version: "1" },
    });
    expect(ng.inputs.diskSize).toBeUndefined();
    for (const addon of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"])
      expect(ng.dependencies).toContain(named(records, E.addon, `${NAME}-${addon}`).urn);
    expect(ng.dependencies).toContain(named(records, T.ingress, `${NAME}-cluster-ingress-tcp-443-node`).urn);
  });

  test("K8S-1: the node role is trusted by EC2 and has worker-node and ECR read-only policies, not the CNI's", () => {
    const r = role(`${NAME}-node`);
    expect(JSON.parse(String(r.inputs.assumeRolePolicy))).toEqual(nodeTrustPolicy());
    expect(attachedTo(r)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]);
  });

  test("K8S-1: the IAM OIDC provider trusts the cluster's issuer with the root thumbprint the tls invoke reports", () => {
    const issuer = (outputsOf(cluster()).identities as { oidcs: { issuer: string }[] }[])[0].oidcs[0].issuer;
    expect(issuer).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    const chain = new SynthMocks("us-east-1").call({
      token: "tls:index/getCertificate:getCertificate",
      inputs: { url: issuer },
      provider: "",
    }) as { certificates: { sha1Fingerprint: string; isCa: boolean }[] };
    expect(chain.certificates[0].isCa).toBe(true);
    const oidc = one(records, E.oidc);
    expect(oidc.inputs).toMatchObject({
      url: issuer,
      clientIdLists: ["sts.amazonaws.com"],
      thumbprintLists: [chain.certificates[0].sha1Fingerprint],
    });
    expect(chain.certificates[0].sha1Fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(out.oidcProviderArn).toBe(
      `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${issuer.replace("https://", "")}`,
    );
    expect(out.oidcIssuer).toBe(issuer.replace("https://", ""));
  });

  test("K8S-1, K8S-7: add-ons vpc-cni (network policies on, own IRSA role), kube-proxy, pod identity agent, CoreDNS after the nodes", () => {
    const addons = ofType(records, E.addon);
    expect(addons.map((a) => a.inputs.addonName).sort()).toEqual([...ADDONS].sort());
    expect(out.addons).toEqual(["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns"]);
    for (const a of addons)
      expect(a.inputs).toMatchObject({
        clusterName: NAME,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      });
    const cni = named(records, E.addon, `${NAME}-vpc-cni`);
    expect(JSON.parse(String(cni.inputs.configurationValues))).toEqual({ enableNetworkPolicy: "true" });
    expect(VPC_CNI_CONFIGURATION).toEqual({ enableNetworkPolicy: "true" });
    const cniRole = role(`${NAME}-vpc-cni`);
    expect(cni.inputs.serviceAccountRoleArn).toBe(outputsOf(cniRole).arn);
    expect(attachedTo(cniRole)).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
    expect(JSON.parse(String(cniRole.inputs.assumeRolePolicy))).toEqual(
      irsaTrustPolicy(out.oidcProviderArn as string, out.oidcIssuer as string, "kube-system", "aws-node"),
    );
    for (const a of addons.filter((x) => x.inputs.addonName !== "vpc-cni"))
      expect(a.inputs.configurationValues).toBeUndefined();
    expect(named(records, E.addon, `${NAME}-coredns`).dependencies).toContain(one(records, E.nodeGroup).urn);
  });

  test("K8S-4: the metrics-server community add-on (the HPAs' metrics API) is created once the node group is, and exposed", () => {
    const metrics = named(records, E.addon, `${NAME}-metrics-server`);
    expect(ADDONS).toContain("metrics-server");
    expect(metrics.inputs).toMatchObject({ clusterName: NAME, addonName: "metrics-server" });
    // Unpinned like the others: EKS installs its default version for the cluster's Kubernetes version.
    expect(metrics.inputs.addonVersion).toBeUndefined();
    expect(metrics.dependencies).toEqual([cluster().urn, one(records, E.nodeGroup).urn].sort());
    expect(out.metricsServer).toBe(metrics.urn);
  });

  test("K8S-1: `access` is every access entry and access policy association, for the Kubernetes provider to wait for", () => {
    const grants = [...ofType(records, E.accessEntry), ...ofType(records, E.association)];
    expect(grants).toHaveLength(5);
    expect([...(out.access as string[])].sort()).toEqual(grants.map((g) => g.urn).sort());
  });

  test("K8S-1, K8S-9: admins get cluster-admin access entries, developers only the `developers` group", () => {
    const entries = ofType(records, E.accessEntry);
    expect(
      entries.map((e) => [e.name, e.inputs.principalArn, e.inputs.kubernetesGroups ?? []]).sort(),
    ).toEqual(
      [
        [`${NAME}-admin-oncall`, ONCALL, []],
        [`${NAME}-admin-platform-admin`, ADMIN, []],
        [`${NAME}-developer-psi-developer`, DEVELOPER, [DEVELOPER_GROUP]],
      ].sort(),
    );
    for (const e of entries) expect(e.inputs).toMatchObject({ clusterName: NAME, type: "STANDARD" });
    const associations = ofType(records, E.association);
    expect(associations.map((a) => a.inputs.principalArn).sort()).toEqual([ADMIN, ONCALL].sort());
    for (const a of associations) {
      expect(a.inputs).toMatchObject({
        clusterName: NAME,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        accessScope: { type: "cluster" },
      });
      const entry = entries.find((e) => e.inputs.principalArn === a.inputs.principalArn)!;
      expect(a.dependencies).toContain(entry.urn);
    }
  });

  test("K8S-1, NET-3: two tier-tagged groups whose rules are exactly the table, peers resolved to the groups", () => {
    const groups = ofType(records, T.sg);
    expect(groups.map((g) => g.name).sort()).toEqual([`${NAME}-cluster`, `${NAME}-node`]);
    const tagsOf = (g: ResourceRecord) => g.inputs.tags as Record<string, string>;
    expect(tagsOf(named(records, T.sg, `${NAME}-cluster`))["platform/tier"]).toBe("eksControlPlane");
    expect(tagsOf(named(records, T.sg, `${NAME}-node`))).toMatchObject({
      "platform/tier": "eksNode",
      [`kubernetes.io/cluster/${NAME}`]: "owned",
    });
    expect(tagsOf(named(records, T.sg, `${NAME}-cluster`))[`kubernetes.io/cluster/${NAME}`]).toBeUndefined();
    for (const g of groups) expect(g.inputs.vpcId).toBe(ARGS.vpcId);
    const groupName = (id: unknown) => byId(records, id).name.replace(`${NAME}-`, "");
    const declared = [...ofType(records, T.ingress), ...ofType(records, T.egress)].map((r) => {
      const i = r.inputs;
      const dir = r.type === T.ingress ? "ingress" : "egress";
      expect(i.cidrIpv4).toBeUndefined();
      return `${groupName(i.securityGroupId)}-${dir}-${String(i.ipProtocol)}-${i.fromPort === i.toPort ? String(i.fromPort) : `${String(i.fromPort)}-${String(i.toPort)}`}-${groupName(i.referencedSecurityGroupId)}`;
    });
    expect(declared.sort()).toEqual(clusterRules().map(ruleName).sort());
  });

  test("K8S-1: outputs name the cluster, its EKS security group, the node group's and the node role", () => {
    const c = outputsOf(cluster());
    expect(out).toMatchObject({
      clusterName: NAME,
      clusterArn: `arn:aws:eks:us-east-1:${MOCK_ACCOUNT}:cluster/${NAME}`,
      endpoint: c.endpoint,
      certificateAuthorityData: (c.certificateAuthority as { data: string }).data,
      clusterSecurityGroupId: (c.vpcConfig as { clusterSecurityGroupId: string }).clusterSecurityGroupId,
      nodeSecurityGroupId: named(records, T.sg, `${NAME}-node`).id,
      nodeRoleArn: outputsOf(role(`${NAME}-node`)).arn,
    });
    expect(out.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
    expect(out.clusterSecurityGroupId).toMatch(/^sg-[0-9a-f]{17}$/);
  });

  test("K8S-1: the kubeconfig is a secret output pointing at the cluster with exec authentication", () => {
    expect(out.kubeconfigIsSecret).toBe(true);
    expect(out.endpointIsSecret).toBe(false);
    const c = outputsOf(cluster());
    const config = parse(String(out.kubeconfig)) as Record<string, unknown>;
    expect(config).toMatchObject({
      "current-context": NAME,
      clusters: [
        {
          name: NAME,
          cluster: {
            server: c.endpoint,
            "certificate-authority-data": (c.certificateAuthority as { data: string }).data,
          },
        },
      ],
      users: [
        {
          name: NAME,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["--region", "us-east-1", "eks", "get-token", "--cluster-name", NAME, "--output", "json"],
            },
          },
        },
      ],
    });
  });

  test("K8S-1: the private endpoint admits each configured network and group on 443, on the control plane's group only", async () => {
    const ev2 = await evaluateCluster({
      ...ARGS,
      privateAccessCidrs: ["10.0.0.0/17"],
      privateAccessSecurityGroupIds: ["sg-0123456789abcdef0"],
    });
    expect(ev2.error).toBeUndefined();
    const clusterSg = named(ev2.records, T.sg, `${NAME}-cluster`);
    const rulesOf = (name: string) => named(ev2.records, T.ingress, `${NAME}-${name}`);
    const cidrRule = rulesOf("cluster-ingress-tcp-443-10-0-0-0-17");
    const groupRule = rulesOf("cluster-ingress-tcp-443-sg-0123456789abcdef0");
    const common = { securityGroupId: clusterSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443 };
    expect(cidrRule.inputs).toMatchObject({ ...common, cidrIpv4: "10.0.0.0/17" });
    expect(cidrRule.inputs.referencedSecurityGroupId).toBeUndefined();
    expect(groupRule.inputs).toMatchObject({ ...common, referencedSecurityGroupId: "sg-0123456789abcdef0" });
    expect(groupRule.inputs.cidrIpv4).toBeUndefined();
    // Exactly the table's rules plus these two.
    expect(ofType(ev2.records, T.ingress)).toHaveLength(clusterRules().length / 2 + 2);
  });

  test("K8S-1: a private-endpoint network outside RFC 1918 fails the program with a clear error and declares no cluster", async () => {
    const ev2 = await evaluateCluster({ ...ARGS, privateAccessCidrs: ["0.0.0.0/0"] });
    expect(String(ev2.error)).toContain(
      `EksCluster ${NAME}:\n  privateAccessCidrs 0.0.0.0/0: not a private network`,
    );
    expect(ofType(ev2.records, E.cluster)).toEqual([]);
  });

  test("K8S-1: the public endpoint opens only to the listed CIDRs", async () => {
    const open = await evaluateCluster({ ...ARGS, publicAccessCidrs: ["203.0.113.0/24"] });
    expect(open.error).toBeUndefined();
    expect(one(open.records, E.cluster).inputs.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
  });
});
