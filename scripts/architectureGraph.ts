/**
 * The component-level architecture of one stack, from its synth records
 * (docs/synth.md, `resources.json`): pure, no Pulumi SDK. docs/architecture.md
 * is rendered from it (scripts/architecture.ts).
 *
 * - A node is one of the program's ComponentResources: a record with
 *   `custom: false` and a type `platform:<domain>:<Class>`.
 * - Every other record belongs to its nearest such ancestor through `parent`
 *   (a component nested in another, such as a KmsKey inside a BackupBucket, is
 *   a node of its own and keeps its resources). Records with no such ancestor
 *   belong to the root stack, which is not a node.
 * - An edge A -> B means some record of A depends on some record of B (its
 *   recorded `dependencies`). Edges are deduplicated; those to or from the
 *   root stack and self edges are dropped.
 */
import type { ResourceRecord } from "../synth/engine";

/** The domains, in the order the diagram lays them out; an unknown domain follows, by name. */
export const DOMAINS: readonly string[] = [
  "network",
  "data",
  "backup",
  "security",
  "compute",
  "kubernetes",
  "observability",
];

/** A diagram with more nodes than this has its repeated classes collapsed (`collapseClasses`). */
export const MAX_DIAGRAM_NODES = 60;

export interface ComponentNode {
  /** The component's URN; for a collapsed class, its type token. */
  readonly id: string;
  /** `<domain>` of `platform:<domain>:<Class>`. */
  readonly domain: string;
  /** `<Class>` of `platform:<domain>:<Class>`. */
  readonly className: string;
  /** The component's logical name; for a collapsed class, `<Class> ×<N>`. */
  readonly name: string;
  /** How many components the node stands for: 1, or N for a collapsed class. */
  readonly components: number;
  /** Custom resources the node owns (not those of a component nested in it). */
  readonly resources: number;
}

export interface ComponentEdge {
  /** The dependent node's id. */
  readonly from: string;
  /** The id of the node it depends on. */
  readonly to: string;
}

export interface ComponentGraph {
  /** Sorted by domain (in `DOMAINS` order), then name, then class. */
  readonly nodes: readonly ComponentNode[];
  /** Sorted by the position of `from`, then of `to`, in `nodes`. */
  readonly edges: readonly ComponentEdge[];
  /** Custom resources no component owns (children of the root stack, such as an explicit provider). */
  readonly outside: number;
}

const COMPONENT_TYPE = /^platform:([^:]+):([^:]+)$/;

/** The domain and class of a program component's record, or undefined for any other record. */
export function componentClass(record: ResourceRecord): { domain: string; className: string } | undefined {
  if (record.custom) return undefined;
  const m = COMPONENT_TYPE.exec(record.type);
  return m ? { domain: m[1], className: m[2] } : undefined;
}

function domainRank(domain: string): number {
  const i = DOMAINS.indexOf(domain);
  return i === -1 ? DOMAINS.length : i;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareNodes(a: ComponentNode, b: ComponentNode): number {
  return (
    domainRank(a.domain) - domainRank(b.domain) ||
    byteOrder(a.domain, b.domain) ||
    byteOrder(a.name, b.name) ||
    byteOrder(a.className, b.className) ||
    byteOrder(a.id, b.id)
  );
}

/** Sorts nodes, drops self edges, deduplicates and sorts edges. */
function normalize(
  nodes: readonly ComponentNode[],
  edges: Iterable<ComponentEdge>,
  outside: number,
): ComponentGraph {
  const sorted = [...nodes].sort(compareNodes);
  const rank = new Map(sorted.map((n, i) => [n.id, i]));
  const seen = new Map<string, ComponentEdge>();
  for (const e of edges) {
    if (e.from !== e.to && rank.has(e.from) && rank.has(e.to)) seen.set(`${e.from}\n${e.to}`, e);
  }
  const sortedEdges = [...seen.values()].sort(
    (a, b) => rank.get(a.from)! - rank.get(b.from)! || rank.get(a.to)! - rank.get(b.to)!,
  );
  return { nodes: sorted, edges: sortedEdges, outside };
}

/** The component graph of one stack's records. */
export function componentGraph(records: readonly ResourceRecord[]): ComponentGraph {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const owners = new Map<string, string | null>();
  /** The URN of the component a record belongs to: itself if it is one, else its nearest ancestor that is. */
  const owner = (urn: string): string | null => {
    const known = owners.get(urn);
    if (known !== undefined) return known;
    const record = byUrn.get(urn);
    let found: string | null = null;
    if (record && componentClass(record)) found = urn;
    else if (record?.parent) found = owner(record.parent);
    owners.set(urn, found);
    return found;
  };

  const resources = new Map<string, number>();
  let outside = 0;
  const edges: ComponentEdge[] = [];
  for (const r of records) {
    const from = owner(r.urn);
    if (r.custom) {
      if (from === null) outside++;
      else resources.set(from, (resources.get(from) ?? 0) + 1);
    }
    if (from === null) continue;
    for (const dep of r.dependencies) {
      const to = owner(dep);
      if (to !== null) edges.push({ from, to });
    }
  }

  const nodes: ComponentNode[] = [];
  for (const r of records) {
    const cls = componentClass(r);
    if (!cls) continue;
    nodes.push({ id: r.urn, ...cls, name: r.name, components: 1, resources: resources.get(r.urn) ?? 0 });
  }
  return normalize(nodes, edges, outside);
}

/**
 * Keeps a diagram within `maxNodes`: while it has more nodes, the class with
 * the most components (then the first by domain and class name) that has more
 * than one becomes one node `<Class> ×<N>` (id: its type token) owning all
 * their resources; edges follow, deduplicated, and those inside the class are
 * dropped. A graph already within `maxNodes` is returned unchanged.
 */
export function collapseClasses(graph: ComponentGraph, maxNodes: number = MAX_DIAGRAM_NODES): ComponentGraph {
  let current = graph;
  while (current.nodes.length > maxNodes) {
    const classes = new Map<string, ComponentNode[]>();
    for (const n of current.nodes) {
      if (n.components !== 1) continue;
      const type = `platform:${n.domain}:${n.className}`;
      classes.set(type, [...(classes.get(type) ?? []), n]);
    }
    const candidates = [...classes].filter(([, ns]) => ns.length > 1);
    if (candidates.length === 0) break;
    candidates.sort(
      ([a, x], [b, y]) =>
        y.length - x.length || domainRank(x[0].domain) - domainRank(y[0].domain) || byteOrder(a, b),
    );
    const [type, members] = candidates[0];
    const ids = new Set(members.map((n) => n.id));
    const merged: ComponentNode = {
      id: type,
      domain: members[0].domain,
      className: members[0].className,
      name: `${members[0].className} ×${members.length}`,
      components: members.length,
      resources: members.reduce((n, m) => n + m.resources, 0),
    };
    const map = (id: string) => (ids.has(id) ? type : id);
    current = normalize(
      [...current.nodes.filter((n) => !ids.has(n.id)), merged],
      current.edges.map((e) => ({ from: map(e.from), to: map(e.to) })),
      current.outside,
    );
  }
  return current;
}
