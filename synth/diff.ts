/**
 * CI-1: what a change does to the recorded stack, for the pull request. The
 * pure comparison of two `resources.json` record sets (docs/synth.md, "diff")
 * and its Markdown rendering; `synth/diffCli.ts` reads and writes the files.
 *
 * Secrets stay masked: the records carry `"[secret]"` in place of any secret
 * value, and this module only ever prints what the records carry. Two masked
 * values compare equal, so a change from one secret to another cannot be seen.
 *
 * No Pulumi SDK here (only a type import): the diff runs in a bare node.
 */
import type { ResourceRecord } from "./engine";

/** Version of the `diff.json` shape (docs/synth.md). */
export const DIFF_VERSION = 1;

/** What the engine writes in place of a secret (`SECRET_MARK` in synth/engine.ts, kept free of the SDK here). */
export const MASKED = "[secret]";

/** The record fields compared, in the contract's order; `urn`, `type` and `name` identify the resource. */
export const COMPARED_FIELDS = [
  "id",
  "parent",
  "custom",
  "provider",
  "protect",
  "dependencies",
  "inputs",
  "ignoreChanges",
  "deleteBeforeReplace",
  "retainOnDelete",
] as const;

/** Fields holding sets (sorted lists without duplicates): compared by membership, not by index. */
const SET_FIELDS: ReadonlySet<string> = new Set(["dependencies", "ignoreChanges"]);

/** One difference at one path of a resource present on both sides. */
export interface PathChange {
  /** `inputs.tags.Name`, `inputs.ingress[2].port`, `protect`, `dependencies`, … */
  readonly path: string;
  /** `added`: only the new side has the path (or, for a set field, the member); `removed`: only the old side; `changed`: both, different. */
  readonly change: "added" | "removed" | "changed";
  /** The old value as recorded (absent for `added`); `"[secret]"` where it was masked. */
  readonly old?: unknown;
  /** The new value as recorded (absent for `removed`); `"[secret]"` where it is masked. */
  readonly new?: unknown;
  /** Either side is masked: the change is visible only as a value turning secret or plain. */
  readonly secret: boolean;
}

/** A resource present on one side only. */
export interface ResourceRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
}

export interface ChangedResource extends ResourceRef {
  readonly changes: readonly PathChange[];
}

/** The `diff.json` shape (docs/synth.md). */
export interface StackDiff {
  readonly version: typeof DIFF_VERSION;
  readonly counts: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly unchanged: number;
    /** Number of path changes over all changed resources. */
    readonly paths: number;
  };
  readonly added: readonly ResourceRef[];
  readonly removed: readonly ResourceRef[];
  readonly changed: readonly ChangedResource[];
}

/** The fields of a record the diff reads: a `resources.json` entry. */
export type DiffRecord = Pick<ResourceRecord, "urn" | "type" | "name" | (typeof COMPARED_FIELDS)[number]>;

/** Code-point order: the same everywhere, unlike `localeCompare`. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `a.b` for identifier keys, `a["kubernetes.io/role"]` otherwise. */
export function childPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isMasked = (v: unknown) => v === MASKED;

function change(path: string, kind: PathChange["change"], old: unknown, now: unknown): PathChange {
  const secret = (kind !== "added" && isMasked(old)) || (kind !== "removed" && isMasked(now));
  return {
    path,
    change: kind,
    ...(kind === "added" ? {} : { old }),
    ...(kind === "removed" ? {} : { new: now }),
    secret,
  };
}

/** Differences between two JSON values: objects key by key (sorted), arrays index by index. */
function compareValues(path: string, old: unknown, now: unknown, out: PathChange[]): void {
  if (isObject(old) && isObject(now)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort(byCodePoint);
    for (const key of keys) {
      const p = childPath(path, key);
      if (!(key in now)) out.push(change(p, "removed", old[key], undefined));
      else if (!(key in old)) out.push(change(p, "added", undefined, now[key]));
      else compareValues(p, old[key], now[key], out);
    }
    return;
  }
  if (Array.isArray(old) && Array.isArray(now)) {
    for (let i = 0; i < Math.max(old.length, now.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= now.length) out.push(change(p, "removed", old[i], undefined));
      else if (i >= old.length) out.push(change(p, "added", undefined, now[i]));
      else compareValues(p, old[i], now[i], out);
    }
    return;
  }
  // Scalars, or a change of kind (object to array, value to "[secret]", ...): the whole value.
  if (old !== now) out.push(change(path, "changed", old, now));
}

function compareSets(path: string, old: unknown, now: unknown, out: PathChange[]): void {
  if (!Array.isArray(old) || !Array.isArray(now)) return compareValues(path, old, now, out);
  const before = new Set(old.map((v) => JSON.stringify(v)));
  const after = new Set(now.map((v) => JSON.stringify(v)));
  for (const v of old) if (!after.has(JSON.stringify(v))) out.push(change(path, "removed", v, undefined));
  for (const v of now) if (!before.has(JSON.stringify(v))) out.push(change(path, "added", undefined, v));
}

/** The path changes between two records of the same URN, fields in the contract's order. */
export function diffRecord(old: DiffRecord, now: DiffRecord): PathChange[] {
  const out: PathChange[] = [];
  for (const field of COMPARED_FIELDS) {
    if (SET_FIELDS.has(field)) compareSets(field, old[field], now[field], out);
    else compareValues(field, old[field], now[field], out);
  }
  return out;
}

const ref = (r: DiffRecord): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name, custom: r.custom });

function byUrn(records: readonly DiffRecord[], side: string): Map<string, DiffRecord> {
  const map = new Map<string, DiffRecord>();
  for (const r of records) {
    if (map.has(r.urn)) throw new Error(`${side} records list ${r.urn} twice`);
    map.set(r.urn, r);
  }
  return map;
}

/** Added, removed and changed resources by URN, each list sorted by URN (code points). */
export function diffRecords(base: readonly DiffRecord[], current: readonly DiffRecord[]): StackDiff {
  const before = byUrn(base, "base");
  const after = byUrn(current, "current");
  const urns = [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint);
  const added: ResourceRef[] = [];
  const removed: ResourceRef[] = [];
  const changed: ChangedResource[] = [];
  let unchanged = 0;
  for (const urn of urns) {
    const old = before.get(urn);
    const now = after.get(urn);
    if (!old) added.push(ref(now!));
    else if (!now) removed.push(ref(old));
    else {
      const changes = diffRecord(old, now);
      if (changes.length === 0) unchanged++;
      else changed.push({ ...ref(now), changes });
    }
  }
  const paths = changed.reduce((n, c) => n + c.changes.length, 0);
  return {
    version: DIFF_VERSION,
    counts: { added: added.length, removed: removed.length, changed: changed.length, unchanged, paths },
    added,
    removed,
    changed,
  };
}

/** A value as one line: JSON, `[secret]` bare for a masked value, `(none)` for an absent one, cut at `max` characters. */
export function formatValue(value: unknown, max = Infinity, present = true): string {
  if (!present) return "(none)";
  if (isMasked(value)) return MASKED;
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** `inputs.tags.Name: "a" -> "b"`, `dependencies: + urn:…`: one line of the console summary. */
export function describeChange(c: PathChange, max = 200): string {
  if (c.change === "added") return `${c.path}: + ${formatValue(c.new, max)}`;
  if (c.change === "removed") return `${c.path}: - ${formatValue(c.old, max)}`;
  return `${c.path}: ${formatValue(c.old, max)} -> ${formatValue(c.new, max)}`;
}

/** The console summary: one line per resource (`+`, `-`, `~` and its URN), path lines under changed ones. */
export function diffLines(diff: StackDiff): string[] {
  const lines: string[] = [];
  for (const r of diff.added) lines.push(`+ ${r.urn}`);
  for (const r of diff.removed) lines.push(`- ${r.urn}`);
  for (const r of diff.changed) {
    lines.push(`~ ${r.urn}`);
    for (const c of r.changes) lines.push(`    ${describeChange(c)}${c.secret ? "  (secret)" : ""}`);
  }
  return lines;
}

/** Limits of the Markdown summary: GitHub refuses comments over 65,536 characters. */
export interface MarkdownLimits {
  /** Rows per table before it is cut (the rest is counted and left to diff.json). */
  readonly rows: number;
  /** Characters per value cell. */
  readonly value: number;
  /** Characters per other cell (name, type, path). */
  readonly text: number;
}

/** Tables of at most 50 rows of at most ~450 characters (changed) or ~210 (added, removed): about 45,000 characters at worst. */
export const DEFAULT_MARKDOWN_LIMITS: MarkdownLimits = { rows: 50, value: 60, text: 100 };

/** A table cell: code span without pipes or line breaks, cut at `max` characters. */
function cell(text: string, max = Infinity): string {
  const cut = text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
  const flat = cut.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  return flat.includes("`") ? flat : `\`${flat}\``;
}

function table(header: string[], rows: string[][], limit: number, kind: string): string[] {
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
  for (const row of rows.slice(0, limit)) lines.push(`| ${row.join(" | ")} |`);
  if (rows.length > limit) {
    lines.push("", `… and ${rows.length - limit} more ${kind} (see \`diff.json\`).`);
  }
  return lines;
}

/**
 * The pull-request comment: counts, then one table per kind (added, removed,
 * changed paths), each cut at `limits.rows` rows, values cut at `limits.value`
 * characters and other cells at `limits.text`, masked values shown as `[secret]`.
 */
export function diffMarkdown(
  diff: StackDiff,
  stack: string,
  base: string,
  limits: MarkdownLimits = DEFAULT_MARKDOWN_LIMITS,
): string {
  const { added, removed, changed, unchanged, paths } = diff.counts;
  const lines = [
    `### synth diff: \`${stack}\``,
    "",
    `**${added} added, ${removed} removed, ${changed} changed** (${paths} path(s)); ${unchanged} unchanged. Base: \`${base}\`.`,
  ];
  if (added + removed + changed === 0) {
    lines.push("", "No resource differs.");
    return lines.join("\n") + "\n";
  }
  const resourceRows = (refs: readonly ResourceRef[]) =>
    refs.map((r) => [cell(r.type, limits.text), cell(r.name, limits.text)]);
  if (added > 0) {
    lines.push("", `#### Added (${added})`, "");
    lines.push(...table(["type", "name"], resourceRows(diff.added), limits.rows, "added resources"));
  }
  if (removed > 0) {
    lines.push("", `#### Removed (${removed})`, "");
    lines.push(...table(["type", "name"], resourceRows(diff.removed), limits.rows, "removed resources"));
  }
  if (changed > 0) {
    const rows = diff.changed.flatMap((r) =>
      r.changes.map((c) => [
        cell(r.name, limits.text),
        cell(r.type, limits.text),
        cell(c.path, limits.text),
        cell(formatValue(c.old, limits.value, c.change !== "added")),
        cell(formatValue(c.new, limits.value, c.change !== "removed")),
      ]),
    );
    lines.push("", `#### Changed (${changed} resource(s), ${paths} path(s))`, "");
    lines.push(...table(["resource", "type", "path", "old", "new"], rows, limits.rows, "changed paths"));
  }
  return lines.join("\n") + "\n";
}
