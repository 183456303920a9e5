/**
 * The Kubernetes and EKS rules on the REAL objects: the shipped prod stack as
 * the synth engine records it (components/kubernetes), each rule passing on
 * the record as is and shown failing on a copy with one thing changed
 * (K8S-1..K8S-10, NET-4..6, APP-2, APP-4, POL-3).
 *
 * Records are found by type, and names in messages are read from them, so the
 * spec does not depend on the components' logical names. The explicit-provider
 * tests rely on synth/policy.ts attaching each record's provider to the
 * analysis, as the engine does (PolicyResource.provider).
 */
import type { Rule } from "../../policies/rule";
import { isDefaultDeny } from "../../policies/lib/kubernetes";
import networkPolicyAddon from "../../policies/rules/eks/eks-addon-require-network-policy";
import accessEntries from "../../policies/rules/eks/eks-cluster-require-access-entries";
import controlPlaneLogs from "../../policies/rules/eks/eks-cluster-require-control-plane-logs";
import privateEndpoint from "../../policies/rules/eks/eks-cluster-require-private-endpoint";
import secretsEncryption from "../../policies/rules/eks/eks-cluster-require-secrets-encryption";
import remoteAccess from "../../policies/rules/eks/eks-nodegroup-forbid-remote-access";
import imdsv2 from "../../policies/rules/eks/eks-nodegroup-require-imdsv2";
import helm from "../../policies/rules/helm/helm-release-require-pinned-version";
import latest from "../../policies/rules/kubernetes/kubernetes-deployment-forbid-latest-image";
import plainSecrets from "../../policies/rules/kubernetes/kubernetes-deployment-forbid-plain-secrets";
import managedSecrets from "../../policies/rules/kubernetes/kubernetes-deployment-require-managed-secrets";
import pdb from "../../policies/rules/kubernetes/kubernetes-deployment-require-pdb";
import probes from "../../policies/rules/kubernetes/kubernetes-deployment-require-probes";
import resources from "../../policies/rules/kubernetes/kubernetes-deployment-require-resources";
import restricted from "../../policies/rules/kubernetes/kubernetes-deployment-require-restricted-security";
import rolling from "../../policies/rules/kubernetes/kubernetes-deployment-require-rolling-update";
import zoneSpread from "../../policies/rules/kubernetes/kubernetes-deployment-require-zone-spread";
import hpaLimits from "../../policies/rules/kubernetes/kubernetes-horizontalpodautoscaler-limit-replicas";
import behavior from "../../policies/rules/kubernetes/kubernetes-horizontalpodautoscaler-require-behavior";
import ingressTls from "../../policies/rules/kubernetes/kubernetes-ingress-require-tls";
import defaultDeny from "../../policies/rules/kubernetes/kubernetes-namespace-require-default-deny";
import explicitProvider from "../../policies/rules/kubernetes/kubernetes-object-require-explicit-provider";
import developer from "../../policies/rules/kubernetes/kubernetes-role-limit-developer";
import type { ResourceRecord } from "../../synth/engine";
import type { PolicyInput } from "../../synth/policy";
import { synthStack } from "../harness";
import { editInputs, editOutputs, findings, mandatory } from "./recorded";

/** Flip to true once the prod stack declares its Kubernetes path (issue #10). */

const STACK = "prod";

const KUBERNETES_RULES: readonly Rule[] = [
  networkPolicyAddon,
  accessEntries,
  controlPlaneLogs,
  privateEndpoint,
  secretsEncryption,
  remoteAccess,
  imdsv2,
  helm,
  latest,
  plainSecrets,
  managedSecrets,
  pdb,
  probes,
  resources,
  restricted,
  rolling,
  zoneSpread,
  hpaLimits,
  behavior,
  ingressTls,
  defaultDeny,
  explicitProvider,
  developer,
];

const TYPES = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  addon: "aws:eks/addon:Addon",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  release: "kubernetes:helm.sh/v3:Release",
  externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
  namespace: "kubernetes:core/v1:Namespace",
} as const;

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (typeof v === "object" && v !== null ? (v as Props) : {});

/** The recorded prod stack; `rec(type, pick?)` its first record of `type` (by URN) that `pick` accepts, with its outputs. */
async function real() {
  const ev = await synthStack(STACK);
  const rec = (type: keyof typeof TYPES, pick: (outputs: Props) => boolean = () => true) => {
    const found = ev.records.find((r) => r.type === TYPES[type] && pick(obj(ev.outputs.get(r.urn))));
    if (!found) throw new Error(`${STACK} records no ${TYPES[type]} of that kind`);
    return found;
  };
  const outputs = (r: ResourceRecord) => obj(ev.outputs.get(r.urn));
  const inputs = (r: ResourceRecord) => obj(ev.plainInputs.get(r.urn));
  /** The Kubernetes name of an object, as the rules read it (lib/kubernetes objectName). */
  const k8sName = (r: ResourceRecord) => String(obj(outputs(r).metadata).name ?? r.name);
  return { ev, rec, outputs, inputs, k8sName };
}

/** Edits the first container of a Deployment's props (a copy from editInputs/editOutputs) in place. */
function editContainer(props: Props, edit: (c: Props) => void): void {
  const template = obj(obj(props.spec).template);
  const containers = obj(template.spec).containers as Props[];
  edit(containers[0]);
}

/** `ev` with record `urn` replaced by `edit` of a copy (the options the runner hands the engine: provider, protect). */
function editRecord(ev: PolicyInput, urn: string, edit: (r: ResourceRecord) => ResourceRecord): PolicyInput {
  return { ...ev, records: ev.records.map((r) => (r.urn === urn ? edit({ ...r }) : r)) };
}

const expectOnly = async (rule: Rule, ev: PolicyInput, urn: string, messages: string[]) =>
  expect(await findings(rule, ev, STACK)).toEqual(messages.map((m) => mandatory(rule, urn, m)));

describe(`${STACK} as recorded: the Kubernetes and EKS rules pass the real objects`, () => {
  test("K8S-1..K8S-10: the stack records the cluster, node group, add-ons and every object kind the rules judge", async () => {
    const { ev } = await real();
    const count = (t: string) => ev.records.filter((r) => r.type === t).length;
    expect(Object.values(TYPES).map((t) => [t, count(t) > 0])).toEqual(
      Object.values(TYPES).map((t) => [t, true]),
    );
  });

  test.each(KUBERNETES_RULES.map((r) => [r.name, r] as const))(
    `POL-3: %s reports nothing on ${STACK}`,
    async (_, rule) => {
      const { ev } = await real();
      expect(await findings(rule, ev, STACK)).toEqual([]);
    },
  );
});

describe(`resource rules fail on a mutated copy of ${STACK}'s real inputs`, () => {
  test("K8S-1/NET-4: the real cluster without its private endpoint fails eks-cluster-require-private-endpoint", async () => {
    const { ev, rec } = await real();
    const cluster = rec("cluster");
    const mutated = editInputs(ev, cluster.urn, (p) => {
      obj(p.vpcConfig).endpointPrivateAccess = false;
    });
    await expectOnly(privateEndpoint, mutated, cluster.urn, [
      "vpcConfig.endpointPrivateAccess is not true: nodes would reach the Kubernetes API over its public endpoint",
    ]);
  });

  test("K8S-1: the real cluster's public endpoint opened to 0.0.0.0/0 fails eks-cluster-require-private-endpoint", async () => {
    const { ev, rec } = await real();
    const cluster = rec("cluster");
    const mutated = editInputs(ev, cluster.urn, (p) => {
      Object.assign(obj(p.vpcConfig), { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] });
    });
    await expectOnly(privateEndpoint, mutated, cluster.urn, [
      "vpcConfig.publicAccessCidrs includes 0.0.0.0/0: the API endpoint is open to the internet",
    ]);
  });

  test("K8S-1/NET-5: the real cluster logging the API server only fails eks-cluster-require-control-plane-logs", async () => {
    const { ev, rec } = await real();
    const cluster = rec("cluster");
    await expectOnly(
      controlPlaneLogs,
      editInputs(ev, cluster.urn, (p) => ({ ...p, enabledClusterLogTypes: ["api"] })),
      cluster.urn,
      [
        "enabledClusterLogTypes lacks audit, authenticator, controllerManager, scheduler: enable every control plane log type",
      ],
    );
  });

  test("K8S-1/K8S-10: the real cluster without envelope encryption fails eks-cluster-require-secrets-encryption", async () => {
    const { ev, rec } = await real();
    const cluster = rec("cluster");
    await expectOnly(
      secretsEncryption,
      editInputs(ev, cluster.urn, (p) => {
        delete p.encryptionConfig;
      }),
      cluster.urn,
      ['encryptionConfig does not cover "secrets": Secrets would sit in etcd under AWS-owned keys only'],
    );
  });

  test("NET-6: the real node group given SSH access fails eks-nodegroup-forbid-remote-access", async () => {
    const { ev, rec } = await real();
    const group = rec("nodeGroup");
    await expectOnly(
      remoteAccess,
      editInputs(ev, group.urn, (p) => ({ ...p, remoteAccess: { ec2SshKey: "ops" } })),
      group.urn,
      [
        "remoteAccess opens SSH (port 22) on every node from anywhere (no sourceSecurityGroupIds); use SSM Session Manager or kubectl",
      ],
    );
  });

  test("K8S-2: the real Deployment without its zone constraint fails kubernetes-deployment-require-zone-spread", async () => {
    const { ev, rec } = await real();
    const d = rec("deployment");
    const mutated = editInputs(ev, d.urn, (p) => {
      const spec = obj(obj(obj(p.spec).template).spec);
      spec.topologySpreadConstraints = (spec.topologySpreadConstraints as Props[]).filter(
        (c) => c.topologyKey !== "topology.kubernetes.io/zone",
      );
    });
    await expectOnly(zoneSpread, mutated, d.urn, [
      "no topologySpreadConstraints entry on topology.kubernetes.io/zone: all replicas may land in one zone",
    ]);
  });

  test("K8S-2/APP-2: the real readiness probe on /health fails kubernetes-deployment-require-probes", async () => {
    const { ev, rec } = await real();
    const d = rec("deployment");
    let container = "";
    const mutated = editInputs(ev, d.urn, (p) =>
      editContainer(p, (c) => {
        container = String(c.name);
        obj(obj(c.readinessProbe).httpGet).path = "/health";
      }),
    );
    await expectOnly(probes, mutated, d.urn, [
      `container ${container}: readinessProbe requests /health; APP-2's endpoint is /health/ready`,
    ]);
  });

  test("K8S-2: the real container without limits fails kubernetes-deployment-require-resources", async () => {
    const { ev, rec } = await real();
    const d = rec("deployment");
    let container = "";
    const mutated = editInputs(ev, d.urn, (p) =>
      editContainer(p, (c) => {
        container = String(c.name);
        delete obj(c.resources).limits;
      }),
    );
    await expectOnly(resources, mutated, d.urn, [
      `container ${container}: resources.limits.cpu is not set`,
      `container ${container}: resources.limits.memory is not set`,
    ]);
  });

  test("K8S-6: the real container allowed to escalate privileges fails kubernetes-deployment-require-restricted-security", async () => {
    const { ev, rec } = await real();
    const d = rec("deployment");
    let container = "";
    const mutated = editInputs(ev, d.urn, (p) =>
      editContainer(p, (c) => {
        container = String(c.name);
        obj(c.securityContext).allowPrivilegeEscalation = true;
      }),
    );
    await expectOnly(restricted, mutated, d.urn, [
      `container ${container}: allowPrivilegeEscalation is not false`,
    ]);
  });

  test("K8S-6: the real image retagged latest fails kubernetes-deployment-forbid-latest-image", async () => {
    const { ev, rec } = await real();
    const d = rec("deployment");
    let container = "";
    const mutated = editInputs(ev, d.urn, (p) =>
      editContainer(p, (c) => {
        container = String(c.name);
        c.image = "psi/api:latest";
      }),
    );
    await expectOnly(latest, mutated, d.urn, [
      `container ${container} image psi/api:latest uses the latest tag: pin a version tag or a digest`,
    ]);
  });

  test("APP-4/K8S-10: a literal Stripe key added to the real container fails kubernetes-deployment-forbid-plain-secrets", async () => {
    const { ev, rec } = await real();
    const d = rec("deployment");
    let container = "";
    const mutated = editInputs(ev, d.urn, (p) =>
      editContainer(p, (c) => {
        container = String(c.name);
        c.env = [
          ...((c.env as Props[] | undefined) ?? []),
          { name: "STRIPE_SECRET_KEY", value: "sk_live_123" },
        ];
      }),
    );
    await expectOnly(plainSecrets, mutated, d.urn, [
      `container ${container}: env STRIPE_SECRET_KEY has a plain value; reference a Secret (valueFrom.secretKeyRef)`,
    ]);
  });

  test("K8S-4: the real HPA with a floor of 1 fails kubernetes-horizontalpodautoscaler-limit-replicas", async () => {
    const { ev, rec } = await real();
    const hpa = rec("hpa");
    await expectOnly(
      hpaLimits,
      editInputs(ev, hpa.urn, (p) => {
        obj(p.spec).minReplicas = 1;
      }),
      hpa.urn,
      ["minReplicas is 1; keep at least 3"],
    );
  });

  test("K8S-4: the real HPA scaling down after 30 s fails kubernetes-horizontalpodautoscaler-require-behavior", async () => {
    const { ev, rec } = await real();
    const hpa = rec("hpa");
    await expectOnly(
      behavior,
      editInputs(ev, hpa.urn, (p) => {
        obj(obj(obj(p.spec).behavior).scaleDown).stabilizationWindowSeconds = 30;
      }),
      hpa.urn,
      ["behavior.scaleDown.stabilizationWindowSeconds is 30; wait at least 300 s before scaling down"],
    );
  });

  test("K8S-3: the real Ingress without its cert-manager annotation fails kubernetes-ingress-require-tls", async () => {
    const { ev, rec } = await real();
    const ingress = rec("ingress");
    await expectOnly(
      ingressTls,
      editInputs(ev, ingress.urn, (p) => {
        delete obj(obj(p.metadata).annotations)["cert-manager.io/cluster-issuer"];
      }),
      ingress.urn,
      [
        "no cert-manager.io/cluster-issuer (or cert-manager.io/issuer) annotation: cert-manager would issue no certificate",
      ],
    );
  });

  test("K8S-9: the real developer Role reading secrets fails kubernetes-role-limit-developer", async () => {
    const { ev, rec } = await real();
    const role = rec("role", (o) => obj(o.metadata).name === "developer");
    await expectOnly(
      developer,
      editInputs(ev, role.urn, (p) => {
        const first = (p.rules as Props[])[0];
        first.resources = [...(first.resources as string[]), "secrets"];
      }),
      role.urn,
      ["rule 1 grants resources secrets; the developer Role may only get/list pods, pods/log, deployments"],
    );
  });

  test("K8S-8: the real cert-manager release on a version range fails helm-release-require-pinned-version", async () => {
    const { ev, rec } = await real();
    const release = rec("release", (o) => o.chart === "cert-manager");
    await expectOnly(
      helm,
      editInputs(ev, release.urn, (p) => ({ ...p, version: "^1.0.0" })),
      release.urn,
      ["version ^1.0.0 is not one exact version (a range or constraint); pin e.g. 1.16.1"],
    );
  });
});

describe(`stack rules fail on a mutated copy of ${STACK}'s real outputs`, () => {
  test("K8S-5/K8S-4: the real PDB raised to the HPA's floor of 3 fails kubernetes-deployment-require-pdb", async () => {
    const { ev, rec, k8sName } = await real();
    const d = rec("deployment");
    const hpa = rec("hpa");
    const budget = rec("pdb");
    const mutated = editOutputs(ev, budget.urn, (p) => {
      const spec = obj(p.spec);
      delete spec.maxUnavailable;
      spec.minAvailable = 3;
    });
    await expectOnly(pdb, mutated, budget.urn, [
      `PodDisruptionBudget ${k8sName(budget)} keeps all 3 pod(s) of Deployment ${k8sName(d)} (HorizontalPodAutoscaler ${k8sName(hpa)}'s minReplicas) up: node drains would hang`,
    ]);
  });

  test("K8S-4: the real Deployment fixing spec.replicas under its HPA fails kubernetes-deployment-require-rolling-update", async () => {
    const { ev, rec, k8sName } = await real();
    const d = rec("deployment");
    const hpa = rec("hpa");
    const mutated = editOutputs(ev, d.urn, (p) => {
      obj(p.spec).replicas = 3;
    });
    await expectOnly(rolling, mutated, d.urn, [
      `Deployment ${k8sName(d)}: spec.replicas is 3 though HorizontalPodAutoscaler ${k8sName(hpa)} owns the count: every update resets it; leave replicas unset`,
    ]);
  });

  test("K8S-7: the real default-deny policy allowing all egress fails kubernetes-namespace-require-default-deny", async () => {
    const { ev, rec, k8sName } = await real();
    const deny = rec("networkPolicy", (o) => isDefaultDeny({ props: o }));
    const ns = String(obj(obj(ev.outputs.get(deny.urn)).metadata).namespace);
    const deployments = ev.records.filter(
      (r) => r.type === TYPES.deployment && obj(obj(ev.outputs.get(r.urn)).metadata).namespace === ns,
    );
    const declared = ev.records.find((r) => r.type === TYPES.namespace && k8sName(r) === ns);
    const mutated = editOutputs(ev, deny.urn, (p) => {
      obj(p.spec).egress = [{}];
    });
    await expectOnly(defaultDeny, mutated, (declared ?? deployments[0]).urn, [
      `namespace ${ns} holds Deployment(s) ${deployments.map(k8sName).join(", ")} but has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules): its pods accept traffic from anywhere`,
    ]);
  });

  test("K8S-7: the real vpc-cni add-on without network policy enforcement fails eks-addon-require-network-policy", async () => {
    const { ev, rec, outputs } = await real();
    const cluster = rec("cluster");
    const cni = rec("addon", (o) => o.addonName === "vpc-cni");
    const label = String(outputs(cluster).name ?? cluster.name);
    const mutated = editOutputs(ev, cni.urn, (p) => ({ ...p, configurationValues: "{}" }));
    await expectOnly(networkPolicyAddon, mutated, cni.urn, [
      `EKS cluster ${label}: vpc-cni add-on configurationValues do not set enableNetworkPolicy "true" (given {}): NetworkPolicies would be accepted but not enforced`,
    ]);
  });

  test("K8S-6: the real launch template allowing IMDSv1 fails eks-nodegroup-require-imdsv2", async () => {
    const { ev, rec, outputs } = await real();
    const group = rec("nodeGroup");
    const template = rec("launchTemplate");
    const groupLabel = String(outputs(group).nodeGroupName ?? group.name);
    const templateLabel = String(outputs(template).name ?? template.name);
    const mutated = editOutputs(ev, template.urn, (p) => {
      obj(p.metadataOptions).httpTokens = "optional";
    });
    await expectOnly(imdsv2, mutated, template.urn, [
      `node group ${groupLabel}: launch template ${templateLabel} metadataOptions.httpTokens is optional; set required (IMDSv2)`,
    ]);
  });

  test("K8S-1: the real cluster granting its creator admin fails eks-cluster-require-access-entries", async () => {
    const { ev, rec, outputs } = await real();
    const cluster = rec("cluster");
    const label = String(outputs(cluster).name ?? cluster.name);
    const mutated = editOutputs(ev, cluster.urn, (p) => {
      obj(p.accessConfig).bootstrapClusterCreatorAdminPermissions = true;
    });
    await expectOnly(accessEntries, mutated, cluster.urn, [
      `EKS cluster ${label}: accessConfig.bootstrapClusterCreatorAdminPermissions is true: the creating identity would be a hidden cluster admin; set it to false and grant access by access entries`,
    ]);
  });

  test("K8S-10: the real ExternalSecret writing another Secret leaves the Deployment's Secret unmade (kubernetes-deployment-require-managed-secrets)", async () => {
    const { ev, rec, outputs, k8sName } = await real();
    const d = rec("deployment");
    const es = rec("externalSecret");
    const secret = String(obj(obj(outputs(es).spec).target).name);
    const ns = String(obj(outputs(d).metadata).namespace);
    const containers = obj(obj(obj(outputs(d).spec).template).spec).containers as Props[];
    const env = (containers[0].env as Props[]).find(
      (e) => obj(obj(e.valueFrom).secretKeyRef).name === secret,
    )!;
    const mutated = editOutputs(ev, es.urn, (p) => {
      obj(obj(p.spec).target).name = "renamed";
    });
    await expectOnly(managedSecrets, mutated, d.urn, [
      `Deployment ${k8sName(d)} reads Secret ${secret} (container ${String(containers[0].name)} env ${String(env.name)}), which no ExternalSecret or Secret of this stack makes in namespace ${ns}: it would be created by hand`,
    ]);
  });

  test("K8S-1: the real Deployment moved to the default provider fails kubernetes-object-require-explicit-provider", async () => {
    const { ev, rec } = await real();
    const d = rec("deployment");
    const root = ev.records.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const prefix = root.urn.slice(0, root.urn.indexOf("::pulumi:pulumi:Stack"));
    // The engine's default provider, as its state holds it: the program never registers one.
    const fallback: ResourceRecord = {
      ...d,
      urn: `${prefix}::pulumi:providers:kubernetes::default_4_34_2`,
      type: "pulumi:providers:kubernetes",
      name: "default_4_34_2",
      id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      parent: null,
      provider: null,
      dependencies: [],
      inputs: {},
    };
    const moved = editRecord(ev, d.urn, (r) => ({ ...r, provider: `${fallback.urn}::${fallback.id}` }));
    const mutated = { ...moved, records: [fallback, ...moved.records] };
    await expectOnly(explicitProvider, mutated, d.urn, [
      `Deployment ${d.name} uses the default Kubernetes provider (default_4_34_2): it would deploy to the ambient kubeconfig's cluster; pass the stack's k8s.Provider`,
    ]);
  });
});
