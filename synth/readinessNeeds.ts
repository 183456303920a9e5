/**
 * Issue 16: readiness needs, "X must be ready before Y", that the recorded
 * dependency graph must express. The engine starts a resource as soon as
 * everything it waits for exists (the same waits as synth/criticalPath.ts
 * `buildGraph`), so a need the graph does not state is a race a fresh
 * `pulumi up` loses. Each need is a class check over `resources.json`
 * records, keyed by types and inputs, never by this program's names, and
 * names its basis; a finding names both ends by URN.
 *
 * This module holds the AWS needs, the read need and the table (`NEEDS`);
 * the Kubernetes needs are in ./readinessKubernetes, what they share in
 * ./readinessContext. Pure: no SDK.
 */
import { buildGraph } from "./criticalPath";
import {
  type Finding,
  type Need,
  type NeedContext,
  type NeedRecord,
  HELM_RELEASE,
  T,
  byCodePoint,
  clusterName,
  either,
  isObj,
  list,
  releaseIdentity,
  str,
} from "./readinessContext";
import { KUBERNETES_NEEDS } from "./readinessKubernetes";

/* ---------- ECS service after the listener (ecs-service-after-listener) ---------- */

/** Target group ARNs an action list forwards to: `targetGroupArn`, or a weighted `forward.targetGroups[].arn`. */
function forwardedArns(actions: unknown): string[] {
  return list(actions).flatMap((a) => {
    if (!isObj(a)) return [];
    const forward = isObj(a.forward) ? list(a.forward.targetGroups) : [];
    return [str(a.targetGroupArn), ...forward.map((g) => (isObj(g) ? str(g.arn) : undefined))].filter(
      (arn): arn is string => arn !== undefined,
    );
  });
}

/** The target groups an ECS service registers in, the blue/green alternate included. */
function serviceTargetGroups(svc: NeedRecord): string[] {
  return list(svc.inputs.loadBalancers).flatMap((lb) => {
    if (!isObj(lb)) return [];
    const advanced = isObj(lb.advancedConfiguration) ? lb.advancedConfiguration : {};
    return [str(lb.targetGroupArn), str(advanced.alternateTargetGroupArn)].filter(
      (arn): arn is string => arn !== undefined,
    );
  });
}

/**
 * Basis: ECS CreateService refuses a target group no listener forwards to
 * yet, "InvalidParameterException: The target group with targetGroupArn …
 * does not have an associated load balancer" (hashicorp/terraform#32908; the
 * cause, creation order: Bayer-Group/cloudformation-template-generator#181).
 * A target group's record id is its ARN (synth/mocks.ts; the AWS provider's
 * id for a target group is its ARN too), and the service's and listeners'
 * inputs carry that ARN. One forwarding listener or rule associates the
 * group with its load balancer, so waiting for one suffices.
 */
function ecsServiceAfterListener(ctx: NeedContext): Finding[] {
  const need = "ecs-service-after-listener";
  const groups = new Map(
    ctx.ofType(T.targetGroup).flatMap((g) => (g.id === null ? [] : [[g.id, g] as const])),
  );
  const forwarders = new Map<string, string[]>();
  for (const r of [...ctx.ofType(T.listener), ...ctx.ofType(T.listenerRule)]) {
    const actions = r.type === T.listener ? r.inputs.defaultActions : r.inputs.actions;
    for (const arn of new Set(forwardedArns(actions)))
      forwarders.set(arn, [...(forwarders.get(arn) ?? []), r.urn]);
  }
  const findings: Finding[] = [];
  for (const svc of ctx.ofType(T.ecsService)) {
    for (const arn of new Set(serviceTargetGroups(svc))) {
      const group = groups.get(arn);
      if (group === undefined) continue; // a target group of another stack: its listeners are not ours to order
      const via = (forwarders.get(arn) ?? []).sort(byCodePoint);
      if (via.some((f) => ctx.waits(svc.urn, f))) continue;
      findings.push(
        via.length === 0
          ? {
              need,
              urn: svc.urn,
              waitsFor: group.urn,
              message: `${svc.urn} registers in target group ${group.urn}, which no aws:lb/listener:Listener or aws:lb/listenerRule:ListenerRule of this stack forwards to: ECS CreateService refuses it ("does not have an associated load balancer")`,
            }
          : {
              need,
              urn: svc.urn,
              waitsFor: via[0],
              message: `${svc.urn} must wait for ${either(via)}, which forwards to its target group ${group.urn}: until a listener forwards to a target group, ECS CreateService refuses it ("does not have an associated load balancer")`,
            },
      );
    }
  }
  return findings;
}

/* ---------- Kubernetes provider after the EKS access (kubernetes-provider-after-eks-access) ---------- */

/**
 * Basis: with access entries (authenticationMode API) an IAM principal may do
 * only what its access entry and associated access policies grant (EKS User
 * Guide, "Grant IAM users access to Kubernetes with EKS access entries"), and
 * `bootstrapClusterCreatorAdminPermissions: false` gives the creator nothing
 * (EKS API, CreateAccessConfigRequest). The provider's kubeconfig is built
 * from the cluster's outputs, so the clusters it targets are those it waits
 * for. Every Kubernetes object waits for its provider, so the provider
 * waiting for the grants also keeps them until the last object is deleted.
 */
function kubernetesProviderAfterEksAccess(ctx: NeedContext): Finding[] {
  const need = "kubernetes-provider-after-eks-access";
  const grants = [...ctx.ofType(T.accessEntry), ...ctx.ofType(T.accessPolicyAssociation)].sort((a, b) =>
    byCodePoint(a.urn, b.urn),
  );
  const findings: Finding[] = [];
  for (const provider of ctx.ofType(T.kubernetesProvider)) {
    for (const cluster of ctx.clustersOf(provider.urn)) {
      const name = clusterName(cluster);
      for (const grant of grants) {
        if (name === undefined || grant.inputs.clusterName !== name || ctx.waits(provider.urn, grant.urn))
          continue;
        findings.push({
          need,
          urn: provider.urn,
          waitsFor: grant.urn,
          message: `${provider.urn} must wait for ${grant.urn}: its kubeconfig reaches cluster ${cluster.urn}, whose API grants an IAM principal nothing until its access entries and access policy associations exist; waiting for them also keeps them until the last Kubernetes object is deleted`,
        });
      }
    }
  }
  return findings;
}

/* ---------- Route 53 health check after its record (health-check-after-record) ---------- */

/** A DNS name as Route 53 compares it: lower case, no final dot. */
const dnsName = (v: unknown) => str(v)?.replace(/\.$/, "").toLowerCase();

/**
 * Basis: a health check without `IPAddress` resolves its
 * `FullyQualifiedDomainName` through DNS before each probe (Route 53 API
 * Reference, HealthCheckConfig). Created before the record of that name it
 * fails from its first probe, and the alarms on it page on a first deploy.
 * A record of the name that exists is enough (one answer suffices).
 */
function healthCheckAfterRecord(ctx: NeedContext): Finding[] {
  const need = "health-check-after-record";
  const findings: Finding[] = [];
  for (const check of ctx.ofType(T.healthCheck)) {
    const fqdn = dnsName(check.inputs.fqdn);
    if (fqdn === undefined || check.inputs.ipAddress !== undefined) continue;
    const named = ctx
      .ofType(T.dnsRecord)
      .filter((r) => dnsName(r.inputs.name) === fqdn)
      .map((r) => r.urn);
    if (named.length === 0 || named.some((r) => ctx.waits(check.urn, r))) continue;
    findings.push({
      need,
      urn: check.urn,
      waitsFor: named[0],
      message: `${check.urn} must wait for ${either(named)}: it resolves ${fqdn} through DNS before each probe, so created first it fails from its first probe and its alarms page`,
    });
  }
  return findings;
}

/* ---------- Reads with an id from the creator (read-id-from-creator) ---------- */

/** The namespace and name a Kubernetes id `<namespace>/<name>` (or `<name>`) names. */
function splitId(id: string): { namespace?: string; name: string } {
  const cut = id.indexOf("/");
  return cut < 0 ? { name: id } : { namespace: id.slice(0, cut), name: id.slice(cut + 1) };
}

/**
 * What creates the object a read names, in this stack: a resource of the
 * same type with the same id, or, for a Kubernetes object, a Helm release on
 * the same provider in its namespace whose release name starts its name.
 * Charts name their objects after the release (`helm create`'s
 * `<chart>.fullname`: the release name when it contains the chart's, else
 * `<release>-<chart>`; helm/helm pkg/chart/v2/util/create.go), so this is a
 * convention, not a rendering of the chart.
 */
function creatorsOf(read: NeedRecord, ctx: NeedContext): string[] {
  if (read.id === null) return [];
  const id = read.id;
  const same = ctx.ofType(read.type).filter((r) => r.urn !== read.urn && !ctx.isRead(r.urn) && r.id === id);
  const releases = !read.type.startsWith("kubernetes:")
    ? []
    : ctx.ofType(HELM_RELEASE).filter((rel) => {
        if (ctx.providerOf(rel) !== ctx.providerOf(read)) return false;
        const { name, namespace } = releaseIdentity(rel, ctx);
        const object = splitId(id);
        return (
          (object.namespace === undefined || object.namespace === namespace) &&
          (object.name === name || object.name.startsWith(`${name}-`))
        );
      });
  return [...same, ...releases].map((r) => r.urn).sort(byCodePoint);
}

/**
 * Basis: the engine runs a read whose id is known at once, during preview
 * too, and `dependsOn` does not defer it, so preview fails with "resource …
 * does not exist" while its creator is yet to be created
 * (pulumi/pulumi-kubernetes#2297, pulumi/pulumi#16395: `.get` respects
 * resource dependencies, not `dependsOn`). An id computed from the creator's
 * outputs is unknown until the creator exists, and the read waits. The
 * engine records what each id was computed from (synth/engine.ts ReadRecord).
 */
function readIdFromCreator(ctx: NeedContext): Finding[] {
  const need = "read-id-from-creator";
  const idDeps = new Map(ctx.reads.map((r) => [r.urn, r.idDependencies]));
  // What each id waits for, as the SDK expands a dependency (components to their resources).
  const idGraph = buildGraph(
    ctx.records.map((r) => {
      const deps = idDeps.get(r.urn);
      return deps === undefined ? r : { ...r, dependencies: deps, parent: null, provider: null };
    }),
  );
  const findings: Finding[] = [];
  for (const read of [...ctx.reads].sort((a, b) => byCodePoint(a.urn, b.urn))) {
    const record = ctx.byUrn.get(read.urn);
    if (record === undefined) continue;
    const from = new Set<string>();
    for (const w of idGraph.waits.get(read.urn) ?? []) for (const u of [w, ...ctx.ancestors(w)]) from.add(u);
    for (const creator of creatorsOf(record, ctx)) {
      if (from.has(creator)) continue;
      const how =
        read.idDependencies.length === 0
          ? "a literal id, known before the run"
          : `an id computed from ${read.idDependencies.join(", ")} only`;
      findings.push({
        need,
        urn: read.urn,
        waitsFor: creator,
        message: `${read.urn} reads ${record.id} by ${how}, but ${creator} creates it in this stack: a known id is read at once, in preview too, and fails while the object does not exist (dependsOn does not defer a read); take the id from ${creator}'s outputs`,
      });
    }
  }
  return findings;
}

/* ---------- the table ---------- */

/** Every readiness need, in the order apply-order.json lists them. */
export const NEEDS: readonly Need[] = [
  // ECS-5: the service behind the ALB's HTTPS listener.
  {
    id: "ecs-service-after-listener",
    statement:
      "An ECS service waits for a listener or listener rule that forwards to each of its target groups (alternate included).",
    basis: [
      "https://github.com/aws/aws-cdk/issues/1160",
      "https://github.com/hashicorp/terraform/issues/32908",
      "https://github.com/Bayer-Group/cloudformation-template-generator/issues/181",
    ],
    check: ecsServiceAfterListener,
  },
  // K8S-1: the cluster grants access by access entries only.
  {
    id: "kubernetes-provider-after-eks-access",
    statement:
      "A Kubernetes provider whose kubeconfig targets an EKS cluster of this stack waits for every access entry and access policy association of that cluster.",
    basis: [
      "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
      "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessConfigRequest.html",
    ],
    check: kubernetesProviderAfterEksAccess,
  },
  ...KUBERNETES_NEEDS,
  // SLO-7: the uptime check of https://<api>/health.
  {
    id: "health-check-after-record",
    statement:
      "A Route 53 health check probing a domain name waits for a record of that name this stack creates.",
    basis: ["https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html"],
    check: healthCheckAfterRecord,
  },
  // K8S-3: the ingress NLB's name, read from the controller's Service.
  {
    id: "read-id-from-creator",
    statement:
      "A read (Resource.get) of an object this stack creates takes its id from the creator's outputs, so preview does not read it before it exists.",
    basis: [
      "https://github.com/pulumi/pulumi-kubernetes/issues/2297",
      "https://github.com/pulumi/pulumi/issues/16395",
    ],
    check: readIdFromCreator,
  },
];

/** Every need's findings over the records, in table order, then by URN and what it waits for. */
export function checkNeeds(ctx: NeedContext, needs: readonly Need[] = NEEDS): Finding[] {
  return needs.flatMap((n) =>
    n.check(ctx).sort((a, b) => byCodePoint(a.urn, b.urn) || byCodePoint(a.waitsFor, b.waitsFor)),
  );
}
