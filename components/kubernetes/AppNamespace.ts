import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { namespacePolicies } from "./networkPolicies";

/**
 * K8S-6: Pod Security Admission refuses (enforce), logs (audit) and warns
 * about (warn) every pod below the restricted profile, judged by the newest
 * profile the cluster knows (`latest`), so an upgrade tightens it.
 */
export const POD_SECURITY_LABELS: Readonly<Record<string, string>> = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
};

/**
 * K8S-9 [P §10.2.3]: the `developer` Role: read pods, their logs and
 * deployments, nothing else (no exec, no secrets, no writes).
 */
export const DEVELOPER_RULES = [
  { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] },
  { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list"] },
] as const;

/** A Kubernetes namespace name: an RFC 1123 label of at most 63 characters. */
const NAMESPACE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface AppNamespaceArgs {
  /** The cluster the namespace lives in; every object names it explicitly (never the ambient kubeconfig). */
  readonly provider: k8s.Provider;
  /** K8S-2: the namespace's name [P §3.6: `production` in prod]. */
  readonly namespace: string;
  /**
   * K8S-9: the Kubernetes group EKS access entries map developers' IAM roles
   * to; the `developer` Role is bound to it. @default "developers"
   */
  readonly developerGroup?: string;
  /** K8S-7, K8S-8: the namespace ingress-nginx runs in (it reaches cert-manager's HTTP-01 solvers here). */
  readonly ingressControllerNamespace: string;
  /**
   * @deprecated Not read: Prometheus's access is granted per service, on its
   * pods and port only (KubernetesService, SLO-6); kept so callers written
   * against the first interface compile. Drop it with its caller's line.
   */
  readonly monitoringNamespace?: string;
  /** Labels on every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The namespace the services run in (K8S-2, K8S-6, K8S-7, K8S-9):
 *
 * - the Namespace, with Pod Security Admission at `restricted` for enforce,
 *   audit and warn (K8S-6);
 * - NetworkPolicies from ./networkPolicies (K8S-7): default deny in and out
 *   for every pod, DNS to the cluster's CoreDNS, and the ingress
 *   controller to cert-manager's ACME HTTP-01 solver pods (without which no
 *   certificate would be issued under the default deny); each service adds
 *   its own (KubernetesService);
 * - the `developer` Role [P §10.2.3] with get/list on pods, pods/log and
 *   deployments only, bound to the developers' group (K8S-9). The runbook
 *   binds a user by e-mail; on EKS access entries map IAM roles to groups,
 *   so the group is what a binding can name.
 */
export class AppNamespace extends pulumi.ComponentResource {
  /** The namespace's name, known once it exists: dependents wait for it. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:kubernetes:AppNamespace", name, {}, opts);
    const developerGroup = args.developerGroup ?? "developers";
    const labels = args.labels ?? {};
    const k8sOpts = { parent: this, provider: args.provider };
    if (!NAMESPACE_NAME.test(args.namespace))
      throw new Error(
        `${name}: namespace ${args.namespace} must be 1-63 lowercase letters, digits and -, starting and ending with a letter or digit`,
      );

    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.namespace, labels: { ...labels, ...POD_SECURITY_LABELS } } },
      k8sOpts,
    );
    const namespace = ns.metadata.name;

    for (const row of namespacePolicies({ ingressControllerNamespace: args.ingressControllerNamespace })) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${row.role}`,
        {
          metadata: {
            name: row.role,
            namespace,
            labels: { ...labels },
            annotations: { "kubernetes.io/description": row.description },
          },
          spec: row.spec as k8s.types.input.networking.v1.NetworkPolicySpec,
        },
        k8sOpts,
      );
    }

    const role = new k8s.rbac.v1.Role(
      `${name}-developer`,
      {
        metadata: { name: "developer", namespace, labels: { ...labels } },
        rules: DEVELOPER_RULES.map((r) => ({
          apiGroups: [...r.apiGroups],
          resources: [...r.resources],
          verbs: [...r.verbs],
        })),
      },
      k8sOpts,
    );
    new k8s.rbac.v1.RoleBinding(
      `${name}-developer-binding`,
      {
        metadata: { name: "developer-binding", namespace, labels: { ...labels } },
        subjects: [{ kind: "Group", name: developerGroup, apiGroup: "rbac.authorization.k8s.io" }],
        roleRef: { kind: "Role", name: role.metadata.name, apiGroup: "rbac.authorization.k8s.io" },
      },
      k8sOpts,
    );

    this.namespace = namespace;
    this.registerOutputs({ namespace: this.namespace });
  }
}
