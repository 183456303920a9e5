/**
 * Kubernetes workload rules of the policy pack: K8S-2, K8S-4, K8S-5, K8S-6, K8S-10, APP-2, APP-4.
 * The program's Deployment leaves spec.replicas to its HPA (K8S-4): the replica
 * and PDB rules are shown on that shape as well as on a fixed replica count.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import probes from "../../policies/rules/kubernetes/kubernetes-deployment-require-probes";
import resources from "../../policies/rules/kubernetes/kubernetes-deployment-require-resources";
import security from "../../policies/rules/kubernetes/kubernetes-deployment-require-restricted-security";
import latest from "../../policies/rules/kubernetes/kubernetes-deployment-forbid-latest-image";
import rolling from "../../policies/rules/kubernetes/kubernetes-deployment-require-rolling-update";
import hpa from "../../policies/rules/kubernetes/kubernetes-horizontalpodautoscaler-limit-replicas";
import pdb from "../../policies/rules/kubernetes/kubernetes-deployment-require-pdb";
import plainSecrets from "../../policies/rules/kubernetes/kubernetes-deployment-forbid-plain-secrets";
import { FakeResource, violations } from "../harness";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

type DeploymentArgs = Unwrap<k8s.apps.v1.DeploymentArgs>;
type Container = Unwrap<k8s.types.input.core.v1.Container>;

const labels = { app: "psi-api" };

/** The Psi API container as K8S-2/K8S-6 describe it [P §3.6, §4.6.2]. */
const api: Container = {
  name: "api",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-api:1.4.2",
  ports: [{ containerPort: 8000 }],
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1000m", memory: "2Gi" } },
  livenessProbe: { httpGet: { path: "/health", port: 8000 }, initialDelaySeconds: 30, periodSeconds: 10 },
  readinessProbe: {
    httpGet: { path: "/health/ready", port: 8000 },
    initialDelaySeconds: 10,
    periodSeconds: 5,
  },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  },
  env: [
    { name: "ENVIRONMENT", value: "production" },
    { name: "JWT_SECRET_KEY", valueFrom: { secretKeyRef: { name: "psi-api", key: "JWT_SECRET_KEY" } } },
  ],
};

const compliant: DeploymentArgs = {
  metadata: { name: "psi-api", namespace: "production", labels },
  spec: {
    replicas: 3,
    selector: { matchLabels: labels },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template: {
      metadata: { labels },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [api],
      },
    },
  },
};

/** The compliant Deployment with `change` applied to its only container. */
function withContainer(change: Partial<Container>): DeploymentArgs {
  return {
    ...compliant,
    spec: {
      ...compliant.spec,
      template: {
        ...compliant.spec.template,
        spec: { ...compliant.spec.template.spec!, containers: [{ ...api, ...change }] },
      },
    },
  };
}
const deployment = (props: object, name = "api"): FakeResource[] => [{ type: DEPLOYMENT, name, props }];

const autoscaler: Unwrap<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs> = {
  metadata: { name: "psi-api", namespace: "production" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "psi-api" },
    minReplicas: 3,
    maxReplicas: 20,
    metrics: [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
      },
      {
        type: "Resource",
        resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } },
      },
    ],
    behavior: {
      scaleDown: { stabilizationWindowSeconds: 300 },
      scaleUp: { stabilizationWindowSeconds: 60 },
    },
  },
};
const hpaOf = (props: object): FakeResource[] => [{ type: HPA, name: "api-hpa", props }];

/** The program's shape: the Deployment without spec.replicas, the HPA owning the count. */
const scaled: DeploymentArgs = { ...compliant, spec: { ...compliant.spec, replicas: undefined } };
const owned = (hpa: object = autoscaler, workload: object = scaled): FakeResource[] => [
  ...deployment(workload),
  ...hpaOf(hpa),
];
/** The autoscaler with `spec` changes. */
const hpaWith = (spec: object) => ({ ...autoscaler, spec: { ...autoscaler.spec, ...spec } });

const budget: Unwrap<k8s.policy.v1.PodDisruptionBudgetArgs> = {
  metadata: { name: "psi-api", namespace: "production" },
  spec: { minAvailable: 2, selector: { matchLabels: labels } },
};
const withBudget = (props: object, workload: object = compliant): FakeResource[] => [
  ...deployment(workload),
  { type: PDB, name: "api-pdb", props },
];

/** Garbage where the rules expect objects and lists. */
const odd: FakeResource[] = [
  {
    type: DEPLOYMENT,
    name: "odd",
    props: { spec: { template: { spec: { containers: "api", securityContext: 7 } } } },
  },
  { type: DEPLOYMENT, name: "empty", props: {} },
  { type: STATEFUL_SET, name: "null-spec", props: { spec: null } },
  {
    type: HPA,
    name: "odd-hpa",
    props: { spec: { metrics: [null, 3, { type: "Resource" }], behavior: "fast" } },
  },
  { type: PDB, name: "odd-pdb", props: { spec: { selector: "app=psi-api", minAvailable: "lots" } } },
];

describe("Kubernetes rules pass the runbook's Psi API Deployment", () => {
  test("K8S-2/K8S-4: a Deployment without replicas whose HPA owns the count passes every workload rule", async () => {
    for (const rule of [probes, resources, security, latest, rolling, plainSecrets])
      expect([rule.name, await violations(rule, owned())]).toEqual([rule.name, []]);
  });

  test("K8S-5/K8S-4: the HPA-owned Deployment (3..20 pods) and a PDB keeping 2 pass", async () => {
    expect(await violations(pdb, [...owned(), { type: PDB, name: "api-pdb", props: budget }])).toEqual([]);
  });

  test.each([probes, resources, security, latest, rolling, plainSecrets])("$name", async (rule) =>
    expect(await violations(rule, deployment(compliant))).toEqual([]),
  );

  test("K8S-4: the runbook's HPA passes", async () => {
    expect(await violations(hpa, hpaOf(autoscaler))).toEqual([]);
  });

  test("K8S-5: a PDB keeping 2 of 3 pods passes, as does maxUnavailable 1 or minAvailable 66%", async () => {
    expect(await violations(pdb, withBudget(budget))).toEqual([]);
    expect(
      await violations(
        pdb,
        withBudget({ ...budget, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }),
      ),
    ).toEqual([]);
    expect(
      await violations(
        pdb,
        withBudget({ ...budget, spec: { minAvailable: "66%", selector: { matchLabels: labels } } }),
      ),
    ).toEqual([]);
  });
});

describe("Kubernetes rules report each departure from the runbooks", () => {
  test("K8S-2: a container without a readiness probe, and one probing the wrong path, are reported", async () => {
    expect(await violations(probes, deployment(withContainer({ readinessProbe: undefined })))).toEqual([
      "mandatory: container api has no readinessProbe",
    ]);
    expect(
      await violations(
        probes,
        deployment(withContainer({ livenessProbe: { httpGet: { path: "/healthz", port: 8000 } } })),
      ),
    ).toEqual(["mandatory: container api: livenessProbe requests /healthz; APP-2's endpoint is /health"]);
  });

  test("K8S-2/APP-2: a stack whose app uses other health paths sets them in policy config", async () => {
    const other = deployment(withContainer({ livenessProbe: { httpGet: { path: "/healthz", port: 8000 } } }));
    const config = { "kubernetes-deployment-require-probes": { livenessPath: "/healthz" } };
    expect(await violations(probes, other, config)).toEqual([]);
  });

  test("K8S-2: a container without limits is reported per missing setting", async () => {
    expect(
      await violations(
        resources,
        deployment(withContainer({ resources: { requests: { cpu: "500m", memory: "1Gi" } } })),
      ),
    ).toEqual([
      "mandatory: container api: resources.limits.cpu is not set",
      "mandatory: container api: resources.limits.memory is not set",
    ]);
  });

  test("K8S-6: a root, privileged container on the host network breaks every restricted control", async () => {
    const rooted: DeploymentArgs = {
      ...compliant,
      spec: {
        ...compliant.spec,
        template: {
          metadata: { labels },
          spec: {
            hostNetwork: true,
            hostPID: true,
            containers: [
              {
                ...api,
                securityContext: {
                  runAsUser: 0,
                  privileged: true,
                  capabilities: { add: ["NET_ADMIN", "NET_BIND_SERVICE"] },
                  seccompProfile: { type: "Unconfined" },
                },
              },
            ],
          },
        },
      },
    };
    expect(await violations(security, deployment(rooted))).toEqual([
      "mandatory: hostNetwork is true: the pod would share the node's namespaces",
      "mandatory: hostPID is true: the pod would share the node's namespaces",
      "mandatory: container api: runAsNonRoot is not true (pod or container)",
      "mandatory: container api: runAsUser is 0 (root)",
      "mandatory: container api: privileged is true",
      "mandatory: container api: allowPrivilegeEscalation is not false",
      "mandatory: container api: readOnlyRootFilesystem is not true",
      "mandatory: container api: capabilities.drop does not include ALL",
      "mandatory: container api: capabilities.add has NET_ADMIN",
      "mandatory: container api: seccompProfile.type is not RuntimeDefault (pod or container)",
    ]);
  });

  test("K8S-6: init containers are held to the restricted profile too; a container's setting overrides the pod's", async () => {
    const withInit: DeploymentArgs = {
      ...compliant,
      spec: {
        ...compliant.spec,
        template: {
          ...compliant.spec.template,
          spec: {
            ...compliant.spec.template.spec!,
            initContainers: [
              { ...api, name: "migrate", securityContext: { ...api.securityContext, runAsNonRoot: false } },
            ],
          },
        },
      },
    };
    expect(await violations(security, deployment(withInit))).toEqual([
      "mandatory: init container migrate: runAsNonRoot is not true (pod or container)",
    ]);
  });

  test("K8S-6: latest, untagged images are refused; tags and digests pass", async () => {
    expect(await violations(latest, deployment(withContainer({ image: "psi/api:latest" })))).toEqual([
      "mandatory: container api image psi/api:latest uses the latest tag: pin a version tag or a digest",
    ]);
    expect(
      await violations(latest, deployment(withContainer({ image: "registry.local:5000/psi/api" }))),
    ).toEqual([
      "mandatory: container api image registry.local:5000/psi/api has no tag: it means latest: pin a version tag or a digest",
    ]);
    const digest = `psi/api@sha256:${"a".repeat(64)}`;
    expect(await violations(latest, deployment(withContainer({ image: digest })))).toEqual([]);
  });

  test("K8S-2/ECS-7: Recreate, the default maxUnavailable and 2 replicas are reported; staging is advisory", async () => {
    const recreate = { ...compliant, spec: { ...compliant.spec, strategy: { type: "Recreate" } } };
    expect(await violations(rolling, deployment(recreate))).toEqual([
      "mandatory: Deployment psi-api: strategy.type is Recreate; use RollingUpdate",
    ]);
    const loose: DeploymentArgs = {
      ...compliant,
      spec: { ...compliant.spec, replicas: 2, strategy: undefined },
    };
    const messages = [
      "Deployment psi-api: replicas is 2; run at least 3",
      "Deployment psi-api: strategy.rollingUpdate.maxUnavailable is not set (Kubernetes defaults to 25%); allow at most 0 so a rollout keeps full capacity",
    ];
    expect(await violations(rolling, deployment(loose))).toEqual(messages.map((m) => `mandatory: ${m}`));
    const staging = { "kubernetes-deployment-require-rolling-update": "advisory" as const };
    expect(await violations(rolling, deployment(loose), staging)).toEqual(
      messages.map((m) => `advisory: ${m}`),
    );
  });

  test("K8S-2: maxUnavailable 0% passes; any other percentage grows with the HPA and is reported", async () => {
    const pct = (maxUnavailable: string) => ({
      ...compliant,
      spec: { ...compliant.spec, strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable } } },
    });
    expect(await violations(rolling, deployment(pct("0%")))).toEqual([]);
    expect(await violations(rolling, deployment(pct("34%")))).toEqual([
      "mandatory: Deployment psi-api: strategy.rollingUpdate.maxUnavailable is 34%; allow at most 0 so a rollout keeps full capacity",
    ]);
  });

  test("K8S-2/K8S-4: without replicas and without an HPA targeting it, a Deployment runs 1 pod and is reported", async () => {
    const alone =
      "mandatory: Deployment psi-api: replicas is not set and no HorizontalPodAutoscaler targets it (Kubernetes runs 1); run at least 3";
    expect(await violations(rolling, deployment(scaled))).toEqual([alone]);
    // An HPA in another namespace, for another kind or another name owns nothing here.
    const target = autoscaler.spec.scaleTargetRef;
    for (const elsewhere of [
      { ...autoscaler, metadata: { name: "psi-api", namespace: "staging" } },
      hpaWith({ scaleTargetRef: { ...target, kind: "StatefulSet" } }),
      hpaWith({ scaleTargetRef: { ...target, name: "psi-web" } }),
    ])
      expect(await violations(rolling, owned(elsewhere))).toEqual([alone]);
  });

  test("K8S-4: a Deployment fixing spec.replicas under an HPA, or targeted by two HPAs, is reported", async () => {
    expect(await violations(rolling, owned(autoscaler, compliant))).toEqual([
      "mandatory: Deployment psi-api: spec.replicas is 3 though HorizontalPodAutoscaler psi-api owns the count: every update resets it; leave replicas unset",
    ]);
    const second: FakeResource = {
      type: HPA,
      name: "api-hpa-2",
      props: { ...autoscaler, metadata: { name: "psi-api-2", namespace: "production" } },
    };
    expect(await violations(rolling, [...owned(), second])).toEqual([
      "mandatory: Deployment psi-api: 2 HorizontalPodAutoscalers (psi-api, psi-api-2) target it: they fight over the replica count; keep one",
    ]);
  });

  test("K8S-4: an auto-named Deployment is matched by the name its outputs carry, else by its logical name", async () => {
    const autoNamed = { ...scaled, metadata: { namespace: "production", labels } };
    const targeting = (name: string) =>
      hpaWith({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name } });
    // Outputs: the provider filled metadata.name in.
    const filled = { ...scaled, metadata: { ...autoNamed.metadata, name: "api-5f2c1d9a" } };
    expect(await violations(rolling, owned(targeting("api-5f2c1d9a"), filled))).toEqual([]);
    // A view without metadata.name: the record's logical name ("api") stands in, for matching and messages.
    expect(await violations(rolling, owned(targeting("api"), autoNamed))).toEqual([]);
    expect(await violations(rolling, owned(targeting("psi-api"), autoNamed))).toEqual([
      "mandatory: Deployment api: replicas is not set and no HorizontalPodAutoscaler targets it (Kubernetes runs 1); run at least 3",
    ]);
  });

  test("K8S-4: an HPA that goes to 1, caps at 50 and scales late on CPU only is reported item by item", async () => {
    const loose = {
      ...autoscaler,
      spec: {
        ...autoscaler.spec,
        minReplicas: 1,
        maxReplicas: 50,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 90 } },
          },
        ],
      },
    };
    expect(await violations(hpa, hpaOf(loose))).toEqual([
      "mandatory: minReplicas is 1; keep at least 3",
      "mandatory: maxReplicas is 50; cap it at 20",
      "mandatory: cpu target is 90%; scale at 70% or lower",
      "mandatory: no memory Utilization metric; scale on memory at 80%",
    ]);
  });

  test("K8S-4: maxReplicas below minReplicas is reported; ContainerResource metrics count", async () => {
    const inverted = {
      ...autoscaler,
      spec: {
        ...autoscaler.spec,
        minReplicas: 5,
        maxReplicas: 4,
        metrics: [
          {
            type: "ContainerResource",
            containerResource: {
              name: "cpu",
              container: "api",
              target: { type: "Utilization", averageUtilization: 70 },
            },
          },
          autoscaler.spec.metrics![1],
        ],
      },
    };
    expect(await violations(hpa, hpaOf(inverted))).toEqual([
      "mandatory: maxReplicas 4 is below minReplicas 5",
    ]);
  });

  test("K8S-5: a Deployment without a PDB, or whose PDB selects other pods or lives elsewhere, is reported", async () => {
    const missing =
      "mandatory: Deployment psi-api in namespace production has no PodDisruptionBudget selecting its pods";
    expect(await violations(pdb, deployment(compliant))).toEqual([missing]);
    expect(
      await violations(
        pdb,
        withBudget({ ...budget, spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } } }),
      ),
    ).toEqual([missing]);
    expect(await violations(pdb, withBudget({ ...budget, metadata: { namespace: "staging" } }))).toEqual([
      missing,
    ]);
  });

  test("K8S-5: a PDB letting a drain go to 1 pod, or blocking every drain, is reported", async () => {
    expect(
      await violations(
        pdb,
        withBudget({ ...budget, spec: { maxUnavailable: "50%", selector: { matchLabels: labels } } }),
      ),
    ).toEqual([
      "mandatory: PodDisruptionBudget psi-api lets a drain take Deployment psi-api (3 pod(s), spec.replicas) down to 1 ready pod(s); keep at least 2",
    ]);
    expect(
      await violations(
        pdb,
        withBudget({ ...budget, spec: { minAvailable: 3, selector: { matchLabels: labels } } }),
      ),
    ).toEqual([
      "mandatory: PodDisruptionBudget psi-api keeps all 3 pod(s) of Deployment psi-api (spec.replicas) up: node drains would hang",
    ]);
  });

  test("K8S-5/K8S-4: with an HPA owning the count, the budget is judged at the HPA's minReplicas", async () => {
    const withPdb = (hpaProps: object, spec: object): FakeResource[] => [
      ...owned(hpaProps),
      {
        type: PDB,
        name: "api-pdb",
        props: { ...budget, spec: { ...spec, selector: { matchLabels: labels } } },
      },
    ];
    // minAvailable 2 of an HPA floor of 2: every pod is protected, drains hang.
    expect(await violations(pdb, withPdb(hpaWith({ minReplicas: 2 }), { minAvailable: 2 }))).toEqual([
      "mandatory: PodDisruptionBudget psi-api keeps all 2 pod(s) of Deployment psi-api (HorizontalPodAutoscaler psi-api's minReplicas) up: node drains would hang",
    ]);
    // maxUnavailable 50% of the HPA's 3: a drain may take 2 at once, leaving 1.
    expect(await violations(pdb, withPdb(autoscaler, { maxUnavailable: "50%" }))).toEqual([
      "mandatory: PodDisruptionBudget psi-api lets a drain take Deployment psi-api (3 pod(s), HorizontalPodAutoscaler psi-api's minReplicas) down to 1 ready pod(s); keep at least 2",
    ]);
    // The HPA's floor wins over a replicas figure the Deployment still sets.
    expect(
      await violations(pdb, [
        ...owned(hpaWith({ minReplicas: 2 }), { ...compliant, spec: { ...compliant.spec, replicas: 5 } }),
        { type: PDB, name: "api-pdb", props: budget },
      ]),
    ).toEqual([
      "mandatory: PodDisruptionBudget psi-api keeps all 2 pod(s) of Deployment psi-api (HorizontalPodAutoscaler psi-api's minReplicas) up: node drains would hang",
    ]);
  });

  test("K8S-5: without replicas and without an HPA, the Deployment counts as the 1 pod Kubernetes runs", async () => {
    expect(
      await violations(pdb, [...deployment(scaled), { type: PDB, name: "api-pdb", props: budget }]),
    ).toEqual([
      "mandatory: PodDisruptionBudget psi-api keeps all 1 pod(s) of Deployment psi-api (spec.replicas) up: node drains would hang",
    ]);
  });

  test("K8S-5: matchExpressions are evaluated, and two PDBs over the same pods are reported", async () => {
    const byExpression = {
      ...budget,
      spec: {
        minAvailable: 2,
        selector: { matchExpressions: [{ key: "app", operator: "In", values: ["psi-api"] }] },
      },
    };
    expect(await violations(pdb, withBudget(byExpression))).toEqual([]);
    const second = { ...byExpression, metadata: { name: "psi-api-2", namespace: "production" } };
    expect(
      await violations(pdb, [...withBudget(budget), { type: PDB, name: "api-pdb-2", props: second }]),
    ).toEqual([
      "mandatory: Deployment psi-api is selected by 2 PodDisruptionBudgets (psi-api, psi-api-2): evictions of its pods fail",
    ]);
  });

  test("APP-4/K8S-10: literal secrets and credentials in URLs are refused; secretKeyRef passes", async () => {
    const leaky = withContainer({
      env: [
        ...api.env!,
        { name: "STRIPE_SECRET_KEY", value: "sk_live_123" },
        { name: "DATABASE_URL", value: "postgresql://psi:hunter2@db.internal:5432/psi" },
        { name: "SENTRY_DSN", value: "" },
      ],
    });
    expect(await violations(plainSecrets, deployment(leaky))).toEqual([
      "mandatory: container api: env STRIPE_SECRET_KEY has a plain value; reference a Secret (valueFrom.secretKeyRef)",
      "mandatory: container api: env DATABASE_URL has a URL with credentials inline; reference a Secret (valueFrom.secretKeyRef)",
    ]);
  });

  test("APP-4: a name allowed by policy config is not a secret", async () => {
    const ttl = deployment(withContainer({ env: [{ name: "TOKEN_TTL_SECONDS", value: "3600" }] }));
    expect(await violations(plainSecrets, ttl)).toEqual([
      "mandatory: container api: env TOKEN_TTL_SECONDS has a plain value; reference a Secret (valueFrom.secretKeyRef)",
    ]);
    const config = { "kubernetes-deployment-forbid-plain-secrets": { allowedNames: ["TOKEN_TTL_SECONDS"] } };
    expect(await violations(plainSecrets, ttl, config)).toEqual([]);
  });
});

describe("Kubernetes rules tolerate odd-shaped and missing props", () => {
  test.each([probes, resources, security, latest, rolling, hpa, pdb, plainSecrets])(
    "POL-1: $name reports or passes, never throws",
    async (rule) => {
      const found = await violations(rule, odd);
      expect(
        found.every((f) => f.startsWith("mandatory: ") && !/can't run policy|threw|TypeError/.test(f)),
      ).toBe(true);
    },
  );
});
