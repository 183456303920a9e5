/**
 * Issue 20: the cost of a stack before `pulumi up` (docs/cost.md). The entry
 * points the synth CLI, `synth:diff` and a budget rule call.
 */
export { estimate, classify, PRICERS, FREE_TYPES, FREE_PREFIXES, UNPRICED_TYPES } from "./estimate";
export type { Coverage } from "./estimate";
export { writeCost, costLines, costDelta, costDeltaLines, componentOf } from "./report";
export type { CostDelta, CostChange } from "./report";
export {
  ASSUMPTION_KEYS,
  DEFAULT_ASSUMPTIONS,
  STACK_PROFILES,
  defaultAssumptions,
  mergeAssumptions,
} from "./assumptions";
export type {
  Assumption,
  AssumptionKey,
  AssumptionProfile,
  CostAssumptions,
  CostOverrides,
} from "./assumptions";
export type { CostLine, CostRecord, CostReport, ResourceCost, UnpricedResource } from "./model";
export { PRICES, HOURS_PER_MONTH, MissingPrice } from "./priceTable";
export type { PriceEntry, PriceTable, PriceListSpec } from "./priceTable";
