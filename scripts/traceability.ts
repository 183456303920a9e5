/**
 * docs/traceability.md, generated: for every requirement of docs/requirements.md,
 * the code files, test files, policy rules and docs that name its ID, and a
 * status. `npm run docs:traceability` rewrites it; test/traceability.spec.ts
 * keeps it current and checks that every ID the sources name exists.
 *
 * A file names an ID when the ID occurs in it as a whole word (`\bNET-3\b`,
 * not NET-33), or inside a range written `NET-1..6` or `NET-1..NET-6`.
 * Only the catalogue's own prefixes count, so `TLS-1-2` or `HTTP-01` are not
 * requirement IDs.
 *
 * A test file counts for an ID only where a test that asserts names it: the
 * ID is in the title of a jest `test`/`it` (or of a `describe` around it)
 * whose body calls `expect…` or `assert…` (testMentions). An ID in a comment,
 * a fixture or a title of a test that asserts nothing does not make a
 * requirement tested.
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { RULES } from "../policies/rules";

export const ROOT = path.resolve(__dirname, "..");
export const REQUIREMENTS_FILE = path.join(ROOT, "docs/requirements.md");
export const TRACEABILITY_FILE = path.join(ROOT, "docs/traceability.md");

/**
 * Where implementations live: the program, its components, the policy pack and
 * the synth engine, plus the delivery files (.github/, .ci/), the only place the
 * CI requirements can be implemented.
 */
export const CODE_PATHS: readonly string[] = ["infra", "components", "policies", "synth", ".github", ".ci"];
export const TEST_PATHS: readonly string[] = ["test"];
/** Prose that names IDs: shown for information, never counted as implementation. */
export const DOC_PATHS: readonly string[] = ["docs", "README.md", "DEVELOPERS.md"];
/** Also checked for unknown IDs, but not tabulated. */
export const OTHER_PATHS: readonly string[] = [
  "scripts",
  "Pulumi.yaml",
  "Pulumi.prod.yaml",
  "Pulumi.staging.yaml",
  "Pulumi.myhibachi-prod.yaml",
];
/** Never scanned: the catalogue itself, this generator's output, and the files that quote IDs as examples. */
export const EXCLUDED_FILES: readonly string[] = [
  "docs/requirements.md",
  "docs/traceability.md",
  "scripts/traceability.ts",
  "test/traceability.spec.ts",
];
const SKIPPED_DIRS = new Set(["node_modules", "out", ".git", "coverage"]);

/**
 * Requirements deliberately not built, with the reason. Empty unless an ID is
 * clearly out of scope: a gap is a gap and shows as "not implemented".
 */
export const OUT_OF_SCOPE: Readonly<Record<string, string>> = {};

/**
 * Requirements whose implementation is a document (DR-3: "docs/ carry the
 * region rebuild and the DR drill"): the document counts as their code when
 * it names the ID, and a test holds it to the program (test/dr.spec.ts).
 */
export const IMPLEMENTED_BY_DOCS: Readonly<Record<string, string>> = { "DR-3": "docs/dr.md" };

export type Status = "implemented+tested" | "implemented only" | "not implemented" | "out of scope";

export interface Requirement {
  readonly id: string;
  /** The `## ...` heading the requirement is listed under. */
  readonly group: string;
}

/** One file that names an ID: `viaRange` when only a range (`NET-1..6`) names it. */
export interface Mention {
  readonly file: string;
  readonly viaRange: boolean;
}

export interface Row {
  readonly id: string;
  readonly group: string;
  readonly status: Status;
  readonly code: readonly Mention[];
  readonly tests: readonly Mention[];
  readonly rules: readonly string[];
  readonly docs: readonly Mention[];
  readonly reason?: string;
}

/** A plain code-unit comparison: the same order on every machine and locale. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const LISTED = /^(?:-\s+\*\*([A-Z][A-Z0-9]*-\d+)\*\*|#{2,6}\s+([A-Z][A-Z0-9]*-\d+)\b)/;

/**
 * The catalogue: every `- **ID** …` list item (or `### ID …` heading) of
 * docs/requirements.md, in order, with its group. Throws on a duplicate.
 */
export function parseRequirements(markdown: string): Requirement[] {
  const out: Requirement[] = [];
  const seen = new Set<string>();
  let group = "";
  for (const line of markdown.split("\n")) {
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) group = heading[1];
    const m = LISTED.exec(line);
    if (!m) continue;
    const id = m[1] ?? m[2];
    if (seen.has(id)) throw new Error(`docs/requirements.md lists ${id} twice`);
    seen.add(id);
    out.push({ id, group });
  }
  return out;
}

/** The prefixes of a catalogue (APP, NET, K8S, …), in first-seen order. */
export function prefixesOf(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.slice(0, id.lastIndexOf("-"))))];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Every ID a text names, with the prefixes given: single IDs as whole words and
 * ranges `P-a..b` or `P-a..P-b` expanded to P-a, P-a+1, …, P-b. A backwards
 * range (`NET-5..2`) is returned as written, so it fails the catalogue check.
 * Result: ID → whether it was named only through a range.
 */
export function idsIn(text: string, prefixes: readonly string[]): Map<string, boolean> {
  const found = new Map<string, boolean>();
  if (prefixes.length === 0) return found;
  const pattern = new RegExp(
    `\\b(${prefixes.map(escapeRegExp).join("|")})-(\\d+)(?:\\.\\.(\\1-)?(\\d+))?\\b`,
    "g",
  );
  const add = (id: string, viaRange: boolean) => found.set(id, (found.get(id) ?? true) && viaRange);
  for (const m of text.matchAll(pattern)) {
    const [token, prefix, from, repeated, to] = m;
    // The first ID of a range is written out; the last one only as `..P-b`.
    add(`${prefix}-${from}`, false);
    if (to === undefined) continue;
    const [a, b] = [Number(from), Number(to)];
    if (a >= b) {
      if (a > b) add(token, false);
      continue;
    }
    for (let n = a + 1; n <= b; n++) add(`${prefix}-${n}`, n !== b || repeated === undefined);
  }
  return found;
}

/** The IDs a range names: `expandRange("K8S-1..3")` is K8S-1, K8S-2, K8S-3. For tests and readers. */
export function expandRange(token: string): string[] {
  const prefix = /^([A-Z][A-Z0-9]*)-/.exec(token)?.[1];
  return prefix === undefined ? [] : [...idsIn(token, [prefix]).keys()];
}

/** Every file under the given repository paths (files or folders), repository-relative, sorted. */
export function listFiles(paths: readonly string[], root: string = ROOT): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    const stat = fs.statSync(abs);
    if (stat.isFile()) {
      if (!EXCLUDED_FILES.includes(rel)) out.push(rel);
      return;
    }
    if (!stat.isDirectory()) return;
    for (const entry of fs.readdirSync(abs).sort(byCodeUnit)) {
      if (SKIPPED_DIRS.has(entry)) continue;
      walk(path.posix.join(rel, entry));
    }
  };
  for (const p of paths) walk(p);
  return [...new Set(out)].sort(byCodeUnit);
}

/**
 * ID → the files (of those given) that name it, in the text `read` takes from
 * each (the whole file by default; undefined skips the file).
 */
export function mentions(
  files: readonly string[],
  prefixes: readonly string[],
  root: string = ROOT,
  read: (text: string, file: string) => string | undefined = (text) => text,
): Map<string, Mention[]> {
  const out = new Map<string, Mention[]>();
  for (const file of files) {
    const text = read(fs.readFileSync(path.join(root, file), "utf8"), file);
    if (text === undefined) continue;
    for (const [id, viaRange] of idsIn(text, prefixes)) {
      const list = out.get(id) ?? [];
      list.push({ file, viaRange });
      out.set(id, list);
    }
  }
  return out;
}

const TEST_FNS = new Set(["test", "it"]);
const BLOCK_FNS = new Set(["describe"]);

/** `test`, `test.each(…)`, `test.only`, `describe.each(…)`: the jest function a call is, or undefined. */
function jestFunction(call: ts.CallExpression): string | undefined {
  let callee: ts.Expression = call.expression;
  // test.each(table)(title, fn): the callee is itself a call.
  if (ts.isCallExpression(callee)) callee = callee.expression;
  if (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
  return ts.isIdentifier(callee) && (TEST_FNS.has(callee.text) || BLOCK_FNS.has(callee.text))
    ? callee.text
    : undefined;
}

/** The text of a title argument: a string or template literal (substitutions kept as written). */
function titleOf(arg: ts.Expression | undefined, source: ts.SourceFile): string {
  if (arg === undefined) return "";
  if (ts.isStringLiteralLike(arg)) return arg.text;
  if (ts.isTemplateExpression(arg)) return arg.getText(source).slice(1, -1);
  return "";
}

/** Whether a function body calls `expect…`/`assert…` (jest's expect, or a helper that asserts). */
function asserts(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      let callee: ts.Expression = n.expression;
      while (ts.isPropertyAccessExpression(callee) || ts.isCallExpression(callee))
        callee = ts.isPropertyAccessExpression(callee) ? callee.expression : callee.expression;
      if (ts.isIdentifier(callee) && /^(expect|assert)/.test(callee.text)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * The titles (with their describe titles) of the tests in a test file that
 * assert something: what a test file says it checks and does check.
 */
export function assertingTestTitles(text: string, file = "spec.ts"): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const titles: string[] = [];
  const visit = (node: ts.Node, blocks: readonly string[]) => {
    if (ts.isCallExpression(node)) {
      const fn = jestFunction(node);
      if (fn !== undefined) {
        const title = titleOf(node.arguments[0], source);
        const body = node.arguments[node.arguments.length - 1];
        if (BLOCK_FNS.has(fn)) {
          if (body) ts.forEachChild(body, (c) => visit(c, [...blocks, title]));
          return;
        }
        if (body && asserts(body)) titles.push([...blocks, title].join(" "));
        return;
      }
    }
    ts.forEachChild(node, (c) => visit(c, blocks));
  };
  visit(source, []);
  return titles;
}

/** ID → the test files where an asserting test's title (or its describe's) names it. */
export function testMentions(
  files: readonly string[],
  prefixes: readonly string[],
  root: string = ROOT,
): Map<string, Mention[]> {
  return mentions(files, prefixes, root, (text, file) =>
    file.endsWith(".ts") ? assertingTestTitles(text, file).join("\n") : undefined,
  );
}

export interface Sources {
  readonly code: Map<string, Mention[]>;
  readonly tests: Map<string, Mention[]>;
  readonly docs: Map<string, Mention[]>;
  /** Policy rule name → the IDs in its `requirements`. */
  readonly rules: ReadonlyArray<{ readonly name: string; readonly requirements: readonly string[] }>;
}

export function statusOf(id: string, implemented: boolean, tested: boolean): Status {
  if (OUT_OF_SCOPE[id] !== undefined) return "out of scope";
  if (!implemented) return "not implemented";
  return tested ? "implemented+tested" : "implemented only";
}

/** One row per requirement, in catalogue order. */
export function traceability(catalogue: readonly Requirement[], sources: Sources): Row[] {
  return catalogue.map(({ id, group }) => {
    const code = sources.code.get(id) ?? [];
    const tests = sources.tests.get(id) ?? [];
    const docs = sources.docs.get(id) ?? [];
    const rules = sources.rules
      .filter((r) => r.requirements.includes(id))
      .map((r) => r.name)
      .sort(byCodeUnit);
    const byDoc = IMPLEMENTED_BY_DOCS[id];
    const documented = byDoc !== undefined && docs.some((d) => d.file === byDoc);
    const status = statusOf(id, code.length > 0 || rules.length > 0 || documented, tests.length > 0);
    const reason = OUT_OF_SCOPE[id];
    return { id, group, status, code, tests, rules, docs, ...(reason !== undefined ? { reason } : {}) };
  });
}

/** A Markdown table laid out the way prettier lays it out (cells padded, left-aligned). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

const STATUSES: readonly Status[] = [
  "implemented+tested",
  "implemented only",
  "not implemented",
  "out of scope",
];

const fileList = (ms: readonly Mention[]) =>
  ms.length === 0 ? "none" : ms.map((m) => `\`${m.file}\`${m.viaRange ? " (range)" : ""}`).join(", ");

const idList = (rows: readonly Row[]) => (rows.length === 0 ? "none" : rows.map((r) => r.id).join(", "));

export function renderTraceability(rows: readonly Row[]): string {
  const count = (s: Status) => rows.filter((r) => r.status === s).length;
  const testedByRangeOnly = rows.filter((r) => r.tests.length > 0 && r.tests.every((m) => m.viaRange));
  const lines = [
    "# Requirements traceability",
    "",
    "<!-- Generated by `npm run docs:traceability` (scripts/traceability.ts); do not edit. -->",
    "",
    `Every requirement of [requirements.md](requirements.md) and the files that name its ID. Code: ${CODE_PATHS.map((p) => `\`${p}/\``).join(", ")}; tests: \`test/\`; policy rules: the pack's rules listing the ID in \`requirements\`; docs (for information): \`docs/\`, \`README.md\`, \`DEVELOPERS.md\`.`,
    "A file names an ID as a whole word (`NET-3`, not `NET-33`) or through a range (`K8S-1..10`); `(range)` marks a file that names the ID only through a range. A test file names an ID only in the title of a test that asserts (calls `expect…` or `assert…`), or of a `describe` around one: not in comments, fixtures or tests that check nothing.",
    "Status: implemented+tested = named by code or a policy rule (or, for a requirement on the docs such as DR-3, by its document), and by an asserting test; implemented only = no asserting test names it; not implemented = neither code nor a policy rule names it.",
    "",
    `${rows.length} requirements: ${STATUSES.map((s) => `${count(s)} ${s}`).join(", ")}.`,
    "",
    `- not implemented: ${idList(rows.filter((r) => r.status === "not implemented"))}`,
    `- of those, named by tests (a test but no code or rule names the ID): ${idList(
      rows.filter((r) => r.status === "not implemented" && r.tests.length > 0),
    )}`,
    `- implemented only (no test names it): ${idList(rows.filter((r) => r.status === "implemented only"))}`,
    `- named by tests only through ranges: ${idList(testedByRangeOnly)}`,
    `- out of scope: ${
      rows.some((r) => r.status === "out of scope")
        ? rows
            .filter((r) => r.status === "out of scope")
            .map((r) => `${r.id} (${r.reason})`)
            .join(", ")
        : "none"
    }`,
    "",
    "## Summary",
    "",
    ...markdownTable(
      ["ID", "status", "code files", "test files", "policy rules", "docs"],
      rows.map((r) => [
        r.id,
        r.status,
        String(r.code.length),
        String(r.tests.length),
        String(r.rules.length),
        String(r.docs.length),
      ]),
    ),
  ];
  let group: string | undefined;
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      lines.push("", `## ${group}`, "");
    }
    lines.push(
      `- **${r.id}**: ${r.status}${r.reason !== undefined ? ` (${r.reason})` : ""}`,
      `  - code (${r.code.length}): ${fileList(r.code)}`,
      `  - tests (${r.tests.length}): ${fileList(r.tests)}`,
      `  - policy rules (${r.rules.length}): ${r.rules.length === 0 ? "none" : r.rules.map((n) => `\`${n}\``).join(", ")}`,
      `  - docs (${r.docs.length}): ${fileList(r.docs)}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** The catalogue as it is on disk. */
export function readCatalogue(): Requirement[] {
  return parseRequirements(fs.readFileSync(REQUIREMENTS_FILE, "utf8"));
}

/** Everything the table is built from, read from the working tree. */
export function readSources(prefixes: readonly string[]): Sources {
  return {
    code: mentions(listFiles(CODE_PATHS), prefixes),
    tests: testMentions(listFiles(TEST_PATHS), prefixes),
    docs: mentions(listFiles(DOC_PATHS), prefixes),
    rules: RULES.map((r) => ({ name: r.name, requirements: r.requirements })),
  };
}

/** docs/traceability.md as the sources make it now. */
export function generateTraceability(): string {
  const catalogue = readCatalogue();
  return renderTraceability(traceability(catalogue, readSources(prefixesOf(catalogue.map((r) => r.id)))));
}

/**
 * IDs with a catalogue prefix that the catalogue does not list (typos such as
 * NET-33, ranges running past the end), in every scanned file and in the
 * policy rules' `requirements`: ID → where.
 */
export function unknownIds(catalogue: readonly Requirement[]): Map<string, string[]> {
  const known = new Set(catalogue.map((r) => r.id));
  const prefixes = prefixesOf([...known]);
  const files = listFiles([...CODE_PATHS, ...TEST_PATHS, ...DOC_PATHS, ...OTHER_PATHS]);
  const out = new Map<string, string[]>();
  for (const [id, ms] of mentions(files, prefixes)) {
    if (!known.has(id))
      out.set(
        id,
        ms.map((m) => m.file),
      );
  }
  for (const rule of RULES) {
    for (const id of rule.requirements) {
      if (known.has(id)) continue;
      out.set(id, [...(out.get(id) ?? []), `rule ${rule.name}`]);
    }
  }
  return out;
}

if (require.main === module) {
  fs.writeFileSync(TRACEABILITY_FILE, generateTraceability());
  console.log(`wrote ${path.relative(process.cwd(), TRACEABILITY_FILE)}`);
}
