/**
 * The shapes of a cost estimate (issue 20, docs/cost.md) and the helpers every
 * pricer shares: money in whole cents, lines priced from the table, record
 * look-ups. Pure: no SDK, no I/O.
 */

import type { CostAssumptions } from "./assumptions";
import { HOURS_PER_MONTH, PriceTable, unitOf, unitPrice } from "./priceTable";

/**
 * What the estimate reads of a resource: a synth record (`resources.json`
 * entry) fits, and so does a policy resource mapped by the budget rule.
 */
export interface CostRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly id: string | null;
  readonly parent: string | null;
  readonly custom: boolean;
  /** `<provider urn>::<provider id>`, or null for the default provider. */
  readonly provider: string | null;
  readonly inputs: Record<string, unknown>;
}

export interface CostLine {
  readonly what: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** quantity × unitPriceUsd, rounded half up to cents. */
  readonly monthlyUsd: number;
}

export interface ResourceCost {
  readonly urn: string;
  readonly type: string;
  /** The sum of its lines' monthlyUsd, exact in cents. */
  readonly monthlyUsd: number;
  readonly lines: readonly CostLine[];
}

/** A resource that has a price the estimate does not compute, and why. */
export interface UnpricedResource {
  readonly urn: string;
  readonly type: string;
  readonly reason: string;
}

/** out/<stack>/cost.json (docs/cost.md): exactly these fields, in this order. */
export interface CostReport {
  readonly currency: "USD";
  /** The sum of the resources' monthlyUsd, exact in cents. */
  readonly totalMonthlyUsd: number;
  /** Resources with at least one priced line, sorted by URN (byte order). */
  readonly resources: readonly ResourceCost[];
  readonly assumptions: CostAssumptions;
  /** Sorted by URN (byte order). */
  readonly unpriced: readonly UnpricedResource[];
}

/** What a pricer makes of one record. */
export type Priced =
  { readonly lines: readonly CostLine[] } | { readonly free: string } | { readonly unpriced: string };

export interface PricingContext {
  readonly records: readonly CostRecord[];
  readonly assumptions: CostAssumptions;
  readonly prices: PriceTable;
  /** The Region a record is created in: its `region` input, its provider's, else the stack's. */
  regionOf(record: CostRecord): string;
  /** The record of `type` the engine gave this id, if any (sub-resources share their parent's id). */
  byId(id: unknown, type: string): CostRecord | undefined;
  /** The records of a type. */
  ofType(type: string): readonly CostRecord[];
}

export type Pricer = (record: CostRecord, ctx: PricingContext) => Priced;

export { HOURS_PER_MONTH };

/** Days in the 730-hour month. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/**
 * Whole cents of a USD amount, half up. The amount goes through 6 decimals
 * first so binary noise (16.424999… for 0.0225 × 730) rounds as written.
 */
export function toCents(usd: number): number {
  return Math.round(Number((usd * 100).toFixed(6)));
}

/** A USD figure from whole cents (the closest double to the decimal). */
export const fromCents = (cents: number): number => cents / 100;

/** A quantity without binary noise (6 decimals). */
export const qty = (n: number): number => Number(n.toFixed(6));

/** A line of `quantity` units of the table's `key` in `region` (throws MissingPrice). */
export function line(
  ctx: PricingContext,
  what: string,
  quantity: number,
  key: string,
  region: string,
): CostLine {
  const unitPriceUsd = unitPrice(ctx.prices, key, region);
  const q = qty(quantity);
  return {
    what,
    quantity: q,
    unit: unitOf(ctx.prices, key),
    unitPriceUsd,
    monthlyUsd: fromCents(toCents(q * unitPriceUsd)),
  };
}

/** `count` of something priced by the hour, for the whole 730-hour month. */
export function hourly(
  ctx: PricingContext,
  what: string,
  count: number,
  key: string,
  region: string,
): CostLine {
  return line(ctx, what, count * HOURS_PER_MONTH, key, region);
}

/** The sum of lines in whole cents. */
export const centsOf = (lines: readonly { monthlyUsd: number }[]): number =>
  lines.reduce((sum, l) => sum + toCents(l.monthlyUsd), 0);

/* ---------- reading inputs ---------- */

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export const obj = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The Region of an ARN (`arn:aws:rds:us-east-1:…`), if it names one. */
export function regionOfArn(arn: unknown): string | undefined {
  const parts = typeof arn === "string" ? arn.split(":") : [];
  return parts[0] === "arn" && parts[3] ? parts[3] : undefined;
}

/** A figure for a line label: at most 2 decimals, thousands separated. */
export const fmt = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
