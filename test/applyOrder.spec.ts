/**
 * Issue 16: the apply order (synth/applyOrder.ts): the engine's create and
 * delete waves, and the readiness needs (synth/readinessNeeds.ts,
 * synth/readinessKubernetes.ts). Pure functions over records: hand-made ones,
 * and the shipped stacks' shared records (test/harness.ts synthStack), of
 * which every need is shown failing on a copy with one thing changed. One
 * small program checks what the engine records of a read's id.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  APPLY_ORDER_VERSION,
  applyOrder,
  applyOrderLines,
  createWaves,
  destroyWaves,
  writeApplyOrder,
} from "../synth/applyOrder";
import { buildGraph, criticalPath } from "../synth/criticalPath";
import { type ReadRecord, type ResourceRecord, evaluate } from "../synth/engine";
import { type Finding, type NeedRecord, needContext } from "../synth/readinessContext";
import { CHART_FACTS, chartName, metricsApisOf } from "../synth/readinessKubernetes";
import { NEEDS } from "../synth/readinessNeeds";
import { ADDON_CHARTS } from "../components/kubernetes/addonCharts";
import { SHIPPED_STACKS, ofType, one, stackConfig, synthStack } from "./harness";

/* ---------- helpers ---------- */

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

type Editable = { -readonly [K in keyof NeedRecord]: NeedRecord[K] };

/** `records` with a copy of `urn`'s record changed by `change` (the shared records are frozen). */
function edit(records: readonly NeedRecord[], urn: string, change: (r: Editable) => void): NeedRecord[] {
  if (!records.some((r) => r.urn === urn)) throw new Error(`no record ${urn}`);
  return records.map((r) => {
    if (r.urn !== urn) return r;
    const c: Editable = copy(r);
    change(c);
    return c;
  });
}

/** `records` with `urn` no longer waiting for `target`: every dependency through which it did is removed. */
function cut(records: readonly NeedRecord[], urn: string, target: string): NeedRecord[] {
  const via = (d: string) =>
    needContext(
      records.map((r) => (r.urn === urn ? { ...r, dependencies: [d] } : r)),
      [],
    ).waits(urn, target);
  const out = edit(records, urn, (r) => (r.dependencies = r.dependencies.filter((d) => !via(d))));
  if (needContext(out, []).waits(urn, target))
    throw new Error(`${urn} waits for ${target} by parent or provider`);
  return out;
}

const findingsOf = (need: string, records: readonly NeedRecord[], reads: readonly ReadRecord[] = []) =>
  applyOrder(records, reads).findings.filter((f) => f.need === need);

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const urnOf = (type: string, name: string) => `urn:pulumi:t::p::${type}::${name}`;
function rec(type: string, name: string, opts: Partial<NeedRecord> = {}): NeedRecord {
  return {
    urn: urnOf(type, name),
    type,
    name,
    id: `${name}-id`,
    parent: STACK,
    custom: true,
    provider: null,
    dependencies: [],
    inputs: {},
    ...opts,
  };
}

/* ---------- waves ---------- */

const root = { ...rec("pulumi:pulumi:Stack", "p-t", { custom: false, parent: null }), urn: STACK };
const net = rec("platform:network:Network", "net", { custom: false });
const vpc = rec("aws:ec2/vpc:Vpc", "vpc", { parent: net.urn });
const subnet = rec("aws:ec2/subnet:Subnet", "subnet", { parent: net.urn, dependencies: [vpc.urn] });
const eks = rec("aws:eks/cluster:Cluster", "eks", { dependencies: [subnet.urn] });
const k8sProvider = rec("pulumi:providers:kubernetes", "k8s", { dependencies: [eks.urn] });
const ns = rec("kubernetes:core/v1:Namespace", "ns", { provider: `${k8sProvider.urn}::pid` });
// A dependency on a component waits for all of its custom resources.
const app = rec("aws:ecs/service:Service", "app", { dependencies: [net.urn] });
const key = rec("aws:kms/key:Key", "key");
// A child of a custom resource waits for its parent.
const alias = rec("aws:kms/alias:Alias", "alias", { parent: key.urn });
const WAVE_RECORDS = [root, net, vpc, subnet, eks, k8sProvider, ns, app, key, alias];

describe("apply order: waves", () => {
  test("create waves: a resource runs in the wave after the last of what it waits for (dependencies, a component's resources, a custom parent, the explicit provider)", () => {
    expect(createWaves(buildGraph(WAVE_RECORDS))).toEqual([
      [vpc.urn, key.urn],
      [subnet.urn, alias.urn],
      [app.urn, eks.urn],
      [k8sProvider.urn],
      [ns.urn],
    ]);
  });

  test("destroy waves: a resource is deleted only after everything that waits for it, so the cluster outlives its objects", () => {
    expect(destroyWaves(buildGraph(WAVE_RECORDS))).toEqual([
      [app.urn, alias.urn, ns.urn],
      [key.urn, k8sProvider.urn],
      [eks.urn],
      [subnet.urn],
      [vpc.urn],
    ]);
  });

  test("a dependency cycle fails naming it; a stack without custom resources has no waves", () => {
    const a = rec("aws:sns/topic:Topic", "a", { dependencies: [urnOf("aws:sns/topic:Topic", "b")] });
    const b = rec("aws:sns/topic:Topic", "b", { dependencies: [a.urn] });
    expect(() => applyOrder([root, a, b], [])).toThrow(`dependency cycle: ${a.urn} -> ${b.urn} -> ${a.urn}`);
    expect(applyOrder([root], [])).toMatchObject({ createWaves: [], destroyWaves: [], findings: [] });
  });

  test.each(SHIPPED_STACKS)(
    "%s: every custom resource is in one create and one delete wave, after all it waits for and before all that waits for it, and the critical path climbs the waves",
    async (stack) => {
      const { records } = await synthStack(stack);
      const graph = buildGraph(records);
      const order = applyOrder(records, []);
      const custom = records.filter((r) => r.custom).map((r) => r.urn);
      const at = (waves: string[][]) => new Map(waves.flatMap((w, i) => w.map((u) => [u, i] as const)));
      const create = at(order.createWaves);
      const destroy = at(order.destroyWaves);
      expect([...create.keys()].sort()).toEqual([...custom].sort());
      expect([...destroy.keys()].sort()).toEqual([...custom].sort());
      expect(order.createWaves.flat()).toHaveLength(custom.length);
      for (const [urn, waits] of graph.waits) {
        for (const w of waits) {
          expect(create.get(w)!).toBeLessThan(create.get(urn)!);
          expect(destroy.get(urn)!).toBeLessThan(destroy.get(w)!);
        }
        // Not a wave later than it must be.
        const latest = Math.max(-1, ...waits.map((w) => create.get(w)!));
        expect(create.get(urn)).toBe(latest + 1);
      }
      const steps = criticalPath(records).path.map((s) => create.get(s.urn)!);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(new Set(steps).size).toBe(steps.length);
    },
  );

  test.each(["prod", "staging", "prod-dr"])(
    "K8S-1, %s: on destroy the EKS access entries and policy associations outlive every Kubernetes object",
    async (stack) => {
      const { records } = await synthStack(stack);
      const order = applyOrder(records, []);
      const wave = new Map(order.destroyWaves.flatMap((w, i) => w.map((u) => [u, i] as const)));
      const grants = [
        ...ofType(records, "aws:eks/accessEntry:AccessEntry"),
        ...ofType(records, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"),
      ].map((g) => wave.get(g.urn)!);
      const objects = records
        .filter((r) => r.custom && r.type.startsWith("kubernetes:"))
        .map((r) => wave.get(r.urn)!);
      expect(grants.length).toBeGreaterThan(0);
      expect(objects.length).toBeGreaterThan(20);
      expect(Math.max(...objects)).toBeLessThan(Math.min(...grants));
    },
  );
});

/* ---------- the needs on the shipped stacks' records ---------- */

const T = {
  ecsService: "aws:ecs/service:Service",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  dnsRecord: "aws:route53/record:Record",
  provider: "pulumi:providers:kubernetes",
  cluster: "aws:eks/cluster:Cluster",
  addon: "aws:eks/addon:Addon",
  release: "kubernetes:helm.sh/v3:Release",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  clusterIssuer: "kubernetes:cert-manager.io/v1:ClusterIssuer",
} as const;

/** The Helm release of a chart (by the chart's name, not the release's). */
const releaseOf = (records: readonly ResourceRecord[], chart: string) =>
  one(
    records.filter((r) => r.type === T.release && chartName(r) === chart),
    T.release,
  );

describe("readiness needs", () => {
  test("every need has a unique id, a one-sentence statement and https basis URLs, and synth lists them in that order", () => {
    expect(NEEDS.map((n) => n.id)).toEqual([
      "ecs-service-after-listener",
      "kubernetes-provider-after-eks-access",
      "awaited-after-controller",
      "custom-resource-after-crd",
      "hpa-after-metrics-api",
      "health-check-after-record",
      "read-id-from-creator",
    ]);
    for (const n of NEEDS) {
      expect(n.statement).toMatch(/^[A-Z][^]*\.$/);
      expect(n.statement.slice(0, -1)).not.toContain(". ");
      expect(n.basis.length).toBeGreaterThan(0);
      for (const url of n.basis) expect(url).toMatch(/^https:\/\/\S+$/);
    }
    expect(applyOrder([root], []).needs).toEqual(
      NEEDS.map(({ id, statement, basis }) => ({ id, statement, basis })),
    );
  });

  test("every chart the platform installs has a row in the chart table, and the facts the needs read match its values", () => {
    for (const c of Object.values(ADDON_CHARTS)) expect(CHART_FACTS[c.chart]).toBeDefined();
    for (const facts of Object.values(CHART_FACTS)) expect(facts.basis).toMatch(/^https:\/\/\S+$/);
    expect(CHART_FACTS["cert-manager"].crdGroups!({ crds: { enabled: false } })).toEqual([]);
    expect(CHART_FACTS["cert-manager"].crdGroups!({ crds: { enabled: true } })).toEqual([
      "acme.cert-manager.io",
      "cert-manager.io",
    ]);
    // Masked values are no evidence of absence: the chart's fullest answer.
    expect(CHART_FACTS["cert-manager"].crdGroups!(undefined)).toHaveLength(2);
    expect(CHART_FACTS["ingress-nginx"].ingressClass!({})).toEqual({ name: "nginx", isDefault: false });
    expect(CHART_FACTS["prometheus-adapter"].metricsApis!({ rules: { default: true } })).toEqual([
      "custom.metrics.k8s.io",
    ]);
  });

  test("ECS-5: an ECS service created before the listener that forwards to its target group is a finding naming both", async () => {
    const { records } = await synthStack("myhibachi-prod");
    const svc = one(records, T.ecsService);
    const arn = (svc.inputs.loadBalancers as { targetGroupArn: string }[])[0].targetGroupArn;
    const group = one(
      records.filter((r) => r.type === T.targetGroup && r.id === arn),
      T.targetGroup,
    );
    const listener = one(
      ofType(records, T.listener).filter((l) => JSON.stringify(l.inputs.defaultActions).includes(arn)),
      T.listener,
    );
    expect(findingsOf("ecs-service-after-listener", records)).toEqual([]);
    expect(findingsOf("ecs-service-after-listener", cut(records, svc.urn, listener.urn))).toEqual<Finding[]>([
      {
        need: "ecs-service-after-listener",
        urn: svc.urn,
        waitsFor: listener.urn,
        message: `${svc.urn} must wait for ${listener.urn}, which forwards to its target group ${group.urn}: until a listener forwards to a target group, ECS CreateService refuses it ("does not have an associated load balancer")`,
      },
    ]);
    // No listener forwards to it at all: the target group is named.
    const noForward = edit(
      records,
      listener.urn,
      (l) => (l.inputs.defaultActions = [{ type: "fixed-response" }]),
    );
    expect(findingsOf("ecs-service-after-listener", noForward)).toEqual<Finding[]>([
      {
        need: "ecs-service-after-listener",
        urn: svc.urn,
        waitsFor: group.urn,
        message: `${svc.urn} registers in target group ${group.urn}, which no aws:lb/listener:Listener or aws:lb/listenerRule:ListenerRule of this stack forwards to: ECS CreateService refuses it ("does not have an associated load balancer")`,
      },
    ]);
  });

  test("ECS-5, ECS-10: an ECS service's alternate target group needs a forward too: a listener rule's weighted forward counts", () => {
    const blue = rec(T.targetGroup, "blue", { id: "arn:tg/blue" });
    const green = rec(T.targetGroup, "green", { id: "arn:tg/green" });
    const listener = rec(T.listener, "https", {
      inputs: { defaultActions: [{ targetGroupArn: "arn:tg/blue" }] },
    });
    const rule = rec(T.listenerRule, "prod", {
      inputs: { actions: [{ forward: { targetGroups: [{ arn: "arn:tg/blue" }, { arn: "arn:tg/green" }] } }] },
    });
    const svc = rec(T.ecsService, "svc", {
      dependencies: [listener.urn],
      inputs: {
        loadBalancers: [
          {
            targetGroupArn: "arn:tg/blue",
            advancedConfiguration: { alternateTargetGroupArn: "arn:tg/green" },
          },
        ],
      },
    });
    const base = [root, blue, green, listener, rule];
    expect(findingsOf("ecs-service-after-listener", [...base, svc]).map((f) => [f.urn, f.waitsFor])).toEqual([
      [svc.urn, rule.urn],
    ]);
    expect(
      findingsOf("ecs-service-after-listener", [...base, { ...svc, dependencies: [listener.urn, rule.urn] }]),
    ).toEqual([]);
  });

  test.each(["prod", "staging", "prod-dr"])(
    "K8S-1, %s: a Kubernetes provider created before its cluster's access entries and policy associations is a finding per grant naming both",
    async (stack) => {
      const { records } = await synthStack(stack);
      const provider = one(records, T.provider);
      const cluster = one(records, T.cluster);
      const grants = records
        .filter(
          (r) =>
            (r.type === "aws:eks/accessEntry:AccessEntry" ||
              r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation") &&
            r.inputs.clusterName === cluster.inputs.name,
        )
        .map((g) => g.urn)
        .sort();
      expect(grants.length).toBeGreaterThanOrEqual(3);
      expect(findingsOf("kubernetes-provider-after-eks-access", records)).toEqual([]);
      const unordered = grants.reduce((rs, g) => cut(rs, provider.urn, g), records as NeedRecord[]);
      expect(findingsOf("kubernetes-provider-after-eks-access", unordered)).toEqual<Finding[]>(
        grants.map((g) => ({
          need: "kubernetes-provider-after-eks-access",
          urn: provider.urn,
          waitsFor: g,
          message: `${provider.urn} must wait for ${g}: its kubeconfig reaches cluster ${cluster.urn}, whose API grants an IAM principal nothing until its access entries and access policy associations exist; waiting for them also keeps them until the last Kubernetes object is deleted`,
        })),
      );
    },
  );

  test("K8S-3: an Ingress created before the release of its class's controller is a finding naming both; skipAwait exempts it; a LoadBalancer Service of a class waits for that class's controller", async () => {
    const { records } = await synthStack("staging");
    const ingress = one(records, T.ingress);
    const nginx = releaseOf(records, "ingress-nginx");
    expect(findingsOf("awaited-after-controller", records)).toEqual([]);
    const unordered = cut(records, ingress.urn, nginx.urn);
    expect(findingsOf("awaited-after-controller", unordered)).toEqual<Finding[]>([
      {
        need: "awaited-after-controller",
        urn: ingress.urn,
        waitsFor: nginx.urn,
        message: `${ingress.urn} must wait for ${nginx.urn}, which provides the ingress controller of class nginx: pulumi-kubernetes awaits its .status.loadBalancer (10 minutes by default), which only that controller writes`,
      },
    ]);
    const skipped = edit(unordered, ingress.urn, (r) => {
      const meta = r.inputs.metadata as { annotations: Record<string, string> };
      meta.annotations["pulumi.com/skipAwait"] = "true";
    });
    expect(findingsOf("awaited-after-controller", skipped)).toEqual([]);
    // The AWS Load Balancer Controller's class on a Service of the real namespace: no release serves it here.
    const cluster = one(records, T.cluster);
    const service = one(
      records.filter((r) => r.type === "kubernetes:core/v1:Service" && Object.keys(r.inputs).length > 0),
      "kubernetes:core/v1:Service",
    );
    const nlb = edit(records, service.urn, (r) =>
      Object.assign(r.inputs.spec as object, {
        type: "LoadBalancer",
        loadBalancerClass: "service.k8s.aws/nlb",
      }),
    );
    expect(findingsOf("awaited-after-controller", nlb)).toEqual<Finding[]>([
      {
        need: "awaited-after-controller",
        urn: service.urn,
        waitsFor: cluster.urn,
        message: `${service.urn} needs the load balancer controller of class service.k8s.aws/nlb on cluster ${cluster.urn}, which this stack creates, and nothing in this stack provides it: pulumi-kubernetes awaits its .status.loadBalancer (10 minutes by default), which only that controller writes`,
      },
    ]);
  });

  test("K8S-8, K8S-10: a custom resource created before the release installing its CRDs is a finding naming both; with no installer on a cluster this stack creates it names the cluster", async () => {
    const { records } = await synthStack("prod");
    const [issuer] = ofType(records, T.clusterIssuer);
    const certManager = releaseOf(records, "cert-manager");
    const cluster = one(records, T.cluster);
    expect(findingsOf("custom-resource-after-crd", records)).toEqual([]);
    expect(findingsOf("custom-resource-after-crd", cut(records, issuer.urn, certManager.urn))).toEqual<
      Finding[]
    >([
      {
        need: "custom-resource-after-crd",
        urn: issuer.urn,
        waitsFor: certManager.urn,
        message: `${issuer.urn} must wait for ${certManager.urn}, which provides the CustomResourceDefinitions of cert-manager.io: the API server knows no ClusterIssuer of cert-manager.io before its CRD exists, and creating it fails`,
      },
    ]);
    const noCrds = edit(
      records,
      certManager.urn,
      (r) => ((r.inputs.values as { crds: object }).crds = { enabled: false }),
    );
    expect(findingsOf("custom-resource-after-crd", noCrds)).toEqual<Finding[]>(
      ofType(records, T.clusterIssuer).map((i) => ({
        need: "custom-resource-after-crd",
        urn: i.urn,
        waitsFor: cluster.urn,
        message: `${i.urn} needs the CustomResourceDefinitions of cert-manager.io on cluster ${cluster.urn}, which this stack creates, and nothing in this stack provides it: the API server knows no ClusterIssuer of cert-manager.io before its CRD exists, and creating it fails`,
      })),
    );
  });

  test("K8S-4: an HPA created before its cluster's metrics-server add-on is a finding naming both; with none it names the cluster; Pods metrics need a custom metrics adapter", async () => {
    const { records } = await synthStack("staging");
    const hpa = one(records, T.hpa);
    const cluster = one(records, T.cluster);
    const metricsServer = one(
      ofType(records, T.addon).filter((a) => a.inputs.addonName === "metrics-server"),
      T.addon,
    );
    expect(metricsApisOf(hpa)).toEqual(["metrics.k8s.io"]);
    expect(findingsOf("hpa-after-metrics-api", records)).toEqual([]);
    expect(findingsOf("hpa-after-metrics-api", cut(records, hpa.urn, metricsServer.urn))).toEqual<Finding[]>([
      {
        need: "hpa-after-metrics-api",
        urn: hpa.urn,
        waitsFor: metricsServer.urn,
        message: `${hpa.urn} must wait for ${metricsServer.urn}, which provides the metrics.k8s.io API: the autoscaler reads its metrics there and cannot scale until it is served`,
      },
    ]);
    const none = records.filter((r) => r.urn !== metricsServer.urn);
    const missing = (api: string) => ({
      need: "hpa-after-metrics-api",
      urn: hpa.urn,
      waitsFor: cluster.urn,
      message: `${hpa.urn} needs the ${api} API on cluster ${cluster.urn}, which this stack creates, and nothing in this stack provides it: the autoscaler reads its metrics there and cannot scale until it is served`,
    });
    expect(findingsOf("hpa-after-metrics-api", none)).toEqual([missing("metrics.k8s.io")]);
    // A Pods metric is read from custom.metrics.k8s.io: an adapter release of the same provider serves it.
    const pods = edit(records, hpa.urn, (r) => {
      (r.inputs.spec as { metrics: unknown[] }).metrics = [
        { type: "Pods", pods: { metric: { name: "rps" } } },
      ];
    });
    expect(findingsOf("hpa-after-metrics-api", pods)).toEqual([missing("custom.metrics.k8s.io")]);
    const nginx = releaseOf(records, "ingress-nginx");
    const adapter = { ...copy(nginx), urn: `${nginx.urn}-adapter`, inputs: { chart: "prometheus-adapter" } };
    expect(findingsOf("hpa-after-metrics-api", [...pods, adapter])).toEqual<Finding[]>([
      {
        need: "hpa-after-metrics-api",
        urn: hpa.urn,
        waitsFor: adapter.urn,
        message: `${hpa.urn} must wait for ${adapter.urn}, which provides the custom.metrics.k8s.io API: the autoscaler reads its metrics there and cannot scale until it is served`,
      },
    ]);
  });

  test.each(["myhibachi-prod", "staging", "prod"])(
    "SLO-7, %s: a Route 53 health check created before the record of the name it probes is a finding naming both",
    async (stack) => {
      const { records } = await synthStack(stack);
      // The API's check (myhibachi-prod's front ends have their own: FE-5, below).
      const check = one(
        ofType(records, T.healthCheck).filter(
          (r) => r.name.endsWith("-alarms-health") && !r.name.includes("-uptime-"),
        ),
        T.healthCheck,
      );
      const fqdn = String(check.inputs.fqdn);
      const record = one(
        ofType(records, T.dnsRecord).filter((r) => r.inputs.name === fqdn),
        T.dnsRecord,
      );
      expect(findingsOf("health-check-after-record", records)).toEqual([]);
      expect(findingsOf("health-check-after-record", cut(records, check.urn, record.urn))).toEqual<Finding[]>(
        [
          {
            need: "health-check-after-record",
            urn: check.urn,
            waitsFor: record.urn,
            message: `${check.urn} must wait for ${record.urn}: it resolves ${fqdn} through DNS before each probe, so created first it fails from its first probe and its alarms page`,
          },
        ],
      );
    },
  );

  test("FE-5, SLO-7: myhibachi-prod's admin uptime check created before its CNAME is a finding; the customer site's, whose record is the operator's, needs none", async () => {
    const { records } = await synthStack("myhibachi-prod");
    const check = one(
      ofType(records, T.healthCheck).filter((r) => r.name === "myhibachi-prod-admin-uptime-alarms-health"),
      T.healthCheck,
    );
    const record = one(
      ofType(records, T.dnsRecord).filter((r) => r.inputs.name === "admin.mysticdatanode.net"),
      T.dnsRecord,
    );
    expect(findingsOf("health-check-after-record", cut(records, check.urn, record.urn))).toEqual<Finding[]>([
      {
        need: "health-check-after-record",
        urn: check.urn,
        waitsFor: record.urn,
        message: `${check.urn} must wait for ${record.urn}: it resolves admin.mysticdatanode.net through DNS before each probe, so created first it fails from its first probe and its alarms page`,
      },
    ]);
    expect(ofType(records, T.dnsRecord).filter((r) => r.inputs.name === "myhibachichef.com")).toEqual([]);
  });

  test("K8S-3: a literal-id read of an object a Helm release of this stack creates is a finding naming both; an id from the release's outputs, or its component's, is not", async () => {
    const { records } = await synthStack("staging");
    // A read is a custom record with the id it was read by and empty inputs (docs/synth.md).
    const read = one(
      records.filter((r) => r.type === "kubernetes:core/v1:Service" && Object.keys(r.inputs).length === 0),
      "kubernetes:core/v1:Service",
    );
    const nginx = releaseOf(records, "ingress-nginx");
    const literal = findingsOf("read-id-from-creator", records, [{ urn: read.urn, idDependencies: [] }]);
    expect(literal).toEqual<Finding[]>([
      {
        need: "read-id-from-creator",
        urn: read.urn,
        waitsFor: nginx.urn,
        message: `${read.urn} reads ${read.id} by a literal id, known before the run, but ${nginx.urn} creates it in this stack: a known id is read at once, in preview too, and fails while the object does not exist (dependsOn does not defer a read); take the id from ${nginx.urn}'s outputs`,
      },
    ]);
    expect(
      findingsOf("read-id-from-creator", records, [{ urn: read.urn, idDependencies: [nginx.urn] }]),
    ).toEqual([]);
    expect(
      findingsOf("read-id-from-creator", records, [{ urn: read.urn, idDependencies: [nginx.parent!] }]),
    ).toEqual([]);
    const namespace = one(
      records.filter((r) => r.type === "kubernetes:core/v1:Namespace" && r.id === "ingress-nginx"),
      "kubernetes:core/v1:Namespace",
    );
    expect(
      findingsOf("read-id-from-creator", records, [{ urn: read.urn, idDependencies: [namespace.urn] }]).map(
        (f) => f.message.slice(0, f.message.indexOf(", but")),
      ),
    ).toEqual([`${read.urn} reads ${read.id} by an id computed from ${namespace.urn} only`]);
  });

  test("the engine records what a read's id was computed from: nothing for a literal, the resource whose output it is", async () => {
    const ev = await evaluate(stackConfig("staging"), async () => {
      const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "apps" } });
      k8s.core.v1.Service.get("literal", "apps/web");
      k8s.core.v1.Service.get("computed", pulumi.interpolate`${namespace.metadata.name}/web`);
    });
    expect(ev.error).toBeUndefined();
    const urn = (name: string) => ev.records.find((r) => r.name === name)!.urn;
    expect(ev.reads).toEqual([
      { urn: urn("computed"), idDependencies: [urn("ns")] },
      { urn: urn("literal"), idDependencies: [] },
    ]);
    expect(ev.records.find((r) => r.name === "computed")!.id).toBe("apps/web");
  });

  test.each(SHIPPED_STACKS)("CI-1: %s meets every readiness need", async (stack) => {
    const { records, reads } = await synthStack(stack);
    expect(applyOrder(records, reads ?? []).findings).toEqual([]);
  });

  test.each(SHIPPED_STACKS)(
    "%s: the shared result carries the engine's reads (test/synthCache.ts must store them)",
    async (stack) => {
      const { reads } = await synthStack(stack);
      expect(reads).toBeDefined();
    },
  );
});

describe("apply-order.json", () => {
  test("writeApplyOrder writes exactly the documented fields; synth prints one line per finding and the summary", () => {
    const svc = rec(T.ecsService, "svc", { inputs: { loadBalancers: [{ targetGroupArn: "arn:tg" }] } });
    const group = rec(T.targetGroup, "tg", { id: "arn:tg" });
    const listener = rec(T.listener, "l", { inputs: { defaultActions: [{ targetGroupArn: "arn:tg" }] } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apply-order-"));
    try {
      const order = writeApplyOrder([root, svc, group, listener], [], dir);
      const written = JSON.parse(fs.readFileSync(path.join(dir, "apply-order.json"), "utf8"));
      expect(written).toEqual(JSON.parse(JSON.stringify(order)));
      expect(Object.keys(written)).toEqual(["version", "createWaves", "destroyWaves", "needs", "findings"]);
      expect(written.version).toBe(APPLY_ORDER_VERSION);
      expect(written.createWaves).toEqual([[listener.urn, svc.urn, group.urn].sort()]);
      expect(written.findings.map((f: Finding) => Object.keys(f))).toEqual([
        ["need", "urn", "waitsFor", "message"],
      ]);
      expect(applyOrderLines(order)).toEqual([
        `  readiness ecs-service-after-listener: ${order.findings[0].message}`,
        "apply order: 1 create waves, 1 readiness finding(s)",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
