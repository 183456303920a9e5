import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { imagePinProblem } from "./ecr";
import { contextTag } from "./imageTag";

/** The CPU architecture images are built for; FargateService's runtime platform must match. */
export const BUILD_PLATFORM = "linux/amd64";

export interface ImageBuildArgs {
  /** ECS-1: the service's repository (`<registry>/<name>`), where built images are pushed. */
  readonly repositoryUrl: pulumi.Input<string>;
  /** The registry (account id) the push logs in to. */
  readonly registryId: pulumi.Input<string>;
  /**
   * Exactly one: an existing image, already pinned by tag or digest (no build),
   * or a Docker context and Dockerfile to build and push.
   */
  readonly source:
    | { readonly uri: string }
    | {
        readonly build: {
          /** Build context, relative to the project root. */
          readonly context: string;
          /** Dockerfile, relative to the project root. */
          readonly dockerfile: string;
          /** ECS-1: the image tag. @default `ctx-<hash of what the build sees>` (./imageTag) */
          readonly tag?: string;
        };
      };
  /**
   * The directory `context` and `dockerfile` are relative to (where `pulumi up`
   * runs docker: the project root). The paths stay relative in the resource's
   * inputs, so a build on another machine is not a diff. @default process.cwd()
   */
  readonly projectRoot?: string;
}

/**
 * The image a service runs (ECS-1).
 *
 * Given a `uri`, that image as is: it must already be pinned by a version tag
 * or a digest (never `latest`). Given a `build`, `@pulumi/docker` builds the
 * context for linux/amd64 and pushes it to the service's repository, logging
 * in with a token from `aws.ecr.getAuthorizationToken`. Tags are IMMUTABLE,
 * so each distinct build needs a tag of its own: the given one, or by default
 * a hash of what the build sees, covering everything the provider's own
 * change detection hashes (file modes, symlinks, .dockerignore: ./imageTag),
 * so the provider never rebuilds and re-pushes an existing tag. The service runs the pushed image
 * by digest (`repoDigest`, `<repository>@sha256:…`): a deploy is pinned to the
 * exact bytes built, whatever happens to tags later.
 *
 * Previews do not build (`buildOnPreview: false`): a CI preview needs no
 * Docker daemon, and shows the digest as unknown until `pulumi up`.
 */
export class ImageBuild extends pulumi.ComponentResource {
  /** The reference the task definition uses: the pushed image's digest, or the given pinned URI. */
  public readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: ImageBuildArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:ImageBuild", name, {}, opts);

    if ("uri" in args.source) {
      const problem = imagePinProblem(args.source.uri);
      if (problem) throw new Error(`${name}: image ${problem}`);
      this.imageRef = pulumi.output(args.source.uri);
    } else {
      const build = args.source.build;
      const root = args.projectRoot ?? process.cwd();
      const tag =
        build.tag ??
        contextTag(path.join(root, build.context), path.join(root, build.dockerfile), BUILD_PLATFORM);
      const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: args.registryId }, { parent: this });
      const image = new docker.Image(
        `${name}-image`,
        {
          imageName: pulumi.interpolate`${args.repositoryUrl}:${tag}`,
          build: { context: build.context, dockerfile: build.dockerfile, platform: BUILD_PLATFORM },
          buildOnPreview: false,
          registry: {
            server: auth.proxyEndpoint.apply((e) => e.replace(/^https:\/\//, "")),
            username: auth.userName,
            password: pulumi.secret(auth.password),
          },
        },
        { parent: this },
      );
      this.imageRef = image.repoDigest;
    }
    this.registerOutputs({ imageRef: this.imageRef });
  }
}
