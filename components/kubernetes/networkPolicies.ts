/**
 * K8S-7: the NetworkPolicies of an app namespace and of each service in it,
 * as data. AppNamespace and KubernetesService declare exactly these specs and
 * nothing else; tests read the same table. Policies are additive: the
 * namespace's default deny leaves a pod only what some row allows it.
 *
 * On EKS the VPC CNI enforces NetworkPolicies only with its network policy
 * agent enabled (the vpc-cni add-on's `enableNetworkPolicy: "true"`).
 */

/** The label the API server puts on every namespace (Kubernetes 1.22+), naming it. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** K8S-7: cluster DNS: CoreDNS pods in kube-system, labelled k8s-app=kube-dns on EKS. */
export const CLUSTER_DNS = {
  namespace: "kube-system",
  podLabels: { "k8s-app": "kube-dns" },
  port: 53,
} as const;

/**
 * K8S-3, K8S-8: cert-manager's ACME HTTP-01 solver pods, which it starts in
 * the namespace of the Ingress being certified and which ingress-nginx must
 * reach: label `acme.cert-manager.io/http01-solver: "true"`
 * (cert-manager pkg/apis/acme/v1/types.go), port 8089
 * (pkg/issuer/acme/http/http.go, acmeSolverListenPort). Without this row the
 * default deny would stop every certificate from being issued or renewed.
 */
export const ACME_HTTP01_SOLVER = {
  podLabels: { "acme.cert-manager.io/http01-solver": "true" },
  port: 8089,
} as const;

/** K8S-7: HTTPS to AWS APIs (STS for IRSA, S3, Secrets Manager) and the apps' external APIs. */
export const HTTPS_PORT = 443;
export const ANYWHERE = "0.0.0.0/0";

type Labels = Readonly<Record<string, string>>;

export interface PolicyPort {
  readonly protocol: "TCP" | "UDP";
  readonly port: number;
}

/** One `from`/`to` entry: a namespace (and pods in it), or an IP block. */
export type PolicyPeer =
  | {
      readonly namespaceSelector: { readonly matchLabels: Labels };
      readonly podSelector?: { readonly matchLabels: Labels };
    }
  | { readonly ipBlock: { readonly cidr: string } };

/** A networking.k8s.io/v1 NetworkPolicySpec, as plain data. */
export interface NetworkPolicySpec {
  /** `{}` selects every pod of the namespace. */
  readonly podSelector: { readonly matchLabels?: Labels };
  readonly policyTypes: readonly ("Ingress" | "Egress")[];
  readonly ingress?: readonly {
    readonly from: readonly PolicyPeer[];
    readonly ports: readonly PolicyPort[];
  }[];
  readonly egress?: readonly { readonly to: readonly PolicyPeer[]; readonly ports: readonly PolicyPort[] }[];
}

export interface PolicyRow {
  /** The child's role: the object is `<component>-<role>` in Pulumi and `<role>` (or `<service>-<role>`) in Kubernetes. */
  readonly role: string;
  /** Why the traffic is allowed; becomes the object's description annotation. */
  readonly description: string;
  readonly spec: NetworkPolicySpec;
}

const namespacePeer = (namespace: string, podLabels?: Labels): PolicyPeer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
  ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
});
const tcp = (port: number): PolicyPort => ({ protocol: "TCP", port });

export interface NamespacePolicyArgs {
  /** K8S-7, K8S-8: where ingress-nginx runs (it proxies to the ACME solvers). */
  readonly ingressControllerNamespace: string;
}

/** K8S-7: the namespace-wide rows: default deny both ways, DNS for every pod, and the ACME solvers. */
export function namespacePolicies(a: NamespacePolicyArgs): PolicyRow[] {
  return [
    {
      role: "default-deny",
      description: "K8S-7: no traffic in or out of any pod unless another policy allows it",
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      role: "allow-dns",
      description: "K8S-7: every pod may resolve names through the cluster DNS (UDP and TCP 53)",
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [namespacePeer(CLUSTER_DNS.namespace, CLUSTER_DNS.podLabels)],
            ports: [
              { protocol: "UDP", port: CLUSTER_DNS.port },
              { protocol: "TCP", port: CLUSTER_DNS.port },
            ],
          },
        ],
      },
    },
    {
      role: "allow-acme-http01",
      description:
        "K8S-3, K8S-8: the ingress controller reaches cert-manager's HTTP-01 solver pods, so certificates issue and renew",
      spec: {
        podSelector: { matchLabels: ACME_HTTP01_SOLVER.podLabels },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [namespacePeer(a.ingressControllerNamespace)], ports: [tcp(ACME_HTTP01_SOLVER.port)] },
        ],
      },
    },
  ];
}

export interface ServicePolicyArgs {
  /** The service's pod selector (its Deployment's selector labels). */
  readonly selectorLabels: Labels;
  /** APP-2: the container port. */
  readonly port: number;
  /** K8S-7: where ingress-nginx runs. */
  readonly ingressControllerNamespace: string;
  /** SLO-6: where Prometheus runs (it scrapes /metrics on the app port). */
  readonly monitoringNamespace: string;
  /** K8S-7, NET-3: the data subnets and the data-store ports (5432, 27017, 6379). */
  readonly dataEgress: { readonly cidrs: readonly string[]; readonly ports: readonly number[] };
}

/**
 * K8S-7: one service's rows: its port only from the ingress controller and
 * Prometheus; out only to the data tier's ports in the data subnets and to
 * HTTPS anywhere (DNS comes from the namespace's row). The IMDS (port 80) and
 * everything else stay closed.
 */
export function servicePolicies(a: ServicePolicyArgs): PolicyRow[] {
  const podSelector = { matchLabels: a.selectorLabels };
  const dataRules =
    a.dataEgress.cidrs.length > 0 && a.dataEgress.ports.length > 0
      ? [
          {
            to: a.dataEgress.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: a.dataEgress.ports.map(tcp),
          },
        ]
      : [];
  return [
    {
      role: "allow-ingress",
      description: `K8S-7, SLO-6: port ${a.port} from the ingress controller (${a.ingressControllerNamespace}) and Prometheus (${a.monitoringNamespace}) only`,
      spec: {
        podSelector,
        policyTypes: ["Ingress"],
        ingress: [
          { from: [namespacePeer(a.ingressControllerNamespace)], ports: [tcp(a.port)] },
          { from: [namespacePeer(a.monitoringNamespace)], ports: [tcp(a.port)] },
        ],
      },
    },
    {
      role: "allow-egress",
      description:
        "K8S-7, NET-3: the data tier's ports in the data subnets, and HTTPS to AWS and external APIs",
      spec: {
        podSelector,
        policyTypes: ["Egress"],
        egress: [...dataRules, { to: [{ ipBlock: { cidr: ANYWHERE } }], ports: [tcp(HTTPS_PORT)] }],
      },
    },
  ];
}
