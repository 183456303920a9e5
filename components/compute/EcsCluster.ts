import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface EcsClusterArgs {
  /**
   * ECS-2: Container Insights level. "enhanced" adds task- and container-level
   * metrics (restarts, per-container CPU and memory) that the SLO-5 dashboards'
   * "container health" panels need; "enabled" keeps service-level metrics only,
   * at a lower CloudWatch bill. @default "enhanced"
   */
  readonly containerInsights?: "enhanced" | "enabled";
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The stack's one ECS cluster (ECS-2): Container Insights on, and Fargate as
 * its only capacity (FARGATE by default; FARGATE_SPOT registered for a
 * service that opts into interruptible tasks). No EC2 instances to patch or
 * reach (NET-6).
 */
export class EcsCluster extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;

  constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:EcsCluster", name, {}, opts);
    const containerInsights = args.containerInsights ?? "enhanced";
    const tags = args.tags ?? {};

    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      {
        settings: [{ name: "containerInsights", value: containerInsights }],
        tags: { ...tags, Name: name },
      },
      { parent: this },
    );
    new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        clusterName: cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      },
      { parent: this },
    );

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.registerOutputs({ clusterName: this.clusterName, clusterArn: this.clusterArn });
  }
}
