/**
 * `graph.mmd`: the component tree as a Mermaid flowchart. Components are nodes;
 * a component's custom resources are folded into one node per type with a
 * count, so a 3-AZ network stays readable.
 */
import type { ResourceRecord } from "./engine";

/** The URN of an explicit provider reference `<urn>::<id>` (a record's `provider`). */
export function providerUrn(reference: string): string {
  const cut = reference.lastIndexOf("::");
  return cut < 0 ? reference : reference.slice(0, cut);
}

function label(text: string): string {
  return text.replace(/"/g, "#quot;");
}

export function mermaidTree(records: readonly ResourceRecord[]): string {
  const components = records.filter((r) => !r.custom);
  const ids = new Map(components.map((r, i) => [r.urn, `c${i}`]));
  const lines = ["flowchart LR"];
  for (const c of components) {
    lines.push(`  ${ids.get(c.urn)}["${label(c.name)}<br/><i>${label(c.type)}</i>"]`);
  }
  for (const c of components) {
    if (c.parent && ids.has(c.parent)) lines.push(`  ${ids.get(c.parent)} --> ${ids.get(c.urn)}`);
  }
  let n = 0;
  for (const c of components) {
    const counts = new Map<string, number>();
    for (const r of records) {
      if (r.custom && r.parent === c.urn) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    for (const [type, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      const id = `r${n++}`;
      lines.push(`  ${id}(["${label(type)} x${count}"])`);
      lines.push(`  ${ids.get(c.urn)} --> ${id}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** Resource counts by type, custom resources only, most frequent first. */
export function countsByType(records: readonly ResourceRecord[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of records) if (r.custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
