import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DR_RECOVERY_TAG } from "../backup/drCopies";
import { KmsKey } from "../security/KmsKey";
import { MAX_IDENTIFIER_LENGTH, finalSnapshotName, physicalName } from "./naming";

/** CACHE-1: engine versions and their parameter-group families. */
export const CACHE_ENGINES = {
  redis: { version: "7.1", family: "redis7" },
  valkey: { version: "8.0", family: "valkey8" },
} as const;

export interface RedisCacheArgs {
  /** CACHE-1: "redis" (7.1) or "valkey" (8.0). */
  readonly engine: keyof typeof CACHE_ENGINES;
  /** CACHE-1: a current-generation node type. */
  readonly nodeType: string;
  /** CACHE-1: replicas per shard; 1+ turns on Multi-AZ with automatic failover. */
  readonly replicasPerShard: number;
  /** CACHE-4: cluster mode with `shards` node groups. @default false */
  readonly clusterMode?: boolean;
  /** CACHE-4: node groups in cluster mode [P §9.3.3]. @default 3 */
  readonly shards?: number;
  /** CACHE-3: days to keep the daily automatic snapshots. */
  readonly snapshotRetentionDays: number;
  /** CACHE-3: daily snapshot window, UTC. */
  readonly snapshotWindow: string;
  /** PG-8: weekly maintenance window, UTC, not overlapping the snapshot window. */
  readonly maintenanceWindow: string;
  /** BAK-4: Pulumi `protect` on the replication group, its key and its token secret. */
  readonly protect: boolean;
  /** NET-4: the isolated data subnets. */
  readonly subnetIds: pulumi.Input<string>[];
  /** NET-3: the data-tier security group. */
  readonly securityGroupId: pulumi.Input<string>;
  /** Customer-managed key (allowing CloudWatch Logs) for the slow-log and engine-log groups. */
  readonly logsKmsKeyArn: pulumi.Input<string>;
  /** Days to keep the slow and engine logs. */
  readonly logRetentionDays: number;
  /** CACHE-2: memory kept back from the dataset for replication and failover. @default 25 */
  readonly reservedMemoryPercent?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * ElastiCache replication group per CACHE-1..CACHE-4 [H §Component Details,
 * P §4.2.3, §8.1, §9.3.3].
 *
 * - CACHE-1: Redis OSS 7.1 by default — the runbooks' "Redis 7+", and what the
 *   apps' clients are tested against. Valkey 8 speaks the same protocol at a
 *   lower node price and is one config value away (`redis.engine: valkey`); it
 *   is not the default because the runbooks and the MyHibachi compose file name
 *   Redis. With replicas, Multi-AZ and automatic failover are on; encryption at
 *   rest (this component's customer-managed key) and in transit (TLS required);
 *   the AUTH token is generated here, stored only in Secrets Manager and handed
 *   to ElastiCache as a secret.
 * - CACHE-2: `maxmemory-policy=allkeys-lru` [H] and `reserved-memory-percent=25`.
 * - CACHE-3: daily automatic snapshots kept 7 days, a final snapshot on delete.
 *   The runbook's "RDB every 6 hours + AOF" [P §8.1, H] does not map onto
 *   ElastiCache: it offers no AOF for Redis 7 and only one automatic snapshot a
 *   day. Here, Multi-AZ replicas take AOF's place (a node loss loses at most the
 *   replication lag, not six hours). The 6-hourly snapshot is NOT built: manual
 *   snapshots never expire, so a schedule would need a clean-up job too. Gap: the
 *   snapshot RPO is 24 h, not 6 h. The cache holds sessions and rate limits
 *   [P §1.3], which rebuild themselves; nothing restores it in the DR runbook.
 * - CACHE-4: `clusterMode` gives `shards` node groups of 1 + replicasPerShard.
 * - Slow log and engine log go to CloudWatch Logs groups created here.
 *
 * Services get the endpoint and the token secret's ARN, never the token.
 */
export class RedisCache extends pulumi.ComponentResource {
  public readonly replicationGroupId: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** Primary endpoint (cluster mode off) or configuration endpoint (cluster mode on). */
  public readonly endpoint: pulumi.Output<string>;
  /** Reader endpoint; undefined in cluster mode. */
  public readonly readerEndpoint: pulumi.Output<string | undefined>;
  public readonly port: pulumi.Output<number>;
  /** APP-4: the Secrets Manager secret holding the AUTH token. */
  public readonly authTokenSecretArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:RedisCache", name, {}, opts);
    const clusterMode = args.clusterMode ?? false;
    const shards = args.shards ?? 3;
    const reservedMemoryPercent = args.reservedMemoryPercent ?? 25;
    const engine = CACHE_ENGINES[args.engine];
    const replicated = args.replicasPerShard >= 1;
    const baseTags = args.tags ?? {};
    const tags = (role: string) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };
    const stateful = { parent: this, protect: args.protect };

    const key = new KmsKey(
      `${name}-kms`,
      { description: `${name}: ElastiCache at rest and AUTH token secret`, alias: name, tags: baseTags },
      stateful,
    );
    // See naming.ts: keepers are what forces ElastiCache to replace the group.
    const suffix = new random.RandomId(
      `${name}-id`,
      {
        byteLength: 4,
        keepers: { engine: args.engine, kmsKeyId: key.arn, clusterMode: String(clusterMode) },
      },
      parent,
    );
    const groupId = suffix.hex.apply((hex) => physicalName(name, hex, MAX_IDENTIFIER_LENGTH.elasticache));

    // ElastiCache accepts 16-128 printable characters with few specials; letters and digits suffice.
    const token = new random.RandomPassword(`${name}-auth`, { length: 64, special: false }, parent);
    const secret = new aws.secretsmanager.Secret(
      `${name}-auth`,
      {
        description: `${name}: Redis AUTH token (CACHE-1, APP-4)`,
        kmsKeyId: key.arn,
        recoveryWindowInDays: 30,
        // DR-1: a rebuild's cache is new, with a token of its own.
        tags: { ...tags("auth"), [DR_RECOVERY_TAG]: "regenerated" },
      },
      stateful,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-auth`,
      { secretId: secret.id, secretString: pulumi.secret(token.result) },
      parent,
    );

    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      {
        subnetIds: args.subnetIds,
        description: `${name}: isolated data subnets (NET-4)`,
        tags: tags("subnets"),
      },
      parent,
    );
    const parameterGroup = new aws.elasticache.ParameterGroup(
      `${name}-params`,
      {
        family: engine.family,
        description: `${name}: CACHE-2 LRU eviction and memory headroom`,
        parameters: [
          { name: "maxmemory-policy", value: "allkeys-lru" },
          { name: "reserved-memory-percent", value: String(reservedMemoryPercent) },
          { name: "cluster-enabled", value: clusterMode ? "yes" : "no" },
        ],
        tags: tags("params"),
      },
      parent,
    );
    const logGroups = (["slow-log", "engine-log"] as const).map((type) => ({
      type,
      group: new aws.cloudwatch.LogGroup(
        `${name}-${type}`,
        {
          name: pulumi.interpolate`/aws/elasticache/${groupId}/${type}`,
          retentionInDays: args.logRetentionDays,
          kmsKeyId: args.logsKmsKeyArn,
          tags: tags(type),
        },
        parent,
      ),
    }));

    const group = new aws.elasticache.ReplicationGroup(
      `${name}-group`,
      {
        replicationGroupId: groupId,
        description: `${name}: sessions, rate limits and cache (CACHE-1)`,
        engine: args.engine,
        engineVersion: engine.version,
        nodeType: args.nodeType,
        parameterGroupName: parameterGroup.name,
        port: 6379,
        ...(clusterMode
          ? { clusterMode: "enabled", numNodeGroups: shards, replicasPerNodeGroup: args.replicasPerShard }
          : { clusterMode: "disabled", numCacheClusters: 1 + args.replicasPerShard }),
        automaticFailoverEnabled: replicated,
        multiAzEnabled: replicated,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [args.securityGroupId],
        atRestEncryptionEnabled: true,
        kmsKeyId: key.arn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: pulumi.secret(token.result),
        autoMinorVersionUpgrade: true,
        snapshotRetentionLimit: args.snapshotRetentionDays,
        snapshotWindow: args.snapshotWindow,
        maintenanceWindow: args.maintenanceWindow,
        finalSnapshotIdentifier: groupId.apply(finalSnapshotName),
        logDeliveryConfigurations: logGroups.map(({ type, group: g }) => ({
          destinationType: "cloudwatch-logs",
          destination: g.name,
          logFormat: "json",
          logType: type,
        })),
        tags: tags("group"),
      },
      stateful,
    );

    // The id given, not the group's output: alarms that only name the group start with it
    // rather than after its ~10-minute create (synth/criticalPath.ts).
    this.replicationGroupId = pulumi.output(groupId);
    this.arn = group.arn;
    this.endpoint = clusterMode ? group.configurationEndpointAddress : group.primaryEndpointAddress;
    this.readerEndpoint = clusterMode ? pulumi.output(undefined) : group.readerEndpointAddress;
    this.port = group.port.apply((p) => p ?? 6379);
    this.authTokenSecretArn = secret.arn;
    this.kmsKeyArn = key.arn;
    this.registerOutputs({
      replicationGroupId: this.replicationGroupId,
      arn: this.arn,
      endpoint: this.endpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      authTokenSecretArn: this.authTokenSecretArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
