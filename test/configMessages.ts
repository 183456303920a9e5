/**
 * The distinct error messages of stack config, found by reading the sources
 * (issue 24: every message is produced by a test). A message is a string or
 * template literal that is
 * - the `message` or `error` of a zod check or issue (resolved through a
 *   constant or local it names, and through both branches of a conditional),
 * - a `*_RULE` or `*_MESSAGE` constant, or
 * - a whole problem line `${key}: …` built outside zod (required keys,
 *   namespaces, secrets in clear): its text after the key.
 * Each becomes a pattern: its literal text, with `[^]*?` for every
 * interpolation that does not resolve to text in the same file, one variant
 * per branch of a conditional it interpolates. zod's own messages ("Invalid
 * option: …") are zod's, not these files'.
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

export interface ConfigMessage {
  /** Where it is written: `infra/config.ts:123`. */
  readonly source: string;
  /** A regular expression source matching the message (without key and `(got …)`). */
  readonly pattern: string;
  /** Characters of fixed text: the more, the more specific. */
  readonly literal: number;
}

const HOLE = "[^]*?";
const MESSAGE_PROPS = new Set(["message", "error"]);
const MESSAGE_CONSTANT = /(_RULE|_MESSAGE)$/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The initializer of the variable `name` in scope at `from` (block by block outward), if any. */
function declared(name: string, from: ts.Node): ts.Expression | undefined {
  for (let n: ts.Node | undefined = from; n; n = n.parent) {
    if (!ts.isBlock(n) && !ts.isSourceFile(n)) continue;
    for (const statement of n.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer;
    }
  }
  return undefined;
}

/** The pattern variants of a text-valued expression, or undefined when it is not text. */
function variants(e: ts.Expression, depth = 0): string[] | undefined {
  if (depth > 8) return undefined;
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return variants(e.expression, depth);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [escape(e.text)];
  if (ts.isTemplateExpression(e)) {
    let acc = [escape(e.head.text)];
    for (const span of e.templateSpans) {
      const inner = (ts.isIdentifier(span.expression) && text(span.expression, depth)) || [HOLE];
      acc = acc.flatMap((a) => inner.map((i) => a + i + escape(span.literal.text)));
    }
    return acc;
  }
  if (ts.isConditionalExpression(e)) {
    // A branch that is no text of this file (a reason from elsewhere) is a hole; `undefined` is no message.
    const branch = (b: ts.Expression) =>
      variants(b, depth + 1) ?? (ts.isIdentifier(b) && b.text === "undefined" ? [] : [HOLE]);
    const both = [...branch(e.whenTrue), ...branch(e.whenFalse)];
    return both.length > 0 ? both : undefined;
  }
  if (ts.isIdentifier(e)) return text(e, depth);
  if (ts.isArrowFunction(e) && !ts.isBlock(e.body)) return variants(e.body, depth + 1);
  return undefined;
}

function text(id: ts.Identifier, depth: number): string[] | undefined {
  const init = declared(id.text, id);
  return init && variants(init, depth + 1);
}

const fixedText = (pattern: string) => pattern.split(HOLE).join("").replace(/\\(.)/g, "$1");

/** Every distinct message of `files` (paths relative to `root`). */
export function configMessages(root: string, files: readonly string[]): ConfigMessage[] {
  const found = new Map<string, ConfigMessage>();
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(path.join(root, file), "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    const add = (node: ts.Node, patterns: readonly string[] | undefined, wholeLine = false) => {
      for (const raw of patterns ?? []) {
        // A whole line: `${key}: message`; the message is what follows the key.
        if (wholeLine && !raw.startsWith(`${HOLE}: `)) continue;
        const pattern = wholeLine ? raw.slice(HOLE.length + 2) : raw;
        // Messages read as words; a pattern that is all interpolation passes another message on.
        if (pattern.startsWith(HOLE) || !/[a-z]{3}/i.test(fixedText(pattern)) || found.has(pattern)) continue;
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.set(pattern, { source: `${file}:${line}`, pattern, literal: fixedText(pattern).length });
      }
    };
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && MESSAGE_PROPS.has(n.name.text))
        add(n, variants(n.initializer));
      else if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        MESSAGE_CONSTANT.test(n.name.text) &&
        n.initializer
      )
        add(n, variants(n.initializer));
      else if (
        ts.isTemplateExpression(n) &&
        n.head.text === "" &&
        n.templateSpans[0].literal.text.startsWith(": ")
      )
        add(n, variants(n), true);
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return [...found.values()];
}

/** `key: message` or `key: message (got value)`: the message part. */
function messageOf(line: string): string {
  const at = line.indexOf(": ");
  return at < 0 ? line : line.slice(at + 2);
}

/**
 * The messages none of `lines` produces. A line counts for the most specific
 * message that matches it whole (the most fixed text), so a message whose
 * interpolation could swallow another's text is not covered by the other's
 * lines.
 */
export function unproduced(messages: readonly ConfigMessage[], lines: readonly string[]): ConfigMessage[] {
  const matchers = messages.map((m) => ({ m, re: new RegExp(`^(?:${m.pattern})(?: \\(got [^]*\\))?$`) }));
  const produced = new Set<ConfigMessage>();
  for (const line of lines) {
    const text = messageOf(line);
    const matching = matchers.filter(({ re }) => re.test(text));
    const best = Math.max(...matching.map(({ m }) => m.literal));
    for (const { m } of matching) if (m.literal === best) produced.add(m);
  }
  return messages.filter((m) => !produced.has(m));
}
