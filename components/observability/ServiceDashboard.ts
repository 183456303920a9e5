import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EcsSignals } from "./ServiceAlarms";
import { DashboardIds, dashboardBody } from "./dashboard";

type Input = pulumi.Input<string>;

export interface ServiceDashboardArgs {
  /** The dashboard's name (letters, digits, - and _; unique per account: dashboards are global). */
  readonly dashboardName: string;
  readonly region: string;
  /**
   * SLO-5: the load-balanced ECS service: its request, latency, error, CPU,
   * memory, health and scaling panels. Absent for a service on Kubernetes,
   * whose Grafana dashboard draws those from Prometheus: the dashboard then
   * holds the data tier's panels only. @default none
   */
  readonly ecs?: Pick<
    EcsSignals,
    "loadBalancerArnSuffix" | "targetGroupArnSuffixes" | "clusterName" | "serviceName"
  >;
  /** SLO-5: the PostgreSQL primary the service uses (database connections). @default none */
  readonly databaseInstanceId?: Input;
  /** SLO-5: the Redis node ids the service uses (cache hit rate). @default [] */
  readonly cacheNodeIds?: Input[];
  /** SLO-1: figures drawn as lines. @default {} */
  readonly objectives?: DashboardIds["objectives"];
}

/**
 * SLO-5: a CloudWatch dashboard per service with the panels of [P §4.5.1]
 * and [P §4.5.2] (./dashboard), built from the same metric definitions as
 * the service's alarms (./metrics); for a service on Kubernetes, the data
 * tier's panels its Grafana dashboard cannot draw (database connections,
 * cache hit rate: CloudWatch metrics).
 */
export class ServiceDashboard extends pulumi.ComponentResource {
  public readonly dashboardArn: pulumi.Output<string>;

  constructor(name: string, args: ServiceDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:ServiceDashboard", name, {}, opts);
    const ecs = args.ecs;
    const body = pulumi
      .all([
        ecs
          ? pulumi
              .all([
                ecs.loadBalancerArnSuffix,
                pulumi.output(ecs.targetGroupArnSuffixes),
                ecs.clusterName,
                ecs.serviceName,
              ])
              .apply(([loadBalancer, targetGroups, cluster, service]) => ({
                loadBalancer,
                targetGroups,
                cluster,
                service,
              }))
          : undefined,
        pulumi.output(args.databaseInstanceId),
        pulumi.output(args.cacheNodeIds ?? []),
      ])
      .apply(([ecsIds, database, cacheNodes]) =>
        dashboardBody({
          region: args.region,
          title: args.dashboardName,
          ...(ecsIds ? { ecs: ecsIds } : {}),
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
