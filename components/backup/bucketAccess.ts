import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * BAK-2, NET-4: what every bucket of the platform gets, whatever it holds:
 * all four public-access blocks on, and ACLs disabled (the bucket owner owns
 * every object). Returns the public-access block, for a bucket policy that
 * must wait for it.
 */
export function blockPublicAccess(
  name: string,
  bucket: aws.s3.Bucket,
  region: string | undefined,
  opts: pulumi.CustomResourceOptions,
): aws.s3.BucketPublicAccessBlock {
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    name,
    {
      region,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    name,
    { region, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  return publicAccess;
}
