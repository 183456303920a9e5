/**
 * Issue 16: the Kubernetes readiness needs (./readinessNeeds has the table):
 * objects Pulumi awaits wait for the controller that satisfies the await,
 * custom resources for their CRDs, HorizontalPodAutoscalers for a metrics
 * API. "Installs X" is known from a chart table (`CHART_FACTS`, keyed by the
 * chart's own name, each row with its source) and from the Releases' values;
 * an object of a cluster this stack creates that nothing here provides for is
 * a finding, one of a cluster made elsewhere is not (it may have it already).
 * Reads are not created, so no need here applies to them. Pure: no SDK.
 */
import { typeMeta } from "./manifests";
import {
  type Finding,
  type Need,
  type NeedContext,
  type NeedRecord,
  type Obj,
  HELM_RELEASE,
  T,
  byCodePoint,
  clusterName,
  either,
  isObj,
  list,
  str,
} from "./readinessContext";

/**
 * The API groups the Kubernetes API server serves itself
 * (https://kubernetes.io/docs/reference/kubernetes-api/group-versions/), the
 * core group "" and the retired `extensions`. Any other group is a CRD's or an
 * aggregated API's; `gateway.networking.k8s.io` and `snapshot.storage.k8s.io`
 * are CRDs although they end in k8s.io, hence a list, not a suffix.
 */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "extensions",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

/** Groups of pulumi-kubernetes tokens that are no API object (Helm releases, YAML and Kustomize groups). */
const PULUMI_GROUPS = new Set(["helm.sh", "yaml", "kustomize"]);

/** A Kubernetes object's API group and kind (from its apiVersion, else its type token), or undefined for anything else. */
export function kubernetesObject(r: NeedRecord): { group: string; kind: string } | undefined {
  if (!r.custom || !r.type.startsWith("kubernetes:")) return undefined;
  const meta = typeMeta(r.type);
  const apiVersion = str(r.inputs.apiVersion) ?? meta.apiVersion;
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  return PULUMI_GROUPS.has(group) ? undefined : { group, kind: str(r.inputs.kind) ?? meta.kind };
}

/** `v` at `path`, through objects only. */
const at = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

/**
 * What a chart installs that other objects wait for. A function of the
 * Release's values, `undefined` when they are masked (a secret anywhere in
 * them): a value that cannot be read is no evidence of absence, so the
 * chart's fullest answer is taken.
 */
export interface ChartFacts {
  /** API groups of the CRDs it installs. */
  readonly crdGroups?: (values: Obj | undefined) => readonly string[];
  /** The ingress class its controller serves, and whether it is made the cluster's default class. */
  readonly ingressClass?: (values: Obj | undefined) => { readonly name: string; readonly isDefault: boolean };
  /** The `spec.loadBalancerClass` values its controller serves. */
  readonly loadBalancerClasses?: readonly string[];
  /** The aggregated metrics APIs it registers (APIService groups). */
  readonly metricsApis?: (values: Obj | undefined) => readonly string[];
  /** Where the facts were read. */
  readonly basis: string;
}

/** Per chart name (the chart's, not the release's). A chart missing here provides nothing the needs look for. */
export const CHART_FACTS: Readonly<Record<string, ChartFacts>> = {
  // CRDs only with crds.enabled (or the deprecated installCRDs); the chart's default is off.
  "cert-manager": {
    crdGroups: (v) =>
      v === undefined || at(v, "crds", "enabled") === true || at(v, "installCRDs") === true
        ? ["acme.cert-manager.io", "cert-manager.io"]
        : [],
    basis: "https://github.com/cert-manager/cert-manager/blob/v1.21.1/deploy/charts/cert-manager/values.yaml",
  },
  // The Prometheus Operator's CRDs, on unless crds.enabled is false.
  "kube-prometheus-stack": {
    crdGroups: (v) => (at(v, "crds", "enabled") === false ? [] : ["monitoring.coreos.com"]),
    basis:
      "https://github.com/prometheus-community/helm-charts/blob/kube-prometheus-stack-88.5.3/charts/kube-prometheus-stack/values.yaml",
  },
  "prometheus-operator-crds": {
    crdGroups: () => ["monitoring.coreos.com"],
    basis: "https://github.com/prometheus-community/helm-charts/tree/main/charts/prometheus-operator-crds",
  },
  // installCRDs defaults to true.
  "external-secrets": {
    crdGroups: (v) =>
      at(v, "installCRDs") === false ? [] : ["external-secrets.io", "generators.external-secrets.io"],
    basis:
      "https://github.com/external-secrets/external-secrets/blob/helm-chart-2.9.0/deploy/charts/external-secrets/values.yaml",
  },
  // controller.ingressClassResource: name "nginx", default false unless set.
  "ingress-nginx": {
    ingressClass: (v) => ({
      name: str(at(v, "controller", "ingressClassResource", "name")) ?? "nginx",
      isDefault: at(v, "controller", "ingressClassResource", "default") === true,
    }),
    basis:
      "https://github.com/kubernetes/ingress-nginx/blob/helm-chart-4.15.1/charts/ingress-nginx/values.yaml",
  },
  // templates/ingressclass.yaml names the class `ingressClass` ("alb"); crds/crds.yaml is elbv2.k8s.aws.
  "aws-load-balancer-controller": {
    crdGroups: () => ["elbv2.k8s.aws"],
    ingressClass: (v) => ({
      name: str(at(v, "ingressClass")) ?? "alb",
      isDefault: at(v, "ingressClassConfig", "default") === true,
    }),
    loadBalancerClasses: ["service.k8s.aws/nlb"],
    basis: "https://github.com/aws/eks-charts/tree/master/stable/aws-load-balancer-controller",
  },
  "metrics-server": {
    metricsApis: () => ["metrics.k8s.io"],
    basis: "https://github.com/kubernetes-sigs/metrics-server/tree/master/charts/metrics-server",
  },
  // templates/custom-metrics-apiservice.yaml (rules.default or rules.custom; default is true),
  // external-metrics-apiservice.yaml (rules.external), resource-metrics-apiservice.yaml (rules.resource).
  "prometheus-adapter": {
    metricsApis: (v) => [
      ...(v === undefined || at(v, "rules", "default") !== false || list(at(v, "rules", "custom")).length > 0
        ? ["custom.metrics.k8s.io"]
        : []),
      ...(v === undefined || list(at(v, "rules", "external")).length > 0 ? ["external.metrics.k8s.io"] : []),
      ...(v === undefined || at(v, "rules", "resource") !== undefined ? ["metrics.k8s.io"] : []),
    ],
    basis:
      "https://github.com/prometheus-community/helm-charts/tree/main/charts/prometheus-adapter/templates",
  },
};

/** The chart a Release installs, by name: `cert-manager` of `jetstack/cert-manager`, `oci://…/cert-manager` or `cert-manager-v1.2.3.tgz`. */
export function chartName(rel: NeedRecord): string {
  const chart = str(rel.inputs.chart) ?? "";
  return chart.slice(chart.lastIndexOf("/") + 1).replace(/-v?\d[^/]*\.tgz$/, "");
}

interface Installed {
  readonly urn: string;
  readonly facts: ChartFacts;
  readonly values: Obj | undefined;
}

/** The Helm releases on a provider with the facts of their chart. */
function releasesOn(ctx: NeedContext, provider: string | null): Installed[] {
  return ctx.ofType(HELM_RELEASE).flatMap((rel) => {
    const facts = CHART_FACTS[chartName(rel)];
    if (facts === undefined || ctx.providerOf(rel) !== provider) return [];
    return [{ urn: rel.urn, facts, values: isObj(rel.inputs.values) ? rel.inputs.values : undefined }];
  });
}

/** The Kubernetes objects this stack creates (not reads), with group and kind. */
function objects(ctx: NeedContext): { r: NeedRecord; group: string; kind: string }[] {
  return ctx.records
    .filter((r) => !ctx.isRead(r.urn))
    .flatMap((r) => {
      const o = kubernetesObject(r);
      return o === undefined ? [] : [{ r, ...o }];
    })
    .sort((a, b) => byCodePoint(a.r.urn, b.r.urn));
}

/**
 * The finding, if any, for `obj` that must wait for one of `providers`
 * (URNs): none when it waits for one; naming the first when it waits for
 * none; naming the cluster when nothing in the stack provides `what` on a
 * cluster this stack creates (a new EKS cluster has none of it).
 */
function waitForOne(
  ctx: NeedContext,
  need: string,
  obj: NeedRecord,
  providers: readonly string[],
  what: string,
  why: string,
): Finding[] {
  const sorted = [...new Set(providers)].sort(byCodePoint);
  if (sorted.some((p) => ctx.waits(obj.urn, p))) return [];
  if (sorted.length > 0) {
    const message = `${obj.urn} must wait for ${either(sorted)}, which provides ${what}: ${why}`;
    return [{ need, urn: obj.urn, waitsFor: sorted[0], message }];
  }
  const cluster = ctx.clustersOf(ctx.providerOf(obj))[0];
  if (cluster === undefined) return [];
  const message = `${obj.urn} needs ${what} on cluster ${cluster.urn}, which this stack creates, and nothing in this stack provides it: ${why}`;
  return [{ need, urn: obj.urn, waitsFor: cluster.urn, message }];
}

/**
 * Basis: pulumi-kubernetes awaits an Ingress until `.status.loadBalancer.ingress`
 * has an entry, 10 minutes by default (Pulumi Registry, networking/v1 Ingress),
 * and a Service of type LoadBalancer likewise (core/v1 Service), unless
 * annotated `pulumi.com/skipAwait: "true"` (pulumi/pulumi-kubernetes#417).
 * Only the controller of the Ingress's class (its `ingressClassName`, else the
 * cluster's default class) writes that status. A LoadBalancer Service without
 * `spec.loadBalancerClass` is served by the cloud provider's controller EKS
 * runs in its control plane; with one, by the controller of that class.
 */
function awaitedAfterController(ctx: NeedContext): Finding[] {
  const need = "awaited-after-controller";
  const why =
    "pulumi-kubernetes awaits its .status.loadBalancer (10 minutes by default), which only that controller writes";
  return objects(ctx).flatMap(({ r, group, kind }) => {
    const annotations = at(r.inputs, "metadata", "annotations");
    if (at(annotations, "pulumi.com/skipAwait") === "true") return [];
    const installed = releasesOn(ctx, ctx.providerOf(r));
    if (kind === "Ingress" && (group === "networking.k8s.io" || group === "extensions")) {
      const className =
        str(at(r.inputs, "spec", "ingressClassName")) ?? str(at(annotations, "kubernetes.io/ingress.class"));
      const serving = installed.filter((i) => {
        const served = i.facts.ingressClass?.(i.values);
        return (
          served !== undefined && (className === undefined ? served.isDefault : served.name === className)
        );
      });
      const what = `the ingress controller of class ${className ?? "(the cluster's default)"}`;
      return waitForOne(
        ctx,
        need,
        r,
        serving.map((i) => i.urn),
        what,
        why,
      );
    }
    const lbClass = str(at(r.inputs, "spec", "loadBalancerClass"));
    if (kind === "Service" && group === "" && at(r.inputs, "spec", "type") === "LoadBalancer" && lbClass) {
      const serving = installed.filter((i) => i.facts.loadBalancerClasses?.includes(lbClass));
      const what = `the load balancer controller of class ${lbClass}`;
      return waitForOne(
        ctx,
        need,
        r,
        serving.map((i) => i.urn),
        what,
        why,
      );
    }
    return [];
  });
}

const CRD = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

/**
 * Basis: the API server serves a custom resource's kind only once its
 * CustomResourceDefinition exists (Kubernetes docs, "Extend the Kubernetes
 * API with CustomResourceDefinitions"); before, creating one fails with "no
 * matches for kind". Built-in groups: BUILT_IN_GROUPS. What installs a group:
 * a CustomResourceDefinition record of that `spec.group`, or a Release of a
 * chart whose CHART_FACTS row installs it, on the object's provider.
 */
function customResourceAfterCrd(ctx: NeedContext): Finding[] {
  const need = "custom-resource-after-crd";
  return objects(ctx).flatMap(({ r, group, kind }) => {
    if (BUILT_IN_GROUPS.has(group) || r.type === CRD) return [];
    const provider = ctx.providerOf(r);
    const releases = releasesOn(ctx, provider).filter((i) => i.facts.crdGroups?.(i.values).includes(group));
    const crds = ctx
      .ofType(CRD)
      .filter((c) => ctx.providerOf(c) === provider && at(c.inputs, "spec", "group") === group);
    return waitForOne(
      ctx,
      need,
      r,
      [...releases.map((i) => i.urn), ...crds.map((c) => c.urn)],
      `the CustomResourceDefinitions of ${group}`,
      `the API server knows no ${kind} of ${group} before its CRD exists, and creating it fails`,
    );
  });
}

/** The metrics APIs an HPA reads: per metric type, CPU at 80 % when it lists none (autoscaling/v1 is CPU only). */
export function metricsApisOf(hpa: NeedRecord): string[] {
  const apiVersion = str(hpa.inputs.apiVersion) ?? typeMeta(hpa.type).apiVersion;
  const metrics = list(at(hpa.inputs, "spec", "metrics"));
  if (apiVersion === "autoscaling/v1" || metrics.length === 0) return ["metrics.k8s.io"];
  const api: Record<string, string> = {
    Resource: "metrics.k8s.io",
    ContainerResource: "metrics.k8s.io",
    Pods: "custom.metrics.k8s.io",
    Object: "custom.metrics.k8s.io",
    External: "external.metrics.k8s.io",
  };
  const apis = metrics.flatMap((m) => {
    const a = api[String(at(m, "type"))];
    return a === undefined ? [] : [a];
  });
  return [...new Set(apis)].sort(byCodePoint);
}

/**
 * Basis: the HPA controller reads resource metrics from metrics.k8s.io,
 * Pods and Object metrics from custom.metrics.k8s.io and External ones from
 * external.metrics.k8s.io, each served by an add-on (Kubernetes docs,
 * "Horizontal Pod Autoscaling", support for metrics APIs); EKS does not deploy
 * the Metrics Server (EKS User Guide, "View resource usage with the Kubernetes
 * Metrics Server"), which it offers as the add-on `metrics-server`. What serves
 * an API: an `aws:eks/addon:Addon` named metrics-server of the HPA's cluster
 * (metrics.k8s.io), or a Release of a chart whose CHART_FACTS row registers it.
 */
function hpaAfterMetricsApi(ctx: NeedContext): Finding[] {
  const need = "hpa-after-metrics-api";
  return objects(ctx).flatMap(({ r, group, kind }) => {
    if (kind !== "HorizontalPodAutoscaler" || group !== "autoscaling") return [];
    const provider = ctx.providerOf(r);
    const clusters = new Set(ctx.clustersOf(provider).map(clusterName));
    const addons = ctx
      .ofType(T.eksAddon)
      .filter((a) => a.inputs.addonName === "metrics-server" && clusters.has(str(a.inputs.clusterName)));
    return metricsApisOf(r).flatMap((api) => {
      const releases = releasesOn(ctx, provider).filter((i) => i.facts.metricsApis?.(i.values).includes(api));
      const servers = [
        ...releases.map((i) => i.urn),
        ...(api === "metrics.k8s.io" ? addons.map((a) => a.urn) : []),
      ];
      return waitForOne(
        ctx,
        need,
        r,
        servers,
        `the ${api} API`,
        "the autoscaler reads its metrics there and cannot scale until it is served",
      );
    });
  });
}

export const KUBERNETES_NEEDS: readonly Need[] = [
  // K8S-3: the Ingress of class nginx.
  {
    id: "awaited-after-controller",
    statement:
      "An Ingress (or a LoadBalancer Service of a load balancer class) that Pulumi awaits waits for the Helm release installing the controller that serves its class.",
    basis: [
      "https://www.pulumi.com/registry/packages/kubernetes/api-docs/networking/v1/ingress/",
      "https://www.pulumi.com/registry/packages/kubernetes/api-docs/core/v1/service/",
      "https://github.com/pulumi/pulumi-kubernetes/pull/417",
    ],
    check: awaitedAfterController,
  },
  // K8S-8, K8S-10, SLO-6: issuers, ExternalSecrets, ServiceMonitors and PrometheusRules.
  {
    id: "custom-resource-after-crd",
    statement:
      "A Kubernetes object of an API group that is not built in waits for the CustomResourceDefinition or Helm release that installs the group.",
    basis: [
      "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/",
      "https://kubernetes.io/docs/reference/kubernetes-api/group-versions/",
    ],
    check: customResourceAfterCrd,
  },
  // K8S-4: the HPA on CPU and memory.
  {
    id: "hpa-after-metrics-api",
    statement:
      "A HorizontalPodAutoscaler waits for what serves the metrics APIs it reads: metrics-server (EKS add-on or chart) for CPU and memory, a metrics adapter for Pods, Object and External metrics.",
    basis: [
      "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#support-for-metrics-apis",
      "https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html",
    ],
    check: hpaAfterMetricsApi,
  },
];
