/** Facts about ECS and ECR props several rules need. */
import type { PolicyResource } from "@pulumi/policy";
import { Props, asObject, isNonEmptyString, parseJson, referencedBy } from "./props";

export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const ECS_SERVICE = "aws:ecs/service:Service";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";
export const ECS_CLUSTER = "aws:ecs/cluster:Cluster";
export const SCALABLE_TARGET = "aws:appautoscaling/target:Target";
export const SCALING_POLICY = "aws:appautoscaling/policy:Policy";
/** Application Auto Scaling's dimension for an ECS service's task count. */
export const ECS_DESIRED_COUNT = "ecs:service:DesiredCount";

export interface NamedContainer {
  readonly label: string;
  readonly container: Props;
}

/** The task definition's containers, from its `containerDefinitions` JSON (an unreadable one has none). */
export function containerDefinitions(props: Props): NamedContainer[] {
  const parsed = parseJson(props.containerDefinitions);
  return (Array.isArray(parsed) ? parsed : []).map((c, i) => {
    const container = asObject(c);
    const name = isNonEmptyString(container.name) ? container.name : `#${i + 1}`;
    return { label: `container ${name}`, container };
  });
}

/** ECS treats a container as essential unless it says otherwise. */
export function isEssential(container: Props): boolean {
  return container.essential !== false;
}

/**
 * A task size in ECS's units (CPU units, MiB), from either form the task
 * definition accepts: an integer ("1024") or a string with its unit ("1 vCPU",
 * "2 GB", "2GB"); undefined when unreadable [ECS TaskDefinition cpu/memory].
 */
export function taskSize(v: unknown, unit: "vcpu" | "gb"): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2].toLowerCase();
  if (suffix === "") return n;
  return suffix === unit ? n * 1024 : undefined;
}

/** A service's scheduling: REPLICA unless it says DAEMON (daemons do not scale by count). */
export function isReplicaService(props: Props): boolean {
  return props.schedulingStrategy !== "DAEMON";
}

/** The cluster name in a service's `cluster` input (an ARN `…:cluster/<name>` or the name). */
export function clusterName(cluster: unknown): string | undefined {
  return isNonEmptyString(cluster) ? cluster.split("/").pop() : undefined;
}

/** Application Auto Scaling's resource id of an ECS service: `service/<cluster>/<service>`. */
export function serviceResourceId(props: Props): string | undefined {
  const cluster = clusterName(props.cluster);
  return cluster && isNonEmptyString(props.name) ? `service/${cluster}/${props.name}` : undefined;
}

/**
 * The Application Auto Scaling targets that scale `service`'s task count: an
 * `ecs:service:DesiredCount` target whose `resourceId` is built from the
 * service (a property dependency) or spells `service/<cluster>/<name>`.
 */
export function scalableTargetsOf(
  resources: readonly PolicyResource[],
  service: PolicyResource,
): PolicyResource[] {
  const id = serviceResourceId(service.props);
  return resources.filter((t) => {
    if (t.type !== SCALABLE_TARGET || t.props.scalableDimension !== ECS_DESIRED_COUNT) return false;
    const deps = (t.propertyDependencies.resourceId ?? []).map((d) => d.urn);
    return deps.includes(service.urn) || (id !== undefined && t.props.resourceId === id);
  });
}

/** The scaling policies of `target`: same resource id and dimension, or built from the target's outputs. */
export function scalingPoliciesOf(
  resources: readonly PolicyResource[],
  target: PolicyResource,
): PolicyResource[] {
  return resources.filter((p) => {
    if (p.type !== SCALING_POLICY) return false;
    const deps = ["resourceId", "scalableDimension", "serviceNamespace"].flatMap((k) =>
      (p.propertyDependencies[k] ?? []).map((d) => d.urn),
    );
    if (deps.includes(target.urn)) return true;
    return (
      isNonEmptyString(p.props.resourceId) &&
      p.props.resourceId === target.props.resourceId &&
      p.props.scalableDimension === target.props.scalableDimension
    );
  });
}

/** The task definition an ECS service runs: by dependency, or by its ARN, `family` or `family:revision`. */
export function serviceTaskDefinitions(
  resources: readonly PolicyResource[],
  service: PolicyResource,
): PolicyResource[] {
  const taskDefinitions = resources.filter((r) => r.type === TASK_DEFINITION);
  return referencedBy(service, "taskDefinition", taskDefinitions, (td, given) => {
    if (!isNonEmptyString(given)) return false;
    const family = td.props.family;
    return (
      given === td.props.arn ||
      (isNonEmptyString(family) && (given === family || given === `${family}:${String(td.props.revision)}`))
    );
  });
}
