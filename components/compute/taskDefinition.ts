/**
 * The container of a service's ECS task definition, as data (ECS-2, ECS-3,
 * ECS-4, APP-2, APP-4). FargateService serializes exactly what these build;
 * tests and the policy pack read the same shape.
 */

/** APP-2, NET-3: every service listens on 8000. */
export const CONTAINER_PORT = 8000;

/** The app container of a service's task. */
export const CONTAINER_NAME = "app";

/**
 * The migration step: a non-essential container (ECS) or init container
 * (Kubernetes) from the app's image that runs the runbooks' `alembic upgrade
 * head` [H §5 Run Database Migrations; P §3.7.2] before the app starts.
 */
export const MIGRATE_CONTAINER_NAME = "migrate";

/**
 * The migration command by default: both runbooks apply migrations with
 * `alembic upgrade head` ([H] apps/backend, [P] §3.7.2).
 */
export const DEFAULT_MIGRATE_COMMAND: readonly string[] = ["alembic", "upgrade", "head"];

/** ECS-2 (least privilege in the container): the UID:GID the app image runs as (Dockerfile `USER 10001:10001`). */
export const DEFAULT_USER = "10001:10001";

/**
 * The writable scratch volume: FastAPI (request bodies spooled by Starlette's
 * multipart parser) and gunicorn (worker heartbeat files, `--worker-tmp-dir`)
 * write to /tmp, which a read-only root filesystem would refuse. Fargate gives
 * a task volume without a host path as ephemeral task storage. ECS creates
 * that bind mount root-owned 0755 unless the image declares the path with
 * `VOLUME` (ECS Developer Guide, "Bind mount examples"): the image prepares
 * /tmp for its user and declares it (apps/myhibachi-api/Dockerfile).
 */
export const TMP_VOLUME = "tmp";
export const TMP_PATH = "/tmp";

export interface ContainerHealthCheck {
  readonly command: string[];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

/**
 * ECS-3 [P §3.5.2], exactly: `CMD-SHELL curl -f http://localhost:8000/health
 * || exit 1`, every 30 s, 5 s timeout, unhealthy after 3 failures, 60 s to boot.
 */
export function containerHealthCheck(port: number = CONTAINER_PORT, path = "/health"): ContainerHealthCheck {
  return {
    command: ["CMD-SHELL", `curl -f http://localhost:${port}${path} || exit 1`],
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod: 60,
  };
}

/** One `secrets` entry: an environment variable filled from Secrets Manager at task start (APP-4). */
export interface SecretRef {
  /** Environment variable name in the container. */
  readonly name: string;
  /** The secret's ARN. */
  readonly arn: string;
  /** A key of the secret's JSON value (e.g. `password` of the PostgreSQL secret); absent for the whole value. */
  readonly jsonKey?: string;
}

/**
 * ECS's `valueFrom` for a secret: the ARN for the whole value, or
 * `<arn>:<json-key>::` (version stage and id left empty: AWSCURRENT) for one
 * key of a JSON secret (ECS Developer Guide, "Pass Secrets Manager secrets
 * through Amazon ECS environment variables").
 */
export function secretValueFrom(ref: Pick<SecretRef, "arn" | "jsonKey">): string {
  return ref.jsonKey === undefined ? ref.arn : `${ref.arn}:${ref.jsonKey}::`;
}

export interface ContainerSpec {
  readonly image: string;
  readonly port: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretRef[];
  readonly logGroupName: string;
  readonly region: string;
  readonly healthCheck: ContainerHealthCheck;
  readonly user: string;
  readonly readonlyRootFilesystem: boolean;
  /**
   * The migration command run by a `migrate` container before the app
   * starts; absent for none.
   */
  readonly migrateCommand?: readonly string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Problems with a container's environment and secrets, one line each (empty when fine). */
export function environmentProblems(
  environment: Readonly<Record<string, unknown>>,
  secrets: readonly Pick<SecretRef, "name">[],
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of [...Object.keys(environment), ...secrets.map((s) => s.name)]) {
    if (!ENV_NAME.test(name)) problems.push(`${name}: not an environment variable name (letters, digits, _)`);
    if (seen.has(name)) problems.push(`${name}: set twice (environment and secrets are one namespace)`);
    seen.add(name);
  }
  return problems;
}

/**
 * The container definition (ECS RegisterTaskDefinition `containerDefinitions[0]`).
 * Plain values go to `environment`, secrets only as `valueFrom` ARNs (APP-4),
 * both sorted so the JSON (and the task definition revision) only changes when
 * a value does. Logs go to the service's CloudWatch group (ECS-4). The root
 * filesystem is read-only with /tmp on the task's scratch volume, every Linux
 * capability is dropped, and tini (`initProcessEnabled`) reaps the workers.
 */
export function containerDefinition(spec: ContainerSpec): Record<string, unknown> {
  const problems = environmentProblems(spec.environment, spec.secrets);
  if (problems.length > 0) throw new Error(`container ${CONTAINER_NAME}: ${problems.join("; ")}`);
  return {
    name: CONTAINER_NAME,
    image: spec.image,
    essential: true,
    user: spec.user,
    readonlyRootFilesystem: spec.readonlyRootFilesystem,
    portMappings: [{ containerPort: spec.port, hostPort: spec.port, protocol: "tcp", name: "http" }],
    ...runtime(spec, CONTAINER_NAME),
    healthCheck: spec.healthCheck,
    ...(spec.migrateCommand === undefined
      ? {}
      : { dependsOn: [{ containerName: MIGRATE_CONTAINER_NAME, condition: "SUCCESS" }] }),
  };
}

/** What the app and migrate containers share: environment, secrets, /tmp, capabilities, logs. */
function runtime(spec: ContainerSpec, streamPrefix: string): Record<string, unknown> {
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    environment: Object.entries(spec.environment)
      .map(([name, value]) => ({ name, value }))
      .sort(byName),
    secrets: spec.secrets.map((s) => ({ name: s.name, valueFrom: secretValueFrom(s) })).sort(byName),
    mountPoints: spec.readonlyRootFilesystem
      ? [{ sourceVolume: TMP_VOLUME, containerPath: TMP_PATH, readOnly: false }]
      : [],
    linuxParameters: { initProcessEnabled: true, capabilities: { add: [], drop: ["ALL"] } },
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": spec.logGroupName,
        "awslogs-region": spec.region,
        "awslogs-stream-prefix": streamPrefix,
        // Never block the app on a slow log pipe; the buffer absorbs bursts.
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    },
  };
}

/**
 * The migration container (the runbooks' `alembic upgrade head` as a deploy
 * step), or undefined when `spec.migrateCommand` is absent: the same image,
 * user, read-only root with /tmp, environment and secrets as the app, no
 * port, logs under the stream prefix `migrate`. It is not essential: it exits
 * when done, and the app's `dependsOn ... SUCCESS` holds the app until it
 * exited 0. ECS API Reference, ContainerDependency: SUCCESS is COMPLETE (the
 * container ran to completion) plus a zero exit status, and "can't be set on
 * an essential container" (RegisterTaskDefinition refuses it: "A dependency
 * container with SUCCESS or COMPLETE condition cannot be an essential
 * container", boto/boto3#2436). If it exits non-zero the app never starts:
 * the ECS agent stops it with CannotStartContainerError ("dependency did not
 * exit successfully"), and as the app is essential the task stops
 * (aws/amazon-ecs-agent#3218, 2022; older agents left the task PENDING,
 * #2152). The task never reaches RUNNING, so the deployment circuit breaker
 * (ECS-7) fails the deploy and rolls the service back to the last completed
 * deployment (ECS API Reference, DeploymentCircuitBreaker).
 *
 * Every new task runs it, several at once in a rolling deploy (and each
 * scale-out task too): the migrations must be idempotent or serialized.
 * Alembic takes no lock of its own. `upgrade head` is a no-op once the
 * database is at head, and on PostgreSQL alembic runs the migrations in a
 * transaction (transactional DDL), so a runner that races another waits on
 * its locks and then fails on work already done, rolling back; its task is
 * replaced and the next run finds head. The runbooks' apps run plain
 * `alembic upgrade head` [H §5, P §3.7.2] and say nothing of locking or
 * idempotence: that their migrations tolerate a concurrent or repeated run
 * (data backfills guarded) is assumed, not known.
 */
export function migrateContainerDefinition(spec: ContainerSpec): Record<string, unknown> | undefined {
  if (spec.migrateCommand === undefined) return undefined;
  return {
    name: MIGRATE_CONTAINER_NAME,
    image: spec.image,
    essential: false,
    user: spec.user,
    readonlyRootFilesystem: spec.readonlyRootFilesystem,
    command: [...spec.migrateCommand],
    ...runtime(spec, MIGRATE_CONTAINER_NAME),
  };
}

/**
 * ECS-2: the task sizes Fargate accepts (ECS Developer Guide, "Task CPU and
 * memory"): per CPU value, the memory range in MiB and its step.
 */
const FARGATE_SIZES: Readonly<Record<number, { min: number; max: number; step: number }>> = {
  256: { min: 512, max: 2048, step: 1024 }, // 512, 1024, 2048 (checked below)
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** Why Fargate would reject `cpu` units with `memory` MiB, or undefined. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const size = FARGATE_SIZES[cpu];
  if (!size) return `cpu ${cpu}: Fargate takes ${Object.keys(FARGATE_SIZES).join(", ")} CPU units`;
  const ok =
    cpu === 256
      ? [512, 1024, 2048].includes(memory)
      : memory >= size.min && memory <= size.max && (memory - size.min) % size.step === 0;
  return ok
    ? undefined
    : `memory ${memory}: with cpu ${cpu} Fargate takes ${cpu === 256 ? "512, 1024 or 2048" : `${size.min}-${size.max} in steps of ${size.step}`} MiB`;
}
