/**
 * Runs the policy pack over a synth evaluation the way the Pulumi engine does:
 * each resource's inputs through the analyzer's `Analyze` handler, all
 * resources' outputs through `AnalyzeStack`. The handlers are @pulumi/policy's
 * own (`makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun`), so rules receive the
 * same ResourceValidationArgs / StackValidationArgs, unknown-value proxies and
 * enforcement handling as under `pulumi preview --policy-pack policies`.
 */
import type { Policies, PolicyResource, ResourceValidation } from "@pulumi/policy";
import { PACK_NAME, PACK_VERSION, toPolicies } from "../policies/pack";
import type { Rule } from "../policies/rule";
import { RULES } from "../policies/rules";
import type { Evaluation, ResourceRecord } from "./engine";
import { providerUrn } from "./graph";
import { type EnforcementLevel, type PackConfig, effectiveConfig } from "./packConfig";

/* eslint-disable @typescript-eslint/no-require-imports -- untyped internals of @pulumi/policy and the protobuf runtime */
const server = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policies): Handler;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policies): Handler;
};
const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
};
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};
const { getPulumiType } = require("@pulumi/policy/policy") as {
  getPulumiType(obj: unknown): string | undefined;
};
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
  getEnforcementlevel(): number;
  getUrn(): string;
}
type Handler = (
  call: { request: unknown },
  callback: (err: unknown, resp?: { getDiagnosticsList(): Diagnostic[] }) => void,
) => Promise<void>;

export { POLICY_CONFIG_DIR, effectiveConfig, readPackConfig } from "./packConfig";
export type { EnforcementLevel, PackConfig } from "./packConfig";

/** One line of `policy-report.json`. */
export interface Finding {
  readonly policy: string;
  readonly urn: string | null;
  readonly enforcementLevel: EnforcementLevel;
  readonly message: string;
}

/** The pack's policies with a stack's policy config applied, as the engine's Configure call would. */
function configured(rules: readonly Rule[], config: PackConfig): Policies {
  return toPolicies(rules).map((p) => {
    const { level, settings } = effectiveConfig(p.name, config);
    const withConfig = <A extends { getConfig: unknown }>(args: A): A => ({
      ...args,
      getConfig: () => settings,
    });
    if ("validateStack" in p) {
      const validate = p.validateStack;
      return {
        ...p,
        enforcementLevel: level,
        validateStack: (args, report) => validate(withConfig(args), report),
      };
    }
    const validate = p.validateResource as ResourceValidation;
    return {
      ...p,
      enforcementLevel: level,
      validateResource: (args, report) => validate(withConfig(args), report),
    };
  });
}

// analyzer.proto's EnforcementLevel; the handlers already turn "remediate" into "mandatory".
const LEVELS: Record<number, EnforcementLevel> = {
  0: "advisory",
  1: "mandatory",
  2: "disabled",
  3: "mandatory",
};

/** A protobuf Struct of plain JSON: undefined members are dropped, as the engine's wire format drops them. */
function struct(value: Record<string, unknown> | undefined) {
  const built = Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {}))) as { toJavaScript(): unknown };
  // @pulumi/policy's AnalyzeStack converts every resource's Struct back to
  // JavaScript once per stack policy (40-odd times per run); its
  // deserializeProperties only reads the result, and nothing changes a Struct
  // built here, so the conversion is done once.
  const convert = built.toJavaScript.bind(built);
  let converted: unknown;
  built.toJavaScript = () => (converted ??= convert());
  return built;
}

/**
 * Structs already built, by the props object they came from. The handlers
 * only read a request's Structs, so a props object analyzed again (the shipped
 * stacks' records, which the test suites run through the pack many times with
 * one resource changed, and the odd-shape worlds whose resources share one
 * props object) is converted once. Props must not change after analysis:
 * test/harness.ts freezes the records it shares, and everything else analyzes
 * fresh objects.
 */
const structs = new WeakMap<object, unknown>();

function structOf(value: Record<string, unknown> | undefined) {
  if (value === undefined) return struct(value);
  let built = structs.get(value);
  if (built === undefined) {
    built = struct(value);
    structs.set(value, built);
  }
  return built;
}

function options(r: ResourceRecord) {
  const o = new proto.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setIgnorechangesList(r.ignoreChanges);
  o.setDeletebeforereplace(r.deleteBeforeReplace);
  o.setDeletebeforereplacedefined(r.deleteBeforeReplace);
  if (r.parent) o.setParent(r.parent);
  return o;
}

/** An analyzer plugin as the engine talks to it: the pack in this process, or served over gRPC. */
export interface Analyzer {
  analyze(request: unknown): Promise<Diagnostic[]>;
  analyzeStack(request: unknown): Promise<Diagnostic[]>;
  /** In process only: AnalyzeStack straight from the records (stackAnalysis). */
  analyzeRecords?(evaluation: StackInput): Promise<Finding[]>;
}

type StackInput = Pick<PolicyInput, "records" | "outputs" | "propertyDependencies">;

/** The fields AnalyzeRequest and AnalyzerResource share, filled from a record. */
function describeResource<M extends ProtoResource>(
  msg: M,
  r: ResourceRecord,
  props: Record<string, unknown> | undefined,
): M {
  msg.setType(r.type);
  msg.setUrn(r.urn);
  msg.setName(r.name);
  msg.setProperties(structOf(props));
  msg.setOptions(options(r));
  return msg;
}

interface ProtoResource {
  setProvider(v: unknown): unknown;
  setType(v: string): unknown;
  setUrn(v: string): unknown;
  setName(v: string): unknown;
  setProperties(v: unknown): unknown;
  setOptions(v: unknown): unknown;
}

function call(handler: Handler, request: unknown): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    void handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp?.getDiagnosticsList() ?? [])));
  });
}

/**
 * The pack in this process: @pulumi/policy's own Analyze handler per
 * resource, and its AnalyzeStack as `stackAnalysis` runs it.
 */
function inProcess(policies: Policies): Analyzer {
  const analyze = server.makeAnalyzeRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies);
  return {
    analyze: (req) => call(analyze, req),
    analyzeStack: (req) => call(analyzeStack, req),
    analyzeRecords: (evaluation) => stackAnalysis(policies, evaluation),
  };
}

/**
 * AnalyzeStack as @pulumi/policy's handler (makeAnalyzeStackRpcFun) runs it,
 * with one difference: the handler rebuilds every PolicyResource for each
 * stack policy (40-odd deserializations of every resource per run, most of
 * a synth's policy time); here they are built once, with the handler's own
 * deserialization and unknown-checking proxy, and shared. Rules only read
 * them. The served-pack tests (test/policies/served.spec.ts) hold the
 * findings equal to the real handler's over gRPC.
 */
async function stackAnalysis(policies: Policies, evaluation: StackInput): Promise<Finding[]> {
  const byUrn = new Map<string, PolicyResource>();
  const resources = evaluation.records.map((r) => {
    const props = unknownCheckingProxy(deserializeProperties(structOf(evaluation.outputs.get(r.urn)), false));
    const type = r.type;
    const resource: PolicyResource = {
      type,
      props,
      urn: r.urn,
      name: r.name,
      opts: {
        protect: r.protect,
        ignoreChanges: r.ignoreChanges,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        // The engine marks deleteBeforeReplace as defined only when set (options()).
        ...(r.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
        ...(r.parent ? { parent: r.parent } : {}),
      },
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => getPulumiType(cls) === type,
      asType: (cls) => (getPulumiType(cls) === type ? props : undefined) as never,
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  evaluation.records.forEach((r, i) => {
    const resource = resources[i] as { -readonly [K in keyof PolicyResource]: PolicyResource[K] };
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) resource.parent = parent;
    resource.dependencies = r.dependencies.flatMap((d) => byUrn.get(d) ?? []);
    resource.propertyDependencies = Object.fromEntries(
      Object.entries(evaluation.propertyDependencies.get(r.urn) ?? {}).map(([k, urns]) => [
        k,
        urns.flatMap((u) => byUrn.get(u) ?? []),
      ]),
    );
    if (r.provider) {
      const provider = byUrn.get(providerUrn(r.provider));
      if (provider)
        resource.provider = {
          type: provider.type,
          props: provider.props,
          urn: provider.urn,
          name: provider.name,
        };
    }
  });

  const findings: Finding[] = [];
  for (const p of policies) {
    if (!("validateStack" in p) || p.enforcementLevel === "disabled") continue;
    const level: EnforcementLevel = p.enforcementLevel === "advisory" ? "advisory" : "mandatory";
    const report = (message: unknown, urn?: string) => {
      if (typeof message === "object" && message !== null)
        throw new Error(`${p.name}: reports a policy object; stackAnalysis supports messages only`);
      findings.push({
        policy: p.name,
        urn: urn || null,
        enforcementLevel: level,
        message: String(message ?? ""),
      });
    };
    try {
      await p.validateStack(
        {
          resources,
          getConfig: () => ({}) as never,
          stackTags: new Map(),
          notApplicable: (reason?: string) => {
            throw new Error(`${p.name}: notApplicable(${reason ?? ""}) is not supported by stackAnalysis`);
          },
        } as never,
        report as never,
      );
    } catch (e) {
      if (!(e instanceof UnknownValueError)) throw e;
      findings.push({
        policy: p.name,
        urn: null,
        enforcementLevel: "advisory",
        message: `can't run policy '${p.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${e.message}`,
      });
    }
  }
  return findings;
}

function toFinding(d: Diagnostic, fallbackUrn: string | null): Finding {
  // The engine prints a violation as "<description>\n<message>"; the report keeps the message.
  const message = d.getMessage();
  return {
    policy: d.getPolicyname(),
    urn: d.getUrn() || fallbackUrn,
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    message: message.includes("\n") ? message.slice(message.indexOf("\n") + 1) : message,
  };
}

export type PolicyInput = Pick<Evaluation, "records" | "outputs" | "plainInputs" | "propertyDependencies">;

/**
 * An analysis fed one resource at a time, as the engine asks while resources
 * register: `add` starts a resource's Analyze at once, `finish` asks
 * AnalyzeStack about the whole evaluation and returns every finding, sorted
 * by policy, then URN. The synth CLI feeds it each resource as it registers
 * (synth/engine.ts's observer), so Analyze runs while the program does;
 * `runPolicies` feeds it a
 * finished evaluation. Same findings either way.
 */
export interface PolicySession {
  add(record: ResourceRecord, inputs: Record<string, unknown> | undefined): void;
  finish(evaluation: Pick<PolicyInput, "records" | "outputs" | "propertyDependencies">): Promise<Finding[]>;
}

/** The pack in this process, with a stack's policy config, as a session. */
export function policySession(config: PackConfig, rules: readonly Rule[] = RULES): PolicySession {
  // The engine asks every analyzer both questions; in process, a phase no rule answers can be skipped.
  const phases = {
    resources: rules.some((r) => r.kind === "resource"),
    stack: rules.some((r) => r.kind === "stack"),
  };
  // In process, a resource no resource rule looks at need not be asked about: every rule
  // ignores types outside its own list (policies/pack.ts), so the findings are the same.
  const types = new Set(rules.flatMap((r) => (r.kind === "resource" ? r.types : [])));
  return analyzerSession(inProcess(configured(rules, config)), phases, (r) => types.has(r.type));
}

/** Runs every rule over an evaluation; findings sorted by policy, then URN. */
export function runPolicies(
  evaluation: PolicyInput,
  config: PackConfig,
  rules: readonly Rule[] = RULES,
): Promise<Finding[]> {
  const session = policySession(config, rules);
  for (const r of evaluation.records) session.add(r, evaluation.plainInputs.get(r.urn));
  return session.finish(evaluation);
}

/**
 * The provider a record registered with, as the engine describes it to
 * analyzers (`AnalyzerProviderResource`): its type, URN, name and
 * properties. A record's `provider` is the reference `<urn>::<id>`; a
 * provider always registers before the resources that use it.
 */
function providerOf(
  r: ResourceRecord,
  records: ReadonlyMap<string, ResourceRecord>,
  props: (urn: string) => Record<string, unknown> | undefined,
): unknown {
  if (!r.provider) return undefined;
  const provider = records.get(providerUrn(r.provider));
  if (!provider) return undefined;
  const p = new proto.AnalyzerProviderResource();
  p.setType(provider.type);
  p.setUrn(provider.urn);
  p.setName(provider.name);
  p.setProperties(structOf(props(provider.urn)));
  return p;
}

function analyzerSession(
  analyzer: Analyzer,
  phases: { readonly resources: boolean; readonly stack: boolean },
  asked: (r: ResourceRecord) => boolean,
): PolicySession {
  const pending: Promise<Finding[]>[] = [];
  const seen = new Map<string, ResourceRecord>();
  const seenInputs = new Map<string, Record<string, unknown> | undefined>();
  return {
    add(r, inputs) {
      seen.set(r.urn, r);
      seenInputs.set(r.urn, inputs);
      if (!phases.resources || !asked(r)) return;
      const req = describeResource(new proto.AnalyzeRequest(), r, inputs);
      const provider = providerOf(r, seen, (urn) => seenInputs.get(urn));
      if (provider) req.setProvider(provider);
      pending.push(analyzer.analyze(req).then((diagnostics) => diagnostics.map((d) => toFinding(d, r.urn))));
    },
    async finish(evaluation) {
      const findings = (await Promise.all(pending)).flat();
      if (!phases.stack) return sorted(findings);
      if (analyzer.analyzeRecords)
        return sorted([...findings, ...(await analyzer.analyzeRecords(evaluation))]);
      const stackReq = new proto.AnalyzeStackRequest();
      const byUrn = new Map(evaluation.records.map((r) => [r.urn, r]));
      stackReq.setResourcesList(
        evaluation.records.map((r) => {
          const res = describeResource(new proto.AnalyzerResource(), r, evaluation.outputs.get(r.urn));
          const provider = providerOf(r, byUrn, (urn) => evaluation.outputs.get(urn));
          if (provider) res.setProvider(provider);
          if (r.parent) res.setParent(r.parent);
          res.setDependenciesList(r.dependencies);
          const deps = res.getPropertydependenciesMap();
          for (const [key, urns] of Object.entries(evaluation.propertyDependencies.get(r.urn) ?? {})) {
            const pd = new proto.AnalyzerPropertyDependencies();
            pd.setUrnsList(urns);
            deps.set(key, pd);
          }
          return res;
        }),
      );
      for (const d of await analyzer.analyzeStack(stackReq)) findings.push(toFinding(d, null));
      return sorted(findings);
    },
  };
}

/**
 * What the engine sends an analyzer for one preview: each resource's inputs
 * (Analyze), then every resource's outputs with parents and dependencies
 * (AnalyzeStack).
 */
export function analyzeEvaluation(
  analyzer: Analyzer,
  evaluation: PolicyInput,
  phases: { readonly resources: boolean; readonly stack: boolean } = { resources: true, stack: true },
  asked: (r: ResourceRecord) => boolean = () => true,
): Promise<Finding[]> {
  const session = analyzerSession(analyzer, phases, asked);
  for (const r of evaluation.records) session.add(r, evaluation.plainInputs.get(r.urn));
  return session.finish(evaluation);
}

/** Stable: a rule's messages for one resource stay in the order the rule reported them. */
function sorted(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => a.policy.localeCompare(b.policy) || (a.urn ?? "").localeCompare(b.urn ?? ""),
  );
}
