import { synthesize } from "../synth/engine";
import { CACHE_ENV, newCacheDir, store } from "./synthCache";
import { SHIPPED_STACKS, stackConfig } from "./harness";

/** Evaluates every shipped stack once for the whole run; workers inherit the cache's location. */
export default async function globalSetup(): Promise<void> {
  const dir = newCacheDir();
  for (const stack of SHIPPED_STACKS) store(dir, stack, await synthesize(stackConfig(stack)));
  process.env[CACHE_ENV] = dir;
}
