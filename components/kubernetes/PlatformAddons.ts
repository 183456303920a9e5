import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  ADDON_CHARTS,
  ALERTMANAGER_SERVICE_ACCOUNT,
  AddonChart,
  CLUSTER_ISSUERS,
  GRAFANA_ADMIN_SECRET,
  NODE_EXPORTER_NAMESPACE,
  PrometheusStorage,
  addonNamespaces,
  alertmanagerPublishPolicy,
  certManagerValues,
  clusterIssuer,
  externalSecretsValues,
  INGRESS_CLASS,
  INGRESS_CONTROLLER_SERVICE,
  ingressNginxValues,
  kubePrometheusStackValues,
  podSecurityLabels,
  releaseSettings,
} from "./addonCharts";
import { irsaTrustPolicy } from "./eksIam";

export interface PlatformAddonsArgs {
  /** K8S-1: the cluster's provider, set explicitly on every Kubernetes object (never an ambient kubeconfig). */
  readonly provider: k8s.Provider;
  /** K8S-8: the ACME account e-mail of both Let's Encrypt ClusterIssuers [P §6.4.1]. */
  readonly acmeEmail: string;
  /** SLO-6: Alertmanager's `config` (route and receivers), passed through to the chart. */
  readonly alertmanagerConfig: pulumi.Input<Record<string, unknown>>;
  /** SLO-2, SLO-6: the severity topics Alertmanager publishes to, and only those. */
  readonly alertTopicArns: pulumi.Input<string>[];
  /** SLO-2: the customer-managed key of those topics. */
  readonly alertTopicsKmsKeyArn: pulumi.Input<string>;
  /** K8S-1: the cluster's IAM OIDC provider (IRSA). */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** K8S-1: the OIDC issuer, host and path (with or without https://). */
  readonly oidcIssuer: pulumi.Input<string>;
  /** SLO-6: how long Prometheus keeps samples. @default "15d" */
  readonly prometheusRetention?: string;
  /**
   * SLO-6: a persistent volume for Prometheus's TSDB (needs a StorageClass,
   * e.g. gp3 of the EBS CSI driver add-on). @default none: an emptyDir, so
   * samples (and the retention) last only as long as the pod
   */
  readonly prometheusStorage?: PrometheusStorage;
  /** The Region of the alert topics (KMS use only via SNS there). */
  readonly region: string;
  /** What must exist before anything is scheduled (node group, networking add-ons). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Tags of the AWS resources (Alertmanager's role). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The cluster's platform add-ons, installed by Helm (K8S-8, K8S-10, SLO-6).
 *
 * - A namespace per add-on, labelled for Pod Security Admission at the level
 *   its pods can run under (./addonCharts ADDON_CHARTS, one reason per row):
 *   restricted everywhere except node-exporter's own namespace (privileged:
 *   hostNetwork, hostPID, hostPath).
 * - kube-prometheus-stack first (SLO-6): it installs the Prometheus Operator's
 *   CRDs, which cert-manager's and ingress-nginx's ServiceMonitors need. Prometheus selects every
 *   ServiceMonitor and PrometheusRule in the cluster; Alertmanager routes with
 *   the given config and publishes to the SNS severity topics through an IRSA
 *   role held to exactly those topics and their key; Grafana's admin password
 *   is generated and kept in a Secret, never in the values.
 * - cert-manager with its CRDs and the ClusterIssuers `letsencrypt-prod` and
 *   `letsencrypt-staging` (ACME HTTP-01 through nginx) [P §6.4.1] (K8S-8).
 * - ingress-nginx, ingress class `nginx` (the default) behind an
 *   internet-facing NLB (K8S-3, K8S-8). The Kubernetes project retired
 *   ingress-nginx in March 2026: no releases or security fixes after that;
 *   the pin is its last chart (see ADDON_CHARTS.ingressNginx).
 * - External Secrets with its CRDs (K8S-10).
 *
 * Every Release is pinned to an exact chart version, atomic (a failed install
 * or upgrade rolls back) and waits for readiness; each waits for `dependsOn`
 * (nodes) and its namespace. `crds` are the releases whose CRDs dependents'
 * custom resources must wait for; `ingressController` is the release whose
 * controller serves `ingressClassName`: an Ingress of that class must wait for
 * it, since Pulumi awaits its address (10 minutes) and only that controller
 * publishes it.
 */
export class PlatformAddons extends pulumi.ComponentResource {
  public readonly crds: {
    readonly certManager: k8s.helm.v3.Release;
    readonly externalSecrets: k8s.helm.v3.Release;
    readonly prometheus: k8s.helm.v3.Release;
  };
  /** K8S-3: the ClusterIssuer names an Ingress's `cert-manager.io/cluster-issuer` annotation takes. */
  public readonly clusterIssuers: { readonly prod: string; readonly staging: string };
  /** K8S-7: where the ingress controller runs (app NetworkPolicies admit it). */
  public readonly ingressControllerNamespace: string;
  /** K8S-3: the ingress class the installed controller serves (`nginx`). */
  public readonly ingressClassName: string;
  /**
   * K8S-3: the release installing the controller of `ingressClassName`. An
   * Ingress of that class depends on it: pulumi-kubernetes awaits the
   * Ingress's `.status.loadBalancer` for 10 minutes, and on a fresh cluster
   * the release is ready long after the Ingress could be created.
   */
  public readonly ingressController: k8s.helm.v3.Release;
  /** K8S-3: the ingress NLB's DNS name, the target of every service's DNS record. */
  public readonly ingressHostname: pulumi.Output<string>;
  /** K8S-7, SLO-6: where Prometheus runs (app NetworkPolicies admit its scrapes). */
  public readonly monitoringNamespace: string;
  public readonly alertmanagerRoleArn: pulumi.Output<string>;

  constructor(name: string, args: PlatformAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:kubernetes:PlatformAddons", name, {}, opts);
    const retention = args.prometheusRetention ?? "15d";
    const ready = args.dependsOn ?? [];
    const tags = args.tags ?? {};
    const k8sOpts = { parent: this, provider: args.provider };
    const charts = ADDON_CHARTS;

    const namespaces = new Map(
      addonNamespaces().map((ns) => [
        ns.name,
        new k8s.core.v1.Namespace(
          `${name}-ns-${ns.name}`,
          { metadata: { name: ns.name, labels: podSecurityLabels(ns.podSecurity) } },
          k8sOpts,
        ),
      ]),
    );
    const namespaceOf = (c: AddonChart) => namespaces.get(c.namespace)!;
    const release = (
      role: string,
      c: AddonChart,
      values: pulumi.Input<Record<string, unknown>>,
      after: pulumi.Resource[],
    ) =>
      new k8s.helm.v3.Release(
        `${name}-${role}`,
        { ...releaseSettings(c), values },
        { ...k8sOpts, dependsOn: [...ready, namespaceOf(c), ...after] },
      );

    // SLO-6: Alertmanager's IRSA role: only its service account assumes it; it may publish to the severity topics only.
    const monitoring = charts.kubePrometheusStack.namespace;
    const role = new aws.iam.Role(
      `${name}-alertmanager`,
      {
        description: `Alertmanager (${monitoring}/${ALERTMANAGER_SERVICE_ACCOUNT}) publishes alerts to the severity topics (SLO-6)`,
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcIssuer])
          .apply(([arn, issuer]) =>
            JSON.stringify(irsaTrustPolicy(arn, issuer, monitoring, ALERTMANAGER_SERVICE_ACCOUNT)),
          ),
        tags,
      },
      { parent: this },
    );
    const publish = new aws.iam.RolePolicy(
      `${name}-alertmanager-sns`,
      {
        role: role.name,
        policy: pulumi
          .all([pulumi.all(args.alertTopicArns), args.alertTopicsKmsKeyArn])
          .apply(([topics, key]) => JSON.stringify(alertmanagerPublishPolicy(topics, key, args.region))),
      },
      { parent: this },
    );

    // Grafana's admin password: generated, a Pulumi secret, handed to the chart as an existing Secret.
    const grafanaPassword = new random.RandomPassword(
      `${name}-grafana-admin`,
      { length: 32, special: false },
      { parent: this, additionalSecretOutputs: ["result"] },
    );
    const grafanaAdmin = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace: monitoring },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": pulumi.secret(grafanaPassword.result) },
      },
      { ...k8sOpts, dependsOn: [namespaceOf(charts.kubePrometheusStack)] },
    );

    const prometheus = release(
      "kube-prometheus-stack",
      charts.kubePrometheusStack,
      {
        ...kubePrometheusStackValues({
          retention,
          alertmanagerConfig: args.alertmanagerConfig,
          alertmanagerRoleArn: role.arn,
          storage: args.prometheusStorage,
        }),
      },
      // node-exporter's namespace exists before the chart puts node-exporter in it; Alertmanager
      // starts with its admin Secret there and its role allowed to publish.
      [namespaces.get(NODE_EXPORTER_NAMESPACE.name)!, grafanaAdmin, publish],
    );
    // cert-manager and ingress-nginx create ServiceMonitors (cert-manager's certificate expiry
    // metric feeds SLO-6): they wait for the Prometheus Operator's CRDs.
    const certManager = release("cert-manager", charts.certManager, { ...certManagerValues() }, [prometheus]);
    const ingressNginx = release("ingress-nginx", charts.ingressNginx, { ...ingressNginxValues() }, [
      prometheus,
    ]);
    // K8S-3: the NLB AWS puts in front of the controller's Service: its DNS name is what the
    // services' names point at. The Service is the release's (the chart names it), so it is
    // read, with an id taken from the release's outputs: a read with a known id runs in
    // preview too and fails while the release is not installed (pulumi-kubernetes#2297;
    // `dependsOn` alone does not defer it, #2789). In a preview that installs or upgrades the
    // release, its `status` is unknown (pulumi-kubernetes provider/pkg/provider/helm_release.go,
    // checkpointRelease: `status` computed when isPreview), so the id is unknown, and the engine
    // skips a read whose id is unknown (pulumi/pulumi pkg/resource/deploy/step.go, ReadStep.Apply:
    // "The only time we can't run is if the ID we are given is unknown"). The id records no
    // dependency (@pulumi/pulumi runtime/resource.js readResource sends only `dependsOn` and
    // property dependencies), so `dependsOn` stays: the read is recorded as the release's
    // dependent. No read at all would mean creating the NLB's Service ourselves, outside the
    // chart that owns it.
    const controllerId = pulumi
      .all([ingressNginx.namespace, ingressNginx.status])
      .apply(([namespace]) => `${namespace}/${INGRESS_CONTROLLER_SERVICE}`);
    const controller = k8s.core.v1.Service.get(`${name}-ingress-controller`, controllerId, {
      ...k8sOpts,
      dependsOn: [ingressNginx],
    });
    // No ServiceMonitor (externalSecretsValues), so no wait for Prometheus: the apps' secrets
    // are on the critical path of a fresh create.
    const externalSecrets = release(
      "external-secrets",
      charts.externalSecrets,
      { ...externalSecretsValues() },
      [],
    );

    // K8S-8 [P §6.4.1]: the issuers are cert-manager custom resources: they wait for its CRDs.
    for (const [key, issuer] of Object.entries(CLUSTER_ISSUERS)) {
      new k8s.apiextensions.CustomResource(`${name}-issuer-${key}`, clusterIssuer(issuer, args.acmeEmail), {
        ...k8sOpts,
        dependsOn: [certManager],
      });
    }

    this.crds = { certManager, externalSecrets, prometheus };
    this.clusterIssuers = { prod: CLUSTER_ISSUERS.prod.name, staging: CLUSTER_ISSUERS.staging.name };
    this.ingressControllerNamespace = charts.ingressNginx.namespace;
    this.ingressClassName = INGRESS_CLASS;
    this.ingressController = ingressNginx;
    this.ingressHostname = controller.status.loadBalancer.ingress[0].hostname;
    this.monitoringNamespace = monitoring;
    this.alertmanagerRoleArn = role.arn;
    this.registerOutputs({
      clusterIssuers: this.clusterIssuers,
      ingressControllerNamespace: this.ingressControllerNamespace,
      ingressClassName: this.ingressClassName,
      ingressHostname: this.ingressHostname,
      monitoringNamespace: this.monitoringNamespace,
      alertmanagerRoleArn: this.alertmanagerRoleArn,
    });
  }
}
