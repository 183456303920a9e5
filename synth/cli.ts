/**
 * `npm run synth -- <stack>`: the offline preview. Evaluates the real program
 * for Pulumi.<stack>.yaml under the mock engine and writes out/<stack>/
 * (docs/synth.md). Exits 1 on bad config or a failing program, 2 on bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../infra/config";
import { synthesize } from "./engine";
import { countsByType, mermaidTree } from "./graph";
import { listStacks, readStackConfig } from "./stackConfig";

const ROOT = path.resolve(__dirname, "..");

async function main(argv: string[]): Promise<number> {
  const stack = argv[0];
  if (!stack || argv.length > 1) {
    console.error(`usage: npm run synth -- <stack>   (stacks: ${listStacks(ROOT).join(", ")})`);
    return 2;
  }
  const started = Date.now();
  const result = await synthesize(readStackConfig(ROOT, stack));
  const outDir = path.join(ROOT, "out", stack);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "resources.json"), JSON.stringify(result.records, null, 2) + "\n");
  fs.writeFileSync(path.join(outDir, "graph.mmd"), mermaidTree(result.records));

  const counts = countsByType(result.records);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  console.log(`stack ${stack}: ${total} resources in ${result.records.length - total} components`);
  for (const [type, count] of counts) console.log(`  ${String(count).padStart(4)}  ${type}`);
  console.log(
    `wrote ${path.relative(ROOT, outDir)}/{resources.json,graph.mmd} in ${Date.now() - started} ms`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
    } else {
      console.error(`synth failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    process.exit(1);
  },
);
