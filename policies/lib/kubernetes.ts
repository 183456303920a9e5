/** Facts about Kubernetes objects several rules need (K8S-1..K8S-10). */
import type { PolicyResource } from "@pulumi/policy";
import { Props, asArray, asObject, isNonEmptyString } from "./props";

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
/** Workloads with a pod template at spec.template. */
export const WORKLOAD_TYPES = [DEPLOYMENT, STATEFUL_SET, DAEMON_SET];
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const SECRET = "kubernetes:core/v1:Secret";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
export const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
/** External Secrets Operator's custom resources (external-secrets.io/v1, ESO 0.17 and later). */
export const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
export const SECRET_STORE = "kubernetes:external-secrets.io/v1:SecretStore";
export const CLUSTER_SECRET_STORE = "kubernetes:external-secrets.io/v1:ClusterSecretStore";

/**
 * The name an object has in the cluster: `metadata.name`, or, where the view
 * has none (a resource rule sees the inputs of an object Pulumi auto-names),
 * the record's logical name. Every rule names and matches objects through
 * this, so a reference (an HPA's scaleTargetRef, a secretKeyRef) resolves the
 * same way in stack rules (outputs, where the provider filled the name in)
 * and in tests whose objects leave it out.
 */
export function objectName(r: { readonly name: string; readonly props: Props }): string {
  const name = asObject(r.props.metadata).name;
  return isNonEmptyString(name) ? name : r.name;
}

/** The namespace of a namespaced object: metadata.namespace, or Kubernetes' `default`. */
export function namespaceOf(props: Props): string {
  const ns = asObject(props.metadata).namespace;
  return isNonEmptyString(ns) ? ns : "default";
}

/** "Deployment psi-api", "StatefulSet db": how messages name a workload. */
export function workloadLabel(r: {
  readonly type: string;
  readonly name: string;
  readonly props: Props;
}): string {
  return `${r.type.split(":").pop() ?? r.type} ${objectName(r)}`;
}

/**
 * The HorizontalPodAutoscalers that own `workload`'s replica count: same
 * namespace, scaleTargetRef of the workload's kind and name (K8S-4).
 */
export function autoscalersOf(
  resources: readonly PolicyResource[],
  workload: PolicyResource,
): PolicyResource[] {
  const kind = workload.type.split(":").pop();
  const name = objectName(workload);
  const namespace = namespaceOf(workload.props);
  return resources.filter((h) => {
    if (h.type !== HPA || namespaceOf(h.props) !== namespace) return false;
    const target = asObject(asObject(h.props.spec).scaleTargetRef);
    return target.kind === kind && target.name === name;
  });
}

/**
 * The fewest pods `workload` runs: the minReplicas of the HPA that owns its
 * count (Kubernetes defaults it to 1), else spec.replicas (default 1); with
 * where the figure came from, for messages.
 */
export function replicaFloor(
  resources: readonly PolicyResource[],
  workload: PolicyResource,
): { readonly replicas: number; readonly source: string } {
  const [hpa] = autoscalersOf(resources, workload);
  const count = (v: unknown) =>
    typeof v === "number" && Number.isFinite(v)
      ? v
      : typeof v === "string" && /^\d+$/.test(v)
        ? Number(v)
        : 1;
  if (hpa) {
    return {
      replicas: count(asObject(hpa.props.spec).minReplicas),
      source: `HorizontalPodAutoscaler ${objectName(hpa)}'s minReplicas`,
    };
  }
  return { replicas: count(asObject(workload.props.spec).replicas), source: "spec.replicas" };
}

export function podTemplate(props: Props): Props {
  return asObject(asObject(props.spec).template);
}

export function podSpec(props: Props): Props {
  return asObject(podTemplate(props).spec);
}

/** A container of the pod template and how messages name it ("container api", "init container migrate"). */
export interface NamedContainer {
  readonly label: string;
  readonly container: Props;
}

/** The pod template's containers, and its init containers when `init` is set. */
export function containers(props: Props, init = false): NamedContainer[] {
  const spec = podSpec(props);
  const named = (list: unknown, kind: string) =>
    asArray(list).map((c, i) => {
      const container = asObject(c);
      const name = isNonEmptyString(container.name) ? container.name : `#${i + 1}`;
      return { label: `${kind} ${name}`, container };
    });
  return [
    ...named(spec.containers, "container"),
    ...(init ? named(spec.initContainers, "init container") : []),
  ];
}

/** An int-or-string count ("25%" or 1) resolved against `total`, rounding as `round` says; undefined if unreadable. */
export function scaledCount(v: unknown, total: number, round: "up" | "down"): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)%$/.exec(v.trim());
  if (m) {
    const exact = (total * Number(m[1])) / 100;
    return round === "up" ? Math.ceil(exact) : Math.floor(exact);
  }
  return /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

/** Whether a label selector ({matchLabels, matchExpressions}) selects pods labelled `labels`. */
export function selects(selector: unknown, labels: Props): boolean {
  if (typeof selector !== "object" || selector === null || Array.isArray(selector)) return false;
  const s = selector as Props;
  const matchLabels = Object.entries(asObject(s.matchLabels)).every(([k, v]) => labels[k] === v);
  const matchExpressions = asArray(s.matchExpressions)
    .map(asObject)
    .every((e) => {
      const key = String(e.key);
      const values = asArray(e.values);
      const has = Object.prototype.hasOwnProperty.call(labels, key);
      switch (e.operator) {
        case "In":
          return has && values.includes(labels[key]);
        case "NotIn":
          return !has || !values.includes(labels[key]);
        case "Exists":
          return has;
        case "DoesNotExist":
          return !has;
        default:
          return false;
      }
    });
  return matchLabels && matchExpressions;
}

/** Whether an image reference is pinned: by digest, or by a tag other than `latest`. */
export function imageProblem(image: unknown): string | undefined {
  if (!isNonEmptyString(image)) return "has no image";
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  const tag = colon < 0 ? undefined : image.slice(colon + 1);
  if (tag === undefined || tag === "") return `image ${image} has no tag: it means latest`;
  if (tag.toLowerCase() === "latest") return `image ${image} uses the latest tag`;
  return undefined;
}

/** An empty label selector (`{}`, or one whose matchLabels and matchExpressions are empty): every pod. */
function selectsAll(selector: unknown): boolean {
  if (typeof selector !== "object" || selector === null || Array.isArray(selector)) return false;
  const s = selector as Props;
  return Object.keys(asObject(s.matchLabels)).length === 0 && asArray(s.matchExpressions).length === 0;
}

/**
 * A default-deny NetworkPolicy: every pod of the namespace, both directions,
 * no rule allowing anything. Kubernetes then drops all traffic of those pods
 * that another policy does not allow
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies).
 */
export function isDefaultDeny(policy: { readonly props: Props }): boolean {
  const spec = asObject(policy.props.spec);
  const types = asArray(spec.policyTypes).map(String);
  return (
    selectsAll(spec.podSelector) &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    asArray(spec.ingress).length === 0 &&
    asArray(spec.egress).length === 0
  );
}

/**
 * Component resources of the Kubernetes package: they register no provider of
 * their own (their children do), so provider checks skip them.
 */
export const KUBERNETES_COMPONENT_TYPES: readonly string[] = [
  "kubernetes:yaml:ConfigFile",
  "kubernetes:yaml:ConfigGroup",
  "kubernetes:yaml/v2:ConfigFile",
  "kubernetes:yaml/v2:ConfigGroup",
  "kubernetes:helm.sh/v3:Chart",
  "kubernetes:helm.sh/v4:Chart",
  "kubernetes:kustomize:Directory",
  "kubernetes:kustomize/v2:Directory",
];

/**
 * Whether a provider reference is the engine's default provider: named
 * `default`, or `default_<version>` with the version's dots as underscores
 * (`default_4_34_2`), the last segment of its URN.
 */
export function isDefaultProvider(provider: { readonly urn: string; readonly name: string }): boolean {
  const last = provider.urn.slice(provider.urn.lastIndexOf("::") + 2);
  return [provider.name, last].some((n) => /^default(_\d+_\d+_\d+\w*)?$/.test(n));
}
