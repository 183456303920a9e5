/**
 * Kubernetes platform rules of the policy pack: zone spread and HPA behavior (K8S-2, K8S-4),
 * Ingress TLS and pinned Helm charts (K8S-3, K8S-8), default-deny NetworkPolicies (K8S-7),
 * the developer Role (K8S-9), Secrets from Secrets Manager (K8S-10) and the explicit
 * Kubernetes provider (K8S-1). Each passes the objects the program declares and reports
 * each departure with its exact message.
 */
import type { PolicyResource } from "@pulumi/policy";
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import helm from "../../policies/rules/helm/helm-release-require-pinned-version";
import managedSecrets from "../../policies/rules/kubernetes/kubernetes-deployment-require-managed-secrets";
import zoneSpread from "../../policies/rules/kubernetes/kubernetes-deployment-require-zone-spread";
import behavior from "../../policies/rules/kubernetes/kubernetes-horizontalpodautoscaler-require-behavior";
import ingressTls from "../../policies/rules/kubernetes/kubernetes-ingress-require-tls";
import defaultDeny from "../../policies/rules/kubernetes/kubernetes-namespace-require-default-deny";
import explicitProvider from "../../policies/rules/kubernetes/kubernetes-object-require-explicit-provider";
import developer from "../../policies/rules/kubernetes/kubernetes-role-limit-developer";
import { resolveConfig } from "../../policies/rule";
import { runPolicies } from "../../synth/policy";
import { FakeResource, fakeEvaluation, violations } from "../harness";

const T = {
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  release: "kubernetes:helm.sh/v3:Release",
  externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
  clusterSecretStore: "kubernetes:external-secrets.io/v1:ClusterSecretStore",
  secretStore: "kubernetes:external-secrets.io/v1:SecretStore",
} as const;

type DeploymentArgs = Unwrap<k8s.apps.v1.DeploymentArgs>;
type Container = Unwrap<k8s.types.input.core.v1.Container>;
type Constraint = Unwrap<k8s.types.input.core.v1.TopologySpreadConstraint>;

const labels = { app: "psi-api" };
const zone: Constraint = {
  topologyKey: "topology.kubernetes.io/zone",
  maxSkew: 1,
  whenUnsatisfiable: "DoNotSchedule",
  labelSelector: { matchLabels: labels },
};
const api: Container = {
  name: "api",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-api:1.4.2",
  env: [{ name: "SECRET_KEY", valueFrom: { secretKeyRef: { name: "psi-api", key: "SECRET_KEY" } } }],
};

/** The program's Deployment (no replicas: the HPA owns the count), spread over zones, reading Secret psi-api. */
function deploymentWith(change: {
  constraints?: Constraint[];
  containers?: Container[];
  ns?: string;
}): DeploymentArgs {
  return {
    metadata: { name: "psi-api", namespace: change.ns ?? "production", labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          topologySpreadConstraints: change.constraints ?? [zone],
          containers: change.containers ?? [api],
        },
      },
    },
  };
}
const deployment = deploymentWith({});
const deploymentFake = (props: object = deployment, name = "api"): FakeResource => ({
  type: T.deployment,
  name,
  props,
});

describe("K8S-2: kubernetes-deployment-require-zone-spread", () => {
  test("K8S-2: a hard zone spread with maxSkew 1 over the pod's own labels passes", async () => {
    expect(await violations(zoneSpread, [deploymentFake()])).toEqual([]);
  });

  test("K8S-2: no zone constraint (only a hostname one) is reported", async () => {
    const byHost = deploymentWith({ constraints: [{ ...zone, topologyKey: "kubernetes.io/hostname" }] });
    expect(await violations(zoneSpread, [deploymentFake(byHost)])).toEqual([
      "mandatory: no topologySpreadConstraints entry on topology.kubernetes.io/zone: all replicas may land in one zone",
    ]);
  });

  test("K8S-2: a soft, skewed zone spread counting other pods is reported item by item; staging is advisory", async () => {
    const loose = deploymentWith({
      constraints: [
        {
          ...zone,
          maxSkew: 3,
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { app: "web" } },
        },
      ],
    });
    const messages = [
      "zone spread maxSkew is 3; allow at most 1",
      "zone spread whenUnsatisfiable is ScheduleAnyway; use DoNotSchedule (ScheduleAnyway is only a preference)",
      "zone spread labelSelector does not select the pod template's labels: it counts other pods",
    ];
    expect(await violations(zoneSpread, [deploymentFake(loose)])).toEqual(
      messages.map((m) => `mandatory: ${m}`),
    );
    const staging = { "kubernetes-deployment-require-zone-spread": "advisory" as const };
    expect(await violations(zoneSpread, [deploymentFake(loose)], staging)).toEqual(
      messages.map((m) => `advisory: ${m}`),
    );
  });
});

const autoscaler: Unwrap<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs> = {
  metadata: { name: "psi-api", namespace: "production" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "psi-api" },
    minReplicas: 3,
    maxReplicas: 20,
    behavior: {
      scaleDown: { stabilizationWindowSeconds: 300 },
      scaleUp: { stabilizationWindowSeconds: 60 },
    },
  },
};
const hpaWith = (b: object): FakeResource[] => [
  { type: T.hpa, name: "api-hpa", props: { ...autoscaler, spec: { ...autoscaler.spec, behavior: b } } },
];

describe("K8S-4: kubernetes-horizontalpodautoscaler-require-behavior", () => {
  test("K8S-4: the runbook's 300 s scale-down and 60 s scale-up windows pass", async () => {
    expect(await violations(behavior, hpaWith(autoscaler.spec.behavior!))).toEqual([]);
  });

  test("K8S-4: no behavior at all is reported for both directions", async () => {
    expect(await violations(behavior, hpaWith(undefined as unknown as object))).toEqual([
      "mandatory: behavior.scaleDown.stabilizationWindowSeconds is not set; wait at least 300 s before scaling down",
      "mandatory: behavior.scaleUp is not set; scale up within 60 s (stabilizationWindowSeconds)",
    ]);
  });

  test("K8S-4: a 30 s scale-down, a 120 s scale-up and scaling up disabled are reported", async () => {
    expect(
      await violations(
        behavior,
        hpaWith({
          scaleDown: { stabilizationWindowSeconds: 30 },
          scaleUp: { stabilizationWindowSeconds: 120, selectPolicy: "Disabled" },
        }),
      ),
    ).toEqual([
      "mandatory: behavior.scaleDown.stabilizationWindowSeconds is 30; wait at least 300 s before scaling down",
      "mandatory: behavior.scaleUp.selectPolicy is Disabled: the autoscaler would never add pods",
      "mandatory: behavior.scaleUp.stabilizationWindowSeconds is 120; scale up within 60 s",
    ]);
    expect(
      await violations(behavior, hpaWith({ scaleDown: { stabilizationWindowSeconds: 300 }, scaleUp: {} })),
    ).toEqual(["mandatory: behavior.scaleUp.stabilizationWindowSeconds is not set; scale up within 60 s"]);
  });
});

const ingress = {
  metadata: {
    name: "psi-api",
    namespace: "production",
    annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod" },
  },
  spec: {
    ingressClassName: "nginx",
    tls: [{ hosts: ["api.psi-app.com"], secretName: "psi-api-tls" }],
    rules: [
      {
        host: "api.psi-app.com",
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: "psi-api", port: { number: 80 } } },
            },
          ],
        },
      },
    ],
  },
} satisfies Unwrap<k8s.networking.v1.IngressArgs>;
const ingressWith = (spec: object, annotations: object = ingress.metadata.annotations): FakeResource[] => [
  {
    type: T.ingress,
    name: "api-ingress",
    props: { metadata: { ...ingress.metadata, annotations }, spec: { ...ingress.spec, ...spec } },
  },
];

describe("K8S-3/K8S-8: kubernetes-ingress-require-tls", () => {
  test("K8S-3: the runbook's Ingress (TLS for its host, letsencrypt-prod) passes; a wildcard covers one label", async () => {
    expect(await violations(ingressTls, ingressWith({}))).toEqual([]);
    const wildcard = { tls: [{ hosts: ["*.psi-app.com"], secretName: "psi-wildcard-tls" }] };
    expect(await violations(ingressTls, ingressWith(wildcard))).toEqual([]);
  });

  test("K8S-3: no TLS and no issuer annotation are reported", async () => {
    expect(await violations(ingressTls, ingressWith({ tls: undefined }, {}))).toEqual([
      "mandatory: no cert-manager.io/cluster-issuer (or cert-manager.io/issuer) annotation: cert-manager would issue no certificate",
      "mandatory: spec.tls is empty: the Ingress serves plain HTTP only",
      "mandatory: host api.psi-app.com is not in any tls entry's hosts: it would be served without its certificate",
    ]);
  });

  test("K8S-3: a host outside the TLS hosts, a host-less rule, a TLS entry without secret and another issuer are reported", async () => {
    const spec = {
      tls: [{ hosts: ["*.psi-app.com"] }],
      rules: [{ host: "v2.api.psi-app.com" }, { http: ingress.spec.rules[0].http }],
    };
    expect(
      await violations(ingressTls, ingressWith(spec, { "cert-manager.io/issuer": "self-signed" })),
    ).toEqual([
      "mandatory: cert-manager.io/issuer is self-signed; use one of letsencrypt-prod",
      "mandatory: tls entry 1 has no secretName for cert-manager to write the certificate to",
      "mandatory: host v2.api.psi-app.com is not in any tls entry's hosts: it would be served without its certificate",
      "mandatory: rule 2 has no host: no certificate can cover it",
    ]);
  });

  test("K8S-8: staging's policy config allows letsencrypt-staging; prod's default does not", async () => {
    const staged = ingressWith({}, { "cert-manager.io/cluster-issuer": "letsencrypt-staging" });
    expect(await violations(ingressTls, staged)).toEqual([
      "mandatory: cert-manager.io/cluster-issuer is letsencrypt-staging; use one of letsencrypt-prod",
    ]);
    const config = {
      "kubernetes-ingress-require-tls": { allowedIssuers: ["letsencrypt-prod", "letsencrypt-staging"] },
    };
    expect(await violations(ingressTls, staged, config)).toEqual([]);
  });
});

const developerRole: Unwrap<k8s.rbac.v1.RoleArgs> = {
  metadata: { name: "developer", namespace: "production" },
  rules: [
    { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] },
    { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list"] },
  ],
};
const role = (props: object, name = "developer"): FakeResource[] => [{ type: T.role, name, props }];

describe("K8S-9: kubernetes-role-limit-developer", () => {
  test("K8S-9: the runbook's developer Role passes; other Roles are not this rule's", async () => {
    expect(await violations(developer, role(developerRole))).toEqual([]);
    const admin = {
      metadata: { name: "ops", namespace: "production" },
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    };
    expect(await violations(developer, role(admin, "ops"))).toEqual([]);
  });

  test("K8S-9: watch, exec, secrets and wildcards granted to developer are reported per rule", async () => {
    const wide = {
      ...developerRole,
      rules: [
        {
          apiGroups: [""],
          resources: ["pods", "pods/exec", "secrets"],
          verbs: ["get", "list", "watch", "create"],
        },
        { apiGroups: ["*"], resources: ["deployments"], verbs: ["*"] },
      ],
    };
    const only = "; the developer Role may only get/list pods, pods/log, deployments";
    expect(await violations(developer, role(wide))).toEqual([
      `mandatory: rule 1 grants resources pods/exec, secrets${only}`,
      `mandatory: rule 1 grants verbs watch, create${only}`,
      `mandatory: rule 2 grants API groups "*"${only}`,
      `mandatory: rule 2 grants verbs *${only}`,
    ]);
  });

  test("K8S-9: a developer Role Pulumi would auto-name is found by its logical name", async () => {
    const unnamed = {
      ...developerRole,
      metadata: { namespace: "production" },
      rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
    };
    expect(await violations(developer, role(unnamed, "developer"))).toEqual([
      "mandatory: rule 1 grants resources secrets; the developer Role may only get/list pods, pods/log, deployments",
    ]);
  });
});

const certManager: Unwrap<k8s.helm.v3.ReleaseArgs> = {
  chart: "cert-manager",
  version: "v1.16.1",
  namespace: "cert-manager",
  repositoryOpts: { repo: "https://charts.jetstack.io" },
  values: { crds: { enabled: true } },
};
const release = (change: Partial<Unwrap<k8s.helm.v3.ReleaseArgs>>): FakeResource[] => [
  { type: T.release, name: "cert-manager", props: { ...certManager, ...change } },
];

describe("K8S-8: helm-release-require-pinned-version", () => {
  test("K8S-8: an exact version from an HTTPS repository passes, as do an OCI chart and a pre-release build", async () => {
    expect(await violations(helm, release({}))).toEqual([]);
    expect(
      await violations(
        helm,
        release({ chart: "oci://registry-1.docker.io/bitnamicharts/redis", repositoryOpts: undefined }),
      ),
    ).toEqual([]);
    expect(await violations(helm, release({ version: "4.12.0-rc.1+build.7" }))).toEqual([]);
  });

  test.each([["^1.16.0"], ["~1.16"], ["1.x"], [">=1.16.0 <2.0.0"], ["1.16"], ["latest"]])(
    "K8S-8: version %s is a range, not a pin, and is reported",
    async (version) => {
      expect(await violations(helm, release({ version }))).toEqual([
        `mandatory: version ${version} is not one exact version (a range or constraint); pin e.g. 1.16.1`,
      ]);
    },
  );

  test("K8S-8: no version, devel charts, no repository and a plain-HTTP repository are reported", async () => {
    expect(
      await violations(helm, release({ version: undefined, devel: true, repositoryOpts: undefined })),
    ).toEqual([
      "mandatory: version is not set: Helm would install the newest chart on every update; pin an exact version",
      "mandatory: devel is true: Helm may pick a pre-release chart",
      "mandatory: repositoryOpts.repo is not set: chart cert-manager would come from a local path or the deployer's Helm repositories; name its HTTPS repository",
    ]);
    expect(
      await violations(helm, release({ repositoryOpts: { repo: "http://charts.jetstack.io" } })),
    ).toEqual([
      "mandatory: repositoryOpts.repo http://charts.jetstack.io is not HTTPS: the chart could be swapped in transit",
    ]);
  });
});

const denyAll: Unwrap<k8s.networking.v1.NetworkPolicyArgs> = {
  metadata: { name: "default-deny", namespace: "production" },
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
};
const policy = (props: object, name = "default-deny"): FakeResource => ({
  type: T.networkPolicy,
  name,
  props,
});
const spec = (s: object) => ({ ...denyAll, spec: { ...denyAll.spec, ...s } });

describe("K8S-7: kubernetes-namespace-require-default-deny", () => {
  const missing =
    "mandatory: namespace production holds Deployment(s) psi-api but has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules): its pods accept traffic from anywhere";

  test("K8S-7: a namespace with a default-deny policy (and allow policies beside it) passes", async () => {
    const allowIngress = spec({
      podSelector: { matchLabels: labels },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
        },
      ],
    });
    expect(
      await violations(defaultDeny, [deploymentFake(), policy(denyAll), policy(allowIngress, "allow")]),
    ).toEqual([]);
    // A namespace without Deployments needs none.
    expect(await violations(defaultDeny, [policy(allowIngress, "allow")])).toEqual([]);
  });

  test.each([
    ["no NetworkPolicy at all", []],
    ["a policy selecting only the app's pods", [policy(spec({ podSelector: { matchLabels: labels } }))]],
    ["a policy denying ingress only", [policy(spec({ policyTypes: ["Ingress"] }))]],
    ["a policy allowing all egress", [policy(spec({ egress: [{}] }))]],
    [
      "a policy allowing ingress from a CIDR",
      [policy(spec({ ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }] }))],
    ],
    [
      "a default-deny policy in another namespace",
      [policy({ ...denyAll, metadata: { namespace: "staging" } })],
    ],
  ])("K8S-7: %s leaves the namespace open and is reported", async (_, policies) => {
    expect(await violations(defaultDeny, [deploymentFake(), ...(policies as FakeResource[])])).toEqual([
      missing,
    ]);
  });

  test("K8S-7: each open namespace is reported once, on its Namespace when the stack declares it", async () => {
    const worker = deploymentWith({ ns: "jobs" });
    const ns: FakeResource = {
      type: T.namespace,
      name: "production-ns",
      props: { metadata: { name: "production" } },
    };
    const world = [
      deploymentFake(),
      deploymentFake(
        { ...deployment, metadata: { ...deployment.metadata, name: "psi-api-canary" } },
        "canary",
      ),
      deploymentFake(worker, "worker"),
      ns,
      policy({ ...denyAll, metadata: { namespace: "jobs" } }),
    ];
    expect(await runPolicies(fakeEvaluation(world), {}, [defaultDeny])).toEqual([
      {
        policy: defaultDeny.name,
        urn: "urn:pulumi:test::runbook-platform::kubernetes:core/v1:Namespace::production-ns",
        enforcementLevel: "mandatory",
        message: missing.replace("mandatory: ", "").replace("psi-api but", "psi-api, psi-api-canary but"),
      },
    ]);
  });
});

/** An ExternalSecret (external-secrets.io/v1) as the program declares it with apiextensions.CustomResource. */
const externalSecret = {
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  metadata: { name: "psi-api", namespace: "production" },
  spec: {
    refreshInterval: "1h",
    secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
    target: { name: "psi-api", creationPolicy: "Owner" },
    dataFrom: [{ extract: { key: "psi/prod/api" } }],
  },
};
const store = {
  apiVersion: "external-secrets.io/v1",
  kind: "ClusterSecretStore",
  metadata: { name: "aws-secrets-manager" },
  spec: { provider: { aws: { service: "SecretsManager", region: "us-east-1" } } },
};
const synced = (es: object = externalSecret, st: object = store): FakeResource[] => [
  deploymentFake(),
  { type: T.externalSecret, name: "api-secrets", props: es },
  { type: T.clusterSecretStore, name: "aws-secrets-manager", props: st },
];

describe("K8S-10: kubernetes-deployment-require-managed-secrets", () => {
  test("K8S-10: a Secret synced by an ExternalSecret from a Secrets Manager store passes, as does one the program declares", async () => {
    expect(await violations(managedSecrets, synced())).toEqual([]);
    const declared: FakeResource = {
      type: T.secret,
      name: "api-secret",
      props: {
        metadata: { name: "psi-api", namespace: "production" },
        stringData: { SECRET_KEY: "from-secrets-manager" },
      },
    };
    expect(await violations(managedSecrets, [deploymentFake(), declared])).toEqual([]);
  });

  test("K8S-10: an ExternalSecret without target.name writes a Secret of its own name; a namespaced SecretStore counts", async () => {
    const untargeted = {
      ...externalSecret,
      spec: {
        ...externalSecret.spec,
        target: undefined,
        secretStoreRef: { kind: "SecretStore", name: "aws" },
      },
    };
    const local = { ...store, kind: "SecretStore", metadata: { name: "aws", namespace: "production" } };
    expect(
      await violations(managedSecrets, [
        deploymentFake(),
        { type: T.externalSecret, name: "api-secrets", props: untargeted },
        { type: T.secretStore, name: "aws", props: local },
      ]),
    ).toEqual([]);
  });

  test("K8S-10: a Secret nobody in the stack makes (the runbook's kubectl create secret) is reported for env, envFrom and volumes", async () => {
    const reads = deploymentWith({
      containers: [
        {
          ...api,
          envFrom: [{ secretRef: { name: "psi-extra" } }],
          volumeMounts: [{ name: "tls", mountPath: "/tls", readOnly: true }],
        },
      ],
    });
    const withVolume = {
      ...reads,
      spec: {
        ...reads.spec,
        template: {
          ...reads.spec.template,
          spec: {
            ...reads.spec.template.spec!,
            volumes: [{ name: "tls", secret: { secretName: "psi-tls" } }],
          },
        },
      },
    };
    const made =
      "which no ExternalSecret or Secret of this stack makes in namespace production: it would be created by hand";
    expect(await violations(managedSecrets, [deploymentFake(withVolume)])).toEqual([
      `mandatory: Deployment psi-api reads Secret psi-api (container api env SECRET_KEY), ${made}`,
      `mandatory: Deployment psi-api reads Secret psi-extra (container api envFrom), ${made}`,
      `mandatory: Deployment psi-api reads Secret psi-tls (volume tls), ${made}`,
    ]);
  });

  test("K8S-10: an ExternalSecret in another namespace does not count; one from Parameter Store or an undeclared store is reported", async () => {
    const elsewhere = { ...externalSecret, metadata: { name: "psi-api", namespace: "staging" } };
    expect(await violations(managedSecrets, synced(elsewhere))).toEqual([
      "mandatory: Deployment psi-api reads Secret psi-api (container api env SECRET_KEY), which no ExternalSecret or Secret of this stack makes in namespace production: it would be created by hand",
    ]);
    const parameterStore = { ...store, spec: { provider: { aws: { service: "ParameterStore" } } } };
    expect(await violations(managedSecrets, synced(externalSecret, parameterStore))).toEqual([
      "mandatory: Deployment psi-api reads Secret psi-api (container api env SECRET_KEY) from ExternalSecret psi-api: its ClusterSecretStore aws-secrets-manager reads ParameterStore, not AWS Secrets Manager",
    ]);
    const otherStore = { ...store, metadata: { name: "vault" } };
    expect(await violations(managedSecrets, synced(externalSecret, otherStore))).toEqual([
      "mandatory: Deployment psi-api reads Secret psi-api (container api env SECRET_KEY) from ExternalSecret psi-api: its ClusterSecretStore aws-secrets-manager is not declared in this stack: where the values come from cannot be checked",
    ]);
  });
});

/* ---------- K8S-1: the explicit provider ---------- */

const STACK_URN = "urn:pulumi:prod::runbook-platform";
const providerRef = (name: string) => ({
  type: "pulumi:providers:kubernetes",
  urn: `${STACK_URN}::pulumi:providers:kubernetes::${name}`,
  name,
  props: {},
});
/** A resource of the stack analysis with `provider` as the engine attaches it (the offline runner drops it). */
function analyzed(type: string, name: string, provider?: ReturnType<typeof providerRef>): PolicyResource {
  return {
    type,
    name,
    urn: `${STACK_URN}::${type}::${name}`,
    props: {},
    opts: {} as PolicyResource["opts"],
    dependencies: [],
    propertyDependencies: {},
    ...(provider ? { provider } : {}),
    isType: () => false,
    asType: () => undefined,
  } as PolicyResource;
}
const explicitCheck = (resources: PolicyResource[]) =>
  explicitProvider.kind === "stack"
    ? explicitProvider.check(resources, resolveConfig(explicitProvider)).map((v) => v.message)
    : [];

describe("K8S-1: kubernetes-object-require-explicit-provider", () => {
  test("K8S-1: objects and Helm releases on the stack's k8s.Provider pass; AWS resources and k8s components are not checked", () => {
    const eks = providerRef("psi-prod-k8s");
    expect(
      explicitCheck([
        analyzed(T.deployment, "api", eks),
        analyzed(T.release, "cert-manager", eks),
        analyzed(T.externalSecret, "api-secrets", eks),
        analyzed("aws:eks/cluster:Cluster", "eks"),
        analyzed("kubernetes:yaml/v2:ConfigGroup", "crds"),
      ]),
    ).toEqual([]);
  });

  test("K8S-1: an object on the default provider (default or default_<version>) is reported", () => {
    expect(
      explicitCheck([
        analyzed(T.deployment, "api", providerRef("default_4_34_2")),
        analyzed(T.namespace, "production", providerRef("default")),
      ]),
    ).toEqual([
      "Deployment api uses the default Kubernetes provider (default_4_34_2): it would deploy to the ambient kubeconfig's cluster; pass the stack's k8s.Provider",
      "Namespace production uses the default Kubernetes provider (default): it would deploy to the ambient kubeconfig's cluster; pass the stack's k8s.Provider",
    ]);
    // A provider the program named default-something is explicit.
    expect(explicitCheck([analyzed(T.deployment, "api", providerRef("default-cluster"))])).toEqual([]);
  });

  test("K8S-1: an object with no provider in the analysis (the offline synth's default provider) is reported, not passed", async () => {
    expect(await violations(explicitProvider, [deploymentFake()])).toEqual([
      "mandatory: Deployment api has no explicit provider (none in the analysis: the default provider, on the ambient kubeconfig); pass the stack's k8s.Provider",
    ]);
  });
});
