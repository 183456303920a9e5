/**
 * docs/architecture.md, generated from the synth engine's records of every
 * shipped stack: per stack, a Mermaid flowchart of the program's components
 * grouped by domain, with the dependencies between them
 * (scripts/architectureGraph.ts), and a table of classes and resource counts.
 * `npm run docs:architecture` rewrites it; a test keeps it current.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResourceRecord } from "../synth/engine";
import { listStacks, readStackConfig } from "../synth/stackConfig";
import {
  ComponentGraph,
  ComponentNode,
  DOMAINS,
  MAX_DIAGRAM_NODES,
  collapseClasses,
  componentGraph,
} from "./architectureGraph";

export const ROOT = path.resolve(__dirname, "..");
export const ARCHITECTURE_DOC_FILE = path.join(ROOT, "docs/architecture.md");
/** The shipped stacks: every Pulumi.<stack>.yaml, sorted. */
export const ARCHITECTURE_STACKS: readonly string[] = listStacks(ROOT);

/** What the doc needs of one stack: its name and its recorded resources. */
export interface ArchitectureStack {
  readonly stack: string;
  readonly records: readonly ResourceRecord[];
}

const quote = (text: string) => text.replace(/"/g, "#quot;");
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Mermaid ids from names: `c_` + the name with anything but letters, digits and `_` as `_`, unique. */
function nodeIds(nodes: readonly ComponentNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const n of nodes) {
    const base = `c_${(n.components === 1 ? n.name : `${n.className}_all`).replace(/[^A-Za-z0-9_]/g, "_")}`;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    ids.set(n.id, id);
  }
  return ids;
}

function nodeLabel(n: ComponentNode): string {
  const count = plural(n.resources, "resource");
  return n.components === 1
    ? `${quote(n.name)}<br/><i>${quote(n.className)}</i><br/>${count}`
    : `<b>${quote(n.name)}</b><br/>${count}`;
}

/** The Mermaid flowchart of a (possibly collapsed) component graph, one subgraph per domain. */
export function mermaidArchitecture(graph: ComponentGraph): string[] {
  const ids = nodeIds(graph.nodes);
  const lines = ["```mermaid", "flowchart LR"];
  const domains = [...new Set(graph.nodes.map((n) => n.domain))];
  for (const domain of domains) {
    lines.push(`  subgraph d_${domain.replace(/[^A-Za-z0-9_]/g, "_")}["${quote(domain)}"]`);
    for (const n of graph.nodes.filter((m) => m.domain === domain)) {
      lines.push(`    ${ids.get(n.id)}["${nodeLabel(n)}"]`);
    }
    lines.push("  end");
  }
  for (const e of graph.edges) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
  lines.push("```");
  return lines;
}

/** Components and custom resources per class, in domain order, with the total. */
function classTable(graph: ComponentGraph): string[] {
  const rows = new Map<
    string,
    { domain: string; className: string; components: number; resources: number }
  >();
  for (const n of graph.nodes) {
    const key = `${n.domain}:${n.className}`;
    const row = rows.get(key) ?? { domain: n.domain, className: n.className, components: 0, resources: 0 };
    rows.set(key, {
      ...row,
      components: row.components + n.components,
      resources: row.resources + n.resources,
    });
  }
  const rank = (d: string) => (DOMAINS.includes(d) ? DOMAINS.indexOf(d) : DOMAINS.length);
  const sorted = [...rows.values()].sort(
    (a, b) =>
      rank(a.domain) - rank(b.domain) ||
      a.domain.localeCompare(b.domain) ||
      a.className.localeCompare(b.className),
  );
  const components = sorted.reduce((n, r) => n + r.components, 0);
  const resources = sorted.reduce((n, r) => n + r.resources, 0) + graph.outside;
  return [
    "| domain | class | components | custom resources |",
    "|---|---|---|---|",
    ...sorted.map((r) => `| ${r.domain} | ${r.className} | ${r.components} | ${r.resources} |`),
    `| | outside any component (the root stack's children) | | ${graph.outside} |`,
    `| | **total** | **${components}** | **${resources}** |`,
  ];
}

function stackSection({ stack, records }: ArchitectureStack): string[] {
  const full = componentGraph(records);
  const shown = collapseClasses(full, MAX_DIAGRAM_NODES);
  const collapsed = shown.nodes.filter((n) => n.components > 1).map((n) => `\`${n.name}\``);
  const total = full.nodes.reduce((n, c) => n + c.resources, 0) + full.outside;
  return [
    `## ${stack}`,
    "",
    `${plural(full.nodes.length, "component")}, ${plural(total, "custom resource")}. ` +
      `The diagram has ${plural(shown.nodes.length, "node")} and ${plural(shown.edges.length, "edge")}` +
      (collapsed.length > 0 ? `; collapsed: ${collapsed.join(", ")}.` : "."),
    "",
    ...mermaidArchitecture(shown),
    "",
    ...classTable(full),
    "",
  ];
}

/** The whole doc, from each stack's records (the synth engine's, or the test harness's cached ones). */
export function renderArchitecture(stacks: readonly ArchitectureStack[]): string {
  const lines = [
    "# Architecture",
    "",
    "<!-- Generated by `npm run docs:architecture` from each shipped stack's synth records; do not edit. -->",
    "",
    "Generated: do not edit by hand; run `npm run docs:architecture` (a test keeps this file current).",
    "",
    "For each shipped stack, the program's components (the `platform:<domain>:<Class>` ComponentResources)",
    "as the synth engine records them ([synth.md](synth.md)), grouped by domain. An arrow A --> B means that",
    "some resource of A depends on some resource of B (its recorded `dependencies`); arrows are deduplicated,",
    "and those to or from the root stack are left out. A node gives the component's name, class and the",
    "custom resources it owns: a component nested in another (a KmsKey inside a BackupBucket) is a node of",
    "its own and counts its resources itself, so the counts add up to the stack's total.",
    `To keep a diagram readable, a stack with more than ${MAX_DIAGRAM_NODES} components has its most repeated`,
    `class collapsed into one node (\`KmsKey ×N\`), then the next, until at most ${MAX_DIAGRAM_NODES} nodes remain;`,
    "the table below each diagram always counts every component. `out/<stack>/graph.mmd` (`npm run synth`)",
    "shows the containment tree instead, down to resource types.",
    "",
  ];
  for (const s of stacks) lines.push(...stackSection(s));
  return lines.join("\n").replace(/\n+$/, "\n");
}

if (require.main === module) {
  void (async () => {
    const { synthesize } = await import("../synth/engine");
    const stacks: ArchitectureStack[] = [];
    for (const stack of ARCHITECTURE_STACKS) {
      const { records } = await synthesize(readStackConfig(ROOT, stack));
      stacks.push({ stack, records });
    }
    fs.writeFileSync(ARCHITECTURE_DOC_FILE, renderArchitecture(stacks));
    console.log(`wrote ${path.relative(process.cwd(), ARCHITECTURE_DOC_FILE)}`);
  })().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
