/**
 * The Kubernetes path as the shipped stacks compose it (APP-3, K8S-1..10):
 * one cluster and provider per stack, the service's DNS name on the ingress
 * NLB, its pod role held to the ECS task's grants, and the one config switch
 * that moves a service between ECS and Kubernetes.
 */
import { restrictedViolations } from "../../components/kubernetes/podSpec";
import { readPackConfig, runPolicies } from "../../synth/policy";
import { T, evaluateWith, named, ofType, one, synthStack } from "../harness";

const K8S_PROVIDER = "pulumi:providers:kubernetes";
const isK8sObject = (type: string) => type.startsWith("kubernetes:");

describe.each(["prod", "staging", "prod-dr"])("%s on Kubernetes", (stack) => {
  test(`K8S-1: ${stack} runs one EKS cluster, and every Kubernetes object goes through its one explicit provider`, async () => {
    const { records } = await synthStack(stack);
    expect(ofType(records, "aws:eks/cluster:Cluster")).toHaveLength(1);
    const provider = one(records, K8S_PROVIDER);
    const objects = records.filter((r) => r.custom && isK8sObject(r.type));
    // 4 Helm releases, 5 add-on namespaces, 2 ClusterIssuers, Grafana's Secret; the app
    // namespace with 3 NetworkPolicies, Role and RoleBinding; the service's 10 workload objects,
    // its ServiceMonitor, PrometheusRule and Grafana dashboard ConfigMap (SLO-5); and the
    // ingress controller's Service it reads.
    expect(objects).toHaveLength(32);
    for (const o of objects)
      expect([o.name, o.provider?.split("::").slice(0, -1).join("::")]).toEqual([o.name, provider.urn]);
  });
});

/** Each Psi stack's name prefix and the app half of its VPC (components/network/cidrPlan.ts). */
const PSI = {
  prod: { prefix: "psi-prod", appSubnets: "10.0.0.0/17" },
  staging: { prefix: "psi-staging", appSubnets: "10.1.0.0/17" },
  "prod-dr": { prefix: "psi-prod-dr", appSubnets: "10.3.0.0/17" },
} as const;

describe.each(Object.keys(PSI) as (keyof typeof PSI)[])("%s: the migration step", (stack) => {
  test(`K8S-2, K8S-6: ${stack}'s backend pods run [P §3.7.2]'s alembic upgrade head first, in an init container of the app's image, env, resources, restricted context and /tmp`, async () => {
    const { records } = await synthStack(stack);
    const deployment = named(
      records,
      "kubernetes:apps/v1:Deployment",
      `${PSI[stack].prefix}-backend-deployment`,
    );
    const template = (deployment.inputs.spec as { template: Record<string, unknown> }).template;
    const pod = template.spec as { initContainers: unknown[]; containers: Record<string, unknown>[] };
    const [app] = pod.containers;
    expect(pod.initContainers).toEqual([
      {
        name: "migrate",
        image: app.image,
        command: ["alembic", "upgrade", "head"],
        env: app.env,
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1000m", memory: "2Gi" } },
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ]);
    expect(app.resources).toEqual((pod.initContainers[0] as Record<string, unknown>).resources);
    expect(restrictedViolations(template)).toEqual([]);
  });
});

describe.each(Object.keys(PSI) as (keyof typeof PSI)[])(
  "%s: what a first up waits for, and a destroy keeps",
  (stack) => {
    const { prefix, appSubnets } = PSI[stack];

    test(`K8S-1: ${stack}'s Kubernetes provider depends on its cluster and on every access entry and access policy association of it`, async () => {
      const { records } = await synthStack(stack);
      const grants = [
        ...ofType(records, "aws:eks/accessEntry:AccessEntry"),
        ...ofType(records, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"),
      ];
      expect(grants.length).toBeGreaterThan(0);
      expect(one(records, K8S_PROVIDER).dependencies).toEqual(
        [one(records, "aws:eks/cluster:Cluster").urn, ...grants.map((g) => g.urn)].sort(),
      );
    });

    test(`K8S-1: ${stack}'s private API endpoint admits its app subnets (${appSubnets}: the CI runner, a bastion) on 443, on the control plane's group`, async () => {
      const { records } = await synthStack(stack);
      const rule = named(
        records,
        T.ingress,
        `${prefix}-eks-cluster-ingress-tcp-443-${appSubnets.replace(/[./]/g, "-")}`,
      );
      expect(rule.inputs).toMatchObject({
        securityGroupId: named(records, T.sg, `${prefix}-eks-cluster`).id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: appSubnets,
      });
      const cidrRules = ofType(records, T.ingress).filter((r) => r.inputs.cidrIpv4 !== undefined);
      expect(cidrRules.filter((r) => r.name.startsWith(`${prefix}-eks-`)).map((r) => r.name)).toEqual([
        rule.name,
      ]);
    });

    test(`K8S-3, K8S-4: ${stack}'s Ingress waits for the ingress-nginx release (its class's controller), its HPA for the metrics-server add-on`, async () => {
      const { records } = await synthStack(stack);
      const release = ofType(records, "kubernetes:helm.sh/v3:Release").find(
        (r) => (r.inputs as { name?: string }).name === "ingress-nginx",
      )!;
      const ingress = one(records, "kubernetes:networking.k8s.io/v1:Ingress");
      expect((ingress.inputs.spec as { ingressClassName: string }).ingressClassName).toBe("nginx");
      expect(ingress.dependencies).toContain(release.urn);
      const metricsServer = named(records, "aws:eks/addon:Addon", `${prefix}-eks-metrics-server`);
      expect(metricsServer.inputs.addonName).toBe("metrics-server");
      expect(one(records, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").dependencies).toContain(
        metricsServer.urn,
      );
    });
  },
);

describe("who runs Pulumi against the cluster (K8S-1, CI-1)", () => {
  test.each(["prod", "staging"] as const)(
    "K8S-1, CI-1: %s gives CI's deploy and preview roles cluster-admin entries: the kubeconfig authenticates as whoever runs Pulumi",
    async (stack) => {
      const { records } = await synthStack(stack);
      const admins = ofType(records, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => [
        a.inputs.principalArn,
        a.inputs.policyArn,
      ]);
      const admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
      expect(admins.sort()).toEqual(
        [
          ["arn:aws:iam::123456789012:role/psi-platform-admin", admin],
          ["arn:aws:iam::123456789012:role/runbook-platform-deploy", admin],
          ["arn:aws:iam::123456789012:role/runbook-platform-preview", admin],
        ].sort(),
      );
    },
  );
});

describe("the backend's uptime check (SLO-7)", () => {
  test.each(["prod", "staging"] as const)(
    "SLO-7: %s's Route 53 health check waits for the CNAME of the name it probes and the Ingress serving it",
    async (stack) => {
      const { records } = await synthStack(stack);
      const check = one(records, "aws:route53/healthCheck:HealthCheck");
      const record = one(records, T.dnsRecord);
      expect(record.inputs.name).toBe(check.inputs.fqdn);
      expect(check.dependencies).toEqual(
        [record.urn, one(records, "kubernetes:networking.k8s.io/v1:Ingress").urn].sort(),
      );
    },
  );

  test("SLO-7, DR-2: the rebuild has neither record nor health check (us-east-1's Route 53 metrics are out of reach)", async () => {
    const { records } = await synthStack("prod-dr");
    expect(ofType(records, "aws:route53/healthCheck:HealthCheck")).toEqual([]);
    expect(ofType(records, T.dnsRecord)).toEqual([]);
  });
});

describe("the backend's Grafana dashboard (SLO-5)", () => {
  test("SLO-5: prod's backend dashboard ConfigMap is where and as the release's Grafana sidecar looks, with the stack's SLO lines", async () => {
    const { records } = await synthStack("prod");
    const cm = one(records, "kubernetes:core/v1:ConfigMap");
    const release = ofType(records, "kubernetes:helm.sh/v3:Release").find(
      (r) => (r.inputs as { name?: string }).name === "kube-prometheus-stack",
    )!;
    const sidecar = (
      release.inputs as {
        values: {
          grafana: {
            sidecar: { dashboards: { label: string; labelValue: string; searchNamespace: string[] } };
          };
        };
      }
    ).values.grafana.sidecar.dashboards;
    const metadata = cm.inputs.metadata as {
      name: string;
      namespace: string;
      labels: Record<string, string>;
    };
    expect(metadata.name).toBe("psi-prod-backend-dashboard");
    expect(sidecar.searchNamespace).toEqual([metadata.namespace]);
    expect(metadata.labels[sidecar.label]).toBe(sidecar.labelValue);
    const dashboard = JSON.parse((cm.inputs.data as Record<string, string>)["backend.json"]) as {
      title: string;
      panels: { fieldConfig: { defaults: { thresholds?: { steps: { value: number | null }[] } } } }[];
    };
    expect(dashboard.title).toBe("psi-prod-backend");
    expect(dashboard.panels.map((p) => p.fieldConfig.defaults.thresholds?.steps[1].value)).toEqual([
      undefined,
      0.5,
      0.1,
      70,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("the backend's name and role (K8S-3, K8S-10, ECS-8)", () => {
  test("K8S-3: prod's api.psi-app.com is a CNAME to the ingress NLB's DNS name, read from the controller's Service", async () => {
    const { records, stackOutputs } = await synthStack("prod");
    const record = one(records, T.dnsRecord);
    const services = stackOutputs.kubernetesServices as Record<string, { ingressHostname: string }>;
    const nlb = services.backend.ingressHostname;
    expect(nlb).toMatch(/^a[0-9a-f]{32}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    expect(record.inputs).toEqual({
      name: "api.psi-app.com",
      type: "CNAME",
      ttl: 60,
      records: [nlb],
      zoneId: expect.stringMatching(/^Z[0-9A-Z]+$/),
    });
  });

  test("K8S-3, DR-1: the rebuild owns no DNS record: prod's stays prod's until the cutover repoints it", async () => {
    const { records, stackOutputs } = await synthStack("prod-dr");
    expect(ofType(records, T.dnsRecord)).toEqual([]);
    const services = stackOutputs.kubernetesServices as Record<string, { ingressHostname: string }>;
    expect(services.backend.ingressHostname).toMatch(/\.elb\.us-west-2\.amazonaws\.com$/);
  });

  test("K8S-10, ECS-8: the pod role reads exactly its own and its data stores' secrets, and uses only the images bucket", async () => {
    const { records } = await synthStack("prod");
    const policy = JSON.parse(
      String(named(records, T.rolePolicy, "psi-prod-backend-irsa").inputs.policy),
    ) as {
      Statement: { Sid: string; Action: string | string[]; Resource: string | string[] }[];
    };
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      "ReadOwnSecrets",
      "DecryptOwnSecretsThroughSecretsManager",
      "ListBucket0",
      "ReadWriteObjects0",
      "UseBucketKeyThroughS30",
    ]);
    const secrets = policy.Statement[0].Resource as string[];
    expect(secrets.map((a) => a.replace(/-[0-9a-f]{6}$/, "").replace(/^.*:secret:/, ""))).toEqual([
      "psi-prod-postgres-master-056f8dd",
      "psi-prod-redis-auth-ac2994f",
      "psi-prod/backend/CLAUDE_API_KEY",
      "psi-prod/backend/SECRET_KEY",
      expect.stringMatching(/^rds!cluster-/),
    ]);
    expect(policy.Statement[2].Resource).toMatch(/^arn:aws:s3:::psi-prod-images-[0-9a-f]{7}$/);
  });
});

describe("one config switch (APP-3, K8S-1)", () => {
  test("APP-3, K8S-1, POL-3: MyHibachi's api moved to Kubernetes by config alone passes every rule of the pack but its monthly budget", async () => {
    const ev = await evaluateWith("myhibachi-prod", {
      "runbook-platform:services": {
        api: {
          compute: "kubernetes",
          image: { build: { context: "apps/myhibachi-api", dockerfile: "apps/myhibachi-api/Dockerfile" } },
          domain: "mhapi.mysticdatanode.net",
          hostedZone: "mysticdatanode.net",
          rateLimitPerMinute: 60,
        },
      },
      "runbook-platform:kubernetes": {
        acmeEmail: "devops@myhibachi.example.com",
        adminRoleArns: ["arn:aws:iam::123456789012:role/myhibachi-platform-admin"],
      },
    });
    expect(ev.error).toBeUndefined();
    expect(ofType(ev.records, "aws:ecs/service:Service")).toEqual([]);
    expect(ofType(ev.records, "kubernetes:apps/v1:Deployment")).toHaveLength(1);
    const findings = await runPolicies(ev, readPackConfig("myhibachi-prod"));
    // The one objection is the price: an EKS cluster and its nodes cost more than the
    // Fargate tasks, so the move needs the stack's budget raised with it (issue 20, docs/cost.md).
    const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory");
    expect(mandatory.map((f) => f.policy)).toEqual(["cost-stack-limit-monthly-budget"]);
    expect(mandatory[0].message).toMatch(
      /^the estimate is \d{4}\.\d{2} USD a month, over the budget of 1000\.00 USD/,
    );
  });
});
