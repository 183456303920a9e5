/**
 * Issue 20: out/<stack>/cost.json, the monthly list-price estimate of the
 * records (policies/cost, docs/cost.md), priced with the settings of the
 * stack's policy config for `cost-stack-limit-monthly-budget` (profile,
 * Region, assumption overrides): the estimate the budget rule holds the stack
 * to under `pulumi preview`, from the same file.
 */
import { costLines, writeCost } from "../policies/cost";
import type { CostRecord, CostReport } from "../policies/cost/model";
import { resolveConfig } from "../policies/rule";
import budgetRule, { estimateWith } from "../policies/rules/cost/cost-stack-limit-monthly-budget";
import type { PackConfig } from "./packConfig";

/** The budget rule's settings for a stack: its defaults under what the stack's policy config sets. */
export function costConfig(packConfig: PackConfig): Record<string, unknown> {
  const given = packConfig[budgetRule.name];
  return { ...resolveConfig(budgetRule, typeof given === "object" ? given : {}) };
}

/** The stack's estimate, with its policy config's settings. */
export function stackCost(records: readonly CostRecord[], packConfig: PackConfig): CostReport {
  return estimateWith(records, costConfig(packConfig));
}

/** Writes `<outDir>/cost.json`; returns the report and the lines synth prints. */
export function writeStackCost(
  records: readonly CostRecord[],
  packConfig: PackConfig,
  outDir: string,
): { report: CostReport; lines: string[] } {
  const report = stackCost(records, packConfig);
  writeCost(report, outDir);
  return { report, lines: costLines(report, records) };
}
