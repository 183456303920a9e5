/**
 * Issue 16: what the readiness needs (./readinessNeeds) share: the records
 * with the engine's waits (synth/criticalPath.ts `buildGraph`, the same
 * waits the create and destroy waves are computed from), and helpers to read
 * their inputs. Pure: no SDK.
 */
import { type Graph, type PathRecord, buildGraph } from "./criticalPath";
import type { ReadRecord, ResourceRecord } from "./engine";
import { providerUrn } from "./graph";
import { HELM_RELEASE_TYPE } from "./manifests";

/** The fields the checks read: a `resources.json` record. */
export type NeedRecord = PathRecord & Pick<ResourceRecord, "id">;

/** One unmet need: `urn` must wait for `waitsFor` (or, where nothing provides it, what should). */
export interface Finding {
  readonly need: string;
  readonly urn: string;
  readonly waitsFor: string;
  readonly message: string;
}

/** The records with the engine's waits, as every check sees them. */
export interface NeedContext {
  readonly records: readonly NeedRecord[];
  readonly byUrn: ReadonlyMap<string, NeedRecord>;
  readonly graph: Graph;
  /** The program's reads (`Resource.get`), with what each id was computed from. */
  readonly reads: readonly ReadRecord[];
  /** Records of a type, sorted by URN. */
  ofType(type: string): NeedRecord[];
  /** Whether `urn` waits for `other`, directly or through what it waits for. */
  waits(urn: string, other: string): boolean;
  /** Everything `urn` waits for, directly or not. */
  ancestors(urn: string): ReadonlySet<string>;
  /** Whether the record is a read, not a resource this stack creates. */
  isRead(urn: string): boolean;
  /** The URN of the record's explicit provider, or null for the default provider. */
  providerOf(r: NeedRecord): string | null;
  /** The EKS clusters of this stack a provider waits for directly: the cluster its kubeconfig is built from. */
  clustersOf(provider: string | null): NeedRecord[];
}

export interface Need {
  readonly id: string;
  /** One sentence: what must be ready before what. */
  readonly statement: string;
  /** URLs of the documentation or source it rests on. */
  readonly basis: readonly string[];
  readonly check: (ctx: NeedContext) => Finding[];
}

export const T = {
  ecsService: "aws:ecs/service:Service",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  dnsRecord: "aws:route53/record:Record",
  eksCluster: "aws:eks/cluster:Cluster",
  eksAddon: "aws:eks/addon:Addon",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  accessPolicyAssociation: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  kubernetesProvider: "pulumi:providers:kubernetes",
} as const;

export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The name EKS knows a cluster by: its `name` input, else its id (the provider's id is the name). */
export const clusterName = (c: NeedRecord): string | undefined => str(c.inputs.name) ?? c.id ?? undefined;

export function needContext(records: readonly NeedRecord[], reads: readonly ReadRecord[]): NeedContext {
  const graph = buildGraph(records);
  const byUrn = graph.records as ReadonlyMap<string, NeedRecord>;
  const byType = new Map<string, NeedRecord[]>();
  for (const r of [...records].sort((a, b) => byCodePoint(a.urn, b.urn))) {
    if (!r.custom) continue;
    byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  }
  const closure = new Map<string, Set<string>>();
  const ancestors = (urn: string, seen: Set<string> = new Set()): Set<string> => {
    const known = closure.get(urn);
    if (known) return known;
    const out = new Set<string>();
    if (seen.has(urn)) return out; // a cycle: the waves report it
    seen.add(urn);
    for (const w of graph.waits.get(urn) ?? []) {
      out.add(w);
      for (const a of ancestors(w, seen)) out.add(a);
    }
    closure.set(urn, out);
    return out;
  };
  const readUrns = new Set(reads.map((r) => r.urn));
  const providerOf = (r: NeedRecord) => (r.provider === null ? null : providerUrn(r.provider));
  return {
    records,
    byUrn,
    graph,
    reads,
    ofType: (type) => byType.get(type) ?? [],
    waits: (urn, other) => ancestors(urn).has(other),
    ancestors: (urn) => ancestors(urn),
    isRead: (urn) => readUrns.has(urn),
    providerOf,
    clustersOf: (provider) =>
      provider === null
        ? []
        : (graph.waits.get(provider) ?? []).flatMap((u) => {
            const r = byUrn.get(u);
            return r?.type === T.eksCluster ? [r] : [];
          }),
  };
}

/** `a`, `a or b`, `a, b or c`. */
export const either = (urns: readonly string[]) =>
  urns.length <= 1 ? (urns[0] ?? "") : `${urns.slice(0, -1).join(", ")} or ${urns[urns.length - 1]}`;

/** A Helm release's name and namespace as Helm gets them (synth/manifests.ts writes the same). */
export function releaseIdentity(rel: NeedRecord, ctx: NeedContext): { name: string; namespace: string } {
  const provider = ctx.providerOf(rel);
  const providerNamespace = provider === null ? undefined : str(ctx.byUrn.get(provider)?.inputs.namespace);
  return {
    name: str(rel.inputs.name) ?? (rel.id ?? rel.name).slice((rel.id ?? rel.name).lastIndexOf("/") + 1),
    namespace: str(rel.inputs.namespace) ?? providerNamespace ?? "default",
  };
}

/** A Helm release record (pulumi-kubernetes `helm.v3.Release`). */
export const HELM_RELEASE = HELM_RELEASE_TYPE;
