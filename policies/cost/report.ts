/**
 * What the synth CLI and `synth:diff` do with an estimate (issue 20,
 * docs/cost.md): write out/<stack>/cost.json, print the top components, and
 * the monthly delta between two runs by resource.
 */
import * as fs from "fs";
import * as path from "path";
import type { CostAssumptions } from "./assumptions";
import { estimate } from "./estimate";
import { CostRecord, CostReport, fromCents, toCents } from "./model";

/** Writes `<outDir>/cost.json` (2-space JSON, trailing newline) and returns its path. */
export function writeCost(report: CostReport, outDir: string): string {
  const file = path.join(outDir, "cost.json");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const usd = (n: number): string =>
  n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * The component a resource is reported under: the top-level component above
 * it (the child of the root stack; `level: "parent"` takes the nearest
 * component instead). Resources directly under the stack stand for themselves.
 */
export function componentOf(
  records: readonly CostRecord[],
  urn: string,
  level: "top" | "parent" = "top",
): CostRecord | undefined {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  let current = byUrn.get(urn);
  let found: CostRecord | undefined;
  while (current?.parent) {
    const parent = byUrn.get(current.parent);
    if (!parent || parent.type === "pulumi:pulumi:Stack") break;
    if (!parent.custom) {
      found = parent;
      if (level === "parent") break;
    }
    current = parent;
  }
  return found;
}

/**
 * Lines for the synth CLI: the total, then the `top` most expensive components
 * (each with its share and its costliest line), then the unpriced count.
 */
export function costLines(
  report: CostReport,
  records: readonly CostRecord[],
  top = 8,
  level: "top" | "parent" = "top",
): string[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const groups = new Map<
    string,
    { label: string; cents: number; count: number; biggest: { what: string; cents: number } }
  >();
  for (const resource of report.resources) {
    const component = componentOf(records, resource.urn, level);
    const self = byUrn.get(resource.urn);
    const label = component
      ? `${component.name} (${component.type})`
      : `${self?.name ?? resource.urn} (${resource.type})`;
    const group = groups.get(label) ?? { label, cents: 0, count: 0, biggest: { what: "", cents: -1 } };
    group.cents += toCents(resource.monthlyUsd);
    group.count += 1;
    for (const l of resource.lines) {
      if (toCents(l.monthlyUsd) > group.biggest.cents)
        group.biggest = { what: `${self?.name ?? resource.type}: ${l.what}`, cents: toCents(l.monthlyUsd) };
    }
    groups.set(label, group);
  }
  const sorted = [...groups.values()].sort((a, b) => b.cents - a.cents || (a.label < b.label ? -1 : 1));
  const width = Math.max(...sorted.slice(0, top).map((g) => usd(fromCents(g.cents)).length), 4);
  const lines = [
    `cost: ${usd(report.totalMonthlyUsd)} USD a month at list prices (${report.resources.length} priced resources, ${report.unpriced.length} unpriced); top components:`,
    ...sorted
      .slice(0, top)
      .map(
        (g) =>
          `  ${usd(fromCents(g.cents)).padStart(width)}  ${g.label}, ${g.count} resource(s); largest: ${g.biggest.what} ${usd(fromCents(g.biggest.cents))}`,
      ),
  ];
  if (sorted.length > top) {
    const rest = sorted.slice(top).reduce((s, g) => s + g.cents, 0);
    lines.push(`  ${usd(fromCents(rest)).padStart(width)}  ${sorted.length - top} more component(s)`);
  }
  if (report.unpriced.length > 0) {
    const types = [...new Set(report.unpriced.map((u) => u.type))].sort();
    lines.push(
      `  unpriced: ${report.unpriced.length} resource(s) of ${types.join(", ")} (cost.json says why)`,
    );
  }
  return lines;
}

export interface CostChange {
  readonly urn: string;
  readonly type: string;
  readonly baseMonthlyUsd: number;
  readonly currentMonthlyUsd: number;
  /** current − base, exact in cents. */
  readonly deltaMonthlyUsd: number;
}

/** The monthly change between two estimates, by resource (for synth:diff). */
export interface CostDelta {
  readonly currency: "USD";
  readonly baseTotalMonthlyUsd: number;
  readonly currentTotalMonthlyUsd: number;
  readonly deltaMonthlyUsd: number;
  /** Priced only in the current run (a base of 0), sorted by URN. */
  readonly added: readonly CostChange[];
  /** Priced only in the base (a current of 0), sorted by URN. */
  readonly removed: readonly CostChange[];
  /** Priced in both with a different monthly figure, sorted by URN. */
  readonly changed: readonly CostChange[];
  /** URNs unpriced now and not in the base's unpriced list: a cost this delta cannot show. */
  readonly newlyUnpriced: readonly string[];
}

const isReport = (v: CostReport | readonly CostRecord[]): v is CostReport => !Array.isArray(v);

/**
 * The delta from `base` to `current`. A base given as records (a base run's
 * resources.json) is estimated with the current report's assumptions, in
 * `region` (the stack's `aws:region`).
 */
export function costDelta(
  base: CostReport | readonly CostRecord[],
  current: CostReport,
  region?: string,
): CostDelta {
  let baseReport: CostReport;
  if (isReport(base)) baseReport = base;
  else {
    if (!region) throw new Error("costDelta: a base given as records needs the stack's region");
    baseReport = estimate(base, current.assumptions as CostAssumptions, region);
  }
  const before = new Map(baseReport.resources.map((r) => [r.urn, r]));
  const after = new Map(current.resources.map((r) => [r.urn, r]));
  const change = (urn: string, type: string, b: number, a: number): CostChange => ({
    urn,
    type,
    baseMonthlyUsd: b,
    currentMonthlyUsd: a,
    deltaMonthlyUsd: fromCents(toCents(a) - toCents(b)),
  });
  const added: CostChange[] = [];
  const removed: CostChange[] = [];
  const changed: CostChange[] = [];
  for (const [urn, r] of after) {
    const b = before.get(urn);
    if (!b) added.push(change(urn, r.type, 0, r.monthlyUsd));
    else if (toCents(b.monthlyUsd) !== toCents(r.monthlyUsd))
      changed.push(change(urn, r.type, b.monthlyUsd, r.monthlyUsd));
  }
  for (const [urn, r] of before) if (!after.has(urn)) removed.push(change(urn, r.type, r.monthlyUsd, 0));
  const order = (x: CostChange, y: CostChange) => (x.urn < y.urn ? -1 : x.urn > y.urn ? 1 : 0);
  const wasUnpriced = new Set(baseReport.unpriced.map((u) => u.urn));
  return {
    currency: "USD",
    baseTotalMonthlyUsd: baseReport.totalMonthlyUsd,
    currentTotalMonthlyUsd: current.totalMonthlyUsd,
    deltaMonthlyUsd: fromCents(toCents(current.totalMonthlyUsd) - toCents(baseReport.totalMonthlyUsd)),
    added: added.sort(order),
    removed: removed.sort(order),
    changed: changed.sort(order),
    newlyUnpriced: current.unpriced.map((u) => u.urn).filter((urn) => !wasUnpriced.has(urn)),
  };
}

const signed = (n: number): string => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;

/** Lines for synth:diff's output (and diff.md): the total change, then each resource's. */
export function costDeltaLines(delta: CostDelta): string[] {
  const row = (mark: string, c: CostChange) => `${mark} ${signed(c.deltaMonthlyUsd).padStart(12)}  ${c.urn}`;
  return [
    `cost: ${signed(delta.deltaMonthlyUsd)} USD a month (${usd(delta.baseTotalMonthlyUsd)} -> ${usd(delta.currentTotalMonthlyUsd)})`,
    ...delta.added.map((c) => row("+", c)),
    ...delta.removed.map((c) => row("-", c)),
    ...delta.changed.map((c) => row("~", c)),
    ...delta.newlyUnpriced.map((urn) => `? ${"unpriced".padStart(12)}  ${urn}`),
  ];
}
