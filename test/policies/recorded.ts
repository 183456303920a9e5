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

/** `ev` with the record `urn` (its options: protect, ignoreChanges, …) replaced by `edit` of a copy. */
export function editRecord(
  ev: PolicyInput,
  urn: string,
  edit: (record: ResourceRecord) => ResourceRecord,
): PolicyInput {
  const records = ev.records.map((r) => (r.urn === urn ? edit(copy(r)) : r));
  return { ...ev, records };
}

/**
 * `ev` with one more resource, as a pull request would add it: its inputs
 * (what resource rules see), outputs (what stack rules see: the inputs, as
 * the mock engine echoes them) and which inputs reference which records.
 */
export function addResource(
  ev: PolicyInput,
  r: {
    readonly type: string;
    readonly name: string;
    readonly inputs: Props;
    readonly refs?: Readonly<Record<string, readonly string[]>>;
  },
): { ev: PolicyInput; urn: string } {
  const stack = ev.records[0]?.urn.split("::")[1] ?? "test";
  const urn = `urn:pulumi:${stack}::runbook-platform::${r.type}::${r.name}`;
  const refs = r.refs ?? {};
  const record: ResourceRecord = {
    urn,
    type: r.type,
    name: r.name,
    id: `${r.name}-id`,
    parent: null,
    custom: true,
    provider: null,
    protect: false,
    dependencies: [...new Set(Object.values(refs).flat())],
    inputs: r.inputs,
    ignoreChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
  };
  const outputs = new Map(ev.outputs).set(urn, copy(r.inputs));
  const plainInputs = new Map(ev.plainInputs).set(urn, copy(r.inputs));
  const propertyDependencies = new Map(ev.propertyDependencies).set(
    urn,
    Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, [...v]])),
  );
  return { ev: { records: [...ev.records, record], outputs, plainInputs, propertyDependencies }, urn };
}
