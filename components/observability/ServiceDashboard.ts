import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DashboardIds, dashboardBody } from "./dashboard";

type Input = pulumi.Input<string>;

export interface ServiceDashboardArgs {
  /** The dashboard's name (letters, digits, - and _; unique per account and Region). */
  readonly dashboardName: string;
  readonly region: string;
  readonly loadBalancerArnSuffix: Input;
  readonly targetGroupArnSuffixes: Input[];
  readonly clusterName: Input;
  readonly serviceName: Input;
  /** The PostgreSQL primary the service uses. @default none */
  readonly databaseInstanceId?: Input;
  /** The Redis node ids the service uses. @default [] */
  readonly cacheNodeIds?: Input[];
  /** SLO-1: figures drawn as lines. @default {} */
  readonly objectives?: DashboardIds["objectives"];
}

/**
 * SLO-5: a CloudWatch dashboard per service with the panels of [P §4.5.1]
 * and [P §4.5.2] (./dashboard), built from the same metric definitions as
 * the service's alarms (./metrics).
 */
export class ServiceDashboard extends pulumi.ComponentResource {
  public readonly dashboardArn: pulumi.Output<string>;

  constructor(name: string, args: ServiceDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:ServiceDashboard", name, {}, opts);
    const body = pulumi
      .all([
        args.loadBalancerArnSuffix,
        pulumi.output(args.targetGroupArnSuffixes),
        args.clusterName,
        args.serviceName,
        pulumi.output(args.databaseInstanceId),
        pulumi.output(args.cacheNodeIds ?? []),
      ])
      .apply(([loadBalancer, targetGroups, cluster, service, database, cacheNodes]) =>
        dashboardBody({
          region: args.region,
          title: args.dashboardName,
          loadBalancer,
          targetGroups,
          cluster,
          service,
          database,
          cacheNodes,
          objectives: args.objectives,
        }),
      );
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: args.dashboardName, dashboardBody: body },
      { parent: this },
    );
    this.dashboardArn = dashboard.dashboardArn;
    this.registerOutputs({ dashboardArn: this.dashboardArn });
  }
}
