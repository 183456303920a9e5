/**
 * Issue 16: the order the Pulumi engine applies a stack in, and the
 * readiness needs that order must meet: `out/<stack>/apply-order.json`
 * (docs/synth.md).
 *
 * The engine starts a step as soon as everything it waits for is done, with
 * unbounded parallelism, and deletes in the reverse order: a resource goes
 * only once everything that waits for it is gone. "Waits for" is exactly
 * synth/criticalPath.ts `buildGraph` (dependencies with components expanded
 * to their custom descendants, a custom parent, the explicit provider), so
 * the waves and the critical path agree. A wave is a set of steps that can
 * run side by side: create wave 0 waits for nothing, wave n for steps of
 * earlier waves only (one of them in wave n-1); delete wave 0 is what
 * nothing waits for. Every custom record is a step: providers, and reads,
 * which are read in their create wave and only dropped from the state in
 * their delete wave.
 *
 * A readiness finding (./readinessNeeds) is mandatory: synth prints it and
 * exits 1. Pure apart from `writeApplyOrder`; no SDK.
 */
import * as fs from "fs";
import * as path from "path";
import type { Graph } from "./criticalPath";
import type { ReadRecord } from "./engine";
import { type Finding, type NeedRecord, byCodePoint, needContext } from "./readinessContext";
import { NEEDS, checkNeeds } from "./readinessNeeds";

/** Version of the `apply-order.json` shape (docs/synth.md). */
export const APPLY_ORDER_VERSION = 1;

/** The `apply-order.json` shape (docs/synth.md). */
export interface ApplyOrder {
  readonly version: typeof APPLY_ORDER_VERSION;
  /** Custom resources per create wave, each sorted by URN. */
  readonly createWaves: string[][];
  /** Custom resources per delete wave (a `pulumi destroy`), each sorted by URN. */
  readonly destroyWaves: string[][];
  /** The readiness needs checked, in table order. */
  readonly needs: { readonly id: string; readonly statement: string; readonly basis: readonly string[] }[];
  /** Unmet needs, by need (table order), then URN, then what it waits for. */
  readonly findings: Finding[];
}

/** Each node's wave: 0 without edges, else one more than the latest wave among its edges; throws on a cycle. */
function waveOf(nodes: Iterable<string>, edges: (urn: string) => readonly string[]): Map<string, number> {
  const wave = new Map<string, number>();
  const onStack = new Set<string>();
  const visit = (urn: string, trail: string[]): number => {
    const done = wave.get(urn);
    if (done !== undefined) return done;
    if (onStack.has(urn)) {
      throw new Error(`dependency cycle: ${[...trail.slice(trail.indexOf(urn)), urn].join(" -> ")}`);
    }
    onStack.add(urn);
    trail.push(urn);
    let w = 0;
    for (const e of edges(urn)) w = Math.max(w, visit(e, trail) + 1);
    trail.pop();
    onStack.delete(urn);
    wave.set(urn, w);
    return w;
  };
  for (const urn of nodes) visit(urn, []);
  return wave;
}

/** Groups nodes by wave, each wave sorted by URN (byte order). */
function grouped(wave: ReadonlyMap<string, number>): string[][] {
  const waves: string[][] = [];
  for (const [urn, w] of wave) (waves[w] ??= []).push(urn);
  return waves.map((urns) => urns.sort(byCodePoint));
}

/** The engine's create waves: a resource runs once everything it waits for has. */
export function createWaves(graph: Graph): string[][] {
  return grouped(waveOf(graph.waits.keys(), (urn) => graph.waits.get(urn) ?? []));
}

/** The engine's delete waves: a resource goes once everything that waits for it has. */
export function destroyWaves(graph: Graph): string[][] {
  const waiters = new Map<string, string[]>();
  for (const [urn, waits] of graph.waits)
    for (const w of waits) waiters.set(w, [...(waiters.get(w) ?? []), urn]);
  return grouped(waveOf(graph.waits.keys(), (urn) => waiters.get(urn) ?? []));
}

/** The waves of a fresh `pulumi up` and a `pulumi destroy` of these records, and every unmet readiness need. */
export function applyOrder(records: readonly NeedRecord[], reads: readonly ReadRecord[]): ApplyOrder {
  const ctx = needContext(records, reads);
  return {
    version: APPLY_ORDER_VERSION,
    createWaves: createWaves(ctx.graph),
    destroyWaves: destroyWaves(ctx.graph),
    needs: NEEDS.map(({ id, statement, basis }) => ({ id, statement, basis })),
    findings: checkNeeds(ctx),
  };
}

/** What synth prints: one line per finding, then `apply order: N create waves, M readiness finding(s)`. */
export function applyOrderLines(order: ApplyOrder): string[] {
  return [
    ...order.findings.map((f) => `  readiness ${f.need}: ${f.message}`),
    `apply order: ${order.createWaves.length} create waves, ${order.findings.length} readiness finding(s)`,
  ];
}

/** Computes the apply order and writes `<outDir>/apply-order.json`; returns what it wrote. */
export function writeApplyOrder(
  records: readonly NeedRecord[],
  reads: readonly ReadRecord[],
  outDir: string,
): ApplyOrder {
  const order = applyOrder(records, reads);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "apply-order.json"), JSON.stringify(order, null, 2) + "\n");
  return order;
}
