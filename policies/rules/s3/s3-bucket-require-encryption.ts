import type { PolicyResource } from "@pulumi/policy";
import { LOAD_BALANCER_TYPES, isApplicationLb } from "../../lib/lb";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { BUCKET_TYPES, bucketsLacking, s3Types } from "../../lib/s3";
import { stackRule } from "../../rule";

const SSE = s3Types("BucketServerSideEncryptionConfiguration");

/** The default-encryption settings of an SSE configuration resource's rules. */
const defaults = (s: PolicyResource) =>
  asArray(s.props.rules).map((r) => asObject(asObject(r).applyServerSideEncryptionByDefault));

/**
 * The buckets an Application Load Balancer writes its access logs to: its
 * `accessLogs` input depends on the bucket, or names it (`accessLogs.bucket`
 * is the bucket's name).
 */
function albLogBuckets(resources: readonly PolicyResource[]): Set<string> {
  const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
  const urns = new Set<string>();
  for (const lb of resources.filter(
    (r) => LOAD_BALANCER_TYPES.includes(r.type) && isApplicationLb(r.props),
  )) {
    const deps = new Set(asArray(lb.propertyDependencies.accessLogs).map((d) => asObject(d).urn));
    const named = asObject(lb.props.accessLogs).bucket;
    for (const b of buckets)
      if (deps.has(b.urn) || (isNonEmptyString(named) && (named === b.props.bucket || named === b.props.id)))
        urns.add(b.urn);
  }
  return urns;
}

/**
 * BAK-2: every bucket encrypts by default with SSE-KMS under a customer-managed
 * key (dual-layer SSE-KMS counts), with one narrow exception: a bucket an
 * Application Load Balancer writes its access logs to (linked by its
 * `accessLogs` input, see albLogBuckets) must use SSE-S3 (AES256) instead —
 * "The only server-side encryption option that's supported is Amazon
 * S3-managed keys (SSE-S3)" (Elastic Load Balancing User Guide, "Enable access
 * logs for your Application Load Balancer", bucket requirements). Such a bucket
 * with SSE-KMS is reported too, as the load balancer could not deliver to it.
 * Network load balancers' log buckets get no exception.
 */
export default stackRule({
  name: "s3-bucket-require-encryption",
  description:
    "Every bucket encrypts objects by default with SSE-KMS under a customer-managed key, except that an ALB access-log bucket uses SSE-S3, the only encryption ALB log delivery supports.",
  requirements: ["BAK-2", "ECS-5"],
  severity: "critical",
  check: (resources) => {
    const logBuckets = albLogBuckets(resources);
    const isLogBucket = (r: PolicyResource) => logBuckets.has(r.urn);
    const isOtherBucket = (r: PolicyResource) => BUCKET_TYPES.includes(r.type) && !isLogBucket(r);
    return [
      ...bucketsLacking(
        resources.filter((r) => !isLogBucket(r)),
        SSE,
        (s) =>
          defaults(s).some(
            (d) => String(d.sseAlgorithm).startsWith("aws:kms") && isNonEmptyString(d.kmsMasterKeyId),
          ),
        "default SSE-KMS encryption with a customer-managed key",
      ),
      ...bucketsLacking(
        resources.filter((r) => !isOtherBucket(r)),
        SSE,
        (s) => defaults(s).some((d) => d.sseAlgorithm === "AES256"),
        "default SSE-S3 (AES256) encryption, though an ALB writes its access logs to it and supports no other",
      ),
    ];
  },
});
