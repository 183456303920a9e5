/** ECS-1, DR-1: ECR repository names, lifecycle rules and image references, as data. */

/**
 * ECS-1, DR-1: a stack's repositories live under one namespace,
 * `<app>-<env>/<service>`, so one registry replication rule (a prefix filter)
 * and one DR-region repository creation template (a namespace prefix) cover
 * exactly this stack's repositories and nobody else's.
 */
export function repositoryName(namespace: string, service: string): string {
  const name = `${namespace}/${service}`;
  // ECR: 2-256 characters, lower case, path segments of [a-z0-9] joined by . _ - (ECR API CreateRepository).
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(name) || name.length > 256) {
    throw new Error(
      `${name}: an ECR repository name is lower-case letters and digits, segments joined by . _ - and /`,
    );
  }
  return name;
}

export interface ImageRetention {
  /** Images (tagged or not) kept per repository; older ones expire. */
  readonly keepImages: number;
  /** Untagged images (superseded pushes, build layers) expire this many days after push. */
  readonly untaggedExpireDays: number;
}

/**
 * ECS-1: the repository's lifecycle policy: untagged images go after a few
 * days, and of the rest the newest `keepImages` stay. The count rule must
 * come last (`tagStatus: any` takes the lowest priority, ECR User Guide,
 * "Lifecycle policy evaluation rules"). Keep enough images to roll back to:
 * a running task definition pins one by digest, and a scale-out needs it.
 */
export function ecrLifecyclePolicy(r: ImageRetention): string {
  if (!(Number.isInteger(r.keepImages) && r.keepImages >= 1))
    throw new Error(`keepImages ${r.keepImages}: keep at least 1 image`);
  if (!(Number.isInteger(r.untaggedExpireDays) && r.untaggedExpireDays >= 1))
    throw new Error(`untaggedExpireDays ${r.untaggedExpireDays}: at least 1 day`);
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `ECS-1: untagged images expire ${r.untaggedExpireDays} days after push`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: r.untaggedExpireDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `ECS-1: keep the newest ${r.keepImages} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: r.keepImages },
        action: { type: "expire" },
      },
    ],
  });
}

/**
 * ECS-1: why an image reference is not pinned (undefined when it is): a digest
 * (`@sha256:` and 64 hex digits), or a tag that is not `latest`. A reference
 * without a tag means `latest`.
 */
export function imagePinProblem(uri: string): string | undefined {
  const at = uri.indexOf("@");
  if (at >= 0) {
    return /^sha256:[0-9a-f]{64}$/.test(uri.slice(at + 1))
      ? undefined
      : `${uri}: a digest is sha256: and 64 hex digits`;
  }
  const lastSegment = uri.slice(uri.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return `${uri}: no tag means latest; pin a version tag or a digest`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === "latest") return `${uri}: latest is not a version; pin a version tag or a digest`;
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) ? undefined : `${uri}: ${tag} is not a valid tag`;
}

/**
 * ECS-8: the ARN of the ECR repository an image URI lives in, or undefined
 * for an image outside ECR. A service given an existing ECR image (its own
 * repository's, or its DR replica's) may pull from exactly that repository.
 */
export function ecrRepositoryArn(uri: string): string | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/.exec(uri);
  if (!m) return undefined;
  const [, account, region, china, name] = m;
  const partition = china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:ecr:${region}:${account}:repository/${name}`;
}
