/**
 * K8S-8, K8S-10, SLO-6: the platform add-ons installed by Helm, as data: the
 * pinned charts, the Pod Security Admission level of each namespace (with the
 * reason), the values each chart gets, the ClusterIssuers and Alertmanager's
 * IAM policy. PlatformAddons declares exactly these; tests read the same table.
 *
 * Every version and values key below was read in the chart's own repository
 * at the release tag (values.yaml, templates/); the tag is named next to each pin.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../compute/iam";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** The Pod Security Admission labels of a namespace: enforced, audited and warned at one level. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/warn": level,
  };
}

/** The controller Service ingress-nginx's chart names `<release>-controller` (release "ingress-nginx"). */
export const INGRESS_CONTROLLER_SERVICE = "ingress-nginx-controller";

export type AddonKey = "certManager" | "ingressNginx" | "kubePrometheusStack" | "externalSecrets";

export interface AddonChart {
  /** The Helm release name: fixed, so object names (services, service accounts) are stable. */
  readonly name: string;
  readonly repo: string;
  readonly chart: string;
  /** An exact chart version (never a range). */
  readonly version: string;
  readonly namespace: string;
  /** The Pod Security Admission level the chart's pods run under, and why that one. */
  readonly podSecurity: PodSecurityLevel;
  readonly why: string;
  /** Seconds Helm waits for the release to be ready before rolling it back (atomic). */
  readonly timeoutSeconds: number;
}

/**
 * The pinned charts. Each `version` is the chart's release tag in its
 * repository (the tag chart-releaser creates when it publishes that version).
 */
export const ADDON_CHARTS: Readonly<Record<AddonKey, AddonChart>> = {
  // K8S-8. github.com/cert-manager/cert-manager tag v1.21.1 (2026-07-29), deploy/charts/cert-manager:
  // the chart version is the app version, with the "v".
  certManager: {
    name: "cert-manager",
    repo: "https://charts.jetstack.io",
    chart: "cert-manager",
    version: "v1.21.1",
    namespace: "cert-manager",
    podSecurity: "restricted",
    why: "controller, webhook, cainjector and startupapicheck run non-root with seccomp RuntimeDefault, no privilege escalation and ALL capabilities dropped (values.yaml securityContext/containerSecurityContext)",
    timeoutSeconds: 600,
  },
  // K8S-8. github.com/kubernetes/ingress-nginx tag helm-chart-4.15.1 (2026-03-19, controller v1.15.1).
  // RETIRED: the Kubernetes project ended ingress-nginx's best-effort maintenance in March 2026
  // (kubernetes.io/blog/2025/11/11/ingress-nginx-retirement; the repository README): no further
  // releases or security fixes. 4.15.1 is the last chart. Kept only because K8S-3/K8S-8 name
  // ingress class nginx; the way out is a Gateway API implementation.
  ingressNginx: {
    name: "ingress-nginx",
    repo: "https://kubernetes.github.io/ingress-nginx",
    chart: "ingress-nginx",
    version: "4.15.1",
    namespace: "ingress-nginx",
    podSecurity: "restricted",
    why: "the controller binds 80/443 as uid 101 by dropping ALL capabilities and adding back only NET_BIND_SERVICE, the one capability the restricted profile allows; it is non-root with seccomp RuntimeDefault and no privilege escalation (templates/_helpers.tpl controller.containerSecurityContext); hostNetwork and hostPort stay off",
    timeoutSeconds: 900,
  },
  // SLO-6. github.com/prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 (2026-08-21,
  // prometheus-operator v0.93.1; subcharts kube-state-metrics 8.4.0, prometheus-node-exporter 4.56.1,
  // grafana 12.11.1 from grafana-community/helm-charts).
  kubePrometheusStack: {
    name: "kube-prometheus-stack",
    repo: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "88.5.3",
    namespace: "monitoring",
    podSecurity: "restricted",
    why: "operator, Prometheus, Alertmanager, kube-state-metrics, Grafana and the admission-webhook jobs run non-root with seccomp RuntimeDefault and ALL capabilities dropped; node-exporter, the one pod that needs the host, is moved to its own namespace (NODE_EXPORTER_NAMESPACE)",
    timeoutSeconds: 900,
  },
  // K8S-10. github.com/external-secrets/external-secrets tag helm-chart-2.9.0 (2026-08-08, app v2.9.0),
  // deploy/charts/external-secrets.
  externalSecrets: {
    name: "external-secrets",
    repo: "https://charts.external-secrets.io",
    chart: "external-secrets",
    version: "2.9.0",
    namespace: "external-secrets",
    podSecurity: "restricted",
    why: "controller, webhook and cert-controller run as uid 1000, non-root, read-only root filesystem, seccomp RuntimeDefault, ALL capabilities dropped (values.yaml securityContext)",
    timeoutSeconds: 600,
  },
};

/**
 * SLO-5: how a service's dashboard reaches Grafana. The grafana subchart's
 * dashboard sidecar loads every ConfigMap labelled `label: labelValue` in the
 * namespaces it searches (grafana 12.11.1 values.yaml `sidecar.dashboards`,
 * templates/_pod.tpl: `searchNamespace` joined into the sidecar's NAMESPACE).
 * kube-prometheus-stack 88.5.3 sets the label `grafana_dashboard: "1"` and
 * `searchNamespace: ALL`; kubePrometheusStackValues keeps the label and
 * narrows the search to Grafana's own namespace, where the chart's dashboards
 * are too, and ServiceMonitoring creates the services' dashboards there. With
 * ALL, anyone who may create a ConfigMap in any namespace could publish a
 * dashboard (panels, links) to every Grafana user. The panels query the
 * datasource the chart provisions, uid `prometheus`
 * (`grafana.sidecar.datasources.uid`), pinned here as well.
 */
export const GRAFANA_DASHBOARDS = {
  label: "grafana_dashboard",
  labelValue: "1",
  namespace: ADDON_CHARTS.kubePrometheusStack.namespace,
  datasourceUid: "prometheus",
} as const;

/**
 * SLO-6: prometheus-node-exporter (a kube-prometheus-stack subchart) reads the
 * node itself: hostNetwork, hostPID and hostPath mounts of /, /proc and /sys
 * (charts/prometheus-node-exporter values.yaml). Pod Security "baseline"
 * already forbids all three, so only "privileged" admits it. It gets a
 * namespace of its own (the subchart's `namespaceOverride`), so the rest of
 * monitoring stays restricted and no one who may create pods in `monitoring`
 * gets the host.
 */
export const NODE_EXPORTER_NAMESPACE = {
  name: "node-exporter",
  podSecurity: "privileged" as PodSecurityLevel,
  why: "node-exporter needs hostNetwork, hostPID and hostPath (/, /proc, /sys), which baseline and restricted forbid",
} as const;

/** Every namespace the add-ons create, with its level and the reason (one row each). */
export function addonNamespaces(): { name: string; podSecurity: PodSecurityLevel; why: string }[] {
  return [
    ...Object.values(ADDON_CHARTS).map((c) => ({
      name: c.namespace,
      podSecurity: c.podSecurity,
      why: c.why,
    })),
    { ...NODE_EXPORTER_NAMESPACE },
  ];
}

/** The settings every Release shares: exact pin, no implicit namespace, roll back on failure, wait for readiness. */
export function releaseSettings(c: AddonChart) {
  return {
    name: c.name,
    chart: c.chart,
    version: c.version,
    repositoryOpts: { repo: c.repo },
    namespace: c.namespace,
    // The namespaces are PlatformAddons' own, labelled for Pod Security.
    createNamespace: false,
    atomic: true,
    cleanupOnFail: true,
    timeout: c.timeoutSeconds,
    skipAwait: false,
    // The published chart archive already bundles its subcharts.
    dependencyUpdate: false,
    maxHistory: 10,
  };
}

/* ---------- values per chart ---------- */

/** Keys checked in cert-manager v1.21.1 values.yaml. */
export interface CertManagerValues {
  /** `installCRDs` is deprecated since v1.15 in favour of crds.enabled/crds.keep. */
  readonly crds: { readonly enabled: true; readonly keep: boolean };
  readonly prometheus: { readonly enabled: true; readonly servicemonitor: { readonly enabled: boolean } };
}

/**
 * K8S-8: cert-manager with its CRDs from the chart, kept on uninstall (deleting
 * the CRDs would garbage-collect every Certificate), and a ServiceMonitor so
 * Prometheus sees certificate expiry (certmanager_certificate_expiration_timestamp_seconds).
 */
export function certManagerValues(): CertManagerValues {
  return {
    crds: { enabled: true, keep: true },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
  };
}

/**
 * The legacy AWS cloud provider's NLB annotation (cloud-provider-aws,
 * ServiceAnnotationLoadBalancerType: "nlb"). That controller, which EKS runs
 * when the AWS Load Balancer Controller is not installed, makes the NLB
 * internet-facing unless `service.beta.kubernetes.io/aws-load-balancer-internal`
 * is set, in the subnets tagged kubernetes.io/role/elb. With the AWS Load
 * Balancer Controller the annotations would be `aws-load-balancer-type:
 * external` and `aws-load-balancer-scheme: internet-facing` instead.
 */
export const NLB_SERVICE_ANNOTATIONS: Readonly<Record<string, string>> = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
};

/** Keys checked in ingress-nginx helm-chart-4.15.1 values.yaml. */
export interface IngressNginxValues {
  readonly controller: {
    readonly replicaCount: number;
    readonly ingressClass: string;
    readonly ingressClassResource: {
      readonly name: string;
      readonly enabled: true;
      readonly default: boolean;
      readonly controllerValue: string;
    };
    readonly allowSnippetAnnotations: false;
    readonly service: {
      readonly type: "LoadBalancer";
      readonly externalTrafficPolicy: "Local";
      readonly annotations: Readonly<Record<string, string>>;
    };
    readonly metrics: { readonly enabled: true; readonly serviceMonitor: { readonly enabled: true } };
  };
}

/** K8S-3's ingress class. */
export const INGRESS_CLASS = "nginx";

/**
 * K8S-3, K8S-8: the ingress class `nginx` (the cluster default), behind an
 * internet-facing NLB that keeps the client address (externalTrafficPolicy
 * Local), two replicas (the chart then adds a PodDisruptionBudget of
 * minAvailable 1, so a drain never takes the only entry point down), snippet
 * annotations off (they let any Ingress author inject NGINX configuration,
 * e.g. to read the controller's token: CVE-2021-25742), metrics with a ServiceMonitor (SLO-6).
 */
export function ingressNginxValues(): IngressNginxValues {
  return {
    controller: {
      replicaCount: 2,
      ingressClass: INGRESS_CLASS,
      ingressClassResource: {
        name: INGRESS_CLASS,
        enabled: true,
        default: true,
        controllerValue: "k8s.io/ingress-nginx",
      },
      allowSnippetAnnotations: false,
      service: {
        type: "LoadBalancer",
        externalTrafficPolicy: "Local",
        annotations: { ...NLB_SERVICE_ANNOTATIONS },
      },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    },
  };
}

/** Alertmanager's service account: fixed, because its IRSA role trusts exactly this name. */
export const ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager";
/** The Secret holding Grafana's admin user and generated password (chart keys admin-user, admin-password). */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
/** The annotation the EKS pod identity webhook reads to inject a role's web identity (IRSA). */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface PrometheusStorage {
  /** A StorageClass the cluster has (e.g. gp3 from the EBS CSI driver add-on). */
  readonly storageClassName: string;
  /** e.g. "50Gi". */
  readonly size: string;
}

export interface KubePrometheusStackOptions {
  /** SLO-6: how long Prometheus keeps samples, e.g. "15d". */
  readonly retention: string;
  /** SLO-6: Alertmanager's `config` (route and receivers). */
  readonly alertmanagerConfig: pulumi.Input<Record<string, unknown>>;
  readonly alertmanagerRoleArn: pulumi.Input<string>;
  /** A volume for the TSDB; without one, samples live in an emptyDir and die with the pod. */
  readonly storage?: PrometheusStorage;
}

type Off = { readonly enabled: false };

/** Keys checked in kube-prometheus-stack-88.5.3 values.yaml (and its grafana 12.11.1 and node-exporter 4.56.1 subcharts). */
export interface KubePrometheusStackValues {
  readonly crds: { readonly enabled: true };
  readonly kubeControllerManager: Off;
  readonly kubeScheduler: Off;
  readonly kubeEtcd: Off;
  readonly kubeProxy: Off;
  readonly alertmanager: {
    readonly enabled: true;
    readonly config: pulumi.Input<Record<string, unknown>>;
    readonly serviceAccount: {
      readonly create: true;
      readonly name: string;
      readonly annotations: Readonly<Record<string, pulumi.Input<string>>>;
    };
  };
  readonly grafana: {
    readonly enabled: true;
    readonly admin: { readonly existingSecret: string };
    readonly initChownData: Off;
    readonly sidecar: {
      readonly dashboards: {
        readonly label: string;
        readonly labelValue: string;
        readonly searchNamespace: readonly string[];
      };
      readonly datasources: { readonly uid: string };
    };
  };
  readonly "prometheus-node-exporter": { readonly namespaceOverride: string };
  readonly prometheus: {
    readonly prometheusSpec: {
      readonly retention: string;
      readonly serviceMonitorSelectorNilUsesHelmValues: false;
      readonly ruleSelectorNilUsesHelmValues: false;
      readonly storageSpec?: {
        readonly volumeClaimTemplate: {
          readonly spec: {
            readonly storageClassName: string;
            readonly accessModes: readonly ["ReadWriteOnce"];
            readonly resources: { readonly requests: { readonly storage: string } };
          };
        };
      };
    };
  };
}

/**
 * SLO-6: Prometheus, Alertmanager and Grafana.
 *
 * - The selectors' NilUsesHelmValues off: an empty selector then selects every
 *   ServiceMonitor and PrometheusRule in every namespace, not only those
 *   labelled with this release, so the services' own are picked up.
 * - Alertmanager's `config` as given. Helm merges maps with the chart's
 *   defaults, so its keys replace the defaults' (route, receivers) and the
 *   defaults' other keys stay (inhibit_rules, templates).
 * - Alertmanager publishes to SNS with its IRSA role: no AWS keys anywhere.
 * - Grafana ([P §4.5.1] "Primary Dashboard (Grafana Example)") reads its admin
 *   credentials from a Secret, so no password is in the values (Helm keeps
 *   values in the cluster, Pulumi in its state); no root chown init container.
 *   Its dashboard sidecar loads the ConfigMaps labelled for it from Grafana's
 *   namespace only, and the datasource keeps the uid the services' dashboards
 *   name (GRAFANA_DASHBOARDS, SLO-5).
 * - EKS runs the control plane: controller manager, scheduler and etcd cannot
 *   be scraped, and kube-proxy binds its metrics to 127.0.0.1; scraping them
 *   would leave TargetDown alerts firing forever (their rules go too).
 */
export function kubePrometheusStackValues(o: KubePrometheusStackOptions): KubePrometheusStackValues {
  const off: Off = { enabled: false };
  return {
    crds: { enabled: true },
    kubeControllerManager: off,
    kubeScheduler: off,
    kubeEtcd: off,
    kubeProxy: off,
    alertmanager: {
      enabled: true,
      config: o.alertmanagerConfig,
      serviceAccount: {
        create: true,
        name: ALERTMANAGER_SERVICE_ACCOUNT,
        annotations: { [IRSA_ROLE_ANNOTATION]: o.alertmanagerRoleArn },
      },
    },
    grafana: {
      enabled: true,
      admin: { existingSecret: GRAFANA_ADMIN_SECRET },
      initChownData: off,
      sidecar: {
        dashboards: {
          label: GRAFANA_DASHBOARDS.label,
          labelValue: GRAFANA_DASHBOARDS.labelValue,
          searchNamespace: [GRAFANA_DASHBOARDS.namespace],
        },
        datasources: { uid: GRAFANA_DASHBOARDS.datasourceUid },
      },
    },
    "prometheus-node-exporter": { namespaceOverride: NODE_EXPORTER_NAMESPACE.name },
    prometheus: {
      prometheusSpec: {
        retention: o.retention,
        serviceMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        ...(o.storage
          ? {
              storageSpec: {
                volumeClaimTemplate: {
                  spec: {
                    storageClassName: o.storage.storageClassName,
                    accessModes: ["ReadWriteOnce"] as const,
                    resources: { requests: { storage: o.storage.size } },
                  },
                },
              },
            }
          : {}),
      },
    },
  };
}

/** Keys checked in external-secrets helm-chart-2.9.0 values.yaml. */
export interface ExternalSecretsValues {
  readonly installCRDs: true;
  readonly serviceMonitor: { readonly enabled: false };
}

/**
 * K8S-10: the External Secrets operator with its CRDs, and no ServiceMonitor
 * of its own. Every service's Deployment waits for its ExternalSecret, so this
 * release is on the critical path of a fresh create (synth/criticalPath.ts);
 * a ServiceMonitor would make it wait for the Prometheus Operator's CRDs too,
 * about 3 minutes more, for the operator's own metrics, which no rule reads.
 * A failed sync still shows: the ExternalSecret's status and the pods that
 * cannot start (NoReadyPods, SLO-6).
 */
export function externalSecretsValues(): ExternalSecretsValues {
  return { installCRDs: true, serviceMonitor: { enabled: false } };
}

/* ---------- ClusterIssuers (K8S-8) ---------- */

/** [P §6.4.1]: the Let's Encrypt ACME directories. */
export const CLUSTER_ISSUERS = {
  prod: { name: "letsencrypt-prod", server: "https://acme-v02.api.letsencrypt.org/directory" },
  staging: { name: "letsencrypt-staging", server: "https://acme-staging-v02.api.letsencrypt.org/directory" },
} as const;

/**
 * K8S-8 [P §6.4.1]: an ACME ClusterIssuer solving HTTP-01 through the nginx
 * ingress class. `ingressClassName` replaces the runbook's deprecated
 * `class` (cert-manager v1.21.1 CRD: "the recommended way"; only one of the
 * two may be set). The ACME account key lives in a Secret of the issuer's name.
 */
export function clusterIssuer(issuer: { readonly name: string; readonly server: string }, email: string) {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: issuer.name },
    spec: {
      acme: {
        server: issuer.server,
        email,
        privateKeySecretRef: { name: issuer.name },
        solvers: [{ http01: { ingress: { ingressClassName: INGRESS_CLASS } } }],
      },
    },
  };
}

/* ---------- Alertmanager's IAM (SLO-6, SLO-2) ---------- */

/**
 * SLO-6: what Alertmanager's role may do: publish to exactly the severity
 * topics, and use their customer-managed key only through SNS (an encrypted
 * topic needs the publisher to have GenerateDataKey and Decrypt on the key:
 * Amazon SNS Developer Guide, "Key management"). GenerateDataKey by name, not
 * `GenerateDataKey*`: the wildcard would add the key-pair and
 * without-plaintext variants SNS never calls (ECS-8, K8S-10;
 * iam-role-forbid-pod-wildcard-permissions).
 */
export function alertmanagerPublishPolicy(
  topicArns: readonly string[],
  kmsKeyArn: string,
  region: string,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PublishToSeverityTopics",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: [...new Set(topicArns)].sort(),
      },
      {
        Sid: "EncryptThroughSns",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
      },
    ],
  };
}
