/**
 * `npm run synth -- <stack>`: the offline preview. Evaluates the real program
 * for Pulumi.<stack>.yaml under the mock engine and writes out/<stack>/
 * (docs/synth.md) with the policy pack's verdict. Exits 1 on bad config, a
 * failing program or a mandatory policy violation; 2 on bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../infra/config";
import { synthesize } from "./engine";
import { countsByType, mermaidTree } from "./graph";
import { readPackConfig, runPolicies } from "./policy";
import { listStacks, readStackConfig } from "./stackConfig";

const ROOT = path.resolve(__dirname, "..");

/** Where the CLI prints: the console, or a test's collector. */
export interface Out {
  log(line: string): void;
  error(line: string): void;
}

/** The whole command; returns the exit status instead of exiting. */
export async function main(argv: readonly string[], out: Out = console): Promise<number> {
  const stack = argv[0];
  if (!stack || argv.length > 1) {
    out.error(`usage: npm run synth -- <stack>   (stacks: ${listStacks(ROOT).join(", ")})`);
    return 2;
  }
  try {
    return await synth(stack, out);
  } catch (err) {
    out.error(
      err instanceof ConfigError
        ? err.message
        : `synth failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }
}

async function synth(stack: string, out: Out): Promise<number> {
  const started = Date.now();
  const result = await synthesize(readStackConfig(ROOT, stack));
  const outDir = path.join(ROOT, "out", stack);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "resources.json"), JSON.stringify(result.records, null, 2) + "\n");
  fs.writeFileSync(path.join(outDir, "graph.mmd"), mermaidTree(result.records));
  const findings = await runPolicies(result, readPackConfig(stack));
  fs.writeFileSync(path.join(outDir, "policy-report.json"), JSON.stringify(findings, null, 2) + "\n");

  const counts = countsByType(result.records);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  out.log(`stack ${stack}: ${total} resources in ${result.records.length - total} components`);
  for (const [type, count] of counts) out.log(`  ${String(count).padStart(4)}  ${type}`);
  const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory");
  const advisory = findings.filter((f) => f.enforcementLevel === "advisory");
  for (const f of findings) {
    const where = f.urn ? ` (${f.urn.slice(f.urn.lastIndexOf("::") + 2)})` : "";
    out.log(`  ${f.enforcementLevel.padEnd(9)} ${f.policy}${where}: ${f.message}`);
  }
  const verdict = mandatory.length === 0 ? "PASS" : "FAIL";
  out.log(`policy: ${verdict}, ${mandatory.length} mandatory and ${advisory.length} advisory violation(s)`);
  const files = "{resources.json,graph.mmd,policy-report.json}";
  out.log(`wrote ${path.relative(ROOT, outDir)}/${files} in ${Date.now() - started} ms`);
  return mandatory.length === 0 ? 0 : 1;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
