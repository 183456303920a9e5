import { synthesize } from "../synth/engine";
import { CACHE_ENV, reusableCacheDir, store } from "./synthCache";
import { SHIPPED_STACKS, stackConfig } from "./harness";
import { startWriteCheck } from "./writeCheck";

/**
 * Evaluates every shipped stack once for the whole run; workers inherit the
 * cache's location. A run whose program, stack files and dependencies are
 * byte-identical to the last one's reuses its evaluations (synthCache.ts).
 * First, every write into the repository starts being noted (writeCheck.ts).
 */
export default async function globalSetup(): Promise<void> {
  startWriteCheck();
  const { dir, complete, writeDir, commit } = reusableCacheDir(SHIPPED_STACKS);
  if (!complete) {
    for (const stack of SHIPPED_STACKS) store(writeDir, stack, await synthesize(stackConfig(stack)));
    commit();
  }
  process.env[CACHE_ENV] = dir;
}
