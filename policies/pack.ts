/**
 * Assembles the rules into @pulumi/policy policies. Side-effect free: the
 * synth runner and the tests import it; only index.ts constructs the
 * PolicyPack (which starts the analyzer's gRPC server).
 */
import type {
  Policies,
  PolicyConfigSchema,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { Rule, resolveConfig } from "./rule";

export const PACK_NAME = "runbook-policies";
export const PACK_VERSION = "0.1.0";
export const PACK_DESCRIPTION =
  "Keeps every change inside the MyHibachi and Psi runbooks' SLO and security rules (docs/requirements.md).";

function configSchema(rule: Rule): PolicyConfigSchema | undefined {
  if (!rule.config) return undefined;
  return { properties: rule.config as PolicyConfigSchema["properties"] };
}

export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  const meta = {
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    tags: [...rule.requirements],
    configSchema: configSchema(rule),
  };
  if (rule.kind === "resource") {
    return {
      ...meta,
      validateResource: (args, reportViolation) => {
        if (!rule.types.includes(args.type)) return;
        for (const message of rule.check(
          args,
          resolveConfig(rule, args.getConfig<Record<string, unknown>>()),
        ))
          reportViolation(message);
      },
    };
  }
  return {
    ...meta,
    validateStack: (args, reportViolation) => {
      for (const v of rule.check(
        args.resources,
        resolveConfig(rule, args.getConfig<Record<string, unknown>>()),
      )) {
        reportViolation(v.message, v.urn);
      }
    },
  };
}

export function toPolicies(rules: readonly Rule[]): Policies {
  return rules.map(toPolicy);
}
