/** Tolerant readers for resource props: a rule must not crash on an absent or odd-shaped value. */

export type Props = Readonly<Record<string, unknown>>;

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

export function asObject(v: unknown): Props {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Props) : {};
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

/** A parameter group's `parameters` list as name -> value (RDS, DocumentDB, ElastiCache). */
export function parameterMap(props: Props): Map<string, string> {
  return new Map(asArray(props.parameters).map((p) => [String(asObject(p).name), String(asObject(p).value)]));
}

/** Parses a JSON document held in a string prop (IAM and bucket policies, container definitions). */
export function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** Resources of a stack that reference `target` through the input named `via`. */
export function referencing<R extends { propertyDependencies: Record<string, R[]>; urn: string }>(
  resources: readonly R[],
  target: { urn: string },
  via: string,
): R[] {
  return resources.filter((r) => (r.propertyDependencies[via] ?? []).some((d) => d.urn === target.urn));
}

/**
 * IAM/AWS-style wildcard match: `*` any run of characters, `?` any one, the
 * rest literal; `ignoreCase` for IAM action names.
 */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split("")
    .map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

/** A resource's tags as its outputs hold them: `tagsAll` (provider default tags included), then `tags`. */
export function tagsOf(props: Props): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...asObject(props.tagsAll), ...asObject(props.tags) }))
    if (typeof v === "string") tags[k] = v;
  return tags;
}

/**
 * The resources among `candidates` that `from`'s input `via` names: by
 * property dependency (the input was another resource's output), or, when the
 * value was given literally (an ARN or name of something the stack declares),
 * by `matches(candidate, value)`.
 */
export function referencedBy<
  R extends { propertyDependencies: Record<string, R[]>; urn: string; props: Props },
>(from: R, via: string, candidates: readonly R[], matches: (candidate: R, given: unknown) => boolean): R[] {
  const deps = new Set(asArray(from.propertyDependencies[via]).map((d) => asObject(d).urn));
  return candidates.filter((c) => deps.has(c.urn) || matches(c, from.props[via]));
}
