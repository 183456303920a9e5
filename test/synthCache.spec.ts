/** The jest run's evaluation cache (test/synthCache.ts): reused only while nothing an evaluation reads changed. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluationKey } from "./synthCache";

describe("the shipped stacks' evaluation cache key", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "synth-key-"));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test("changes with the program, a stack file, an app's build context and the lock file; not with tests, docs or output", () => {
    write("infra/program.ts", "a");
    write("Pulumi.prod.yaml", "b");
    write("apps/api/main.py", "c");
    write("package-lock.json", "d");
    const base = evaluationKey(root);
    for (const [file, text] of [
      ["test/x.spec.ts", "t"],
      ["docs/x.md", "t"],
      ["out/prod/resources.json", "t"],
      ["README.md", "t"],
    ])
      write(file, text);
    expect(evaluationKey(root)).toBe(base);
    for (const file of ["infra/program.ts", "Pulumi.prod.yaml", "apps/api/main.py", "package-lock.json"]) {
      const before = fs.readFileSync(path.join(root, file), "utf8");
      write(file, `${before}!`);
      expect([file, evaluationKey(root)]).not.toEqual([file, base]);
      write(file, before);
    }
    write("components/new/Thing.ts", "e");
    expect(evaluationKey(root)).not.toBe(base);
  });

  test("ECS-1: changes with a build context file's mode (the image's content tag covers it); not with a top-level tooling folder", () => {
    write("apps/api/run.sh", "echo hi\n");
    fs.chmodSync(path.join(root, "apps/api/run.sh"), 0o644);
    const base = evaluationKey(root);
    write(".stryker-tmp/sandbox/infra/program.ts", "copy");
    expect(evaluationKey(root)).toBe(base);
    fs.chmodSync(path.join(root, "apps/api/run.sh"), 0o755);
    expect(evaluationKey(root)).not.toBe(base);
  });
});
