/**
 * The offline engine: runs the real program under Pulumi's mock monitor and
 * records every registration with its inputs, options and dependencies. The
 * synth CLI and every jest test go through `synthesize`; there is no second
 * implementation.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvokeRecord, SynthMocks } from "./mocks";
import type { StackConfig } from "./stackConfig";

/** The SDK's `readResource(res, parent, type, name, props, opts, …)` (@pulumi/pulumi runtime/resource.js). */
type ReadResource = (
  res: pulumi.Resource,
  parent: unknown,
  type: string,
  name: string,
  props: unknown,
  opts: pulumi.CustomResourceOptions,
  ...rest: unknown[]
) => void;
// The module object the SDK's Resource constructor calls `readResource` through
// (`resource_1.readResource(this, …)` in @pulumi/pulumi resource.js): the one place every
// `Resource.get` passes with its id as the program gave it, whichever way the program was started.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a property of the SDK's own module is replaced, so not a read-only import binding
const sdkResource = require("@pulumi/pulumi/runtime/resource") as { readResource: ReadResource };

/** One registered resource: the `resources.json` contract (docs/synth.md). */
export interface ResourceRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly id: string | null;
  readonly parent: string | null;
  readonly custom: boolean;
  readonly provider: string | null;
  readonly protect: boolean;
  readonly dependencies: string[];
  readonly inputs: Record<string, unknown>;
  readonly ignoreChanges: string[];
  readonly deleteBeforeReplace: boolean;
  readonly retainOnDelete: boolean;
}

/**
 * A resource the program read (`Resource.get`) rather than created, and what
 * its id was computed from. The ReadResourceRequest carries only the id's
 * value: the SDK awaits the id (`readResource` in @pulumi/pulumi
 * runtime/resource.js) and puts only `dependsOn` and the property
 * dependencies in the request's dependencies, so neither the monitor nor
 * `resources.json` can tell a literal id from one taken from another
 * resource's outputs. That difference decides when the engine reads:
 * an id known before the run is read at once, during preview too, while an
 * id computed from a resource being created is unknown at preview and the
 * read waits for it (pulumi/pulumi#16395, pulumi/pulumi-kubernetes#2297).
 */
export interface ReadRecord {
  readonly urn: string;
  /**
   * URNs of the resources whose outputs the id was computed from, sorted,
   * as the SDK collects them for a property's dependencies; empty when the
   * id was known before the run (a literal, a config value). A component URN
   * stands for the component's custom resources, as in `dependencies`.
   */
  readonly idDependencies: string[];
}

/**
 * One `aliases` entry of a registration: the name (and type and parent) the
 * resource had before, which `pulumi up` maps to this URN instead of
 * replacing it. Empty fields mean "this resource's own".
 */
export interface AliasRecord {
  readonly urn?: string;
  readonly name?: string;
  readonly type?: string;
  readonly parentUrn?: string;
}

export interface Evaluation {
  readonly records: ResourceRecord[];
  /** Per URN, the aliases it was registered with (not written to disk); absent when none. */
  readonly aliases: ReadonlyMap<string, readonly AliasRecord[]>;
  /** What the mock engine returned per URN (secrets unwrapped): the stack policies' view. The root stack's are the stack outputs. */
  readonly outputs: ReadonlyMap<string, Record<string, unknown>>;
  /** Inputs per URN with secrets unwrapped: the resource policies' view (never written to disk). */
  readonly plainInputs: ReadonlyMap<string, Record<string, unknown>>;
  /** Per URN, the URNs each input property depends on. */
  readonly propertyDependencies: ReadonlyMap<string, Record<string, string[]>>;
  /** The program's stack outputs. */
  readonly stackOutputs: Record<string, unknown>;
  /** Every invoke the program made and the Region it was answered for (not written to disk). */
  readonly invokes: readonly InvokeRecord[];
  /** Every read (`Resource.get`) with what its id was computed from, sorted by URN (not written to disk). */
  readonly reads: readonly ReadRecord[];
  /** What the program threw (a ConfigError for bad config), after every started registration settled. */
  readonly error?: unknown;
}

/** A successful evaluation, as `synthesize` returns it and test/synthCache.ts stores it. */
export type SynthResult = Omit<Evaluation, "error">;

export const SECRET_MARK = "[secret]";

/** The parts of the monitor's RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): unknown;
  hasProtect?(): boolean;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getIgnorechangesList(): string[];
  getAliasesList?(): AliasMessage[];
  getDeletebeforereplace(): boolean;
  hasRetainondelete?(): boolean;
  getRetainondelete(): boolean;
}
/** The SDK's Alias message (@pulumi/pulumi proto/alias_pb.js): a URN, or a spec of what differs. */
interface AliasMessage {
  getUrn(): string;
  getSpec():
    { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

function aliasRecord(a: AliasMessage): AliasRecord {
  const spec = a.getSpec();
  if (!spec) return { urn: a.getUrn() };
  const fields: Record<string, string> = {
    name: spec.getName(),
    type: spec.getType(),
    parentUrn: spec.getNoparent() ? "" : spec.getParenturn(),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== "")) as AliasRecord;
}

interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): unknown;
}
type Callback = (err: unknown, resp?: RegisterResponse) => void;
/** The parts of the monitor's ReadResourceRequest the recorder reads (`Resource.get`). */
interface ReadRequest {
  getId(): string;
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
}
interface ReadResponse {
  getUrn(): string;
  getProperties(): unknown;
}
interface Monitor {
  registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
  readResource(req: ReadRequest, cb: (err: unknown, resp?: ReadResponse) => void): Promise<void>;
}

function isSig(v: unknown, sig: string): v is { value?: unknown; urn?: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === sig
  );
}

/** Walks a deserialized property value, masking secrets or unwrapping them. */
export function clean(value: unknown, secrets: "mask" | "unwrap"): unknown {
  if (isSig(value, pulumi.runtime.specialSecretSig)) {
    return secrets === "mask" ? SECRET_MARK : clean(value.value, secrets);
  }
  if (isSig(value, pulumi.runtime.specialResourceSig)) return value.urn;
  if (Array.isArray(value)) return value.map((v) => clean(v, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, secrets)]));
  }
  return value;
}

type Program = () => Promise<unknown>;

/**
 * What starts the program inside the mock engine. `program` is called inside
 * the root stack the engine makes (`runInPulumiStack`), as synth does; a
 * `host` makes the root stack itself and returns its outputs, as the SDK's
 * `cmd/run` does for the Pulumi CLI (synth/cliDoor.ts).
 */
export type Entry = { readonly program: Program } | { readonly host: () => Promise<unknown> };

/** Told of each resource as it registers, with its inputs (secrets unwrapped): the synth CLI's policy worker. */
export type RecordObserver = (record: ResourceRecord, plainInputs: Record<string, unknown>) => void;

const defaultProgram: Program = async () => {
  // Loaded lazily and once: the same function `pulumi up` runs (infra/index.ts).
  const mod = (await import("../infra/program")) as { program: Program };
  return mod.program();
};

let queue: Promise<unknown> = Promise.resolve();

/**
 * Evaluates the program for one stack and reports what was registered, even
 * when the program failed. Runs are serialized because the Pulumi runtime is
 * process-global.
 */
export function evaluate(
  stack: StackConfig,
  program: Program | Entry = defaultProgram,
  observe?: RecordObserver,
): Promise<Evaluation> {
  const entry: Entry = typeof program === "function" ? { program } : program;
  const run = queue.then(() => runOnce(stack, entry, observe));
  queue = run.catch(() => undefined);
  return run;
}

/** Evaluates the program for one stack; rejects with the program's own error. */
export async function synthesize(
  stack: StackConfig,
  program: Program | Entry = defaultProgram,
  observe?: RecordObserver,
): Promise<SynthResult> {
  const { error, ...result } = await evaluate(stack, program, observe);
  if (error !== undefined) throw error;
  return result;
}

/**
 * The SDK captures a stack trace for every promise and resource it creates,
 * only for leak and source-position diagnostics; under ts-node or jest every
 * capture is source-mapped, which made that most of an evaluation's time.
 * Nothing the program declares depends on it.
 */
async function runOnce(stack: StackConfig, entry: Entry, observe?: RecordObserver): Promise<Evaluation> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await evaluateProgram(stack, entry, observe);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

async function evaluateProgram(
  stack: StackConfig,
  entry: Entry,
  observe?: RecordObserver,
): Promise<Evaluation> {
  pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
  const region = stack.config["aws:region"] ?? "us-east-1";
  const mocks = new SynthMocks(region);
  await pulumi.runtime.setMocks(mocks, stack.project, stack.stack, false);

  const records: ResourceRecord[] = [];
  const aliases = new Map<string, AliasRecord[]>();
  const outputs = new Map<string, Record<string, unknown>>();
  const plainInputs = new Map<string, Record<string, unknown>>();
  const propertyDependencies = new Map<string, Record<string, string[]>>();
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        const inputs = pulumi.runtime.deserializeProperties(req.getObject() as never);
        const record: ResourceRecord = {
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          id: resp.getId() || null,
          parent: req.getParent() || null,
          custom: req.getCustom(),
          provider: req.getProvider() || null,
          protect: req.hasProtect?.() === false ? false : req.getProtect(),
          dependencies: [...new Set(req.getDependenciesList())].sort(),
          inputs: clean(inputs, "mask") as Record<string, unknown>,
          ignoreChanges: req.getIgnorechangesList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          retainOnDelete: req.hasRetainondelete?.() === false ? false : req.getRetainondelete(),
        };
        records.push(record);
        const given = req.getAliasesList?.() ?? [];
        if (given.length > 0) aliases.set(resp.getUrn(), given.map(aliasRecord));
        const state = pulumi.runtime.deserializeProperties(resp.getObject() as never);
        outputs.set(resp.getUrn(), clean(state, "unwrap") as Record<string, unknown>);
        const plain = clean(inputs, "unwrap") as Record<string, unknown>;
        plainInputs.set(resp.getUrn(), plain);
        observe?.(record, plain);
        const deps: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((d, key) => (deps[key] = d.getUrnsList()));
        propertyDependencies.set(resp.getUrn(), deps);
      }
      cb(err, resp);
    });

  // A resource the program reads (`Resource.get`) is in the engine's snapshot too, and
  // others may depend on it: recorded with the id it was read by and no inputs; the
  // stack policies see what the read returned. Analyze is not asked about reads.
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req, cb) =>
    read(req, (err, resp) => {
      if (!err && resp) {
        readsDone++;
        records.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          id: req.getId() || null,
          parent: req.getParent() || null,
          custom: true,
          provider: req.getProvider() || null,
          protect: false,
          dependencies: [...new Set(req.getDependenciesList())].sort(),
          inputs: {},
          ignoreChanges: [],
          deleteBeforeReplace: false,
          retainOnDelete: false,
        });
        const state = pulumi.runtime.deserializeProperties(resp.getProperties() as never);
        outputs.set(resp.getUrn(), clean(state, "unwrap") as Record<string, unknown>);
        plainInputs.set(resp.getUrn(), {});
        propertyDependencies.set(resp.getUrn(), {});
      }
      cb(err, resp);
    });

  // Every `Resource.get` as the program made it: the resource and the id it was given (see
  // ReadRecord). Observed on the way in and passed on unchanged, for this run only.
  const readCalls: ReadCall[] = [];
  let readsDone = 0;
  const sdkReadResource = sdkResource.readResource;
  sdkResource.readResource = (res, parent, type, name, props, opts, ...rest) => {
    if (opts.id !== undefined) readCalls.push({ resource: res, id: opts.id });
    sdkReadResource(res, parent, type, name, props, opts, ...rest);
  };

  let failure: unknown;
  let outputsOrNothing: unknown;
  try {
    // The program's error is caught inside the stack: thrown through
    // runInPulumiStack it would also reject the root stack's internal promises,
    // which nobody awaits.
    outputsOrNothing = await ("host" in entry
      ? entry.host().catch((err: unknown) => {
          failure = err;
          return undefined;
        })
      : pulumi.runtime.runInPulumiStack(async () => {
          try {
            return await entry.program();
          } catch (err) {
            failure = err;
            return undefined;
          }
        }));
    try {
      await pulumi.runtime.disconnect();
    } catch (err) {
      failure ??= err;
    }
  } finally {
    sdkResource.readResource = sdkReadResource;
  }
  const stackOutputs = (outputsOrNothing ?? {}) as Record<string, unknown>;
  if (mocks.unansweredInvokes.length > 0) {
    failure = new Error(
      `synth: no mock for invoke ${mocks.unansweredInvokes.join(", ")}; add an answer to synth/mocks.ts`,
    );
  }
  // Only after a run whose every read completed: a failed read's URN never resolves.
  if (failure === undefined && readsDone !== readCalls.length) {
    failure = new Error(
      `synth: ${readCalls.length - readsDone} of ${readCalls.length} read(s) did not complete`,
    );
  }
  const reads = failure === undefined ? await describeReads(readCalls) : [];
  records.sort((a, b) => a.urn.localeCompare(b.urn));
  const root = records.find((r) => r.type === "pulumi:pulumi:Stack");
  if (root) outputs.set(root.urn, clean(stackOutputs, "unwrap") as Record<string, unknown>);
  return {
    records,
    aliases,
    outputs,
    plainInputs,
    propertyDependencies,
    stackOutputs: clean(stackOutputs, "mask") as Record<string, unknown>,
    invokes: mocks.invokes,
    reads,
    ...(failure === undefined ? {} : { error: failure }),
  };
}

interface ReadCall {
  readonly resource: pulumi.Resource;
  readonly id: pulumi.Input<pulumi.ID>;
}

/** The value of an output the mock engine has resolved (never call it on one that may not resolve). */
function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => (resolve(v), v)));
}

/**
 * What each read's id was computed from: its resources, collected exactly as
 * the SDK collects a property's dependencies (`serializeResourceProperties`;
 * the key is not `id`, which that function skips).
 */
async function describeReads(calls: readonly ReadCall[]): Promise<ReadRecord[]> {
  const reads = await Promise.all(
    calls.map(async ({ resource, id }) => {
      const urn = await resolved(resource.urn);
      const [, deps] = await pulumi.runtime.serializeResourceProperties(`read ${urn}`, { readId: id });
      const urns = await Promise.all([...(deps.get("readId") ?? [])].map((r) => resolved(r.urn)));
      return { urn, idDependencies: [...new Set(urns)].sort() };
    }),
  );
  return reads.sort((a, b) => a.urn.localeCompare(b.urn));
}
