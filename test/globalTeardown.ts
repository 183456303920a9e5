import { finishWriteCheck } from "./writeCheck";

/**
 * CI-3: the run fails if any test wrote into the repository (test/writeCheck.ts):
 * tests write to the OS's temp dir, so one worker never reads another's
 * half-written stack file, policy config or out/ folder.
 */
export default async function globalTeardown(): Promise<void> {
  const problems = finishWriteCheck();
  if (problems.length > 0)
    throw new Error(
      `jest wrote into the repository (${problems.length}); tests write only under os.tmpdir() (test/writeCheck.ts):\n  ${problems.join("\n  ")}`,
    );
}
