/**
 * Shipped stacks are evaluated once per jest run (globalSetup) instead of once
 * per test file: the results are the engine's own, written to a temp dir and
 * read back by test/harness.ts in every worker.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SynthResult } from "../synth/engine";

export const CACHE_ENV = "RUNBOOK_PLATFORM_SYNTH_CACHE";

interface Stored {
  readonly records: SynthResult["records"];
  readonly outputs: [string, Record<string, unknown>][];
  readonly plainInputs: [string, Record<string, unknown>][];
  readonly propertyDependencies: [string, Record<string, string[]>][];
  readonly stackOutputs: Record<string, unknown>;
}

export function newCacheDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "runbook-platform-synth-"));
}

export function store(dir: string, stack: string, r: SynthResult): void {
  const stored: Stored = {
    records: r.records,
    outputs: [...r.outputs],
    plainInputs: [...r.plainInputs],
    propertyDependencies: [...r.propertyDependencies],
    stackOutputs: r.stackOutputs,
  };
  fs.writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(stored));
}

/** The stored result for `stack`, or undefined outside a jest run that prepared it. */
export function load(stack: string): SynthResult | undefined {
  const dir = process.env[CACHE_ENV];
  const file = dir && path.join(dir, `${stack}.json`);
  if (!file || !fs.existsSync(file)) return undefined;
  const s = JSON.parse(fs.readFileSync(file, "utf8")) as Stored;
  return {
    records: s.records,
    outputs: new Map(s.outputs),
    plainInputs: new Map(s.plainInputs),
    propertyDependencies: new Map(s.propertyDependencies),
    stackOutputs: s.stackOutputs,
  };
}
