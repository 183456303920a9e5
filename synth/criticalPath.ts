/**
 * CI-1: the deploy's critical path. From the recorded graph (`resources.json`)
 * and the provisioning-time table (synth/provisioningTimes.ts), the earliest
 * time each resource of a fresh `pulumi up` can be done, and the chain of
 * resources that gives the total: `out/<stack>/critical-path.json`
 * (docs/synth.md).
 *
 * The engine starts a resource once everything it waits for is done:
 *  - its `dependencies` (explicit `dependsOn` plus those implied by inputs);
 *    a dependency on a component means all of the component's resources: the
 *    SDK expands it to the custom resources the component parents, through
 *    nested components, not into custom resources' children
 *    (`getAllTransitivelyReferencedResourceURNs` in @pulumi/pulumi
 *    runtime/dependsOn.js), so the recorded lists already hold those URNs and
 *    a component URN found there is expanded the same way;
 *  - its parent when that is a custom resource (the child's registration
 *    needs the parent's URN, which resolves when the parent is created); a
 *    component parent takes no time, so children of a component do not wait
 *    for anything the component itself depends on;
 *  - its explicit provider (a Kubernetes provider waits for its cluster).
 * Unlimited parallelism is assumed (`pulumi up` runs independent steps side
 * by side; its default parallelism is unbounded).
 *
 * Pure apart from `writeCriticalPath`; no Pulumi SDK.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResourceRecord } from "./engine";
import { providerUrn } from "./graph";
import { PROVISIONING_TABLE_VERSION, provisioningTime } from "./provisioningTimes";

/** Version of the `critical-path.json` shape (docs/synth.md). */
export const CRITICAL_PATH_VERSION = 1;

/** The fields the computation reads: a `resources.json` record. */
export type PathRecord = Pick<
  ResourceRecord,
  "urn" | "type" | "name" | "parent" | "custom" | "provider" | "dependencies" | "inputs"
>;

export interface PathStep {
  readonly urn: string;
  readonly type: string;
  /** The resource's own provisioning time. */
  readonly seconds: number;
  /** When it is done at the earliest, counted from the start of the deploy. */
  readonly finishSeconds: number;
}

export interface TypeSummary {
  readonly type: string;
  /** Custom resources of this type in the stack. */
  readonly count: number;
  /** The figure used (the largest, where variants differ within the type). */
  readonly seconds: number;
  /** How many of them are on the critical path. */
  readonly onPath: number;
  /** The basis of that figure: URL(s), or "estimate: …". */
  readonly basis: string;
}

/** The `critical-path.json` shape (docs/synth.md). */
export interface CriticalPath {
  readonly version: typeof CRITICAL_PATH_VERSION;
  /** `PROVISIONING_TABLE_VERSION` of the figures used. */
  readonly tableVersion: number;
  readonly totalSeconds: number;
  /** First resource to last; its last `finishSeconds` is `totalSeconds`. */
  readonly path: readonly PathStep[];
  /** Custom resource types, slowest figure first, then by type. */
  readonly byType: readonly TypeSummary[];
  /** Custom types missing from the table (they got the default figure), sorted. */
  readonly defaultTypes: readonly string[];
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What each record waits for and how long it takes; the graph the schedule is computed on. */
export interface Graph {
  readonly records: ReadonlyMap<string, PathRecord>;
  readonly seconds: ReadonlyMap<string, number>;
  /** Per custom resource, the custom resources it waits for (sorted). */
  readonly waits: ReadonlyMap<string, readonly string[]>;
}

export function buildGraph(records: readonly PathRecord[]): Graph {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const children = new Map<string, PathRecord[]>();
  for (const r of records) {
    if (r.parent === null) continue;
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const expanded = new Map<string, string[]>();
  /** A dependency as the SDK expands it: a custom resource itself, a component its custom descendants. */
  const expand = (urn: string, seen: Set<string> = new Set()): string[] => {
    const r = byUrn.get(urn);
    if (!r) return []; // not recorded (cannot happen in a complete resources.json)
    if (r.custom) return [urn];
    const known = expanded.get(urn);
    if (known) return known;
    if (seen.has(urn)) return [];
    seen.add(urn);
    const out = new Set<string>();
    for (const child of children.get(urn) ?? []) for (const u of expand(child.urn, seen)) out.add(u);
    const list = [...out];
    expanded.set(urn, list);
    return list;
  };
  const seconds = new Map<string, number>();
  const waits = new Map<string, string[]>();
  for (const r of records) {
    seconds.set(r.urn, provisioningTime(r).seconds);
    if (!r.custom) continue;
    const w = new Set<string>();
    for (const d of r.dependencies) for (const u of expand(d)) w.add(u);
    const parent = r.parent === null ? undefined : byUrn.get(r.parent);
    if (parent?.custom) w.add(parent.urn);
    if (r.provider !== null && byUrn.has(providerUrn(r.provider))) w.add(providerUrn(r.provider));
    w.delete(r.urn);
    waits.set(r.urn, [...w].sort(byCodePoint));
  }
  return { records: byUrn, seconds, waits };
}

/** Earliest finish per custom resource (seconds from the start); throws on a dependency cycle. */
export function earliestFinish(graph: Graph): Map<string, number> {
  const finish = new Map<string, number>();
  const onStack = new Set<string>();
  const visit = (urn: string, trail: string[]): number => {
    const done = finish.get(urn);
    if (done !== undefined) return done;
    if (onStack.has(urn)) {
      const cycle = [...trail.slice(trail.indexOf(urn)), urn];
      throw new Error(`dependency cycle: ${cycle.join(" -> ")}`);
    }
    onStack.add(urn);
    trail.push(urn);
    let start = 0;
    for (const w of graph.waits.get(urn) ?? []) start = Math.max(start, visit(w, trail));
    trail.pop();
    onStack.delete(urn);
    const end = start + (graph.seconds.get(urn) ?? 0);
    finish.set(urn, end);
    return end;
  };
  for (const urn of graph.waits.keys()) visit(urn, []);
  return finish;
}

/** Latest finish first, then the longer own time, then the URN: a stable choice among equals. */
function latest(
  urns: readonly string[],
  finish: ReadonlyMap<string, number>,
  graph: Graph,
): string | undefined {
  let best: string | undefined;
  for (const u of urns) {
    if (best === undefined) {
      best = u;
      continue;
    }
    const df = finish.get(u)! - finish.get(best)!;
    const ds = graph.seconds.get(u)! - graph.seconds.get(best)!;
    if (df > 0 || (df === 0 && (ds > 0 || (ds === 0 && byCodePoint(u, best) < 0)))) best = u;
  }
  return best;
}

/** The critical path of a fresh deploy of these records, with a per-type summary. */
export function criticalPath(records: readonly PathRecord[]): CriticalPath {
  const graph = buildGraph(records);
  const finish = earliestFinish(graph);
  const steps: PathStep[] = [];
  let at = latest([...graph.waits.keys()], finish, graph);
  while (at !== undefined) {
    const r = graph.records.get(at)!;
    steps.push({ urn: at, type: r.type, seconds: graph.seconds.get(at)!, finishSeconds: finish.get(at)! });
    at = latest(graph.waits.get(at)!, finish, graph);
  }
  steps.reverse();

  const onPath = new Map<string, number>();
  for (const s of steps) onPath.set(s.type, (onPath.get(s.type) ?? 0) + 1);
  const types = new Map<string, { count: number; seconds: number; basis: string }>();
  const defaults = new Set<string>();
  for (const r of records) {
    if (!r.custom) continue;
    const t = provisioningTime(r);
    if (!t.known) defaults.add(r.type);
    const entry = types.get(r.type);
    if (!entry) types.set(r.type, { count: 1, seconds: t.seconds, basis: t.basis });
    else {
      entry.count++;
      if (t.seconds > entry.seconds) Object.assign(entry, { seconds: t.seconds, basis: t.basis });
    }
  }
  const byType = [...types]
    .map(([type, e]) => ({
      type,
      count: e.count,
      seconds: e.seconds,
      onPath: onPath.get(type) ?? 0,
      basis: e.basis,
    }))
    .sort((a, b) => b.seconds - a.seconds || byCodePoint(a.type, b.type));

  return {
    version: CRITICAL_PATH_VERSION,
    tableVersion: PROVISIONING_TABLE_VERSION,
    totalSeconds: steps.length === 0 ? 0 : steps[steps.length - 1].finishSeconds,
    path: steps,
    byType,
    defaultTypes: [...defaults].sort(byCodePoint),
  };
}

/** `45 s`, `3 min`, `17 min 30 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const min = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? `${min} min` : `${min} min ${s} s`;
}

/** The logical name at the end of a URN. */
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** `critical path: 32 min 5 s (psi-prod-vpc 20 s > … > psi-prod-postgres-db 17 min 30 s)`: the steps that take time. */
export function criticalPathLine(cp: CriticalPath): string {
  const steps = cp.path
    .filter((s) => s.seconds > 0)
    .map((s) => `${nameOf(s.urn)} ${formatDuration(s.seconds)}`);
  return `critical path: ${formatDuration(cp.totalSeconds)}${steps.length > 0 ? ` (${steps.join(" > ")})` : ""}`;
}

/** Computes the critical path and writes `<outDir>/critical-path.json`; returns what it wrote. */
export function writeCriticalPath(records: readonly PathRecord[], outDir: string): CriticalPath {
  const cp = criticalPath(records);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "critical-path.json"), JSON.stringify(cp, null, 2) + "\n");
  return cp;
}
