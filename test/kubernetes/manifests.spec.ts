/**
 * K8S-1..10: synth's out/<stack>/manifests/ (synth/manifests.ts, docs/synth.md)
 * and the schema check of Kubernetes objects (test/kubernetes/schema.ts).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ResourceRecord, evaluate } from "../../synth/engine";
import { HELM_RELEASE_TYPE, manifestsOf, writeManifests } from "../../synth/manifests";
import { stackConfig, synthStack } from "../harness";
import { schemaErrors } from "./schema";

/** A small program with every shape manifests.ts handles; one explicit provider, as the components use. */
async function sample(): Promise<void> {
  const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
  const ns = new k8s.core.v1.Namespace("psi", { metadata: { name: "psi" } }, { provider });
  const labels = { app: "api" };
  // No metadata.name: auto-named, as Pulumi does.
  new k8s.apps.v1.Deployment(
    "api",
    {
      metadata: { namespace: ns.metadata.name, labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: "api", image: "nginx:1.27", ports: [{ containerPort: 8000 }] }] },
        },
      },
    },
    { provider },
  );
  new k8s.core.v1.Service(
    "api",
    {
      metadata: { name: "api", namespace: "psi" },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8000 }] },
    },
    { provider },
  );
  // No namespace: the provider sets no default one, so `default`.
  new k8s.core.v1.ServiceAccount("ci", { metadata: { name: "ci" } }, { provider });
  new k8s.apiextensions.CustomResource(
    "issuer",
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "letsencrypt-prod" },
      spec: {
        acme: {
          server: "https://acme-v02.api.letsencrypt.org/directory",
          email: "ops@example.com",
          privateKeySecretRef: { name: "letsencrypt-prod" },
          solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
        },
      },
    },
    { provider },
  );
  new k8s.helm.v3.Release(
    "ingress-nginx",
    {
      name: "ingress-nginx",
      namespace: "ingress-nginx",
      chart: "ingress-nginx",
      version: "4.11.3",
      repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
      values: { controller: { replicaCount: 2 } },
    },
    { provider },
  );
  new k8s.helm.v3.Release(
    "cert-manager",
    {
      name: "cert-manager",
      namespace: "cert-manager",
      createNamespace: true,
      chart: "cert-manager",
      version: "v1.16.2",
      repositoryOpts: { repo: "https://charts.jetstack.io" },
      values: { crds: { enabled: true }, webhook: { token: pulumi.secret("s3cr3t") } },
    },
    { provider },
  );
}

let records: ResourceRecord[];
beforeAll(async () => {
  const run = await evaluate(stackConfig("prod"), sample);
  if (run.error !== undefined) throw run.error;
  records = run.records;
});

const fileNamed = (name: string) => {
  const found = manifestsOf(records).find((f) => f.file === name);
  if (!found) throw new Error(`no manifest ${name}`);
  return found;
};
const deployment = () => records.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;

describe("synth manifests/ (docs/synth.md)", () => {
  test("K8S-1: one file per Kubernetes object and Helm release, <namespace or _cluster>/<kind>-<name>.yaml, sorted; no provider file", () => {
    const autoName = deployment().id!.split("/")[1];
    expect(deployment().id).toMatch(/^psi\/api-[0-9a-f]{8}$/);
    expect(manifestsOf(records).map((f) => f.file)).toEqual([
      "_cluster/clusterissuer-letsencrypt-prod.yaml",
      "_cluster/namespace-psi.yaml",
      "cert-manager/helm-release-cert-manager.yaml",
      "default/serviceaccount-ci.yaml",
      "ingress-nginx/helm-release-ingress-nginx.yaml",
      `psi/deployment-${autoName}.yaml`,
      "psi/service-api.yaml",
    ]);
  });

  test("K8S-2: a Deployment is written as the provider sends it: apiVersion, kind, metadata (auto-name from the id), spec", () => {
    const d = deployment();
    const autoName = d.id!.split("/")[1];
    expect(fileNamed(`psi/deployment-${autoName}.yaml`).text).toBe(
      [
        `# ${d.urn}`,
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        `  name: ${autoName}`,
        "  namespace: psi",
        "  labels:",
        "    app: api",
        "spec:",
        "  replicas: 3",
        "  selector:",
        "    matchLabels:",
        "      app: api",
        "  template:",
        "    metadata:",
        "      labels:",
        "        app: api",
        "    spec:",
        "      containers:",
        "        - image: nginx:1.27",
        "          name: api",
        "          ports:",
        "            - containerPort: 8000",
        "",
      ].join("\n"),
    );
  });

  test("K8S-3: apiVersion and kind come from the object, the core group is v1, a namespaced object without namespace gets `default`", () => {
    expect(parse(fileNamed("psi/service-api.yaml").text)).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api", namespace: "psi" },
      spec: { ports: [{ port: 80, targetPort: 8000 }], selector: { app: "api" } },
    });
    expect(parse(fileNamed("default/serviceaccount-ci.yaml").text)).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "ci", namespace: "default" },
    });
    expect(parse(fileNamed("_cluster/clusterissuer-letsencrypt-prod.yaml").text)).toMatchObject({
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "letsencrypt-prod" },
    });
  });

  test("K8S-8: a Helm release file has exactly name, namespace, chart, repository, version, values, in that order", () => {
    const release = records.find((r) => r.type === HELM_RELEASE_TYPE && r.name === "ingress-nginx")!;
    expect(fileNamed("ingress-nginx/helm-release-ingress-nginx.yaml").text).toBe(
      [
        `# ${release.urn}`,
        "name: ingress-nginx",
        "namespace: ingress-nginx",
        "chart: ingress-nginx",
        "repository: https://kubernetes.github.io/ingress-nginx",
        "version: 4.11.3",
        "values:",
        "  controller:",
        "    replicaCount: 2",
        "",
      ].join("\n"),
    );
  });

  test('K8S-10: secrets stay masked as in resources.json: values holding a secret are "[secret]"; Pulumi-only inputs are dropped', () => {
    const release = records.find((r) => r.type === HELM_RELEASE_TYPE && r.name === "cert-manager")!;
    expect(release.inputs.values).toBe("[secret]");
    expect(release.inputs.compat).toBe("true");
    expect(parse(fileNamed("cert-manager/helm-release-cert-manager.yaml").text)).toEqual({
      name: "cert-manager",
      namespace: "cert-manager",
      chart: "cert-manager",
      repository: "https://charts.jetstack.io",
      version: "v1.16.2",
      values: "[secret]",
    });
    const all = manifestsOf(records)
      .map((f) => f.text)
      .join("\n");
    expect(all).not.toContain("s3cr3t");
    expect(all).not.toContain("compat");
    expect(all).not.toContain("createNamespace");
  });

  test("K8S-1: two records writing one file fail the run, naming both", () => {
    const service = records.find((r) => r.type === "kubernetes:core/v1:Service")!;
    const twin = { ...service, urn: `${service.urn}-twin` };
    expect(() => manifestsOf([...records, twin])).toThrow(
      `manifests: ${service.urn} and ${twin.urn} both write psi/service-api.yaml`,
    );
  });

  test("K8S-1: writeManifests replaces manifests/ under the out dir and returns the paths relative to it", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "manifests-"));
    try {
      fs.mkdirSync(path.join(out, "manifests", "old"), { recursive: true });
      fs.writeFileSync(path.join(out, "manifests", "old", "stale.yaml"), "stale");
      const written = writeManifests(records, out);
      expect(written).toEqual(manifestsOf(records).map((f) => `manifests/${f.file}`));
      expect(fs.existsSync(path.join(out, "manifests", "old"))).toBe(false);
      expect(fs.readFileSync(path.join(out, "manifests/psi/service-api.yaml"), "utf8")).toBe(
        fileNamed("psi/service-api.yaml").text,
      );
      expect(writeManifests([], out)).toEqual([]);
      expect(fs.readdirSync(path.join(out, "manifests"))).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

const validDeployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "production" },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api" } },
      spec: { containers: [{ name: "api", image: "nginx:1.27" }] },
    },
  },
});

const prometheusRule = (rule: Record<string, unknown>) => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: { name: "psi-slo", namespace: "monitoring" },
  spec: { groups: [{ name: "psi-slo", rules: [rule] }] },
});

/**
 * The SDK marks a Secret's whole `data`/`stringData` map secret, so the
 * manifest shows the map as "[secret]": validated as an empty map, after
 * checking that it is masked (the value never reaches a manifest).
 */
function unmasked(object: Record<string, unknown>): Record<string, unknown> {
  if (object.kind !== "Secret") return object;
  const copy = { ...object };
  for (const key of ["data", "stringData"]) {
    if (copy[key] === undefined) continue;
    expect([key, copy[key]]).toEqual([key, "[secret]"]);
    copy[key] = {};
  }
  return copy;
}

describe("schemaErrors: Kubernetes objects against their OpenAPI / CRD schemas", () => {
  test("K8S-2: a valid Deployment passes; replicas as text and a pod without containers fail with their paths", () => {
    expect(schemaErrors(validDeployment())).toEqual([]);
    const bad = validDeployment();
    (bad.spec as Record<string, unknown>).replicas = "three";
    (bad.spec.template.spec as Record<string, unknown>).containers = undefined;
    expect(schemaErrors(bad)).toEqual([
      "/spec/replicas: must be integer",
      "/spec/template/spec: must have required property containers",
    ]);
  });

  test("K8S-8: a ClusterIssuer validates against cert-manager's CRD schema", () => {
    const issuer = parse(fileNamed("_cluster/clusterissuer-letsencrypt-prod.yaml").text) as Record<
      string,
      unknown
    >;
    expect(schemaErrors(issuer)).toEqual([]);
    expect(
      schemaErrors({ ...issuer, spec: { acme: { email: "ops@example.com", solvers: "http01" } } }),
    ).toEqual([
      "/spec/acme: must have required property privateKeySecretRef",
      "/spec/acme: must have required property server",
      "/spec/acme/solvers: must be array",
    ]);
  });

  test("SLO-6: a PrometheusRule validates against prometheus-operator's CRD schema; a rule without expr or with a bad duration fails", () => {
    expect(schemaErrors(prometheusRule({ alert: "PsiDown", expr: "up == 0", for: "5m" }))).toEqual([]);
    expect(schemaErrors(prometheusRule({ alert: "PsiDown", for: "5 minutes" }))).toEqual([
      "/spec/groups/0/rules/0: must have required property expr",
      '/spec/groups/0/rules/0/for: must match pattern "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"',
    ]);
  });

  test("K8S-10: an ExternalSecret validates against external-secrets' CRD schema; one without a store reference fails", () => {
    const externalSecret = {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "psi-app", namespace: "production" },
      spec: {
        secretStoreRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" },
        target: { name: "psi-app" },
        data: [{ secretKey: "DATABASE_URL", remoteRef: { key: "psi/prod/database-url" } }],
      },
    };
    expect(schemaErrors(externalSecret)).toEqual([]);
    expect(
      schemaErrors({
        ...externalSecret,
        spec: { ...externalSecret.spec, secretStoreRef: { kind: "Vault" } },
      }),
    ).toEqual([
      '/spec/secretStoreRef/kind: must be equal to one of the allowed values ("SecretStore", "ClusterSecretStore")',
    ]);
  });

  test("K8S-1: a kind no package models is reported, never passed", () => {
    expect(schemaErrors({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toEqual([
      "no schema for example.com/v1/Widget",
    ]);
    // A part of a kind is not a kind.
    expect(schemaErrors({ apiVersion: "apps/v1", kind: "DeploymentSpec" })).toEqual([
      "no schema for apps/v1/DeploymentSpec",
    ]);
    expect(schemaErrors({ kind: "Deployment" })).toEqual(["no schema for /Deployment"]);
  });

  test("K8S-1: every object file synth writes for the sample program validates against its schema", () => {
    const objects = manifestsOf(records).filter((f) => !/\/helm-release-[^/]+$/.test(f.file));
    expect(objects).toHaveLength(5);
    expect(objects.flatMap((f) => schemaErrors(parse(f.text) as Record<string, unknown>))).toEqual([]);
  });

  test("K8S-1..10: every Kubernetes object of the shipped Kubernetes stacks validates against its schema", async () => {
    for (const stack of ["prod", "staging", "prod-dr"]) {
      const { records: recorded } = await synthStack(stack);
      const objects = recorded.filter(
        (r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== HELM_RELEASE_TYPE,
      );
      expect(objects.length).toBeGreaterThan(0);
      // Written from all records: an object's default namespace comes from its provider's.
      const files = manifestsOf(recorded).filter((f) => !/\/helm-release-[^/]+$/.test(f.file));
      expect(files).toHaveLength(objects.length);
      const errors = files.flatMap(({ file, text }) =>
        schemaErrors(unmasked(parse(text) as Record<string, unknown>)).map((e) => `${stack} ${file} ${e}`),
      );
      expect(errors).toEqual([]);
    }
  });
});
