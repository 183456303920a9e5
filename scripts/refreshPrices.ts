/**
 * Refreshes policies/cost/prices.json (issue 20, docs/cost.md) from AWS's public
 * Price List bulk files:
 *   https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json
 * Each table entry names its offer and the product it is (`priceList`): the
 * product's attributes that must match and the end of its `usagetype`. The
 * on-demand price found replaces the entry's figure for that Region, with
 * today's date and the file it came from as its basis.
 *
 *   node -r ./scripts/register.js scripts/refreshPrices.ts [--write] [--only <key-prefix>] [--from <dir>]
 *
 * Without --write it only prints what would change. --from reads
 * `<dir>/<offer>/<region>/index.json` instead of downloading (the AmazonEC2
 * and AmazonRDS files are gigabytes: pre-filter them with jq). An entry that
 * matches no product, or products of different prices, is reported and left
 * as it is. The estimate never downloads anything: it reads the table.
 */
import * as fs from "fs";
import * as path from "path";
import type { PriceEntry, PriceListSpec, PriceTable } from "../policies/cost/priceTable";

export const TABLE_FILE = path.resolve(__dirname, "..", "synth", "cost", "prices.json");

/** The parts of a Price List offer file this script reads. */
export interface OfferFile {
  readonly products: Readonly<
    Record<
      string,
      { readonly sku: string; readonly productFamily?: string; readonly attributes: Record<string, string> }
    >
  >;
  readonly terms: {
    readonly OnDemand?: Readonly<
      Record<
        string,
        Readonly<
          Record<
            string,
            {
              readonly priceDimensions: Readonly<
                Record<
                  string,
                  {
                    readonly description?: string;
                    readonly beginRange?: string;
                    readonly pricePerUnit: { readonly USD?: string };
                  }
                >
              >;
            }
          >
        >
      >
    >;
  };
}

export const offerUrl = (offer: string, region: string): string =>
  `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${offer}/current/${region}/index.json`;

export type Match =
  | { readonly price: number; readonly sku: string; readonly description: string }
  | { readonly problem: string };

/** The on-demand price (first tier) of the one product `spec` names, in the table's unit. */
export function matchOnDemandPrice(offer: OfferFile, spec: PriceListSpec): Match {
  const wanted = Object.entries(spec.filters ?? {});
  const skus = Object.values(offer.products).filter((p) => {
    const attrs: Record<string, string | undefined> = { ...p.attributes, productFamily: p.productFamily };
    return (
      wanted.every(([k, v]) => attrs[k] === v) &&
      (spec.usagetypeSuffix === undefined || (p.attributes.usagetype ?? "").endsWith(spec.usagetypeSuffix))
    );
  });
  const found = new Map<number, { sku: string; description: string }>();
  for (const product of skus) {
    for (const term of Object.values(offer.terms.OnDemand?.[product.sku] ?? {})) {
      const tiers = Object.values(term.priceDimensions).filter((d) => (d.beginRange ?? "0") === "0");
      for (const d of tiers) {
        const usd = Number(d.pricePerUnit.USD);
        if (Number.isFinite(usd) && usd > 0) {
          found.set(Number((usd * (spec.per ?? 1)).toPrecision(12)), {
            sku: product.sku,
            description: d.description ?? "",
          });
        }
      }
    }
  }
  if (found.size === 0) return { problem: `no on-demand product matches ${JSON.stringify(spec)}` };
  if (found.size > 1)
    return {
      problem: `products of different prices match (${[...found.keys()].join(", ")}): narrow the filters`,
    };
  const [[price, { sku, description }]] = [...found.entries()];
  return { price, sku, description };
}

export interface Refresh {
  readonly table: PriceTable;
  /** `key region: old -> new` per figure that moved. */
  readonly changes: readonly string[];
  /** `key region: why` per figure left as it was. */
  readonly problems: readonly string[];
}

/** The table with every figure `offers` can answer for replaced, dated `today`. Pure. */
export function refreshTable(
  table: PriceTable,
  offers: (offer: string, region: string) => OfferFile | undefined,
  today: string,
  only = "",
): Refresh {
  const changes: string[] = [];
  const problems: string[] = [];
  const prices: Record<string, PriceEntry> = {};
  for (const [key, entry] of Object.entries(table.prices)) {
    let next: PriceEntry = entry;
    if (key.startsWith(only)) {
      const seen: string[] = [];
      for (const region of table.regions) {
        const offer = offers(entry.priceList.offer, region);
        const match = offer
          ? matchOnDemandPrice(offer, entry.priceList)
          : { problem: "offer file not available" };
        if ("problem" in match) {
          problems.push(`${key} ${region}: ${match.problem}`);
          continue;
        }
        if (match.price !== entry.regions[region])
          changes.push(`${key} ${region}: ${entry.regions[region]} -> ${match.price}`);
        next = { ...next, regions: { ...next.regions, [region]: match.price } };
        seen.push(`${region}: sku ${match.sku}, "${match.description}"`);
      }
      const url = offerUrl(entry.priceList.offer, "<region>");
      if (seen.length === table.regions.length) {
        next = {
          ...next,
          retrieved: today,
          verified: true,
          basis: `refreshed from ${url} (${seen.join("; ")})`,
        };
      } else if (seen.length > 0) {
        next = {
          ...next,
          basis: `${entry.basis}; partly refreshed ${today} from ${url} (${seen.join("; ")})`,
        };
      }
    }
    prices[key] = next;
  }
  return { table: { ...table, prices }, changes, problems };
}

async function main(argv: readonly string[]): Promise<void> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = flag("--from");
  const table = JSON.parse(fs.readFileSync(TABLE_FILE, "utf8")) as PriceTable;
  const files = new Map<string, OfferFile | undefined>();
  for (const entry of Object.values(table.prices)) {
    for (const region of table.regions) {
      const id = `${entry.priceList.offer}/${region}`;
      if (files.has(id)) continue;
      try {
        const text = from
          ? fs.readFileSync(path.join(from, entry.priceList.offer, region, "index.json"), "utf8")
          : await (await fetch(offerUrl(entry.priceList.offer, region))).text();
        files.set(id, JSON.parse(text) as OfferFile);
      } catch (err) {
        console.error(`${id}: ${(err as Error).message}`);
        files.set(id, undefined);
      }
    }
  }
  const today = new Date().toISOString().slice(0, 10);
  const result = refreshTable(
    table,
    (offer, region) => files.get(`${offer}/${region}`),
    today,
    flag("--only") ?? "",
  );
  for (const line of result.changes) console.log(`changed  ${line}`);
  for (const line of result.problems) console.log(`kept     ${line}`);
  if (argv.includes("--write")) {
    fs.writeFileSync(TABLE_FILE, `${JSON.stringify(result.table, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), TABLE_FILE)}`);
  }
  if (result.problems.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
