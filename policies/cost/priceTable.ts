/**
 * The checked-in price table (policies/cost/prices.json): AWS public on-demand
 * list prices per Region, each with its source page, retrieval date and
 * whether it was verified offline (issue 20, docs/cost.md). The estimate reads
 * only this file; scripts/refreshPrices.ts rewrites it from AWS's Price List
 * bulk files.
 */
import table from "./prices.json";

/** How scripts/refreshPrices.ts finds an entry in a Price List offer file. */
export interface PriceListSpec {
  /** The offer code, as in `…/offers/v1.0/aws/<offer>/current/<region>/index.json`. */
  readonly offer: string;
  /** Product attributes (or `productFamily`) that must be equal. */
  readonly filters?: Readonly<Record<string, string>>;
  /** The product's `usagetype` must end with this (Regions prefix it, e.g. `USW2-`). */
  readonly usagetypeSuffix?: string;
  /** The table's unit in Price List units (10000 for a price per 10k requests). @default 1 */
  readonly per?: number;
}

export interface PriceEntry {
  readonly what: string;
  readonly unit: string;
  /** USD per `unit`, by Region code. */
  readonly regions: Readonly<Record<string, number>>;
  /** The AWS pricing page the figure is listed on. */
  readonly source: string;
  /** ISO date the figure was retrieved or last checked. */
  readonly retrieved: string;
  /** True when the figure was seen offline (the `basis` says where). */
  readonly verified: boolean;
  readonly basis: string;
  readonly priceList: PriceListSpec;
}

export interface PriceTable {
  readonly version: number;
  readonly currency: "USD";
  readonly hoursPerMonth: number;
  readonly regions: readonly string[];
  readonly note: string;
  readonly prices: Readonly<Record<string, PriceEntry>>;
}

/** The table shipped with the repository. */
export const PRICES: PriceTable = table as PriceTable;

/** Hours in the month every hourly line is multiplied by (AWS's own convention). */
export const HOURS_PER_MONTH = PRICES.hoursPerMonth;

/** A price the table does not have: the resource is listed as unpriced, never guessed. */
export class MissingPrice extends Error {
  constructor(
    readonly key: string,
    readonly region: string,
  ) {
    super(
      `no list price for ${key} in ${region} in policies/cost/prices.json (refresh: scripts/refreshPrices.ts, docs/cost.md)`,
    );
  }
}

/** USD per unit of `key` in `region`; throws MissingPrice when the table lacks it. */
export function unitPrice(prices: PriceTable, key: string, region: string): number {
  const price = prices.prices[key]?.regions[region];
  if (price === undefined) throw new MissingPrice(key, region);
  return price;
}

/** The table's unit of `key` (throws MissingPrice for an unknown key). */
export function unitOf(prices: PriceTable, key: string): string {
  const entry = prices.prices[key];
  if (!entry) throw new MissingPrice(key, "any Region");
  return entry.unit;
}
