/**
 * K8S-8, K8S-10, SLO-6: the platform add-ons (PlatformAddons and its pure
 * table, components/kubernetes/addonCharts): pinned Helm releases through the
 * explicit provider, CRDs, the ClusterIssuers, Pod Security levels,
 * Alertmanager's IRSA role and no password in clear. One evaluation of the
 * component on its own, shared by the tests.
 */
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { PlatformAddons } from "../../components/kubernetes/PlatformAddons";
import {
  ADDON_CHARTS,
  CLUSTER_ISSUERS,
  GRAFANA_DASHBOARDS,
  addonNamespaces,
  alertmanagerPublishPolicy,
  kubePrometheusStackValues,
  podSecurityLabels,
  releaseSettings,
} from "../../components/kubernetes/addonCharts";
import { Evaluation, ResourceRecord, SECRET_MARK, evaluate } from "../../synth/engine";
import { T, named, ofType, one, stackConfig } from "../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const SECRET = "kubernetes:core/v1:Secret";
const ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const PROVIDER = "pulumi:providers:kubernetes";

const TOPICS = [
  "arn:aws:sns:us-east-1:123456789012:psi-prod-alerts-page",
  "arn:aws:sns:us-east-1:123456789012:psi-prod-alerts-ticket",
  "arn:aws:sns:us-east-1:123456789012:psi-prod-alerts-info",
];
const KEY = "arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100";
const ISSUER_HOST = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const OIDC_ARN = `arn:aws:iam::123456789012:oidc-provider/${ISSUER_HOST}`;
const AM_CONFIG = {
  route: { receiver: "info", routes: [{ receiver: "page", matchers: ['severity=~"P0|P1"'] }] },
  receivers: [
    { name: "page", sns_configs: [{ topic_arn: TOPICS[0], sigv4: { region: "us-east-1" } }] },
    { name: "info", sns_configs: [{ topic_arn: TOPICS[2], sigv4: { region: "us-east-1" } }] },
  ],
};

type Props = Record<string, unknown>;
const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Props | undefined)?.[k], o);

let ev: Evaluation;
let releases: Record<string, ResourceRecord>;
let ready: ResourceRecord;

beforeAll(async () => {
  ev = await evaluate(stackConfig("prod"), async () => {
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    // Stands for the node group: nothing may be scheduled before it.
    const nodes = new random.RandomId("nodes-ready", { byteLength: 4 });
    const addons = new PlatformAddons("addons", {
      provider,
      acmeEmail: "devops@psi-app.com",
      alertmanagerConfig: AM_CONFIG,
      alertTopicArns: TOPICS,
      alertTopicsKmsKeyArn: KEY,
      oidcProviderArn: OIDC_ARN,
      oidcIssuer: ISSUER_HOST,
      region: "us-east-1",
      dependsOn: [nodes],
      tags: { Project: "psi" },
    });
    return {
      crds: {
        certManager: addons.crds.certManager.urn,
        externalSecrets: addons.crds.externalSecrets.urn,
        prometheus: addons.crds.prometheus.urn,
      },
      clusterIssuers: addons.clusterIssuers,
      ingressControllerNamespace: addons.ingressControllerNamespace,
      monitoringNamespace: addons.monitoringNamespace,
      alertmanagerRoleArn: addons.alertmanagerRoleArn,
      ingressClassName: addons.ingressClassName,
      ingressController: addons.ingressController.urn,
      ingressHostname: addons.ingressHostname,
    };
  });
  if (ev.error !== undefined) throw ev.error;
  releases = Object.fromEntries(ofType(ev.records, RELEASE).map((r) => [String(r.inputs.name), r]));
  ready = one(ev.records, "random:index/randomId:RandomId");
});

describe("PlatformAddons: Helm releases", () => {
  test("K8S-8, K8S-10, SLO-6: exactly four releases, each pinned to an exact chart version of its repository, in its namespace, through the explicit provider", () => {
    const provider = one(ev.records, PROVIDER);
    const pins = Object.values(releases).map((r) => ({
      name: r.inputs.name,
      chart: r.inputs.chart,
      version: r.inputs.version,
      repo: at(r.inputs, "repositoryOpts", "repo"),
      namespace: r.inputs.namespace,
      provider: r.provider,
    }));
    const via = `${provider.urn}::${provider.id}`;
    expect(pins).toEqual([
      {
        name: "cert-manager",
        chart: "cert-manager",
        version: "v1.21.1",
        repo: "https://charts.jetstack.io",
        namespace: "cert-manager",
        provider: via,
      },
      {
        name: "external-secrets",
        chart: "external-secrets",
        version: "2.9.0",
        repo: "https://charts.external-secrets.io",
        namespace: "external-secrets",
        provider: via,
      },
      {
        name: "ingress-nginx",
        chart: "ingress-nginx",
        version: "4.15.1",
        repo: "https://kubernetes.github.io/ingress-nginx",
        namespace: "ingress-nginx",
        provider: via,
      },
      {
        name: "kube-prometheus-stack",
        chart: "kube-prometheus-stack",
        version: "88.5.3",
        repo: "https://prometheus-community.github.io/helm-charts",
        namespace: "monitoring",
        provider: via,
      },
    ]);
  });

  test("every release is atomic, cleans up on failure, waits for readiness within its timeout, never updates dependencies nor creates its namespace", () => {
    for (const r of Object.values(releases)) {
      const i = r.inputs;
      expect({
        name: i.name,
        atomic: i.atomic,
        cleanupOnFail: i.cleanupOnFail,
        skipAwait: i.skipAwait,
        dependencyUpdate: i.dependencyUpdate,
        createNamespace: i.createNamespace,
        maxHistory: i.maxHistory,
      }).toEqual({
        name: i.name,
        atomic: true,
        cleanupOnFail: true,
        skipAwait: false,
        dependencyUpdate: false,
        createNamespace: false,
        maxHistory: 10,
      });
    }
    expect(Object.fromEntries(Object.values(releases).map((r) => [r.inputs.name, r.inputs.timeout]))).toEqual(
      {
        "cert-manager": 600,
        "external-secrets": 600,
        "ingress-nginx": 900,
        "kube-prometheus-stack": 900,
      },
    );
  });

  test("K8S-8, K8S-10, SLO-6: the charts install their CRDs (cert-manager crds.enabled and kept, external-secrets installCRDs, kube-prometheus-stack crds.enabled)", () => {
    expect(at(releases["cert-manager"].inputs, "values", "crds")).toEqual({ enabled: true, keep: true });
    expect(at(releases["cert-manager"].inputs, "values", "installCRDs")).toBeUndefined();
    expect(at(releases["external-secrets"].inputs, "values", "installCRDs")).toBe(true);
    expect(at(releases["kube-prometheus-stack"].inputs, "values", "crds")).toEqual({ enabled: true });
  });

  test("every release waits for the nodes and its namespace; only the charts with ServiceMonitors wait for the Prometheus Operator's CRDs", () => {
    const prometheus = releases["kube-prometheus-stack"];
    const nsUrn = (n: string) =>
      ev.records.find((r) => r.type === NAMESPACE && at(r.inputs, "metadata", "name") === n)!.urn;
    for (const r of Object.values(releases)) {
      expect(r.dependencies).toEqual(expect.arrayContaining([ready.urn, nsUrn(String(r.inputs.namespace))]));
      // external-secrets, on every service's critical path, has none (externalSecretsValues).
      const needsCrds = r !== prometheus && r !== releases["external-secrets"];
      expect({ name: r.inputs.name, waits: r.dependencies.includes(prometheus.urn) }).toEqual({
        name: r.inputs.name,
        waits: needsCrds,
      });
    }
    expect(prometheus.dependencies).toContain(nsUrn("node-exporter"));
    expect(ev.stackOutputs.crds).toEqual({
      certManager: releases["cert-manager"].urn,
      externalSecrets: releases["external-secrets"].urn,
      prometheus: prometheus.urn,
    });
  });
});

describe("PlatformAddons: cert-manager and ingress-nginx (K8S-3, K8S-8)", () => {
  test("K8S-8 [P §6.4.1]: ClusterIssuers letsencrypt-prod and letsencrypt-staging, ACME HTTP-01 through nginx, each waiting for the cert-manager release", () => {
    const issuers = ofType(ev.records, ISSUER);
    expect(issuers).toHaveLength(2);
    const spec = (name: string, server: string) => ({
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name },
      spec: {
        acme: {
          server,
          email: "devops@psi-app.com",
          privateKeySecretRef: { name },
          solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
        },
      },
    });
    const byName = Object.fromEntries(issuers.map((r) => [at(r.inputs, "metadata", "name"), r]));
    expect(byName["letsencrypt-prod"].inputs).toEqual(
      spec("letsencrypt-prod", "https://acme-v02.api.letsencrypt.org/directory"),
    );
    expect(byName["letsencrypt-staging"].inputs).toEqual(
      spec("letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory"),
    );
    for (const r of issuers) {
      expect(r.dependencies).toContain(releases["cert-manager"].urn);
      expect(r.provider).toBe(releases["cert-manager"].provider);
    }
    expect(ev.stackOutputs.clusterIssuers).toEqual({
      prod: "letsencrypt-prod",
      staging: "letsencrypt-staging",
    });
  });

  test("K8S-3, K8S-8: ingress-nginx serves class nginx as the cluster default behind an internet-facing NLB, without snippets, with metrics and a ServiceMonitor", () => {
    const controller = at(releases["ingress-nginx"].inputs, "values", "controller") as Props;
    expect(controller.ingressClassResource).toEqual({
      name: "nginx",
      enabled: true,
      default: true,
      controllerValue: "k8s.io/ingress-nginx",
    });
    expect(controller.service).toEqual({
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      // The legacy AWS cloud provider: internet-facing unless aws-load-balancer-internal is set.
      annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
    });
    expect(controller.allowSnippetAnnotations).toBe(false);
    expect(controller.metrics).toEqual({ enabled: true, serviceMonitor: { enabled: true } });
    expect(controller.replicaCount).toBe(2);
    expect(ev.stackOutputs.ingressControllerNamespace).toBe("ingress-nginx");
  });

  test("K8S-3: the ingress-nginx release is exposed as the controller of class nginx, for Ingresses of that class to wait for", () => {
    expect(ev.stackOutputs.ingressClassName).toBe("nginx");
    expect(ev.stackOutputs.ingressController).toBe(releases["ingress-nginx"].urn);
  });

  test("K8S-3: the controller Service is read by an id from the ingress-nginx release's outputs, recorded as the release's dependent, and names the NLB", () => {
    const read = one(ev.records, "kubernetes:core/v1:Service");
    expect(read.name).toBe("addons-ingress-controller");
    // A read: no inputs, the id it was read by (namespace from the release's outputs, the chart's Service name).
    expect(read.inputs).toEqual({});
    expect(read.id).toBe("ingress-nginx/ingress-nginx-controller");
    expect(read.dependencies).toEqual([releases["ingress-nginx"].urn]);
    expect(read.provider).toBe(releases["ingress-nginx"].provider);
    expect(ev.stackOutputs.ingressHostname).toMatch(
      /^a[0-9a-f]{32}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/,
    );
  });

  test("SLO-6: cert-manager exposes its certificate metrics through a ServiceMonitor; external-secrets has none, so it does not wait for Prometheus", () => {
    expect(at(releases["cert-manager"].inputs, "values", "prometheus")).toEqual({
      enabled: true,
      servicemonitor: { enabled: true },
    });
    expect(at(releases["external-secrets"].inputs, "values", "serviceMonitor")).toEqual({ enabled: false });
  });
});

describe("PlatformAddons: namespaces and Pod Security", () => {
  test("K8S-6: every add-on namespace enforces restricted, except node-exporter's (privileged: hostNetwork, hostPID, hostPath)", () => {
    const levels = Object.fromEntries(
      ofType(ev.records, NAMESPACE).map((r) => [
        at(r.inputs, "metadata", "name"),
        at(r.inputs, "metadata", "labels"),
      ]),
    );
    expect(levels).toEqual({
      "cert-manager": podSecurityLabels("restricted"),
      "external-secrets": podSecurityLabels("restricted"),
      "ingress-nginx": podSecurityLabels("restricted"),
      monitoring: podSecurityLabels("restricted"),
      "node-exporter": podSecurityLabels("privileged"),
    });
    expect(podSecurityLabels("restricted")).toEqual({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    expect(at(releases["kube-prometheus-stack"].inputs, "values", "prometheus-node-exporter")).toEqual({
      namespaceOverride: "node-exporter",
    });
    for (const r of ofType(ev.records, NAMESPACE)) expect(r.provider).toBe(releases["cert-manager"].provider);
  });

  test("each namespace row says why its level", () => {
    const rows = addonNamespaces();
    expect(rows.map((r) => r.name)).toEqual([
      "cert-manager",
      "ingress-nginx",
      "monitoring",
      "external-secrets",
      "node-exporter",
    ]);
    for (const r of rows) expect(r.why.length).toBeGreaterThan(40);
  });
});

describe("PlatformAddons: Prometheus and Alertmanager (SLO-6)", () => {
  test("SLO-6: Prometheus selects every ServiceMonitor and PrometheusRule, keeps 15 days, and Alertmanager takes the given config", () => {
    const values = releases["kube-prometheus-stack"].inputs.values as Props;
    expect(at(values, "prometheus", "prometheusSpec")).toEqual({
      retention: "15d",
      serviceMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
    expect(at(values, "alertmanager", "config")).toEqual(AM_CONFIG);
    expect(ev.stackOutputs.monitoringNamespace).toBe("monitoring");
    // EKS's managed control plane cannot be scraped.
    for (const part of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"])
      expect(values[part]).toEqual({ enabled: false });
  });

  test("SLO-6: Alertmanager's service account carries its IRSA role, which only monitoring/alertmanager of this cluster may assume", () => {
    const role = named(ev.records, T.role, "addons-alertmanager");
    const arn = `arn:aws:iam::123456789012:role/${role.id}`;
    expect(ev.stackOutputs.alertmanagerRoleArn).toBe(arn);
    expect(at(releases["kube-prometheus-stack"].inputs, "values", "alertmanager", "serviceAccount")).toEqual({
      create: true,
      name: "alertmanager",
      annotations: { "eks.amazonaws.com/role-arn": arn },
    });
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ServiceAccountWebIdentity",
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${ISSUER_HOST}:sub`]: "system:serviceaccount:monitoring:alertmanager",
              [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
    expect(role.inputs.tags).toEqual({ Project: "psi" });
  });

  test("SLO-2, SLO-6: Alertmanager may only sns:Publish to exactly the given topics and use their key only through SNS", () => {
    const policies = ofType(ev.records, T.rolePolicy);
    expect(policies.map((p) => p.name)).toEqual(["addons-alertmanager-sns"]);
    expect(JSON.parse(String(policies[0].inputs.policy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PublishToSeverityTopics",
          Effect: "Allow",
          Action: "sns:Publish",
          Resource: [...TOPICS].sort(),
        },
        {
          Sid: "EncryptThroughSns",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: KEY,
          Condition: { StringEquals: { "kms:ViaService": "sns.us-east-1.amazonaws.com" } },
        },
      ],
    });
    expect(releases["kube-prometheus-stack"].dependencies).toContain(policies[0].urn);
  });

  test("Grafana's admin password is generated, a Pulumi secret in a Secret the chart reads; no input holds a password in clear", () => {
    const password = named(ev.records, T.randomPassword, "addons-grafana-admin");
    expect(password.inputs).toMatchObject({ length: 32 });
    const generated = String(ev.outputs.get(password.urn)?.result);
    expect(generated).toMatch(/^synthpw/);
    const secret = one(ev.records, SECRET);
    // The Kubernetes SDK marks a Secret's whole stringData secret.
    expect(secret.inputs).toMatchObject({
      metadata: { name: "grafana-admin", namespace: "monitoring" },
      stringData: SECRET_MARK,
    });
    expect(ev.plainInputs.get(secret.urn)?.stringData).toEqual({
      "admin-user": "admin",
      "admin-password": generated,
    });
    expect(at(releases["kube-prometheus-stack"].inputs, "values", "grafana")).toEqual({
      enabled: true,
      admin: { existingSecret: "grafana-admin" },
      initChownData: { enabled: false },
      // SLO-5: the sidecar loads dashboards from Grafana's own namespace only (the chart's default is ALL).
      sidecar: {
        dashboards: { label: "grafana_dashboard", labelValue: "1", searchNamespace: ["monitoring"] },
        datasources: { uid: "prometheus" },
      },
    });
    expect(releases["kube-prometheus-stack"].dependencies).toContain(secret.urn);

    // Every key naming a password, anywhere in any input, holds only the secret marker.
    const clear: string[] = [];
    const scan = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => scan(x, `${path}[${i}]`));
      else if (typeof v === "object" && v !== null)
        for (const [k, x] of Object.entries(v)) {
          if (/password/i.test(k) && x !== SECRET_MARK) clear.push(`${path}.${k}`);
          scan(x, `${path}.${k}`);
        }
    };
    for (const r of ev.records) scan(r.inputs, r.name);
    expect(clear).toEqual([]);
    expect(JSON.stringify(ev.records.map((r) => r.inputs))).not.toContain(generated);
  });
});

describe("addonCharts", () => {
  test("every chart is pinned to an exact version (no range), with a timeout", () => {
    for (const c of Object.values(ADDON_CHARTS)) {
      expect(c.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(releaseSettings(c)).toMatchObject({ version: c.version, atomic: true, skipAwait: false });
      expect(c.timeoutSeconds).toBeGreaterThanOrEqual(300);
    }
  });

  test("SLO-6: a retention and a storage class give Prometheus that retention on a persistent volume", () => {
    const values = kubePrometheusStackValues({
      retention: "30d",
      alertmanagerConfig: {},
      alertmanagerRoleArn: "arn:aws:iam::123456789012:role/am",
      storage: { storageClassName: "gp3", size: "50Gi" },
    });
    expect(values.prometheus.prometheusSpec).toEqual({
      retention: "30d",
      serviceMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      storageSpec: {
        volumeClaimTemplate: {
          spec: {
            storageClassName: "gp3",
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "50Gi" } },
          },
        },
      },
    });
  });

  test("SLO-5: Grafana's dashboard sidecar reads ConfigMaps labelled grafana_dashboard=1 in Grafana's namespace only; the datasource keeps uid prometheus", () => {
    const values = kubePrometheusStackValues({
      retention: "15d",
      alertmanagerConfig: {},
      alertmanagerRoleArn: "arn:aws:iam::123456789012:role/am",
    });
    expect(GRAFANA_DASHBOARDS).toEqual({
      label: "grafana_dashboard",
      labelValue: "1",
      namespace: ADDON_CHARTS.kubePrometheusStack.namespace,
      datasourceUid: "prometheus",
    });
    expect(values.grafana.sidecar).toEqual({
      dashboards: { label: "grafana_dashboard", labelValue: "1", searchNamespace: ["monitoring"] },
      datasources: { uid: "prometheus" },
    });
  });

  test("SLO-6: the publish policy names each topic once, in order", () => {
    const policy = alertmanagerPublishPolicy([TOPICS[1], TOPICS[0], TOPICS[1]], KEY, "eu-west-1");
    expect(policy.Statement[0].Resource).toEqual([TOPICS[0], TOPICS[1]]);
    expect(policy.Statement[1].Condition).toEqual({
      StringEquals: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" },
    });
  });

  test("K8S-8: the issuers are Let's Encrypt's production and staging directories", () => {
    expect(CLUSTER_ISSUERS).toEqual({
      prod: { name: "letsencrypt-prod", server: "https://acme-v02.api.letsencrypt.org/directory" },
      staging: {
        name: "letsencrypt-staging",
        server: "https://acme-staging-v02.api.letsencrypt.org/directory",
      },
    });
  });
});
