/**
 * Issue 23, Kubernetes: mistakes made on copies of prod's real recorded
 * objects and caught: the app namespace's Pod Security level (K8S-6), pod
 * egress to anywhere on any port (K8S-7, NET-3), an Ingress naming an issuer
 * that does not exist or one pointed at the wrong ACME directory (K8S-3,
 * K8S-8), and a Kubernetes service missing its Prometheus alerts (SLO-6,
 * SLO-1, SLO-3). Every rule passes the shipped stacks as recorded.
 */
import acmeIssuer from "../../policies/rules/kubernetes/kubernetes-ingress-require-acme-issuer";
import podSecurity from "../../policies/rules/kubernetes/kubernetes-namespace-require-restricted-pod-security";
import publicEgress from "../../policies/rules/kubernetes/kubernetes-networkpolicy-limit-public-egress";
import promAlerts from "../../policies/rules/kubernetes/kubernetes-prometheusrule-require-slo-alerts";
import type { Rule } from "../../policies/rule";
import type { PolicyInput } from "../../synth/policy";
import { synthStack } from "../harness";
import { editInputs, editOutputs, findings, mandatory, record } from "./recorded";

type Props = Record<string, unknown>;
const STACK = "prod";

const T = {
  namespace: "kubernetes:core/v1:Namespace",
  deployment: "kubernetes:apps/v1:Deployment",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  clusterIssuer: "kubernetes:cert-manager.io/v1:ClusterIssuer",
  prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
} as const;

const RULES: readonly Rule[] = [acmeIssuer, podSecurity, publicEgress, promAlerts];

const expectOnly = async (rule: Rule, ev: PolicyInput, urn: string, messages: string[]) =>
  expect(await findings(rule, ev, STACK)).toEqual(messages.map((m) => mandatory(rule, urn, m)));

describe("issue 23: the new Kubernetes rules pass every shipped stack as recorded", () => {
  test.each(
    ["prod", "staging", "myhibachi-prod", "prod-dr"].flatMap((stack) =>
      RULES.map((r) => [r.name, stack, r] as const),
    ),
  )("POL-3: %s reports nothing on %s", async (_, stack, rule) => {
    expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
  });
});

describe("K8S-6: the app namespace's Pod Security level (kubernetes-namespace-require-restricted-pod-security)", () => {
  test("K8S-6: prod's real production namespace enforcing baseline is reported", async () => {
    const ev = await synthStack(STACK);
    const ns = record(ev, T.namespace, "psi-prod-ns-namespace");
    const mutated = editOutputs(ev, ns.urn, (p) => {
      ((p.metadata as Props).labels as Props)["pod-security.kubernetes.io/enforce"] = "baseline";
    });
    await expectOnly(podSecurity, mutated, ns.urn, [
      "namespace production (of Deployment psi-prod-backend) has pod-security.kubernetes.io/enforce baseline; enforce restricted",
    ]);
  });

  test("K8S-6: prod's real Deployment moved to a namespace the stack does not declare is reported", async () => {
    const ev = await synthStack(STACK);
    const d = record(ev, T.deployment, "psi-prod-backend-deployment");
    const mutated = editOutputs(ev, d.urn, (p) => {
      (p.metadata as Props).namespace = "apps";
    });
    await expectOnly(podSecurity, mutated, d.urn, [
      "namespace apps (of Deployment psi-prod-backend) is not declared in this stack: its Pod Security level cannot be checked; declare it with pod-security.kubernetes.io/enforce: restricted",
    ]);
  });
});

describe("K8S-7, NET-3: pod egress to anywhere (kubernetes-networkpolicy-limit-public-egress)", () => {
  const edit = async (change: (rule: Props) => void, index = 1) => {
    const ev = await synthStack(STACK);
    const policy = record(ev, T.networkPolicy, "psi-prod-backend-allow-egress");
    const mutated = editInputs(ev, policy.urn, (p) => {
      const rules = (p.spec as { egress: Props[] }).egress;
      change(rules[index]);
    });
    return { mutated, urn: policy.urn };
  };

  test("K8S-7: the real HTTPS egress rule opened to every port is reported", async () => {
    const { mutated, urn } = await edit((r) => delete r.ports);
    await expectOnly(publicEgress, mutated, urn, [
      "egress rule 2 to 0.0.0.0/0 opens every port; pods may leave for anywhere only on TCP 443",
    ]);
  });

  test("K8S-7: the real HTTPS egress rule widened to TCP 80 and to no destination at all is reported", async () => {
    const { mutated, urn } = await edit((r) => {
      delete r.to;
      (r.ports as Props[]).push({ port: 80, protocol: "TCP" });
    });
    await expectOnly(publicEgress, mutated, urn, [
      "egress rule 2 to any destination (no to) opens TCP 80; pods may leave for anywhere only on TCP 443",
    ]);
  });

  test("K8S-7: the real data-tier rule (5432, 27017, 6379) sent to every destination instead of the data subnets is reported", async () => {
    const { mutated, urn } = await edit((r) => delete r.to, 0);
    await expectOnly(
      publicEgress,
      mutated,
      urn,
      [5432, 27017, 6379].map(
        (port) =>
          `egress rule 1 to any destination (no to) opens TCP ${port}; pods may leave for anywhere only on TCP 443`,
      ),
    );
  });
});

describe("K8S-3, K8S-8: the issuer an Ingress names (kubernetes-ingress-require-acme-issuer)", () => {
  test("K8S-3: prod's real Ingress naming a ClusterIssuer the stack does not declare is reported", async () => {
    const ev = await synthStack(STACK);
    const ingress = record(ev, T.ingress, "psi-prod-backend-ingress");
    const mutated = editOutputs(ev, ingress.urn, (p) => {
      ((p.metadata as Props).annotations as Props)["cert-manager.io/cluster-issuer"] = "letsencrypt";
    });
    await expectOnly(acmeIssuer, mutated, ingress.urn, [
      "Ingress psi-prod-backend asks for ClusterIssuer letsencrypt, which this stack does not declare: cert-manager would issue no certificate",
    ]);
  });

  test("K8S-8: prod's real letsencrypt-prod pointed at the staging directory, and staging at production, are reported", async () => {
    const ev = await synthStack(STACK);
    const prod = record(ev, T.clusterIssuer, "psi-prod-addons-issuer-prod");
    const staging = record(ev, T.clusterIssuer, "psi-prod-addons-issuer-staging");
    const server = (urn: string) =>
      (((ev.outputs.get(urn) as Props).spec as Props).acme as Props).server as string;
    const [prodServer, stagingServer] = [server(prod.urn), server(staging.urn)];
    let mutated = editOutputs(ev, prod.urn, (p) => {
      ((p.spec as Props).acme as Props).server = stagingServer;
    });
    mutated = editOutputs(mutated, staging.urn, (p) => {
      ((p.spec as Props).acme as Props).server = prodServer;
    });
    expect(await findings(acmeIssuer, mutated, STACK)).toEqual(
      [
        mandatory(
          acmeIssuer,
          prod.urn,
          "ClusterIssuer letsencrypt-prod points at https://acme-staging-v02.api.letsencrypt.org/directory; its name promises https://acme-v02.api.letsencrypt.org/directory",
        ),
        mandatory(
          acmeIssuer,
          staging.urn,
          "ClusterIssuer letsencrypt-staging points at https://acme-v02.api.letsencrypt.org/directory; its name promises https://acme-staging-v02.api.letsencrypt.org/directory",
        ),
      ].sort((a, b) => String(a.urn).localeCompare(String(b.urn))),
    );
  });
});

describe("SLO-6, SLO-1, SLO-3: a Kubernetes service's Prometheus alerts (kubernetes-prometheusrule-require-slo-alerts)", () => {
  const without = async (alerts: string[], change?: (rule: Props) => void) => {
    const ev = await synthStack(STACK);
    const rule = record(ev, T.prometheusRule, "psi-prod-backend-monitoring-rules");
    const stack = ev.records.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const mutated = editOutputs(ev, rule.urn, (p) => {
      for (const g of (p.spec as { groups: { rules: Props[] }[] }).groups) {
        g.rules = g.rules.filter((r) => !alerts.includes(String(r.alert)));
        for (const r of g.rules) change?.(r);
      }
    });
    return { mutated, stackUrn: stack.urn };
  };

  test("SLO-6: prod without its HighErrorRate alert (the Route 53 alarm does not stand in) is reported", async () => {
    const { mutated, stackUrn } = await without(["HighErrorRate"]);
    await expectOnly(promAlerts, mutated, stackUrn, [
      "Kubernetes service backend has no Prometheus alert for SLO errorRateCriticalPct: label one service=backend, slo_objective=errorRateCriticalPct in a PrometheusRule",
    ]);
  });

  test("SLO-6, SLO-3: prod without its no-ready-pod alert, and with it waiting 10 minutes, is reported", async () => {
    const gone = await without(["NoReadyPods"]);
    await expectOnly(promAlerts, gone.mutated, gone.stackUrn, [
      "Kubernetes service backend has no Prometheus alert for no ready pod: label one service=backend on kube_deployment_status_replicas_ready of Deployment production/psi-prod-backend < 1",
    ]);
    const slow = await without([], (r) => {
      if (r.alert === "NoReadyPods") r.for = "10m";
    });
    await expectOnly(promAlerts, slow.mutated, slow.stackUrn, [
      "Kubernetes service backend's no-ready-pod alert NoReadyPods waits 600 s before it fires; service down must page within 90 s",
    ]);
  });
});
