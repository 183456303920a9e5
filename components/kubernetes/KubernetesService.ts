import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSecretRef } from "../compute/FargateService";
import type { PolicyStatement } from "../compute/iam";
import { irsaTrustPolicy } from "./eksIam";
import { servicePolicies } from "./networkPolicies";
import {
  ContainerResources,
  DEFAULT_PROBES,
  HTTP_PORT_NAME,
  ProbeTiming,
  externalSecretSpec,
  podTemplate,
  secretStoreSpec,
  unpinnedImage,
  unreadableSecrets,
} from "./podSpec";

/** K8S-3 [P §3.6]: the Service's port; the Ingress sends to it, it forwards to the container's. */
export const SERVICE_PORT = 80;

/** K8S-4 [P §6.5.2]: the HorizontalPodAutoscaler's figures. */
export interface AutoscalingArgs {
  /** K8S-4: 3. */
  readonly minReplicas: number;
  /** K8S-4: 20. */
  readonly maxReplicas: number;
  /** K8S-4: average CPU utilization target, % of requests: 70. */
  readonly cpuPercent: number;
  /** K8S-4: average memory utilization target, % of requests: 80. */
  readonly memoryPercent: number;
  /** K8S-4: 300 s before scaling down. */
  readonly scaleDownStabilizationSeconds: number;
  /** K8S-4: 60 s before scaling up. */
  readonly scaleUpStabilizationSeconds: number;
}

export interface KubernetesServiceArgs {
  /** The cluster; every object names it explicitly (never the ambient kubeconfig). */
  readonly provider: k8s.Provider;
  /** K8S-2: the namespace (AppNamespace.namespace, so everything waits for it). */
  readonly namespace: pulumi.Input<string>;
  /** K8S-6, ECS-1: the image, pinned by a version tag or a digest, never `latest` (checked when a plain string). */
  readonly image: pulumi.Input<string>;
  /** APP-2: the container port: 8000. */
  readonly port: number;
  /** APP-2 [P §4.6.2]: liveness `/health`, readiness `/health/ready`. */
  readonly health: { readonly liveness: string; readonly readiness: string };
  /** K8S-2 [P §3.6]. @default liveness 30 s / 10 s, readiness 10 s / 5 s (DEFAULT_PROBES) */
  readonly probes?: { readonly liveness: ProbeTiming; readonly readiness: ProbeTiming };
  /** K8S-2 [P §3.6]: requests 500m / 1Gi, limits 1000m / 2Gi. */
  readonly resources: ContainerResources;
  /** K8S-4 [P §6.5.2]: 3-20 pods, CPU 70 %, memory 80 %, down after 300 s, up after 60 s. */
  readonly autoscaling: AutoscalingArgs;
  /** K8S-5: pods a voluntary disruption (node drain) must leave ready: 2. */
  readonly minAvailable: number;
  /** K8S-2: old ReplicaSets kept, i.e. how far `kubectl rollout undo` can go back. @default 10 */
  readonly revisionHistoryLimit?: number;
  /** APP-4: plain settings only (ENVIRONMENT, hosts, ports); never a secret. */
  readonly env: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * The runbooks' `alembic upgrade head` as a deploy step: an init container
   * `migrate` runs this command before the app (podSpec.ts `podTemplate`). @default none
   */
  readonly migrateCommand?: readonly string[];
  /** K8S-10, APP-4: environment variables from Secrets Manager, by ARN (and JSON key); values never pass through Pulumi. */
  readonly secrets: readonly ServiceSecretRef[];
  /**
   * ECS-8, K8S-10: the role's whole policy, least privilege as on ECS: the
   * ECS execution role's secret grant (iam.ts `readSecretsStatements`:
   * GetSecretValue on exactly `secrets`, kms:Decrypt on their keys through
   * Secrets Manager only) and the task role's (`taskRolePolicy(...)?.Statement`).
   * Every secret must be readable: checked. @default []
   */
  readonly iamStatements?: pulumi.Input<readonly PolicyStatement[]>;
  /** IRSA: the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** IRSA: the cluster's OIDC issuer URL (with or without `https://`). */
  readonly oidcIssuer: pulumi.Input<string>;
  /** K8S-3: the service's domain: the Ingress host and its certificate's name. */
  readonly host: string;
  /** K8S-3, K8S-8: the ClusterIssuer that signs the certificate [P §3.6: letsencrypt-prod]. */
  readonly clusterIssuer: string;
  /** K8S-3: the Ingress class. @default "nginx" */
  readonly ingressClassName?: string;
  /** K8S-7: where the ingress controller runs (the only source of requests). */
  readonly ingressControllerNamespace: string;
  /** SLO-6: where Prometheus runs (it scrapes /metrics on the app port). */
  readonly monitoringNamespace: string;
  /** K8S-7, NET-3: the data subnets and the data stores' ports (5432, 27017, 6379). */
  readonly dataEgress: { readonly cidrs: readonly string[]; readonly ports: readonly number[] };
  /** K8S-10: the Region of the secrets (the SecretStore's). */
  readonly region: string;
  /** The resources installing the CRDs this service's custom resources need (External Secrets' Helm release). */
  readonly dependsOnCrds: { readonly externalSecrets: pulumi.Input<pulumi.Resource>[] };
  /**
   * What makes the objects Pulumi waits for ready, so each is created after
   * it (and, on destroy, deleted before it):
   * - `nodes` (K8S-2): where pods run: the node group, CNI and CoreDNS
   *   (EksCluster `addons`). The Deployment is awaited until its pods are ready.
   * - `ingressController` (K8S-3): the release installing the controller of
   *   `ingressClassName` (PlatformAddons `ingressController`). The Ingress is
   *   awaited until that controller publishes its address (10 minutes).
   * - `metricsApi` (K8S-4): what serves metrics.k8s.io (EksCluster
   *   `metricsServer`); without it the HPA's CPU and memory targets read
   *   nothing. Empty for a cluster whose owner runs it.
   */
  readonly dependsOnControllers: {
    readonly nodes: readonly pulumi.Input<pulumi.Resource>[];
    readonly ingressController: readonly pulumi.Input<pulumi.Resource>[];
    readonly metricsApi: readonly pulumi.Input<pulumi.Resource>[];
  };
  /** Labels on every Kubernetes object (never part of the selector). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Tags of the IAM role. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An RFC 1035 label: what a Service name must be. */
const DNS_LABEL = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * One API service on Kubernetes (K8S-2..7, K8S-10; APP-2, APP-4; SLO-6).
 * Every object is named after the component (`kubectl logs
 * deployment/<name>` as in [P §3.6.2]):
 *
 * - IRSA (K8S-10, ECS-8): an IAM role only this namespace's `<name>`
 *   service account may assume (./eksIam irsaTrustPolicy), whose policy is
 *   `iamStatements`, checked to let it read every secret (External Secrets
 *   reads them as this role, so no controller holds every app's secrets);
 *   the ServiceAccount names it and mounts no token (./podSpec explains why
 *   IRSA still works).
 * - Secrets (K8S-10) through External Secrets: a namespaced SecretStore on
 *   Secrets Manager authenticated as that service account, and an
 *   ExternalSecret writing the Kubernetes Secret `<name>-secrets`, which the
 *   container reads only through `secretKeyRef`s. Both wait for the CRDs.
 * - Deployment (K8S-2, K8S-6): the ./podSpec template; NO `spec.replicas`:
 *   the HPA owns the count, and a replicas field would reset it to that
 *   number on every `pulumi up` (Kubernetes docs, "Horizontal Pod
 *   Autoscaling", migrating Deployments to autoscaling); a new Deployment
 *   starts with 1 pod until the HPA raises it to minReplicas within seconds.
 *   Rolling updates never take a ready pod away (maxUnavailable 0) and add
 *   25 % (1 of 3, 5 of 20) at a time; `revisionHistoryLimit` old
 *   ReplicaSets stay for `kubectl rollout undo`.
 * - Service ClusterIP 80 -> 8000 and an Ingress (K8S-3) of class nginx with
 *   TLS by cert-manager's ClusterIssuer, HTTP redirected to HTTPS.
 *   pulumi-kubernetes awaits both (a Service until its selector has ready
 *   endpoints, an Ingress until it has an address and its backends have
 *   endpoints: provider/pkg/await/service.go, ingress.go), so the Service
 *   waits for the Deployment and the Ingress for its class's controller.
 * - HPA autoscaling/v2 (K8S-4) and a PodDisruptionBudget (K8S-5) that also
 *   lets drains evict pods that are not ready (`unhealthyPodEvictionPolicy:
 *   AlwaysAllow`, GA in Kubernetes 1.31): a crash-looping pod never blocks a
 *   node upgrade.
 * - NetworkPolicies (K8S-7, ./networkPolicies): the app port from the
 *   ingress controller and Prometheus only; out to the data tier and HTTPS.
 */
export class KubernetesService extends pulumi.ComponentResource {
  public readonly deploymentName: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly serviceAccountName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** The Deployment's selector (and the PDB's, the NetworkPolicies'): what a ServiceMonitor selects. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly namespace: pulumi.Output<string>;
  /** K8S-3, SLO-7: the Ingress; once it is ready the service answers on its host (the uptime check waits for it). */
  public readonly ingress: k8s.networking.v1.Ingress;

  constructor(name: string, args: KubernetesServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:kubernetes:KubernetesService", name, {}, opts);
    const probes = args.probes ?? DEFAULT_PROBES;
    const revisionHistoryLimit = args.revisionHistoryLimit ?? 10;
    const iamStatements = args.iamStatements ?? [];
    const ingressClassName = args.ingressClassName ?? "nginx";
    const labels = args.labels ?? {};
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const k8sOpts = { parent: this, provider: args.provider };

    const problems: string[] = [];
    const a = args.autoscaling;
    if (!DNS_LABEL.test(name))
      problems.push("name must be 1-63 lowercase letters, digits and -, starting with a letter");
    const unpinned = typeof args.image === "string" ? unpinnedImage(args.image) : undefined;
    if (unpinned) problems.push(unpinned);
    if (!HOST.test(args.host)) problems.push(`host ${args.host} is not a DNS name`);
    if (a.minReplicas > a.maxReplicas)
      problems.push(`minReplicas ${a.minReplicas} exceeds maxReplicas ${a.maxReplicas}`);
    if (args.minAvailable >= a.minReplicas)
      problems.push(
        `minAvailable ${args.minAvailable} must be below minReplicas ${a.minReplicas}: node drains would hang (K8S-5)`,
      );
    if (problems.length > 0) throw new Error(`${name}: ${problems.join("; ")}`);

    const selectorLabels = { "app.kubernetes.io/name": name };
    const objectLabels = { ...labels, ...selectorLabels };
    const meta = { name, namespace: args.namespace, labels: objectLabels };
    const secretName = `${name}-secrets`;

    // IRSA: only system:serviceaccount:<namespace>:<name> assumes the role.
    const role = new aws.iam.Role(
      `${name}-irsa`,
      {
        description: `${name}: the service account's AWS permissions on Kubernetes (K8S-10, ECS-8)`,
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcIssuer, args.namespace])
          .apply(([arn, issuer, ns]) => JSON.stringify(irsaTrustPolicy(arn, issuer, ns, name))),
        tags: { ...tags, Name: `${name}-irsa` },
      },
      parent,
    );
    // IAM refuses a policy without statements: a plain [] (and no secrets) means no policy.
    const noStatements = Array.isArray(iamStatements) && iamStatements.length === 0;
    if (noStatements && args.secrets.length > 0)
      throw new Error(
        `${name}: iamStatements must grant reading the ${args.secrets.length} secret(s) (K8S-10)`,
      );
    const rolePolicy = noStatements
      ? undefined
      : new aws.iam.RolePolicy(
          `${name}-irsa`,
          {
            role: role.name,
            policy: pulumi
              .all([
                pulumi.output(args.secrets.map((s) => s.arn)),
                pulumi.output(iamStatements as pulumi.Input<PolicyStatement[]>),
              ])
              .apply(([secretArns, statements]) => {
                const missing = unreadableSecrets(statements, secretArns);
                if (missing.length > 0)
                  throw new Error(
                    `${name}: iamStatements do not grant reading ${missing.join(", ")} (K8S-10)`,
                  );
                if (statements.length === 0) throw new Error(`${name}: iamStatements resolved to none`);
                return JSON.stringify({ Version: "2012-10-17", Statement: statements });
              }),
          },
          parent,
        );

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: { ...meta, annotations: { "eks.amazonaws.com/role-arn": role.arn } },
        automountServiceAccountToken: false,
      },
      k8sOpts,
    );

    // K8S-10: Secrets Manager -> Secret `<name>-secrets`, through External Secrets (external-secrets.io/v1).
    let externalSecret: k8s.apiextensions.CustomResource | undefined;
    if (args.secrets.length > 0) {
      const store = new k8s.apiextensions.CustomResource(
        `${name}-secret-store`,
        {
          apiVersion: "external-secrets.io/v1",
          kind: "SecretStore",
          metadata: meta,
          spec: secretStoreSpec(args.region, serviceAccount.metadata.name),
        },
        {
          ...k8sOpts,
          dependsOn: [...args.dependsOnCrds.externalSecrets, ...(rolePolicy ? [rolePolicy] : [])],
        },
      );
      externalSecret = new k8s.apiextensions.CustomResource(
        `${name}-external-secret`,
        {
          apiVersion: "external-secrets.io/v1",
          kind: "ExternalSecret",
          metadata: meta,
          spec: externalSecretSpec(store.metadata.name, secretName, args.secrets),
        },
        { ...k8sOpts, dependsOn: [...args.dependsOnCrds.externalSecrets, store] },
      );
    }

    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta,
        spec: {
          selector: { matchLabels: selectorLabels },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
          revisionHistoryLimit,
          template: podTemplate({
            labels: objectLabels,
            selectorLabels,
            serviceAccountName: serviceAccount.metadata.name,
            image: args.image,
            port: args.port,
            health: args.health,
            probes,
            resources: args.resources,
            env: args.env,
            secretEnv: args.secrets.map((s) => ({ name: s.name, secretName })),
            ...(args.migrateCommand === undefined ? {} : { migrateCommand: args.migrateCommand }),
          }),
        },
      },
      // Pods start once their Secret exists and there are nodes; Pulumi then waits for the rollout.
      {
        ...k8sOpts,
        dependsOn: [...args.dependsOnControllers.nodes, ...(externalSecret ? [externalSecret] : [])],
      },
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: meta,
        spec: {
          type: "ClusterIP",
          selector: selectorLabels,
          ports: [{ name: HTTP_PORT_NAME, port: SERVICE_PORT, targetPort: args.port, protocol: "TCP" }],
        },
      },
      // Awaited until the Deployment's pods are its ready endpoints.
      { ...k8sOpts, dependsOn: [deployment] },
    );

    const ingress = new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: {
          ...meta,
          annotations: {
            "cert-manager.io/cluster-issuer": args.clusterIssuer,
            // ingress-nginx exempts /.well-known/acme-challenge from the redirect (no-tls-redirect-locations).
            "nginx.ingress.kubernetes.io/ssl-redirect": "true",
            "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
          },
        },
        spec: {
          ingressClassName,
          tls: [{ hosts: [args.host], secretName: `${name}-tls` }],
          rules: [
            {
              host: args.host,
              http: {
                paths: [
                  {
                    path: "/",
                    pathType: "Prefix",
                    backend: { service: { name: service.metadata.name, port: { number: SERVICE_PORT } } },
                  },
                ],
              },
            },
          ],
        },
      },
      // Awaited until the class's controller publishes an address.
      { ...k8sOpts, dependsOn: [...args.dependsOnControllers.ingressController] },
    );

    const utilization = (resource: string, percent: number) => ({
      type: "Resource",
      resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } },
    });
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-hpa`,
      {
        metadata: meta,
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          metrics: [utilization("cpu", a.cpuPercent), utilization("memory", a.memoryPercent)],
          behavior: {
            scaleDown: { stabilizationWindowSeconds: a.scaleDownStabilizationSeconds },
            scaleUp: { stabilizationWindowSeconds: a.scaleUpStabilizationSeconds },
          },
        },
      },
      // Its Resource metrics come from the metrics API.
      { ...k8sOpts, dependsOn: [...args.dependsOnControllers.metricsApi] },
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata: meta,
        spec: {
          minAvailable: args.minAvailable,
          selector: { matchLabels: selectorLabels },
          unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
      },
      k8sOpts,
    );

    for (const row of servicePolicies({
      selectorLabels,
      port: args.port,
      ingressControllerNamespace: args.ingressControllerNamespace,
      monitoringNamespace: args.monitoringNamespace,
      dataEgress: args.dataEgress,
    })) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${row.role}`,
        {
          metadata: {
            ...meta,
            name: `${name}-${row.role}`,
            annotations: { "kubernetes.io/description": row.description },
          },
          spec: row.spec as k8s.types.input.networking.v1.NetworkPolicySpec,
        },
        k8sOpts,
      );
    }

    this.deploymentName = deployment.metadata.name;
    this.serviceName = service.metadata.name;
    this.serviceAccountName = serviceAccount.metadata.name;
    this.roleArn = role.arn;
    this.selectorLabels = selectorLabels;
    this.namespace = deployment.metadata.namespace;
    this.ingress = ingress;
    this.registerOutputs({
      deploymentName: this.deploymentName,
      serviceName: this.serviceName,
      serviceAccountName: this.serviceAccountName,
      roleArn: this.roleArn,
      selectorLabels: this.selectorLabels,
      namespace: this.namespace,
    });
  }
}
