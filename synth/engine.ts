/**
 * The offline engine: runs the real program under Pulumi's mock monitor and
 * records every registration with its inputs, options and dependencies. The
 * synth CLI and every jest test go through `synthesize`; there is no second
 * implementation.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvokeRecord, SynthMocks } from "./mocks";
import type { StackConfig } from "./stackConfig";

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

export interface Evaluation {
  readonly records: ResourceRecord[];
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
  /** What the program threw (a ConfigError for bad config), after every started registration settled. */
  readonly error?: unknown;
}

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
  getDeletebeforereplace(): boolean;
  hasRetainondelete?(): boolean;
  getRetainondelete(): boolean;
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

  let failure: unknown;
  // The program's error is caught inside the stack: thrown through
  // runInPulumiStack it would also reject the root stack's internal promises,
  // which nobody awaits.
  const outputsOrNothing = await ("host" in entry
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
  const stackOutputs = (outputsOrNothing ?? {}) as Record<string, unknown>;
  try {
    await pulumi.runtime.disconnect();
  } catch (err) {
    failure ??= err;
  }
  if (mocks.unansweredInvokes.length > 0) {
    failure = new Error(
      `synth: no mock for invoke ${mocks.unansweredInvokes.join(", ")}; add an answer to synth/mocks.ts`,
    );
  }
  records.sort((a, b) => a.urn.localeCompare(b.urn));
  const root = records.find((r) => r.type === "pulumi:pulumi:Stack");
  if (root) outputs.set(root.urn, clean(stackOutputs, "unwrap") as Record<string, unknown>);
  return {
    records,
    outputs,
    plainInputs,
    propertyDependencies,
    stackOutputs: clean(stackOutputs, "mask") as Record<string, unknown>,
    invokes: mocks.invokes,
    ...(failure === undefined ? {} : { error: failure }),
  };
}
