/**
 * The pod template of a service's Deployment, as data (K8S-2, K8S-6, K8S-10;
 * APP-2, APP-4), where its secrets come from (the External Secrets specs and
 * the grant they need), and the restricted-profile check tests run on it.
 * KubernetesService declares exactly what these build.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../compute/iam";
import {
  CONTAINER_NAME,
  DEFAULT_USER,
  MIGRATE_CONTAINER_NAME,
  TMP_PATH,
  TMP_VOLUME,
  environmentProblems,
} from "../compute/taskDefinition";

/** K8S-3, APP-2: the name of the container port and of the Service port in front of it. */
export const HTTP_PORT_NAME = "http";

const [uid, gid] = DEFAULT_USER.split(":").map(Number);
/** K8S-6: the same non-root UID and GID as the ECS task (the Dockerfile's `USER 10001:10001`). */
export const RUN_AS_USER = uid;
export const RUN_AS_GROUP = gid;

export interface ProbeTiming {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
}

/** K8S-2 [P §3.6]: liveness after 30 s every 10 s, readiness after 10 s every 5 s. */
export const DEFAULT_PROBES: { readonly liveness: ProbeTiming; readonly readiness: ProbeTiming } = {
  liveness: { initialDelaySeconds: 30, periodSeconds: 10 },
  readiness: { initialDelaySeconds: 10, periodSeconds: 5 },
};

/**
 * Seconds a probe request may take: ECS-3's 5 s health-check timeout
 * [P §3.5.2], not Kubernetes' 1 s default, so a busy worker is not restarted
 * by the liveness probe for answering slowly.
 */
export const PROBE_TIMEOUT_SECONDS = 5;

/** K8S-2 [P §3.6]: requests 500m / 1Gi, limits 1000m / 2Gi. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** K8S-10: one environment variable read from a key of the service's synced Secret. */
export interface SecretEnv {
  /** The environment variable (and the Secret's key). */
  readonly name: string;
  /** The Kubernetes Secret External Secrets writes. */
  readonly secretName: string;
}

export interface PodTemplateSpec {
  /** Pod labels: the selector labels and any others. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Deployment's selector: what the topology spread counts. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly serviceAccountName: pulumi.Input<string>;
  readonly image: pulumi.Input<string>;
  readonly port: number;
  readonly health: { readonly liveness: string; readonly readiness: string };
  readonly probes: { readonly liveness: ProbeTiming; readonly readiness: ProbeTiming };
  readonly resources: ContainerResources;
  /** APP-4: plain settings only. */
  readonly env: Readonly<Record<string, pulumi.Input<string>>>;
  /** K8S-10: secrets, by reference to a Secret only. */
  readonly secretEnv: readonly SecretEnv[];
  /**
   * The runbooks' `alembic upgrade head` as a deploy step: an init container
   * `migrate` runs it before the app starts; absent for none.
   */
  readonly migrateCommand?: readonly string[];
}

/**
 * K8S-2: spread across zones and nodes. Zones are a hard constraint
 * (DoNotSchedule) so that three pods never share one AZ; `nodeTaintsPolicy:
 * Honor` leaves the tainted (unreachable, not-ready) nodes of a failed AZ out
 * of the count, so the pods it lost reschedule into the healthy AZs instead
 * of waiting for it. Nodes are a soft one (ScheduleAnyway): up to 20 pods
 * (K8S-4) may outnumber the nodes. `matchLabelKeys: [pod-template-hash]`
 * counts each ReplicaSet on its own, so a rollout's old pods do not skew
 * where the new ones go.
 */
export function topologySpread(
  selectorLabels: Readonly<Record<string, string>>,
): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  const labelSelector = { matchLabels: { ...selectorLabels } };
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      nodeTaintsPolicy: "Honor",
      labelSelector,
      matchLabelKeys: ["pod-template-hash"],
    },
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector,
      matchLabelKeys: ["pod-template-hash"],
    },
  ];
}

/** K8S-6: the container's restricted security context, as the ECS task's (non-root, read-only, no capabilities). */
export function containerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
  };
}

/** K8S-6: the pod's: a fixed non-root UID/GID, volumes owned by that group, the runtime's default seccomp profile. */
export function podSecurityContext(): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
    runAsGroup: RUN_AS_GROUP,
    fsGroup: RUN_AS_GROUP,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

const httpProbe = (path: string, port: number, t: ProbeTiming) => ({
  httpGet: { path, port },
  initialDelaySeconds: t.initialDelaySeconds,
  periodSeconds: t.periodSeconds,
  timeoutSeconds: PROBE_TIMEOUT_SECONDS,
});

/**
 * The pod template (K8S-2, K8S-6, K8S-10): one container `app` with the
 * image, port 8000 named http, liveness on /health and readiness on
 * /health/ready, the K8S-2 requests and limits, plain `env` values and
 * secrets only as `secretKeyRef`s (both sorted, so the template only changes
 * when a value does), a read-only root filesystem with /tmp on an emptyDir
 * (FastAPI and gunicorn write there, as on ECS), the restricted security
 * contexts, and the topology spread.
 *
 * No service-account token is mounted (`automountServiceAccountToken:
 * false`): the app never calls the Kubernetes API. IRSA still works: EKS's
 * pod identity webhook adds its own projected `aws-iam-token` volume for the
 * annotated service account whatever this setting
 * (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go), and External
 * Secrets requests its tokens through the TokenRequest API, not from a pod.
 * `enableServiceLinks: false` keeps Kubernetes from adding every Service of
 * the namespace to the environment.
 */
export function podTemplate(spec: PodTemplateSpec): k8s.types.input.core.v1.PodTemplateSpec {
  const problems = environmentProblems(spec.env, spec.secretEnv);
  if (problems.length > 0) throw new Error(`container ${CONTAINER_NAME}: ${problems.join("; ")}`);
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  const env = [
    ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
    ...spec.secretEnv.map((s) => ({
      name: s.name,
      valueFrom: { secretKeyRef: { name: s.secretName, key: s.name } },
    })),
  ].sort(byName);
  const resources = {
    requests: { ...spec.resources.requests },
    limits: { ...spec.resources.limits },
  };
  const volumeMounts = [{ name: TMP_VOLUME, mountPath: TMP_PATH }];
  // The migration step (ECS: taskDefinition.ts `migrateContainerDefinition`): same image,
  // env and secrets, restricted context, resources and /tmp; the app container starts only
  // once it exited 0, else the pod restarts it with back-off and the rollout stalls (old
  // ReplicaSet kept, maxUnavailable 0). Every new pod runs it, several at once in a
  // rollout: the migrations must be idempotent or serialized. Alembic's `upgrade head` is
  // a no-op at head and PostgreSQL runs each migration in a transaction, so a racing
  // runner fails and retries; the runbooks' apps add no lock of their own [H §5, P §3.7.2],
  // so a migration unsafe to run twice is assumed to guard itself.
  const initContainers =
    spec.migrateCommand === undefined
      ? []
      : [
          {
            name: MIGRATE_CONTAINER_NAME,
            image: spec.image,
            command: [...spec.migrateCommand],
            env,
            resources,
            securityContext: containerSecurityContext(),
            volumeMounts,
          },
        ];
  return {
    metadata: { labels: { ...spec.labels } },
    spec: {
      serviceAccountName: spec.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(),
      topologySpreadConstraints: topologySpread(spec.selectorLabels),
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [
        {
          name: CONTAINER_NAME,
          image: spec.image,
          ports: [{ name: HTTP_PORT_NAME, containerPort: spec.port, protocol: "TCP" }],
          env,
          resources,
          livenessProbe: httpProbe(spec.health.liveness, spec.port, spec.probes.liveness),
          readinessProbe: httpProbe(spec.health.readiness, spec.port, spec.probes.readiness),
          securityContext: containerSecurityContext(),
          volumeMounts,
        },
      ],
      volumes: [{ name: TMP_VOLUME, emptyDir: {} }],
    },
  };
}

/* ---------- K8S-10: where the pod's secrets come from ---------- */

/** K8S-10: how often External Secrets re-reads Secrets Manager (pods read env at start: a rotation needs `kubectl rollout restart`). */
export const SECRET_REFRESH_INTERVAL = "1h";

/** K8S-10: one secret by ARN (and JSON key), as FargateService's ServiceSecretRef. */
export interface SecretSource {
  /** The environment variable, and the synced Secret's key. */
  readonly name: string;
  readonly arn: pulumi.Input<string>;
  readonly jsonKey?: string;
}

/**
 * K8S-10: a namespaced SecretStore (external-secrets.io/v1) on Secrets
 * Manager that authenticates as `serviceAccount`: External Secrets assumes
 * the role on its `eks.amazonaws.com/role-arn` annotation with a token it
 * requests for it (IRSA), so the store reads what that service may, no more.
 * Field names: ESO apis/externalsecrets/v1/secretstore_aws_types.go.
 */
export function secretStoreSpec(region: string, serviceAccount: pulumi.Input<string>) {
  return {
    provider: {
      aws: {
        service: "SecretsManager",
        region,
        auth: { jwt: { serviceAccountRef: { name: serviceAccount } } },
      },
    },
  };
}

/**
 * K8S-10: the ExternalSecret writing Secret `secretName` with one key per
 * environment variable (`secretKeyRef`s in `podTemplate` name the same keys),
 * read from Secrets Manager by ARN and JSON property. The Secret is owned by
 * the ExternalSecret (`creationPolicy: Owner`): it goes when the
 * ExternalSecret does. Field names: ESO apis/externalsecrets/v1/externalsecret_types.go.
 */
export function externalSecretSpec(
  store: pulumi.Input<string>,
  secretName: string,
  secrets: readonly SecretSource[],
) {
  return {
    refreshInterval: SECRET_REFRESH_INTERVAL,
    secretStoreRef: { kind: "SecretStore", name: store },
    target: { name: secretName, creationPolicy: "Owner" },
    data: secrets.map((s) => ({
      secretKey: s.name,
      remoteRef: { key: s.arn, ...(s.jsonKey === undefined ? {} : { property: s.jsonKey }) },
    })),
  };
}

/**
 * K8S-10: the secret ARNs `statements` do not let the role read
 * (`secretsmanager:GetSecretValue` allowed on that exact ARN). External
 * Secrets reads them with the service's own role, so each must be granted
 * (iam.ts `readSecretsStatements` builds the grant).
 */
export function unreadableSecrets(
  statements: readonly PolicyStatement[],
  secretArns: readonly string[],
): string[] {
  const list = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
  const readable = new Set(
    statements
      .filter((st) => st.Effect === "Allow" && list(st.Action).includes("secretsmanager:GetSecretValue"))
      .flatMap((st) => list(st.Resource)),
  );
  return secretArns.filter((arn) => !readable.has(arn));
}

/**
 * K8S-6, ECS-1: why an image reference is not pinned (no tag means
 * `latest`; `latest` moves), or undefined for a version tag or a digest.
 */
export function unpinnedImage(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  const tag = colon < 0 ? "" : image.slice(colon + 1);
  if (tag === "") return `image ${image} has no tag (it means latest): pin a version tag or a digest`;
  if (tag.toLowerCase() === "latest")
    return `image ${image} uses the latest tag: pin a version tag or a digest`;
  return undefined;
}

/* ---------- the restricted profile, checked ---------- */

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Volume types the restricted Pod Security Standard allows (Kubernetes
 * docs, "Pod Security Standards", Restricted: Volume Types).
 */
export const RESTRICTED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
] as const;

/**
 * K8S-6: what keeps a pod template from the restricted Pod Security Standard
 * (plus K8S-6's read-only root filesystem and this platform's fixed non-root
 * UID, GID and fsGroup), one line per problem; empty when it complies. Reads
 * recorded (plain) inputs; a container's own setting overrides the pod's.
 */
export function restrictedViolations(template: unknown): string[] {
  const spec = obj(obj(template).spec);
  const pod = obj(spec.securityContext);
  const problems: string[] = [];
  for (const k of ["hostNetwork", "hostPID", "hostIPC"] as const)
    if (spec[k] === true) problems.push(`pod: ${k} is true`);
  if (pod.runAsNonRoot !== true) problems.push("pod: securityContext.runAsNonRoot is not true");
  for (const k of ["runAsUser", "runAsGroup", "fsGroup"] as const) {
    const v = pod[k];
    if (typeof v !== "number" || v <= 0) problems.push(`pod: securityContext.${k} is not a non-root id`);
  }
  if (obj(pod.seccompProfile).type !== "RuntimeDefault")
    problems.push("pod: securityContext.seccompProfile.type is not RuntimeDefault");
  for (const v of arr(spec.volumes).map(obj)) {
    const kinds = Object.keys(v).filter((k) => k !== "name");
    const bad = kinds.filter((k) => !(RESTRICTED_VOLUME_TYPES as readonly string[]).includes(k));
    if (bad.length > 0) problems.push(`pod: volume ${String(v.name)} is ${bad.join(", ")}`);
  }
  const containers = [
    ...arr(spec.initContainers).map((c) => ["init container", c] as const),
    ...arr(spec.containers).map((c) => ["container", c] as const),
    ...arr(spec.ephemeralContainers).map((c) => ["ephemeral container", c] as const),
  ];
  if (arr(spec.containers).length === 0) problems.push("pod: no containers");
  for (const [kind, c] of containers) {
    const container = obj(c);
    const label = `${kind} ${String(container.name)}`;
    const sc = obj(container.securityContext);
    const caps = obj(sc.capabilities);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${label}: runAsNonRoot is not true`);
    if (sc.runAsUser === 0 || sc.runAsGroup === 0) problems.push(`${label}: runs as root (id 0)`);
    if (sc.privileged === true) problems.push(`${label}: privileged is true`);
    if (sc.allowPrivilegeEscalation !== false)
      problems.push(`${label}: allowPrivilegeEscalation is not false`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${label}: readOnlyRootFilesystem is not true`);
    if (!arr(caps.drop).includes("ALL")) problems.push(`${label}: capabilities.drop does not include ALL`);
    if (arr(caps.add).length > 0) problems.push(`${label}: capabilities.add is ${arr(caps.add).join(", ")}`);
    const seccomp = obj(sc.seccompProfile).type;
    if (seccomp !== undefined && seccomp !== "RuntimeDefault")
      problems.push(`${label}: seccompProfile.type is ${String(seccomp)}`);
    if (arr(container.ports).some((p) => obj(p).hostPort !== undefined && obj(p).hostPort !== 0))
      problems.push(`${label}: uses a hostPort`);
  }
  return problems;
}
