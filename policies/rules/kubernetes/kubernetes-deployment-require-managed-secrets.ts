import type { PolicyResource } from "@pulumi/policy";
import {
  CLUSTER_SECRET_STORE,
  EXTERNAL_SECRET,
  SECRET,
  SECRET_STORE,
  WORKLOAD_TYPES,
  containers,
  namespaceOf,
  objectName,
  podSpec,
  workloadLabel,
} from "../../lib/kubernetes";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

/** The Secrets a workload's pods read, by name, with where each is read. */
function secretsRead(w: PolicyResource): Map<string, string> {
  const read = new Map<string, string>();
  const add = (name: unknown, where: string) => {
    if (isNonEmptyString(name) && !read.has(name)) read.set(name, where);
  };
  for (const { label, container } of containers(w.props, true)) {
    for (const e of asArray(container.env).map(asObject))
      add(asObject(asObject(e.valueFrom).secretKeyRef).name, `${label} env ${String(e.name)}`);
    for (const e of asArray(container.envFrom).map(asObject))
      add(asObject(e.secretRef).name, `${label} envFrom`);
  }
  for (const v of asArray(podSpec(w.props).volumes).map(asObject)) {
    add(asObject(v.secret).secretName, `volume ${String(v.name)}`);
    for (const s of asArray(asObject(v.projected).sources).map(asObject))
      add(asObject(s.secret).name, `volume ${String(v.name)}`);
  }
  return read;
}

/** The Secret an ExternalSecret writes: spec.target.name, defaulting to its own name. */
function targetName(es: PolicyResource): string {
  const target = asObject(asObject(es.props.spec).target).name;
  return isNonEmptyString(target) ? target : objectName(es);
}

/** Why an ExternalSecret's store is not AWS Secrets Manager, or undefined when it is. */
function storeProblem(resources: readonly PolicyResource[], es: PolicyResource): string | undefined {
  const ref = asObject(asObject(es.props.spec).secretStoreRef);
  const kind = ref.kind === "ClusterSecretStore" ? "ClusterSecretStore" : "SecretStore";
  const name = String(ref.name ?? "(none)");
  const store = resources.find(
    (r) =>
      objectName(r) === name &&
      (kind === "ClusterSecretStore"
        ? r.type === CLUSTER_SECRET_STORE
        : r.type === SECRET_STORE && namespaceOf(r.props) === namespaceOf(es.props)),
  );
  if (!store)
    return `its ${kind} ${name} is not declared in this stack: where the values come from cannot be checked`;
  const service = asObject(asObject(asObject(store.props.spec).provider).aws).service;
  return service === "SecretsManager"
    ? undefined
    : `its ${kind} ${name} reads ${String(service ?? "no AWS service")}, not AWS Secrets Manager`;
}

/**
 * K8S-10, APP-4: the Secrets pods read are made by the stack, from AWS Secrets
 * Manager: an External Secrets `ExternalSecret` synced from a SecretStore or
 * ClusterSecretStore whose provider is aws/SecretsManager, or a Secret the
 * program declares itself from Secrets Manager values. A Secret nobody in the
 * stack makes was created by hand (`kubectl create secret --from-literal`,
 * [P §3.6.2]): its values are untracked and the pods fail to start without it.
 */
export default stackRule({
  name: "kubernetes-deployment-require-managed-secrets",
  description:
    "Every Secret a workload reads is declared by the stack: an ExternalSecret synced from AWS Secrets Manager, or a Secret the program builds.",
  requirements: ["K8S-10", "APP-4"],
  severity: "critical",
  check: (resources) => {
    const externals = resources.filter((r) => r.type === EXTERNAL_SECRET);
    const secrets = resources.filter((r) => r.type === SECRET);
    const violations: StackViolation[] = [];
    for (const w of resources.filter((r) => WORKLOAD_TYPES.includes(r.type))) {
      const ns = namespaceOf(w.props);
      for (const [name, where] of secretsRead(w)) {
        const synced = externals.filter((e) => namespaceOf(e.props) === ns && targetName(e) === name);
        const declared = secrets.some((s) => namespaceOf(s.props) === ns && objectName(s) === name);
        const subject = `${workloadLabel(w)} reads Secret ${name} (${where})`;
        if (synced.length === 0 && !declared) {
          violations.push({
            urn: w.urn,
            message: `${subject}, which no ExternalSecret or Secret of this stack makes in namespace ${ns}: it would be created by hand`,
          });
          continue;
        }
        for (const e of synced) {
          const problem = storeProblem(resources, e);
          if (problem)
            violations.push({
              urn: e.urn,
              message: `${subject} from ExternalSecret ${objectName(e)}: ${problem}`,
            });
        }
      }
    }
    return violations;
  },
});
