import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { SloSettings } from "../../infra/config";
import { dashboardObjectives } from "../observability/dashboard";
import { GRAFANA_DASHBOARDS } from "./addonCharts";
import { serviceDashboard } from "./grafanaDashboard";
import { HTTP_PORT_NAME } from "./podSpec";
import { PlatformRules, sloRuleGroups } from "./prometheusRules";

export interface ServiceMonitoringArgs {
  /** K8S-1: the cluster's explicit provider; every object is created through it. */
  readonly provider: k8s.Provider;
  /** K8S-2: the service's namespace (`production` in prod); the ServiceMonitor and the rules live there. */
  readonly namespace: pulumi.Input<string>;
  /** SLO-1: the service's name: its SLO table's key, the `job` and `service` labels, the rule group names. */
  readonly service: string;
  /** K8S-3: the labels of the service's Service, which the ServiceMonitor selects. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** SLO-1: the service's SLO table (config `services.<name>.slo`); SLO-5: its objectives are the dashboard's threshold lines. */
  readonly slo: SloSettings;
  /**
   * SLO-5: Grafana's namespace (PlatformAddons `monitoringNamespace`), the one
   * namespace its dashboard sidecar searches (addonCharts GRAFANA_DASHBOARDS):
   * the dashboard's ConfigMap goes there.
   */
  readonly dashboardNamespace: pulumi.Input<string>;
  /** SLO-4: base of the runbook links in the alerts. */
  readonly runbookBaseUrl: string;
  /**
   * SLO-6: what installs the prometheus-operator CRDs (the kube-prometheus-stack
   * Release): a ServiceMonitor or PrometheusRule sent before them is refused.
   */
  readonly dependsOnCrds: pulumi.Input<pulumi.Resource>[];
  /**
   * SLO-3, SLO-7: the platform rows (config `alarms.service` with
   * `certificate: alarms.certificate`, as ServiceAlarms' `rules`): the P0 5xx
   * line, memory % of the limit, no ready pod and certificate expiry.
   * @default none: only the SLO table's rules
   */
  readonly platform?: PlatformRules;
  /** K8S-2: the service's Deployment (KubernetesService `deploymentName`). @default `service` */
  readonly deployment?: pulumi.Input<string>;
  /** K8S-2: the app's container in the pod spec. @default CONTAINER_NAME ("app") */
  readonly container?: string;
  /** K8S-3: the cert-manager Certificate of the service's Ingress. @default every Certificate in the namespace */
  readonly certificateName?: string;
  /**
   * Labels on every object (the dashboard's ConfigMap gets the sidecar's label
   * too). kube-prometheus-stack's Prometheus selects only
   * ServiceMonitors and PrometheusRules labelled `release: <its release name>`
   * unless the chart sets `prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues`
   * and `ruleSelectorNilUsesHelmValues` to false: pass that label here, or set those.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** APP-2: where the app serves its metrics, on the Service port named `http` (K8S-3, podSpec HTTP_PORT_NAME). */
export const METRICS_ENDPOINT = { port: HTTP_PORT_NAME, path: "/metrics", interval: "30s" } as const;

/**
 * SLO-6: Prometheus monitoring of one service on Kubernetes: a ServiceMonitor
 * scraping the service's `/metrics` every 30 s (APP-2) through its Service,
 * and a PrometheusRule with the service's SLO table as alerting rules
 * (sloRuleGroups). The scrape sets `job` to the service's name, the label the
 * rules select on, whatever the Service is called.
 *
 * SLO-5: the service's Grafana dashboard (serviceDashboard, the same queries
 * as the rules, the SLO table's objectives as lines) in a ConfigMap
 * `<deployment>-dashboard` in Grafana's namespace, labelled for its sidecar,
 * key `<service>.json`. Database connections and cache hit rate are not on it:
 * they are CloudWatch metrics (./grafanaDashboard).
 */
export class ServiceMonitoring extends pulumi.ComponentResource {
  public readonly serviceMonitorName: pulumi.Output<string>;
  public readonly prometheusRuleName: pulumi.Output<string>;

  constructor(name: string, args: ServiceMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:kubernetes:ServiceMonitoring", name, {}, opts);
    const labels = { ...(args.labels ?? {}) };
    const child = { parent: this, provider: args.provider, dependsOn: args.dependsOnCrds };
    const deployment = pulumi.output(args.deployment ?? args.service);

    const monitor = new k8s.apiextensions.CustomResource(
      `${name}-servicemonitor`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: args.service, namespace: args.namespace, labels },
        spec: {
          selector: { matchLabels: { ...args.selectorLabels } },
          endpoints: [
            {
              ...METRICS_ENDPOINT,
              // The operator names the job after the Service; the rules read `job="<service>"`.
              relabelings: [{ action: "replace", targetLabel: "job", replacement: args.service }],
            },
          ],
        },
      },
      child,
    );

    const rule = new k8s.apiextensions.CustomResource(
      `${name}-rules`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: `${args.service}-slo`, namespace: args.namespace, labels },
        spec: {
          groups: pulumi.all([args.namespace, deployment]).apply(([ns, dep]) =>
            sloRuleGroups(args.service, ns, args.slo, args.runbookBaseUrl, {
              platform: args.platform,
              deployment: dep,
              container: args.container,
              certificateName: args.certificateName,
            }),
          ),
        },
      },
      child,
    );

    // SLO-5: the dashboard needs no CRD; it waits for the chart like the rest (Grafana and its namespace).
    const dashboard = pulumi.all([args.namespace, deployment]).apply(([ns, dep]) =>
      serviceDashboard({
        service: args.service,
        namespace: ns,
        deployment: dep,
        container: args.container,
        objectives: dashboardObjectives(args.slo),
      }),
    );
    new k8s.core.v1.ConfigMap(
      `${name}-dashboard`,
      {
        metadata: {
          name: pulumi.interpolate`${deployment}-dashboard`,
          namespace: args.dashboardNamespace,
          labels: { ...labels, [GRAFANA_DASHBOARDS.label]: GRAFANA_DASHBOARDS.labelValue },
        },
        data: { [`${args.service}.json`]: dashboard.apply((d) => JSON.stringify(d)) },
      },
      child,
    );

    this.serviceMonitorName = monitor.metadata.name;
    this.prometheusRuleName = rule.metadata.name;
    this.registerOutputs({
      serviceMonitorName: this.serviceMonitorName,
      prometheusRuleName: this.prometheusRuleName,
    });
  }
}
