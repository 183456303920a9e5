/** Facts about Kubernetes workload props several rules need (K8S-2, K8S-5, K8S-6, K8S-10). */
import { Props, asArray, asObject, isNonEmptyString } from "./props";

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
/** Workloads with a pod template at spec.template. */
export const WORKLOAD_TYPES = [DEPLOYMENT, STATEFUL_SET, DAEMON_SET];
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

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
