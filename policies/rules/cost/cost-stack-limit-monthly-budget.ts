import type { PolicyResource } from "@pulumi/policy";
import { AssumptionProfile, DEFAULT_ASSUMPTIONS, estimate, mergeAssumptions } from "../../cost";
import type { CostRecord, CostReport } from "../../cost/model";
import { RuleConfig, num, stackRule } from "../../rule";

/** Not cloud resources: the root stack and the program's components. */
const COMPONENT = /^(pulumi:pulumi:Stack|platform:|kubernetes:yaml\/v2:ConfigGroup)/;

/** The engine's view of a resource (its outputs) as the estimate reads a record. */
export function costRecord(r: PolicyResource): CostRecord {
  const id = (r.props as Record<string, unknown>).id;
  const providerId = r.provider ? (r.provider.props as Record<string, unknown>).id : undefined;
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    id: typeof id === "string" ? id : null,
    parent: r.parent?.urn ?? null,
    custom: !COMPONENT.test(r.type),
    provider: r.provider ? `${r.provider.urn}::${typeof providerId === "string" ? providerId : ""}` : null,
    inputs: r.props as Record<string, unknown>,
  };
}

/**
 * What the stack's policy config says to price with: its assumption profile,
 * its Region and any assumption overrides. `npm run synth` writes
 * out/<stack>/cost.json from the same three settings, so the budget is held
 * to the estimate the operator reads.
 */
export function costSettings(config: RuleConfig): {
  profile: AssumptionProfile;
  region: string;
  overrides: Record<string, unknown>;
} {
  const profile = config.profile as AssumptionProfile;
  if (!(profile in DEFAULT_ASSUMPTIONS))
    throw new Error(`policy config profile must be one of ${Object.keys(DEFAULT_ASSUMPTIONS).join(", ")}`);
  return {
    profile,
    region: String(config.region),
    overrides: (config.assumptions ?? {}) as Record<string, unknown>,
  };
}

/** The estimate of `records` with the settings of a stack's policy config. */
export function estimateWith(records: readonly CostRecord[], config: RuleConfig): CostReport {
  const { profile, region, overrides } = costSettings(config);
  return estimate(records, mergeAssumptions(DEFAULT_ASSUMPTIONS[profile], overrides), region);
}

/**
 * Issue 20, POL-2: what a stack costs a month at list prices (docs/cost.md)
 * stays within the budget its policy config sets; advisory in staging,
 * mandatory in prod. The budget is the platform team's figure for the stack,
 * not a runbook's (the runbooks give none); 0 switches the rule off.
 */
export default stackRule({
  name: "cost-stack-limit-monthly-budget",
  description:
    "A stack's monthly list-price estimate stays within the monthly budget its policy config sets.",
  requirements: ["POL-2"],
  severity: "medium",
  stagingMayDeviate: true,
  config: {
    monthlyBudgetUsd: {
      type: "number",
      minimum: 0,
      default: 0,
      description: "The stack's monthly budget in USD at list prices; 0 leaves the stack unchecked.",
    },
    profile: {
      type: "string",
      enum: Object.keys(DEFAULT_ASSUMPTIONS),
      default: "psi-prod",
      description:
        "The usage assumptions the estimate starts from (policies/cost/assumptions.ts, docs/cost.md).",
    },
    region: {
      type: "string",
      default: "us-east-1",
      description: "The stack's aws:region: the Region of every resource without one of its own.",
    },
    assumptions: {
      type: "object",
      additionalProperties: { type: "number", minimum: 0 },
      default: {},
      description:
        "Usage assumptions that replace the profile's (requests, GB stored, log volume, transfer).",
    },
  },
  check: (resources, config) => {
    const budget = num(config, "monthlyBudgetUsd");
    if (budget <= 0) return [];
    const report = estimateWith(resources.map(costRecord), config);
    if (report.totalMonthlyUsd <= budget) return [];
    const top = [...report.resources]
      .sort((a, b) => b.monthlyUsd - a.monthlyUsd)
      .slice(0, 3)
      .map((r) => `${r.urn.slice(r.urn.lastIndexOf("::") + 2)} ${r.monthlyUsd.toFixed(2)}`);
    return [
      {
        message: `the estimate is ${report.totalMonthlyUsd.toFixed(2)} USD a month, over the budget of ${budget.toFixed(2)} USD (largest: ${top.join(", ")}; docs/cost.md)`,
      },
    ];
  },
});
