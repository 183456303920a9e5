/**
 * Mutated copies of a shipped stack's recorded evaluation (test/harness.ts
 * synthStack), so a rule can be shown failing on a real resource with one
 * thing changed. Every helper returns new Maps; the cached record is never
 * touched.
 */
import type { Rule } from "../../policies/rule";
import type { ResourceRecord } from "../../synth/engine";
import { Finding, PolicyInput, readPackConfig, runPolicies } from "../../synth/policy";

type Props = Record<string, unknown>;

/** The one record of `type` whose logical name is `name`. */
export function record(ev: PolicyInput, type: string, name: string): ResourceRecord {
  const found = ev.records.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}

/** A deep copy of plain JSON, to edit freely. */
export const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** `ev` with the outputs (what stack rules see) of `urn` replaced by `edit` of a copy of them. */
export function editOutputs(ev: PolicyInput, urn: string, edit: (props: Props) => Props | void): PolicyInput {
  const outputs = new Map(ev.outputs);
  const props = copy(outputs.get(urn) ?? {});
  outputs.set(urn, edit(props) ?? props);
  return { ...ev, outputs };
}

/** `ev` with the inputs (what resource rules see) of `urn` replaced by `edit` of a copy of them. */
export function editInputs(ev: PolicyInput, urn: string, edit: (props: Props) => Props | void): PolicyInput {
  const plainInputs = new Map(ev.plainInputs);
  const props = copy(plainInputs.get(urn) ?? {});
  plainInputs.set(urn, edit(props) ?? props);
  return { ...ev, plainInputs };
}

/** `ev` with `urn`'s input `key` depending on `urns` instead (a reference moved to another resource). */
export function editDependencies(ev: PolicyInput, urn: string, key: string, urns: string[]): PolicyInput {
  const propertyDependencies = new Map(ev.propertyDependencies);
  propertyDependencies.set(urn, { ...(propertyDependencies.get(urn) ?? {}), [key]: urns });
  return { ...ev, propertyDependencies };
}

/** The one rule over `ev` with the stack's policy config, as `npm run synth` runs it. */
export function findings(rule: Rule, ev: PolicyInput, stack = "prod"): Promise<Finding[]> {
  return runPolicies(ev, readPackConfig(stack), [rule]);
}

/** A mandatory finding of `rule` on `urn`, as the runner reports it. */
export function mandatory(rule: Rule, urn: string, message: string): Finding {
  return { policy: rule.name, urn, enforcementLevel: "mandatory", message };
}
