/**
 * CI-3, POL-3: the program loads through the door the Pulumi CLI uses
 * (Pulumi.yaml → the nodejs language host → the SDK's cmd/run → ts-node) and
 * registers exactly what synth records, for every shipped stack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DoorRun, cliDoorRun, doorProblems, launchPlan, pwdMain, splitArgs } from "../synth/cliDoor";
import { ROOT, SHIPPED_STACKS, synthStack } from "./harness";
import { CACHE_ENV } from "./synthCache";

/**
 * One door run for all shipped stacks per jest run; reused, like the synth
 * evaluations, while no source the run reads has changed (the cache dir is
 * keyed by their content, test/synthCache.ts).
 */
async function doorRun(): Promise<DoorRun> {
  const dir = process.env[CACHE_ENV];
  const file = dir && path.join(dir, "cli-door.json");
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as DoorRun;
  const run = await cliDoorRun(ROOT, SHIPPED_STACKS);
  if (file) fs.writeFileSync(file, JSON.stringify(run));
  return run;
}

/** A scratch project: Pulumi.yaml and files, with this repo's node_modules linked in. */
function scratchProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "door-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

const PROJECT = "name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n";
const NO_CHECK = '{ "compilerOptions": { "noCheck": true } }';
const PACKAGE = JSON.stringify({ main: "infra/index.ts" });

describe("the CLI's door", () => {
  let run: DoorRun;
  beforeAll(async () => {
    run = await doorRun();
  }, 120_000);

  test.each(SHIPPED_STACKS)(
    "%s: cmd/run, started as the CLI starts it, registers exactly the synth record",
    async (stack) => {
      const door = run.stacks.find((s) => s.stack === stack)!;
      expect(door.error).toBeNull();
      const { records } = await synthStack(stack);
      expect(door.records).toEqual(JSON.parse(JSON.stringify(records)));
    },
  );

  test("the host runs the project folder's package.json main with tsconfig.pulumi.json, transpile-only", () => {
    expect(run.plan).toEqual({
      programDirectory: ROOT,
      entryPoint: ".",
      env: { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" },
      nodeArgs: [],
    });
    // Registered by cmd/run itself (the runner has no TypeScript loader of its own).
    expect(run.tsNode).toEqual({
      transpileOnly: true,
      project: "tsconfig.pulumi.json",
      transpiler: "./scripts/tsNodeTranspiler.js",
    });
    expect(run.programModules).toContain("infra/index.ts");
    expect(run.programModules).toContain("infra/program.ts");
  });

  test("nothing in the project stops or slows the CLI's load", () => {
    expect(doorProblems(ROOT)).toEqual([]);
  });
});

describe("the door's model of the engine and the language host", () => {
  test("getPwdMain: no main is the project folder with entry '.', a folder becomes the working directory, a file its folder", () => {
    const dir = scratchProject({ "infra/index.ts": "" });
    expect(pwdMain(dir, undefined)).toEqual({ pwd: dir, main: "." });
    expect(pwdMain(dir, "infra/")).toEqual({ pwd: path.join(dir, "infra"), main: "." });
    expect(pwdMain(dir, "infra/index.ts")).toEqual({ pwd: path.join(dir, "infra"), main: "index.ts" });
    expect(() => pwdMain(dir, "nowhere/")).toThrow("Pulumi.yaml: project 'main' could not be read");
  });

  test("runtime options become the host's environment and node arguments", () => {
    const dir = scratchProject({
      "Pulumi.yaml": `${PROJECT}    tsconfig: tsconfig.pulumi.json\n    nodeargs: --max-old-space-size=4096 --trace-warnings\n`,
    });
    expect(launchPlan(dir)).toEqual({
      programDirectory: dir,
      entryPoint: ".",
      env: { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" },
      nodeArgs: ["--max-old-space-size=4096", "--trace-warnings"],
    });
    expect(splitArgs(`-r "a b" 'c d' e`)).toEqual(["-r", "a b", "c d", "e"]);
  });

  test("`main: infra/` (the old Pulumi.yaml) is reported: ts-node would type-check with its fallback options", () => {
    const dir = scratchProject({
      "Pulumi.yaml": `${PROJECT}main: infra/\n`,
      "tsconfig.json": NO_CHECK,
      "package.json": PACKAGE,
      "infra/index.ts": "",
    });
    expect(doorProblems(dir)).toEqual([
      "no tsconfig.json in the program directory infra: ts-node type-checks the program with its fallback options, not the project's",
      'entry "." but no package.json main file in the program directory infra: cmd/run would load the folder itself',
    ]);
  });

  test("a tsconfig without its own noCheck is reported: every preview would type-check", () => {
    const dir = scratchProject({
      "Pulumi.yaml": `${PROJECT}    tsconfig: tsconfig.pulumi.json\n`,
      "tsconfig.json": NO_CHECK,
      // cmd/run reads noCheck from this file alone, not through `extends`.
      "tsconfig.pulumi.json": '{ "extends": "./tsconfig.json" }',
      "package.json": PACKAGE,
      "infra/index.ts": "",
    });
    expect(doorProblems(dir)).toEqual([
      "tsconfig.pulumi.json does not set compilerOptions.noCheck itself: every preview type-checks the program (npm test and CI do that once)",
    ]);
  });

  test("a tsconfig option naming a missing file is reported as cmd/run's stop", () => {
    const dir = scratchProject({
      "Pulumi.yaml": `${PROJECT}    tsconfig: tsconfig.missing.json\n`,
      "package.json": PACKAGE,
      "infra/index.ts": "",
    });
    expect(doorProblems(dir)).toEqual([
      'runtime.options.tsconfig tsconfig.missing.json is not in the program directory .: cmd/run stops ("tsconfig path was set to tsconfig.missing.json but the file was not found")',
    ]);
  });
});
