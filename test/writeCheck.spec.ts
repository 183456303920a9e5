/**
 * CI-3: a jest run writes nothing into the repository (test/writeCheck.ts):
 * the guard every process of the run loads notes each write inside the
 * repository, and the run's teardown fails on any; in CI the repository's
 * status before and after is compared too.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { notedWrites, snapshotChanges } from "./writeCheck";
import { ROOT } from "./harness";

const GUARD = path.join(__dirname, "writeGuard.js");

describe("CI-3: the write guard", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "write-guard-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test("CI-3: a node process the run starts notes every write inside the guarded folder, none outside it or in node_modules/.cache", async () => {
    const root = path.join(scratch, "repo");
    const outside = path.join(scratch, "elsewhere");
    fs.mkdirSync(path.join(root, "node_modules", ".cache"), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, "tracked.txt"), "before\n");
    const log = path.join(scratch, "writes.jsonl");
    const script = `
      const fs = require("fs");
      const p = (f) => require("path").join(${JSON.stringify(root)}, f);
      fs.writeFileSync(p("Pulumi.jest.yaml"), "x");
      fs.mkdirSync(p("out/staging"), { recursive: true });
      fs.appendFileSync(p("tracked.txt"), "after\\n");
      fs.renameSync(p("Pulumi.jest.yaml"), p("Pulumi.jest2.yaml"));
      fs.closeSync(fs.openSync(p("opened.txt"), "w"));
      fs.readFileSync(p("tracked.txt"));
      fs.closeSync(fs.openSync(p("tracked.txt"), "r"));
      fs.writeFileSync(p("node_modules/.cache/tool.json"), "{}");
      fs.writeFileSync(${JSON.stringify(path.join(outside, "scratch.txt"))}, "x");
      fs.rmSync(p("Pulumi.jest2.yaml"));
      fs.promises.writeFile(p("async.txt"), "x").then(() => {});
    `;
    await promisify(execFile)(process.execPath, ["--require", GUARD, "-e", script], {
      env: { ...process.env, RUNBOOK_PLATFORM_WRITE_LOG: log, RUNBOOK_PLATFORM_GUARD_ROOT: root },
    });
    expect(notedWrites(log).map((w) => `${w.op} ${w.path}`)).toEqual([
      "writeFile Pulumi.jest.yaml",
      "mkdir out/staging",
      "appendFile tracked.txt",
      "rename Pulumi.jest.yaml",
      "rename Pulumi.jest2.yaml",
      "open opened.txt",
      "rm Pulumi.jest2.yaml",
      "writeFile async.txt",
    ]);
    expect(notedWrites(log)[0].from).toContain("[eval]");
  });

  test("CI-3: this jest run is guarded: the guard is loaded in this worker, guards the repository and logs to the OS's temp dir", () => {
    // The core module itself (an `import * as` namespace copies only its named exports).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = require("fs") as Record<symbol, { root: string; log: string } | undefined>;
    const state = core[Symbol.for("runbook-platform.writeGuard")];
    expect(state?.root).toBe(ROOT);
    expect(state?.log.startsWith(fs.realpathSync(os.tmpdir())) || state?.log.startsWith(os.tmpdir())).toBe(
      true,
    );
    expect(process.env.NODE_OPTIONS).toContain(GUARD);
  });

  test("CI-3: in CI, the repository's status before and after: what appeared and what went", () => {
    expect(
      snapshotChanges(
        ["git: ?? scratch.txt", "out: out/prod/resources.json 10 1"],
        ["git:  M Pulumi.prod.yaml", "git: ?? scratch.txt", "out: out/prod/resources.json 12 2"],
      ),
    ).toEqual([
      "now: git:  M Pulumi.prod.yaml",
      "now: out: out/prod/resources.json 12 2",
      "was: out: out/prod/resources.json 10 1",
    ]);
  });
});
