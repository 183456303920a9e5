/** S3 settings live in resources of their own that name the bucket; these find them. */
import type { PolicyResource } from "@pulumi/policy";
import { referencing } from "./props";
import { StackViolation } from "../rule";

export const BUCKET = "aws:s3/bucket:Bucket";
/** A bucket of either token: v7 still ships the deprecated `aws.s3.BucketV2`, a bucket all the same. */
export const BUCKET_TYPES = [BUCKET, "aws:s3/bucketV2:BucketV2"];

/** v7 keeps the deprecated `…V2` twins of the bucket settings resources; either counts. */
export function s3Types(name: string): string[] {
  const lower = name[0].toLowerCase() + name.slice(1);
  return [`aws:s3/${lower}:${name}`, `aws:s3/${lower}V2:${name}V2`];
}

/**
 * A violation for every bucket none of whose `types` resources satisfies `ok`.
 * `what` completes "bucket <name> has no …".
 */
export function bucketsLacking(
  resources: readonly PolicyResource[],
  types: readonly string[],
  ok: (setting: PolicyResource) => boolean,
  what: string,
): StackViolation[] {
  return resources
    .filter((b) => BUCKET_TYPES.includes(b.type))
    .filter((b) => !referencing(resources, b, "bucket").some((s) => types.includes(s.type) && ok(s)))
    .map((b) => ({ urn: b.urn, message: `bucket ${b.name} has no ${what}` }));
}
