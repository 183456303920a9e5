/**
 * APP-3, K8S-1..10, SLO-6: the stack's services with compute "kubernetes":
 * the cluster (EKS created here, or an existing one by kubeconfig), the
 * platform add-ons, the app namespace and, per service, its workload and
 * monitoring. Every Kubernetes object goes through the one explicit provider
 * made here; nothing reads an ambient kubeconfig. Nothing branches on the
 * environment: every figure is in `cfg`.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, readSecretsStatements, taskRolePolicy } from "../components/compute/iam";
import { AppNamespace } from "../components/kubernetes/AppNamespace";
import { EksCluster } from "../components/kubernetes/EksCluster";
import { KubernetesService } from "../components/kubernetes/KubernetesService";
import { PlatformAddons } from "../components/kubernetes/PlatformAddons";
import { ServiceMonitoring } from "../components/kubernetes/ServiceMonitoring";
import { alertmanagerConfig } from "../components/kubernetes/alertmanager";
import { DEFAULT_DATA_PORTS } from "../components/network/securityTiers";
import { KmsKey } from "../components/security/KmsKey";
import type { PlatformConfig, ServiceSettings } from "./config";
import { serviceAlarms, serviceDashboard } from "./observability";
import { ServicesInputs, serviceArtifacts, serviceWiring } from "./services";

/** What the stack exports per Kubernetes service. */
export interface KubernetesServiceOutputs {
  readonly url: string;
  /** K8S-3: the ingress NLB's DNS name the service's record points at (DR cutover target). */
  readonly ingressHostname: pulumi.Output<string>;
  /** K8S-1: the EKS cluster (`aws eks update-kubeconfig --name`); absent for an existing cluster. */
  readonly clusterName?: pulumi.Output<string>;
  readonly namespace: pulumi.Output<string>;
  readonly deploymentName: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string>;
  readonly image: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  /** APP-4: where operators put each secret's value (docs/services.md). */
  readonly secretArns: Readonly<Record<string, pulumi.Output<string>>>;
}

/** The cluster the services run on, however it came to be. */
interface Cluster {
  readonly provider: k8s.Provider;
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The issuer's host and path, without https:// (IRSA trust conditions). */
  readonly oidcIssuer: pulumi.Input<string>;
  /** What must exist before anything is scheduled (nodes, networking add-ons). */
  readonly ready: pulumi.Resource[];
  /** K8S-4: what serves metrics.k8s.io for the HPAs (the metrics-server add-on); none for an existing cluster. */
  readonly metricsApi: pulumi.Resource[];
  readonly clusterName?: pulumi.Output<string>;
}

/** The issuer host/path of an IAM OIDC provider ARN (`…:oidc-provider/<host/path>`). */
export function issuerOf(oidcProviderArn: string): string {
  return oidcProviderArn.slice(oidcProviderArn.indexOf(":oidc-provider/") + ":oidc-provider/".length);
}

function buildCluster(cfg: PlatformConfig, prefix: string, inputs: ServicesInputs): Cluster {
  const k = cfg.kubernetes;
  if (k.existingCluster !== undefined) {
    // K8S-1: an existing cluster; its kubeconfig is a stack secret.
    const provider = new k8s.Provider(`${prefix}-k8s`, {
      kubeconfig: pulumi.secret(k.existingCluster.kubeconfig),
      enableServerSideApply: true,
    });
    return {
      provider,
      oidcProviderArn: k.existingCluster.oidcProviderArn,
      oidcIssuer: issuerOf(k.existingCluster.oidcProviderArn),
      ready: [],
      // The cluster's owner runs its metrics API, if any.
      metricsApi: [],
    };
  }
  const secretsKey = new KmsKey(
    `${prefix}-eks-secrets`,
    {
      description: `${prefix}: EKS secrets envelope encryption (K8S-1)`,
      alias: `${prefix}/eks-secrets`,
      tags: inputs.tags,
    },
    { protect: cfg.protectStateful },
  );
  // K8S-1: the nodes' root volumes under a key of their own, which EC2 Auto Scaling may use.
  const nodesKey = new KmsKey(
    `${prefix}-eks-nodes`,
    {
      description: `${prefix}: EKS node volumes (K8S-1)`,
      alias: `${prefix}/eks-nodes`,
      allowEc2AutoScaling: true,
      tags: inputs.tags,
    },
    { protect: cfg.protectStateful },
  );
  const cluster = new EksCluster(`${prefix}-eks`, {
    kubernetesVersion: k.version,
    vpcId: inputs.network.vpcId,
    subnetIds: inputs.network.appSubnetIds,
    appSecurityGroupId: inputs.network.securityGroupIds.app,
    publicAccessCidrs: k.publicAccessCidrs,
    privateAccessCidrs: k.privateAccessCidrs,
    privateAccessSecurityGroupIds: k.privateAccessSecurityGroupIds,
    adminRoleArns: k.adminRoleArns,
    developerRoleArns: k.developerRoleArns,
    nodeGroup: k.nodeGroup,
    logRetentionDays: cfg.logRetentionDays,
    logsKmsKeyArn: inputs.logsKmsKeyArn,
    secretsKmsKeyArn: secretsKey.arn,
    nodeVolumeKmsKeyArn: nodesKey.arn,
    region: cfg.region,
    tags: inputs.tags,
  });
  // K8S-1: the kubeconfig runs `aws eks get-token` as whoever runs Pulumi (no --role-arn): a
  // role in kubernetes.adminRoleArns (an operator's, CI's deploy and preview roles: docs/ci.md).
  // The cluster grants nothing else (API auth mode, no creator admin), so the provider (and with
  // it every Kubernetes object) waits for every access entry and association: its first calls
  // would race them (401/403), and on destroy the grants would go in the first wave, before
  // the objects they let Pulumi delete.
  const provider = new k8s.Provider(
    `${prefix}-k8s`,
    { kubeconfig: cluster.kubeconfig, enableServerSideApply: true },
    { dependsOn: [...cluster.access] },
  );
  return {
    provider,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    ready: [...cluster.addons],
    metricsApi: [cluster.metricsServer],
    clusterName: cluster.clusterName,
  };
}

/** K8S-1..10, SLO-6: the stack's Kubernetes services by name; empty when none sets compute "kubernetes". */
export function buildKubernetesServices(inputs: ServicesInputs): Record<string, KubernetesServiceOutputs> {
  const { cfg, prefix, alerts, tags } = inputs;
  const services = Object.entries(cfg.services).filter(([, s]) => s.compute === "kubernetes");
  if (services.length === 0) return {};
  const k = cfg.kubernetes;
  const cluster = buildCluster(cfg, prefix, inputs);

  const topics = alerts.home;
  // SLO-6: Alertmanager routes the severities to the topics the CloudWatch alarms notify (SLO-2).
  const addons = new PlatformAddons(`${prefix}-addons`, {
    provider: cluster.provider,
    // Required by config whenever a service runs on Kubernetes (checkKubernetes).
    acmeEmail: k.acmeEmail!,
    alertmanagerConfig: pulumi
      .all([topics.page, topics.ticket, topics.info])
      .apply(([page, ticket, info]) =>
        alertmanagerConfig({ region: cfg.region, topicArns: { page, ticket, info } }),
      ),
    alertTopicArns: [topics.page, topics.ticket, topics.info],
    alertTopicsKmsKeyArn: alerts.homeKmsKeyArn,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    region: cfg.region,
    dependsOn: cluster.ready,
    tags,
  });
  const namespace = new AppNamespace(`${prefix}-ns`, {
    provider: cluster.provider,
    namespace: k.namespace,
    ingressControllerNamespace: addons.ingressControllerNamespace,
  });

  return Object.fromEntries(
    services.map(([name, settings]) => [
      name,
      buildService(inputs, name, settings, cluster, addons, namespace),
    ]),
  );
}

function buildService(
  inputs: ServicesInputs,
  name: string,
  settings: ServiceSettings,
  cluster: Cluster,
  addons: PlatformAddons,
  namespace: AppNamespace,
): KubernetesServiceOutputs {
  const { cfg, prefix, data } = inputs;
  const base = `${prefix}-${name}`;
  const tags = { ...inputs.tags, Service: name };
  const { repository, image, own } = serviceArtifacts(cfg, prefix, name, settings, inputs.tags);
  const { environment, secrets, secretKmsKeyArns, buckets } = serviceWiring(cfg, settings, data, own);

  // K8S-10, ECS-8: the pod's role may do what the ECS task role may (its buckets) and what
  // the ECS execution role reads for it (exactly its secrets); External Secrets reads them
  // with the pod's own service account, so no controller holds every app's secrets.
  const iamStatements: pulumi.Output<PolicyStatement[]> = pulumi
    .all([
      pulumi.all(secrets.map((s) => s.arn)),
      pulumi.all(secretKmsKeyArns),
      pulumi.all(buckets.map((b) => pulumi.all([b.arn, b.kmsKeyArn]))),
    ])
    .apply(([secretArns, keyArns, bucketPairs]) => {
      const readSecrets = readSecretsStatements(cfg.region, secretArns, keyArns);
      const app = taskRolePolicy(
        cfg.region,
        bucketPairs.map(([arn, kmsKeyArn]) => ({ arn, kmsKeyArn })),
      );
      return [...readSecrets, ...(app?.Statement ?? [])];
    });

  const workload = new KubernetesService(base, {
    provider: cluster.provider,
    namespace: namespace.namespace,
    image: image.imageRef,
    port: settings.port,
    health: settings.health,
    resources: { requests: settings.pod.requests, limits: settings.pod.limits },
    ...(settings.migrate ? { migrateCommand: settings.migrate.command } : {}),
    autoscaling: {
      minReplicas: settings.minCount,
      maxReplicas: settings.maxCount,
      cpuPercent: settings.scaling.cpuPercent,
      memoryPercent: settings.scaling.memoryPercent,
      scaleDownStabilizationSeconds: settings.scaling.scaleInCooldownSeconds,
      scaleUpStabilizationSeconds: settings.scaling.scaleOutCooldownSeconds,
    },
    minAvailable: settings.pod.minAvailable,
    env: environment,
    secrets,
    iamStatements,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    host: settings.domain,
    clusterIssuer: cfg.kubernetes.clusterIssuer,
    ingressClassName: addons.ingressClassName,
    ingressControllerNamespace: addons.ingressControllerNamespace,
    monitoringNamespace: addons.monitoringNamespace,
    dataEgress: { cidrs: inputs.network.dataSubnetCidrs, ports: DEFAULT_DATA_PORTS },
    region: cfg.region,
    dependsOnCrds: { externalSecrets: [addons.crds.externalSecrets] },
    dependsOnControllers: {
      nodes: cluster.ready,
      ingressController: [addons.ingressController],
      metricsApi: cluster.metricsApi,
    },
    tags,
  });
  // SLO-6: the same SLO rows as the CloudWatch side, as Prometheus rules.
  new ServiceMonitoring(`${base}-monitoring`, {
    provider: cluster.provider,
    namespace: namespace.namespace,
    service: name,
    selectorLabels: workload.selectorLabels,
    slo: settings.slo,
    // SLO-5: the dashboard's ConfigMap goes where Grafana's sidecar looks.
    dashboardNamespace: addons.monitoringNamespace,
    // SLO-3: the same platform rows as the CloudWatch side (5xx page line, memory, certificate).
    platform: { ...cfg.alarms.service, certificate: cfg.alarms.certificate },
    deployment: workload.deploymentName,
    // cert-manager names the Certificate after the Ingress's TLS secret.
    certificateName: `${base}-tls`,
    runbookBaseUrl: cfg.alerting.runbookBaseUrl,
    dependsOnCrds: [addons.crds.prometheus],
  });

  // K8S-3: the service's name points at the ingress NLB (cert-manager's HTTP-01 challenge
  // reaches the cluster by it too).
  let record: aws.route53.Record | undefined;
  if (settings.dnsRecord) {
    const zone = aws.route53.getZoneOutput({ name: settings.hostedZone, privateZone: false });
    record = new aws.route53.Record(`${base}-dns`, {
      zoneId: zone.zoneId,
      name: settings.domain,
      type: "CNAME",
      ttl: 60,
      records: [addons.ingressHostname],
    });
  }

  // SLO-1, SLO-7: what Prometheus cannot see: database latency and the Route 53 uptime check,
  // which probes the name once it resolves (when this stack owns it) and the Ingress serves.
  serviceAlarms(cfg, base, name, settings, inputs.alerts, data, tags, [
    ...(record ? [record] : []),
    workload.ingress,
  ]);
  // SLO-5: the data tier's panels Grafana's Prometheus cannot draw (database connections,
  // cache hit rate) on the service's CloudWatch dashboard (serviceDashboard says why).
  serviceDashboard(cfg, base, settings, data);

  return {
    url: `https://${settings.domain}`,
    ...(cluster.clusterName ? { clusterName: cluster.clusterName } : {}),
    ingressHostname: addons.ingressHostname,
    namespace: workload.namespace,
    deploymentName: workload.deploymentName,
    repositoryUrl: repository.repositoryUrl,
    image: image.imageRef,
    roleArn: workload.roleArn,
    secretArns: own?.secretArns ?? {},
  };
}
