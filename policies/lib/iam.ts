/**
 * Reading IAM policy documents as AWS evaluates them, far enough to tell
 * whether a role may call one action on one resource under a known request
 * context (BAK-2, DR-1: S3 replication's KMS calls).
 */
import { Props, asArray, asObject, globMatches, parseJson } from "./props";

/** A policy document's statements (a JSON string or an object; one statement or a list). */
export function statementsOf(document: unknown): Props[] {
  return asArray(asObject(parseJson(document)).Statement).map(asObject);
}

/** `Action` names the action (wildcards, any case), or `NotAction` leaves it out. */
export function grantsAction(statement: Props, action: string): boolean {
  const matches = (v: unknown) =>
    asArray(v).some((p) => typeof p === "string" && globMatches(p, action, true));
  if (statement.Action !== undefined) return matches(statement.Action);
  if (statement.NotAction !== undefined) return !matches(statement.NotAction);
  return false;
}

/** `Resource` names the ARN (wildcards, "*"), or `NotResource` leaves it out. */
export function coversResource(statement: Props, arn: string): boolean {
  const matches = (v: unknown) => asArray(v).some((p) => typeof p === "string" && globMatches(p, arn));
  if (statement.Resource !== undefined) return matches(statement.Resource);
  if (statement.NotResource !== undefined) return !matches(statement.NotResource);
  return false;
}

/** Values of condition keys in the request, keyed by the key in lower case (IAM keys are case-insensitive). */
export type RequestContext = Readonly<Record<string, string>>;

type Compare = (pattern: string, value: string) => boolean;
const COMPARE: Readonly<Record<string, { readonly test: Compare; readonly negated: boolean }>> = {
  stringequals: { test: (p, v) => p === v, negated: false },
  stringnotequals: { test: (p, v) => p === v, negated: true },
  stringequalsignorecase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
  stringnotequalsignorecase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: true },
  stringlike: { test: (p, v) => globMatches(p, v), negated: false },
  stringnotlike: { test: (p, v) => globMatches(p, v), negated: true },
  arnequals: { test: (p, v) => globMatches(p, v), negated: false },
  arnlike: { test: (p, v) => globMatches(p, v), negated: false },
  arnnotequals: { test: (p, v) => globMatches(p, v), negated: true },
  arnnotlike: { test: (p, v) => globMatches(p, v), negated: true },
};

/** One condition of a statement that the request would fail. */
export interface FailedCondition {
  /** The condition as written, e.g. `StringLike kms:EncryptionContext:aws:s3:arn "arn:aws:s3:::b/*"`. */
  readonly text: string;
  /** The condition key, lower case. */
  readonly key: string;
}

/**
 * The conditions of `statement` that a request with `context` fails. Keys the
 * context does not hold are taken to pass (the rule cannot know them); a
 * `ForAnyValue:`/`ForAllValues:` qualifier on a single-valued key and an
 * `…IfExists` suffix on a key present change nothing; an operator this reader
 * does not know fails on a key the context holds.
 */
export function failedConditions(statement: Props, context: RequestContext): FailedCondition[] {
  const failed: FailedCondition[] = [];
  for (const [operator, block] of Object.entries(asObject(statement.Condition))) {
    const base = operator
      .replace(/^(ForAnyValue|ForAllValues):/i, "")
      .replace(/IfExists$/i, "")
      .toLowerCase();
    for (const [key, raw] of Object.entries(asObject(block))) {
      const value = context[key.toLowerCase()];
      if (value === undefined) continue;
      const patterns = asArray(raw).map(String);
      const compare = COMPARE[base];
      const holds =
        compare !== undefined &&
        (compare.negated
          ? !patterns.some((p) => compare.test(p, value))
          : patterns.some((p) => compare.test(p, value)));
      if (!holds) {
        const shown = patterns.map((p) => JSON.stringify(p)).join(", ");
        failed.push({ text: `${operator} ${key} ${shown}`, key: key.toLowerCase() });
      }
    }
  }
  return failed;
}

/** Whether a statement is an Allow (IAM's default is no grant, so only an explicit Allow counts). */
export const isAllow = (statement: Props) => statement.Effect === "Allow";
export const isDeny = (statement: Props) => statement.Effect === "Deny";
