/**
 * The stack's API services on ECS Fargate (APP-1..4, ECS-1..10), from the
 * validated `services` config: per service an ECR repository, its image,
 * its own secrets, a load balancer with TLS and WAF, and the Fargate service;
 * per stack one cluster, one access-logs bucket and the registry's DR
 * replication. Nothing here branches on the environment: every figure is in
 * `cfg`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogsBucket } from "../components/compute/AccessLogsBucket";
import { EcsCluster } from "../components/compute/EcsCluster";
import { FargateService, ServiceSecretRef } from "../components/compute/FargateService";
import { ImageBuild } from "../components/compute/ImageBuild";
import { ImageRepository } from "../components/compute/ImageRepository";
import { LoadBalancer } from "../components/compute/LoadBalancer";
import { RegistryReplication } from "../components/compute/RegistryReplication";
import {
  ServiceSecretRefs,
  ServiceSecrets,
  serviceSecretsDrKeyAlias,
} from "../components/compute/ServiceSecrets";
import {
  ImageRetention,
  ecrLifecyclePolicy,
  ecrRepositoryArn,
  repositoryName,
} from "../components/compute/ecr";
import { Network } from "../components/network/Network";
import type { AlertTopics } from "../components/observability/AlertTopics";
import { DataStore, PlatformConfig, ServiceSettings, isRebuild, primaryPrefix } from "./config";
import { buildDataTier } from "./data";
import { observeService } from "./observability";
import { PROJECT_ROOT } from "./validators";

type DataTier = ReturnType<typeof buildDataTier>;

/** ECS-1: images every repository (and its DR copy) keeps: a month of daily deploys to roll back to. */
export const IMAGE_RETENTION: ImageRetention = { keepImages: 30, untaggedExpireDays: 7 };

/** The `ENVIRONMENT` every container gets [P §3.5.2: "production"], unless the service's env sets it. */
const ENVIRONMENT_NAMES: Record<PlatformConfig["env"], string> = {
  prod: "production",
  staging: "staging",
};

/**
 * ECS-8, APP-1: the buckets of the data tier an app's services may use
 * (Psi stores food images [P §1.3, §2.3]; MyHibachi uses none). Backups and
 * archives are never an app's.
 */
const APP_BUCKETS: Record<PlatformConfig["app"], readonly ("images" | "backups" | "archive")[]> = {
  psi: ["images"],
  myhibachi: [],
};

/** What a data store hands a container: plain connection facts, secrets by ARN, and the keys to read them. */
export interface StoreWiring {
  readonly env: Record<string, pulumi.Input<string>>;
  readonly secrets: ServiceSecretRef[];
  readonly kmsKeyArns: pulumi.Input<string>[];
}

/**
 * APP-1, APP-4: the environment variables each data store fills. Hosts and
 * ports are plain; user names and passwords come from the stores' own
 * Secrets Manager secrets (`<arn>:<json key>::`), never as values.
 * PostgreSQL's secret is `{username, password, host, port, dbname}` (PG-6);
 * DocumentDB's is the one DocumentDB manages (`{username, password}`, AWS's
 * own key); Redis's holds the AUTH token alone (CACHE-1).
 */
export function storeWiring(store: DataStore, data: DataTier): StoreWiring {
  switch (store) {
    case "postgres":
      return {
        env: {
          POSTGRES_SERVER: data.postgres.address,
          POSTGRES_PORT: data.postgres.port.apply(String),
          POSTGRES_DB: data.postgres.database,
        },
        secrets: [
          { name: "POSTGRES_USER", arn: data.postgres.secretArn, jsonKey: "username" },
          { name: "POSTGRES_PASSWORD", arn: data.postgres.secretArn, jsonKey: "password" },
        ],
        kmsKeyArns: [data.postgres.secretKmsKeyArn],
      };
    case "documentdb": {
      const docdb = data.documentdb;
      if (!docdb) throw new Error("documentdb: the stack runs no DocumentDB (documentdb.enabled is false)");
      return {
        env: { MONGODB_HOST: docdb.endpoint, MONGODB_PORT: docdb.port.apply(String) },
        secrets: [
          { name: "MONGODB_USERNAME", arn: docdb.secretArn, jsonKey: "username" },
          { name: "MONGODB_PASSWORD", arn: docdb.secretArn, jsonKey: "password" },
        ],
        // A restored cluster's secret is under its own key; DocumentDB's managed one under AWS's.
        kmsKeyArns: docdb.secretKmsKeyArn ? [docdb.secretKmsKeyArn] : [],
      };
    }
    case "redis":
      return {
        env: {
          REDIS_HOST: data.redis.endpoint,
          REDIS_PORT: data.redis.port.apply(String),
          // CACHE-1: in-transit encryption is on; clients must speak TLS.
          REDIS_TLS: "true",
          // APP-1: the URL the apps read [H App. A: REDIS_URL=redis://host:port/db], with the
          // TLS scheme `rediss://` (redis-py: "rediss:// creates a SSL wrapped TCP socket");
          // no credentials in it: the AUTH token stays the secret REDIS_PASSWORD.
          REDIS_URL: pulumi.interpolate`rediss://${data.redis.endpoint}:${data.redis.port}/0`,
        },
        secrets: [{ name: "REDIS_PASSWORD", arn: data.redis.authTokenSecretArn }],
        kmsKeyArns: [data.redis.secretKmsKeyArn],
      };
  }
}

/**
 * APP-1, APP-4, ECS-8, K8S-10: what a service's container gets on either
 * compute path: its environment (ENVIRONMENT, its own settings, its data
 * stores' connections), its secrets by ARN with the keys that decrypt them,
 * and its app's buckets.
 */
export function serviceWiring(
  cfg: PlatformConfig,
  settings: ServiceSettings,
  data: DataTier,
  own: ServiceSecretRefs | undefined,
) {
  const stores = settings.dataStores.map((store) => storeWiring(store, data));
  return {
    environment: Object.assign(
      { ENVIRONMENT: ENVIRONMENT_NAMES[cfg.env] },
      settings.env,
      ...stores.map((s) => s.env),
    ) as Record<string, pulumi.Input<string>>,
    secrets: [
      ...settings.secrets.map((secretName) => ({ name: secretName, arn: own!.secretArns[secretName] })),
      ...stores.flatMap((s) => s.secrets),
    ] as ServiceSecretRef[],
    secretKmsKeyArns: [...(own ? [own.kmsKeyArn] : []), ...stores.flatMap((s) => s.kmsKeyArns)],
    buckets: APP_BUCKETS[cfg.app].map((role) => ({
      arn: data.buckets[role].arn,
      kmsKeyArn: data.buckets[role].kmsKeyArn,
    })),
  };
}

/**
 * NET-3: the TCP ports the stack's services send mail on: a service whose
 * env sets both SMTP_HOST and SMTP_PORT (MyHibachi: smtp.gmail.com:587
 * [H App. A]) gets its port opened from the app tier to the internet. Sorted,
 * each once; empty when no service sends mail (every Psi stack).
 */
export function mailPorts(cfg: Pick<PlatformConfig, "services">): number[] {
  const ports = Object.values(cfg.services)
    .filter((s) => s.env.SMTP_HOST !== undefined && s.env.SMTP_PORT !== undefined)
    .map((s) => Number(s.env.SMTP_PORT));
  return [...new Set(ports)].sort((a, b) => a - b);
}

export interface ServicesInputs {
  readonly cfg: PlatformConfig;
  readonly prefix: string;
  readonly network: Network;
  readonly logsKmsKeyArn: pulumi.Input<string>;
  readonly data: DataTier;
  readonly tags: Record<string, string>;
  /** SLO-2..5: the stack's alert topics; each service gets its alarms and dashboard. */
  readonly alerts: AlertTopics;
}

/** What the stack exports per service. */
export interface ServiceOutputs {
  readonly url: string;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly serviceArn: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string>;
  readonly image: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly webAclArn: pulumi.Output<string>;
  /** APP-4: where operators put each secret's value (docs/services.md). */
  readonly secretArns: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * DR-1: the registry's replication of the services' repositories to the DR
 * Region, once per stack with services on either compute path (one
 * replication configuration per registry: see RegistryReplication).
 */
export function buildRegistryReplication(
  cfg: PlatformConfig,
  prefix: string,
  tags: Record<string, string>,
): void {
  // BAK-5, DR-1: the other stacks of the account and Region whose images this one's
  // configuration replicates (accountSettings.owner; config requires copyToDrRegion).
  const others = cfg.accountSettings.owner ? cfg.accountSettings.replicateNamespaces : [];
  const replicatesOwn = Object.keys(cfg.services).length > 0 && cfg.backup.copyToDrRegion;
  if (!replicatesOwn && others.length === 0) return;
  new RegistryReplication(`${prefix}-ecr-replication`, {
    destinationRegion: cfg.drRegion,
    // DR-1: the namespace the services' repositories are in: a rebuild's are the
    // primary's replicated ones (images.fromReplica), not its own prefix.
    ...(replicatesOwn ? { namespace: cfg.images.fromReplica ? primaryPrefix(cfg) : prefix } : {}),
    lifecyclePolicy: ecrLifecyclePolicy(IMAGE_RETENTION),
    protect: cfg.protectStateful,
    // BAK-5, DR-1: the registry's one configuration is its owner's, with the other stacks' rules.
    ownsConfiguration: cfg.accountSettings.owner,
    otherNamespaces: others,
    tags,
  });
}

/**
 * ECS-1, APP-4: what a service has on either compute path: its ECR
 * repository (replicated to DR), its image, and its own secrets.
 *
 * DR-1, DR-2: in a region rebuild (`images.fromReplica`) the repository is
 * the one ECR replication created in this Region under the primary's name
 * (`<app>-<env>/<service>`, RegistryReplication), referenced, not created: a
 * repository of that name exists here already, and the images are in it.
 * Config makes every image a `uri` then (no push into the IMMUTABLE replica).
 *
 * APP-4, DR-1, DR-2: a region rebuild creates no secrets of its own for a
 * service: it reads the replicas the primary's ServiceSecrets keep in this
 * Region (same name `<app>-<env>/<service>/<NAME>`, found by name here) and
 * decrypts them with the primary's key of this Region (its alias).
 */
export function serviceArtifacts(
  cfg: PlatformConfig,
  prefix: string,
  name: string,
  settings: ServiceSettings,
  tags: Record<string, string>,
) {
  const base = `${prefix}-${name}`;
  const protect = cfg.protectStateful;
  let repository: Pick<ImageRepository, "repositoryUrl" | "repositoryArn" | "registryId">;
  if (cfg.images.fromReplica) {
    const replica = repositoryName(primaryPrefix(cfg), name);
    const account = aws.getCallerIdentityOutput({}).accountId;
    const partition = aws.getPartitionOutput({});
    repository = {
      registryId: account,
      repositoryArn: pulumi.interpolate`arn:${partition.partition}:ecr:${cfg.region}:${account}:repository/${replica}`,
      repositoryUrl: pulumi.interpolate`${account}.dkr.ecr.${cfg.region}.${partition.dnsSuffix}/${replica}`,
    };
  } else {
    repository = new ImageRepository(`${base}-images`, {
      repositoryName: repositoryName(prefix, name),
      ...IMAGE_RETENTION,
      protect,
      tags,
    });
  }
  const image = new ImageBuild(`${base}-build`, {
    repositoryUrl: repository.repositoryUrl,
    registryId: repository.registryId,
    source: settings.image,
    projectRoot: PROJECT_ROOT,
  });
  let own: ServiceSecretRefs | undefined;
  if (settings.secrets.length > 0 && isRebuild(cfg)) own = replicatedSecrets(cfg, name, settings.secrets);
  else if (settings.secrets.length > 0)
    own = new ServiceSecrets(`${base}-secrets`, {
      names: settings.secrets,
      pathPrefix: `${prefix}/${name}`,
      // APP-4, DR-1: replicated with the stack's other DR copies.
      drRegion: cfg.backup.copyToDrRegion ? cfg.drRegion : undefined,
      protect,
      tags,
    });
  return { repository, image, own };
}

/**
 * APP-4, DR-1, DR-2: the replicas, in this Region, of the secrets the primary
 * stack's ServiceSecrets keep for service `name`: looked up by name in this
 * Region (a missing replica fails the preview), with the key the primary
 * encrypts them with here. Read-only until promoted, which reading needs not.
 */
function replicatedSecrets(cfg: PlatformConfig, name: string, names: readonly string[]): ServiceSecretRefs {
  const primary = primaryPrefix(cfg);
  return {
    secretArns: Object.fromEntries(
      names.map((n) => [n, aws.secretsmanager.getSecretOutput({ name: `${primary}/${name}/${n}` }).arn]),
    ),
    kmsKeyArn: aws.kms.getAliasOutput({
      name: `alias/${serviceSecretsDrKeyAlias(`${primary}-${name}-secrets`)}`,
    }).targetKeyArn,
  };
}

/** The stack's ECS services by name; empty when the config names none with compute "ecs". */
export function buildServices({
  cfg,
  prefix,
  network,
  logsKmsKeyArn,
  data,
  tags,
  alerts,
}: ServicesInputs): Record<string, ServiceOutputs> {
  const services = Object.entries(cfg.services).filter(([, s]) => s.compute === "ecs");
  if (services.length === 0) return {};
  const protect = cfg.protectStateful;

  // ECS-2: one cluster per stack.
  const cluster = new EcsCluster(`${prefix}-ecs`, { containerInsights: "enhanced", tags });
  // ECS-5: one logs bucket per stack, a prefix per load balancer.
  const logsBucket = new AccessLogsBucket(`${prefix}-alb-logs`, {
    region: cfg.region,
    prefixes: services.map(([name]) => `alb/${name}`),
    lifecycle: cfg.storage.archive,
    protect,
    tags,
  });

  return Object.fromEntries(
    services.map(([name, settings]) => [
      name,
      buildService(
        { cfg, prefix, network, logsKmsKeyArn, data, tags, alerts },
        name,
        settings,
        cluster,
        logsBucket,
      ),
    ]),
  );
}

function buildService(
  { cfg, prefix, network, logsKmsKeyArn, data, tags: stackTags, alerts }: ServicesInputs,
  name: string,
  settings: ServiceSettings,
  cluster: EcsCluster,
  logsBucket: AccessLogsBucket,
): ServiceOutputs {
  const base = `${prefix}-${name}`;
  const protect = cfg.protectStateful;
  const tags = { ...stackTags, Service: name };

  const { repository, image, own } = serviceArtifacts(cfg, prefix, name, settings, tags);
  const wiring = serviceWiring(cfg, settings, data, own);

  const lb = new LoadBalancer(`${base}-lb`, {
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    securityGroupId: network.securityGroupIds.loadBalancer,
    domain: settings.domain,
    hostedZone: settings.hostedZone,
    dnsRecord: settings.dnsRecord,
    healthCheckPath: settings.health.readiness,
    port: settings.port,
    deletionProtection: protect,
    accessLogs: { bucket: logsBucket.bucketName, prefix: `alb/${name}` },
    rateLimitPerMinute: settings.rateLimitPerMinute,
    wafLogs: { retentionDays: cfg.logRetentionDays, kmsKeyArn: logsKmsKeyArn },
    canary: settings.canary !== undefined,
    tags,
  });

  const service = new FargateService(base, {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    image: image.imageRef,
    // ECS-8: pull from where the image is: the service's repository, or the ECR repository a `uri` names.
    repositoryArn:
      ("uri" in settings.image ? ecrRepositoryArn(settings.image.uri) : undefined) ??
      repository.repositoryArn,
    cpu: settings.cpu,
    memory: settings.memory,
    desiredCount: settings.desiredCount,
    minCount: settings.minCount,
    maxCount: settings.maxCount,
    scaling: settings.scaling,
    port: settings.port,
    healthCheckPath: settings.health.liveness,
    ...(settings.migrate ? { migrateCommand: settings.migrate.command } : {}),
    environment: wiring.environment,
    secrets: wiring.secrets,
    secretKmsKeyArns: wiring.secretKmsKeyArns,
    buckets: wiring.buckets,
    subnetIds: network.appSubnetIds,
    securityGroupId: network.securityGroupIds.app,
    loadBalancer: {
      targetGroupArn: lb.targetGroupArn,
      loadBalancerArnSuffix: lb.arnSuffix,
      targetGroupArnSuffix: lb.targetGroupArnSuffix,
      forwarding: lb.forwarding,
    },
    ...(settings.canary && lb.alternateTargetGroupArn && lb.productionListenerRuleArn
      ? {
          canary: {
            percent: settings.canary.percent,
            bakeMinutes: settings.canary.bakeMinutes,
            listenerArn: lb.httpsListenerArn,
            productionListenerRuleArn: lb.productionListenerRuleArn,
            alternateTargetGroupArn: lb.alternateTargetGroupArn,
            // SLO-2, SLO-4: the gate alarm is P1: it pages, on ALARM and OK.
            notifyTopicArns: [alerts.bySeverity().P1],
          },
        }
      : {}),
    logRetentionDays: cfg.logRetentionDays,
    logsKmsKeyArn,
    tags,
  });

  // SLO-3..5, SLO-7: the service's alarms and dashboard.
  observeService(
    cfg,
    base,
    name,
    settings,
    alerts,
    data,
    {
      loadBalancerArnSuffix: lb.arnSuffix,
      targetGroupArnSuffixes: [
        lb.targetGroupArnSuffix,
        ...(lb.alternateTargetGroupArnSuffix ? [lb.alternateTargetGroupArnSuffix] : []),
      ],
      certificateArn: lb.certificateArn,
      clusterName: cluster.clusterName,
      serviceName: service.serviceName,
    },
    tags,
    // SLO-7: Route 53 probes the name once it resolves (the alias, when this stack owns it) and the tasks serve.
    [...(lb.dnsRecord ? [lb.dnsRecord] : []), service.service],
  );

  return {
    url: lb.url,
    loadBalancerDnsName: lb.dnsName,
    clusterArn: cluster.clusterArn,
    serviceName: service.serviceName,
    serviceArn: service.serviceArn,
    taskDefinitionArn: service.taskDefinitionArn,
    repositoryUrl: repository.repositoryUrl,
    image: image.imageRef,
    logGroupName: service.logGroupName,
    webAclArn: lb.webAclArn,
    secretArns: own?.secretArns ?? {},
  };
}
