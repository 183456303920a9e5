/**
 * Which resources an AWS Backup selection and a restore testing selection
 * pick (BAK-1, BAK-3, BAK-5), as AWS evaluates them.
 */
import { Props, asArray, asObject, globMatches } from "./props";

export const BACKUP_PLAN = "aws:backup/plan:Plan";
export const BACKUP_SELECTION = "aws:backup/selection:Selection";
export const RESTORE_TESTING_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
export const RESTORE_TESTING_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";

const RESOURCE_TAG = "aws:ResourceTag/";

/** The tag a condition key `aws:ResourceTag/<k>` names; undefined for any other key (AWS accepts no other). */
function tagKey(key: unknown): string | undefined {
  return typeof key === "string" && key.startsWith(RESOURCE_TAG) ? key.slice(RESOURCE_TAG.length) : undefined;
}

type Test = (tag: string | undefined, value: string) => boolean;
const TESTS: Readonly<Record<string, Test>> = {
  stringEquals: (tag, value) => tag === value,
  stringNotEquals: (tag, value) => tag !== value,
  stringLikes: (tag, value) => tag !== undefined && globMatches(value, tag),
  stringNotLikes: (tag, value) => tag === undefined || !globMatches(value, tag),
};

/**
 * Whether every condition of a block ({stringEquals: [{key, value}], …}) holds
 * for a resource with `tags`. Conditions are ANDed; a key other than
 * `aws:ResourceTag/<k>` never holds.
 */
function conditionsHold(
  block: Props,
  tags: Readonly<Record<string, string>>,
  ops: readonly string[],
): boolean {
  return ops.every((op) =>
    asArray(block[op])
      .map(asObject)
      .every((c) => {
        const key = tagKey(c.key);
        return key !== undefined && typeof c.value === "string" && TESTS[op](tags[key], c.value);
      }),
  );
}

/** An ARN pattern list matches: `*` or a pattern equal to (or wildcard-matching) the ARN. */
function arnListMatches(patterns: unknown, arn: string | undefined): boolean {
  return asArray(patterns).some(
    (p) => typeof p === "string" && (p === "*" || (arn !== undefined && globMatches(p, arn))),
  );
}

/**
 * AWS Backup's reading of a selection (aws:backup/selection:Selection): the
 * resource is in `resources` (ARN, pattern or "*") OR carries one of
 * `selectionTags` (STRINGEQUALS key = value; ORed), AND meets every
 * `conditions` entry (ANDed), AND is not in `notResources`.
 */
export function backupSelectionSelects(
  selection: Props,
  arn: string | undefined,
  tags: Readonly<Record<string, string>>,
): boolean {
  const byTag = asArray(selection.selectionTags)
    .map(asObject)
    .some(
      (t) =>
        String(t.type).toUpperCase() === "STRINGEQUALS" &&
        typeof t.key === "string" &&
        typeof t.value === "string" &&
        tags[t.key] === t.value,
    );
  const picked = byTag || arnListMatches(selection.resources, arn);
  const ops = ["stringEquals", "stringNotEquals", "stringLikes", "stringNotLikes"];
  const conditions = asArray(selection.conditions)
    .map(asObject)
    .every((block) => conditionsHold(block, tags, ops));
  return picked && conditions && !arnListMatches(selection.notResources, arn);
}

/**
 * AWS Backup restore testing's reading of a selection
 * (aws:backup/restoreTestingSelection:RestoreTestingSelection): the resource
 * type is `protectedResourceType`, its ARN is in `protectedResourceArns` ("*"
 * or the ARN; none given means all of the type), and it meets every
 * `protectedResourceConditions` entry (stringEquals / stringNotEquals on
 * `aws:ResourceTag/<k>`).
 */
export function restoreSelectionSelects(
  selection: Props,
  resourceType: string,
  arn: string | undefined,
  tags: Readonly<Record<string, string>>,
): boolean {
  if (selection.protectedResourceType !== resourceType) return false;
  const arns = asArray(selection.protectedResourceArns);
  if (arns.length > 0 && !arnListMatches(arns, arn)) return false;
  return asArray(selection.protectedResourceConditions)
    .map(asObject)
    .every((block) => conditionsHold(block, tags, ["stringEquals", "stringNotEquals"]));
}
