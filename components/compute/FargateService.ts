import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CANARY_GATE, canaryGateQueries } from "./canary";
import {
  BucketGrant,
  canaryInfrastructurePolicy,
  ecsServiceTrustPolicy,
  ecsTasksTrustPolicy,
  executionRolePolicy,
  taskRolePolicy,
} from "./iam";
import { ScalingTargets, requestCountLabel, trackingPolicies } from "./scaling";
import {
  CONTAINER_NAME,
  CONTAINER_PORT,
  DEFAULT_USER,
  TMP_VOLUME,
  containerDefinition,
  migrateContainerDefinition,
  containerHealthCheck,
  fargateSizeProblem,
} from "./taskDefinition";

/** APP-4: one `secrets` entry of the container, by ARN (and JSON key). */
export interface ServiceSecretRef {
  /** The environment variable the app reads. */
  readonly name: string;
  readonly arn: pulumi.Input<string>;
  /** One key of a JSON secret (e.g. `password`); absent for the whole value. */
  readonly jsonKey?: string;
}

/** ECS-10: a canary deployment's settings and the load balancer parts ECS shifts traffic on. */
export interface CanaryArgs {
  /** ECS-10: share of traffic the new revision gets first [H §Deployment Rollout Strategy: 10 %]. */
  readonly percent: number;
  /** ECS-10: minutes the canary serves that share before all traffic shifts [H: 30]. */
  readonly bakeMinutes: number;
  /** Minutes the old revision stays up after the full shift, for an instant roll back. @default 10 */
  readonly postShiftBakeMinutes?: number;
  readonly listenerArn: pulumi.Input<string>;
  readonly productionListenerRuleArn: pulumi.Input<string>;
  readonly alternateTargetGroupArn: pulumi.Input<string>;
  /**
   * More CloudWatch alarms that roll the deployment back while they fire
   * (the "promoted if the alarms stay quiet" of ECS-10), e.g. the service's
   * SLO alarms, besides the 5xx gate this component always adds. @default []
   */
  readonly alarmNames?: pulumi.Input<string>[];
  /** SLO-2, SLO-4: SNS topics the gate alarm notifies on ALARM and OK. @default [] */
  readonly notifyTopicArns?: pulumi.Input<string>[];
}

export interface FargateServiceArgs {
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** ECS-1: the image, pinned by digest (ImageBuild.imageRef) or by a version tag. */
  readonly image: pulumi.Input<string>;
  /** ECS-8: the service's own repository, the only one its execution role may pull from. */
  readonly repositoryArn: pulumi.Input<string>;
  /** ECS-2: task CPU units [P §3.5.2: 1024]. */
  readonly cpu: number;
  /** ECS-2: task memory, MiB [P §3.5.2: 2048]. */
  readonly memory: number;
  /** ECS-2: tasks at create [P §3.5.1: 3 in prod]; then the autoscaler owns the count. */
  readonly desiredCount: number;
  /** ECS-6: autoscaling floor [3]. */
  readonly minCount: number;
  /** ECS-6: autoscaling ceiling [20]. */
  readonly maxCount: number;
  /** ECS-6: target-tracking figures [P §6.5.2]. */
  readonly scaling: ScalingTargets;
  /** APP-2: container port. @default 8000 */
  readonly port?: number;
  /** APP-2, ECS-3: the liveness path the container health check requests. @default "/health" */
  readonly healthCheckPath?: string;
  /** APP-4: plain settings only (no secrets): ENVIRONMENT, hosts, ports. @default {} */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** APP-4: secrets by ARN; their values never pass through Pulumi. @default [] */
  readonly secrets?: readonly ServiceSecretRef[];
  /** ECS-8: the customer-managed keys of those secrets (decrypt only via Secrets Manager). @default [] */
  readonly secretKmsKeyArns?: readonly pulumi.Input<string>[];
  /** ECS-8: buckets the app reads and writes (its own only). @default [] */
  readonly buckets?: readonly {
    readonly arn: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
  }[];
  /** NET-4, ECS-2: the private app subnets. */
  readonly subnetIds: pulumi.Input<string>[];
  /** NET-3: the app tier's security group. */
  readonly securityGroupId: pulumi.Input<string>;
  /** ECS-5: the target group tasks register in, and the ARN suffixes that label its request metric (ECS-6). */
  readonly loadBalancer: {
    readonly targetGroupArn: pulumi.Input<string>;
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    /**
     * ECS-5, ECS-10: the listener (and, for a canary, the production listener
     * rule) forwarding to the target groups (LoadBalancer `forwarding`). The
     * service is created after them: CreateService refuses a target group no
     * load balancer forwards to yet.
     */
    readonly forwarding: readonly pulumi.Input<pulumi.Resource>[];
  };
  /** ECS-10: deploy by canary instead of rolling. @default rolling */
  readonly canary?: CanaryArgs;
  /** ECS-4: days to keep the container logs [P §4.3.4: 90 prod, 30 staging]. */
  readonly logRetentionDays: number;
  /** ECS-4: customer-managed key (allowing CloudWatch Logs) for the log group. */
  readonly logsKmsKeyArn: pulumi.Input<string>;
  /** UID:GID the container runs as (the Dockerfile's non-root USER). @default "10001:10001" */
  readonly user?: string;
  /**
   * The runbooks' `alembic upgrade head` as a deploy step: a non-essential
   * `migrate` container runs this command and the app starts only once it
   * exited 0 (taskDefinition.ts `migrateContainerDefinition`). @default none
   */
  readonly migrateCommand?: readonly string[];
  /** Read-only root filesystem, /tmp on task scratch storage. @default true */
  readonly readonlyRootFilesystem?: boolean;
  /** ECS-3: seconds the load balancer's failures are ignored after a task starts (past the 60 s start period). @default 90 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** ECS-7: `pulumi up` waits for a rolling deploy to reach steady state (and fails if it rolls back). @default true */
  readonly waitForSteadyState?: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One API service on ECS Fargate (ECS-2..8, ECS-10; APP-2, APP-4; NET-3, NET-4).
 *
 * - Task definition: family = the component name, awsvpc, FARGATE, linux
 *   X86_64 (ImageBuild builds linux/amd64), CPU and memory from args (checked
 *   against Fargate's sizes), ONE container (./taskDefinition): the image by
 *   digest, port 8000, the ECS-3 health check exactly as [P §3.5.2], a
 *   non-root user, a read-only root filesystem with /tmp on the task's scratch
 *   volume (FastAPI and gunicorn write there), all capabilities dropped, logs
 *   via awslogs to `/ecs/<name>` (encrypted with the stack's logs key, kept
 *   the environment's retention: ECS-4), plain `environment`, and `secrets`
 *   only as Secrets Manager ARNs (APP-4). Old revisions are kept
 *   (`skipDestroy`) so a roll back can redeploy one.
 * - Service: FARGATE in the private app subnets with the app security group
 *   and no public IP (ECS-2, NET-4); `desiredCount` only at create
 *   (`ignoreChanges`), so deploys never fight the autoscaler; rolling deploys
 *   keep 100 % healthy and may run 200 %, with the deployment circuit breaker
 *   rolling a failed deploy back (ECS-7); a 90 s load-balancer grace period
 *   covering the 60 s start period; tags propagated from the service.
 * - ECS-10 canary (optional): ECS's native CANARY strategy, shifting
 *   `percent` of traffic to the new revision for `bakeMinutes`, then all of
 *   it, on the load balancer's production listener rule and alternate target
 *   group, through an infrastructure role held to that rule, listener and
 *   those groups. It rolls back while an alarm fires: a 5xx gate of its own
 *   (target 5xx above 1 % of requests in 2 of 3 minutes, ./canary) and any
 *   alarms given. The circuit breaker is for rolling deploys only (ECS API,
 *   DeploymentConfiguration), so a canary service relies on the alarms.
 * - Auto scaling (ECS-6): min/max from args; target tracking on CPU, memory
 *   and ALB requests per target with the runbook's cooldowns. A canary service
 *   has no request-count policy: its live target group alternates between
 *   deployments, and the metric would follow the idle one.
 * - Roles (ECS-8), trusted only by ECS tasks of this account and region:
 *   the execution role pulls from this service's repository only, writes its
 *   log group only, reads exactly its secrets; the task role may use only the
 *   service's buckets, or nothing.
 */
export class FargateService extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly serviceArn: pulumi.Output<string>;
  public readonly taskDefinitionArn: pulumi.Output<string>;
  public readonly taskRoleArn: pulumi.Output<string>;
  public readonly executionRoleArn: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  /**
   * ECS-7, SLO-7: the ECS service itself, for what must wait until it serves
   * (the Route 53 health check of its domain: probing earlier fails and pages).
   */
  public readonly service: aws.ecs.Service;

  constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:FargateService", name, {}, opts);
    const port = args.port ?? CONTAINER_PORT;
    const healthCheckPath = args.healthCheckPath ?? "/health";
    const environment = args.environment ?? {};
    const secrets = args.secrets ?? [];
    const secretKmsKeyArns = args.secretKmsKeyArns ?? [];
    const buckets = args.buckets ?? [];
    const user = args.user ?? DEFAULT_USER;
    const readonlyRootFilesystem = args.readonlyRootFilesystem ?? true;
    const migrateCommand = args.migrateCommand;
    const gracePeriod = args.healthCheckGracePeriodSeconds ?? 90;
    const canary = args.canary;
    const waitForSteadyState = args.waitForSteadyState ?? true;
    const baseTags = args.tags ?? {};
    const tags = (role: string) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };

    const sizeProblem = fargateSizeProblem(args.cpu, args.memory);
    if (sizeProblem) throw new Error(`${name}: ${sizeProblem}`);
    if (!(args.minCount <= args.desiredCount && args.desiredCount <= args.maxCount))
      throw new Error(
        `${name}: desired count ${args.desiredCount} must lie within min ${args.minCount} and max ${args.maxCount}`,
      );

    const region = aws.getRegionOutput({}, parent).region;
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const partition = aws.getPartitionOutput({}, parent).partition;
    const trust = pulumi
      .all([partition, region, account])
      .apply(([p, r, a]) => JSON.stringify(ecsTasksTrustPolicy({ partition: p, region: r, account: a })));

    // ECS-4: the container's logs, encrypted and expiring.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/ecs/${name}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.logsKmsKeyArn,
        tags: tags("logs"),
      },
      parent,
    );

    // ECS-8: what the ECS agent may do to start the task.
    const executionRole = new aws.iam.Role(
      `${name}-execution`,
      {
        description: `${name}: ECS task execution (pull own image, write own logs, read own secrets) (ECS-8)`,
        assumeRolePolicy: trust,
        tags: tags("execution"),
      },
      parent,
    );
    const executionPolicy = new aws.iam.RolePolicy(
      `${name}-execution`,
      {
        role: executionRole.name,
        policy: pulumi
          .all([
            region,
            args.repositoryArn,
            logGroup.arn,
            pulumi.output(secrets.map((s) => s.arn)),
            pulumi.output([...secretKmsKeyArns]),
          ])
          .apply(([r, repositoryArn, logGroupArn, secretArns, keyArns]) =>
            JSON.stringify(
              executionRolePolicy({
                region: r,
                repositoryArn,
                logGroupArn,
                secretArns,
                secretKmsKeyArns: keyArns,
              }),
            ),
          ),
      },
      parent,
    );

    // ECS-8: what the app may do: its own buckets, or nothing.
    const taskRole = new aws.iam.Role(
      `${name}-task`,
      {
        description: `${name}: the app's own permissions (ECS-8)`,
        assumeRolePolicy: trust,
        tags: tags("task"),
      },
      parent,
    );
    if (buckets.length > 0) {
      new aws.iam.RolePolicy(
        `${name}-task`,
        {
          role: taskRole.name,
          policy: pulumi
            .all([region, pulumi.output(buckets.map((b) => ({ arn: b.arn, kmsKeyArn: b.kmsKeyArn })))])
            .apply(([r, grants]) => JSON.stringify(taskRolePolicy(r, grants as BucketGrant[]))),
        },
        parent,
      );
    }

    const containerDefinitions = pulumi
      .all([
        args.image,
        pulumi.output(environment as Record<string, pulumi.Input<string>>),
        pulumi.output(secrets.map((s) => ({ name: s.name, arn: s.arn, jsonKey: s.jsonKey }))),
        logGroup.name,
        region,
      ])
      .apply(([image, env, secretRefs, logGroupName, r]) => {
        const spec = {
          image,
          port,
          environment: env,
          secrets: secretRefs.map((s) => (s.jsonKey === undefined ? { name: s.name, arn: s.arn } : s)),
          logGroupName,
          region: r,
          healthCheck: containerHealthCheck(port, healthCheckPath),
          user,
          readonlyRootFilesystem,
          ...(migrateCommand === undefined ? {} : { migrateCommand }),
        };
        const migrate = migrateContainerDefinition(spec);
        return JSON.stringify([containerDefinition(spec), ...(migrate ? [migrate] : [])]);
      });
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: name,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: String(args.cpu),
        memory: String(args.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        volumes: readonlyRootFilesystem ? [{ name: TMP_VOLUME }] : [],
        containerDefinitions,
        // A new revision never deregisters the old: roll backs redeploy it (docs/services.md).
        skipDestroy: true,
        tags: tags("task"),
      },
      // The agent needs its permissions before the first task starts.
      { parent: this, dependsOn: [executionPolicy] },
    );

    let infrastructureRole: aws.iam.Role | undefined;
    let infrastructurePolicy: aws.iam.RolePolicy | undefined;
    if (canary) {
      infrastructureRole = new aws.iam.Role(
        `${name}-canary`,
        {
          description: `${name}: ECS shifts canary traffic on this service's listener rule (ECS-10)`,
          assumeRolePolicy: JSON.stringify(ecsServiceTrustPolicy()),
          tags: tags("canary"),
        },
        parent,
      );
      infrastructurePolicy = new aws.iam.RolePolicy(
        `${name}-canary`,
        {
          role: infrastructureRole.name,
          policy: pulumi
            .all([
              canary.listenerArn,
              canary.productionListenerRuleArn,
              args.loadBalancer.targetGroupArn,
              canary.alternateTargetGroupArn,
            ])
            .apply(([listenerArn, productionRuleArn, primary, alternate]) =>
              JSON.stringify(
                canaryInfrastructurePolicy({
                  listenerArn,
                  productionRuleArn,
                  targetGroupArns: [primary, alternate],
                }),
              ),
            ),
        },
        parent,
      );
    }

    let alarmNames: pulumi.Input<string>[] = [];
    if (canary) {
      const topics = canary.notifyTopicArns ?? [];
      const gate = new aws.cloudwatch.MetricAlarm(
        `${name}-canary-gate`,
        {
          alarmDescription:
            `P1 ${name}: target 5xx above ${CANARY_GATE.thresholdPercent} % of requests during a deploy; ` +
            "ECS rolls the canary back (ECS-10, SLO-3) [H §Rollback Procedures]. Action: read the new tasks' logs.",
          metricQueries: pulumi.output(args.loadBalancer.loadBalancerArnSuffix).apply(canaryGateQueries),
          comparisonOperator: "GreaterThanThreshold",
          threshold: CANARY_GATE.thresholdPercent,
          evaluationPeriods: CANARY_GATE.evaluationPeriods,
          datapointsToAlarm: CANARY_GATE.datapointsToAlarm,
          treatMissingData: "notBreaching",
          alarmActions: topics,
          okActions: topics,
          tags: tags("canary-gate"),
        },
        parent,
      );
      alarmNames = [gate.name, ...(canary.alarmNames ?? [])];
    }
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        cluster: args.clusterArn,
        taskDefinition: taskDefinition.arn,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        desiredCount: args.desiredCount,
        networkConfiguration: {
          subnets: args.subnetIds,
          securityGroups: [args.securityGroupId],
          assignPublicIp: false,
        },
        loadBalancers: [
          {
            targetGroupArn: args.loadBalancer.targetGroupArn,
            containerName: CONTAINER_NAME,
            containerPort: port,
            ...(canary && infrastructureRole
              ? {
                  advancedConfiguration: {
                    alternateTargetGroupArn: canary.alternateTargetGroupArn,
                    productionListenerRule: canary.productionListenerRuleArn,
                    roleArn: infrastructureRole.arn,
                  },
                }
              : {}),
          },
        ],
        healthCheckGracePeriodSeconds: gracePeriod,
        deploymentController: { type: "ECS" },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        ...(canary
          ? {
              deploymentConfiguration: {
                strategy: "CANARY",
                canaryConfiguration: {
                  canaryPercent: canary.percent,
                  canaryBakeTimeInMinutes: String(canary.bakeMinutes),
                },
                bakeTimeInMinutes: String(canary.postShiftBakeMinutes ?? 10),
              },
              ...(alarmNames.length > 0 ? { alarms: { alarmNames, enable: true, rollback: true } } : {}),
            }
          : {
              deploymentConfiguration: { strategy: "ROLLING" },
              deploymentCircuitBreaker: { enable: true, rollback: true },
            }),
        availabilityZoneRebalancing: "ENABLED",
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        enableExecuteCommand: false,
        // A canary deploy bakes for its bake times; waiting would outlast `pulumi up`.
        waitForSteadyState: canary ? false : waitForSteadyState,
        tags: tags("service"),
      },
      {
        parent: this,
        // ECS-6: the autoscaler owns the running count after create.
        ignoreChanges: ["desiredCount"],
        // ECS-5: its target groups must already be a load balancer's (see `loadBalancer.forwarding`).
        dependsOn: [...args.loadBalancer.forwarding, ...(infrastructurePolicy ? [infrastructurePolicy] : [])],
      },
    );

    // ECS-6: Application Auto Scaling on the service's desired count.
    const target = new aws.appautoscaling.Target(
      `${name}-scaling`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
        minCapacity: args.minCount,
        maxCapacity: args.maxCount,
        tags: tags("scaling"),
      },
      parent,
    );
    const requestLabel = canary
      ? undefined
      : pulumi
          .all([args.loadBalancer.loadBalancerArnSuffix, args.loadBalancer.targetGroupArnSuffix])
          .apply(([lb, tg]) => requestCountLabel(lb, tg));
    for (const policy of trackingPolicies(args.scaling, requestLabel)) {
      new aws.appautoscaling.Policy(
        `${name}-${policy.role}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: policy.configuration,
        },
        parent,
      );
    }

    this.serviceName = service.name;
    this.serviceArn = service.id;
    this.taskDefinitionArn = taskDefinition.arn;
    this.taskRoleArn = taskRole.arn;
    this.executionRoleArn = executionRole.arn;
    this.logGroupName = logGroup.name;
    this.service = service;
    this.registerOutputs({
      serviceName: this.serviceName,
      serviceArn: this.serviceArn,
      taskDefinitionArn: this.taskDefinitionArn,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
      logGroupName: this.logGroupName,
    });
  }
}
