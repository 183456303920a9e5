/**
 * `out/<stack>/manifests/`: every Kubernetes object the program declares, one
 * YAML file each, as the Kubernetes provider would send it to the API server;
 * and every Helm release as a file of what `helm upgrade --install` is given
 * (docs/synth.md). Pure but for `writeManifests`; reads only the records, so
 * the synth CLI and the tests write the same files. No SDK import: the CLI
 * loads this before the engine.
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import type { ResourceRecord } from "./engine";
import { providerUrn } from "./graph";

export const MANIFESTS_DIR = "manifests";
/** The folder of objects that live in no namespace. */
export const CLUSTER_DIR = "_cluster";
export const HELM_RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

/**
 * Kinds the API server keeps outside namespaces (`kubectl api-resources
 * --namespaced=false` on Kubernetes 1.31, plus the cluster-scoped kinds of the
 * CRDs this platform installs: cert-manager, external-secrets, Karpenter, the
 * AWS VPC CNI and load balancer controller). Any other kind is namespaced: a
 * CRD this table does not know lands in a namespace folder, never in `_cluster`.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterRole",
  "ClusterRoleBinding",
  "ClusterTrustBundle",
  "ComponentStatus",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "DeviceClass",
  "FlowSchema",
  "IngressClass",
  "IPAddress",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "ResourceSlice",
  "RuntimeClass",
  "ServiceCIDR",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "VolumeAttributesClass",
  // cert-manager.io
  "ClusterIssuer",
  // external-secrets.io
  "ClusterExternalSecret",
  "ClusterSecretStore",
  "ClusterGenerator",
  // karpenter.sh, karpenter.k8s.aws
  "NodePool",
  "NodeClaim",
  "EC2NodeClass",
  // crd.k8s.amazonaws.com, elbv2.k8s.aws
  "ENIConfig",
  "IngressClassParams",
]);

/** One file under `manifests/`: its path relative to that folder, and its text. */
export interface ManifestFile {
  readonly file: string;
  readonly text: string;
}

/**
 * The documented shape of a Helm release file (docs/synth.md): not a
 * Kubernetes object, so it carries no apiVersion/kind. Every key is always
 * present, in this order; `repository` and `version` are null when not set.
 */
export interface HelmReleaseFile {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly repository: string | null;
  readonly version: string | null;
  readonly values: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * `kubernetes:apps/v1:Deployment` -> apps/v1, Deployment; the core group is
 * spelled `core` in Pulumi tokens and omitted in apiVersion.
 */
export function typeMeta(type: string): { apiVersion: string; kind: string } {
  const [, module = "", kind = ""] = type.split(":");
  const apiVersion = module.startsWith("core/") ? module.slice("core/".length) : module;
  return { apiVersion, kind };
}

/** What an id `<namespace>/<name>` (or `<name>`) names: the provider's auto-name when the inputs set none. */
const nameFromId = (id: string | null): string | undefined =>
  id === null ? undefined : str(id.slice(id.lastIndexOf("/") + 1));

/** A path segment from a Kubernetes name (DNS labels already are; a masked "[secret]" is not). */
const segment = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");

/** The namespace an object without one gets: its provider's `namespace` input, else `default` (as the provider does). */
function defaultNamespace(record: ResourceRecord, byUrn: ReadonlyMap<string, ResourceRecord>): string {
  const ref = record.provider;
  const provider = ref === null ? undefined : byUrn.get(providerUrn(ref));
  return str(provider?.inputs.namespace) ?? "default";
}

const YAML_OPTIONS = { lineWidth: 0 } as const;
const header = (record: ResourceRecord) => `# ${record.urn}\n`;

function objectFile(record: ResourceRecord, byUrn: ReadonlyMap<string, ResourceRecord>): ManifestFile {
  const fromType = typeMeta(record.type);
  const { apiVersion, kind, metadata, ...rest } = record.inputs;
  // `status` is the server's, never part of what is applied.
  delete rest.status;
  const object: Obj = {
    apiVersion: str(apiVersion) ?? fromType.apiVersion,
    kind: str(kind) ?? fromType.kind,
    metadata: metadata ?? {},
    ...rest,
  };
  let name: string | undefined;
  let dir = CLUSTER_DIR;
  if (isObj(metadata)) {
    const { name: given, namespace: givenNamespace, ...others } = metadata;
    // An auto-named object: the name the engine gave it is its id's last segment.
    name = str(given) ?? nameFromId(record.id);
    const clusterScoped = CLUSTER_SCOPED_KINDS.has(String(object.kind));
    const namespace = clusterScoped
      ? givenNamespace
      : (str(givenNamespace) ?? defaultNamespace(record, byUrn));
    if (!clusterScoped) dir = segment(String(namespace));
    // name and namespace first, as kubectl prints them.
    object.metadata = {
      ...(name === undefined ? {} : { name }),
      ...(namespace === undefined ? {} : { namespace }),
      ...others,
    };
  }
  // The kind in the name comes from the type token, so a DeploymentPatch never overwrites its Deployment.
  const file = `${dir}/${fromType.kind.toLowerCase()}-${segment(name ?? record.name)}.yaml`;
  return { file, text: header(record) + stringify(object, YAML_OPTIONS) };
}

function releaseFile(record: ResourceRecord, byUrn: ReadonlyMap<string, ResourceRecord>): ManifestFile {
  const inputs = record.inputs;
  const repo = isObj(inputs.repositoryOpts) ? str(inputs.repositoryOpts.repo) : undefined;
  const release: HelmReleaseFile = {
    name: str(inputs.name) ?? nameFromId(record.id) ?? record.name,
    namespace: str(inputs.namespace) ?? defaultNamespace(record, byUrn),
    chart: String(inputs.chart ?? ""),
    repository: repo ?? null,
    version: str(inputs.version) ?? null,
    values: inputs.values ?? {},
  };
  const file = `${segment(release.namespace)}/helm-release-${segment(release.name)}.yaml`;
  return { file, text: header(record) + stringify(release, YAML_OPTIONS) };
}

/**
 * The files of `manifests/` for these records, sorted by path: one per
 * Kubernetes object (custom `kubernetes:*` records; providers and components
 * such as yaml.ConfigGroup are not objects) and one per Helm release. Throws
 * when two records would write the same file: two resources managing one
 * object is a program error.
 */
export function manifestsOf(records: readonly ResourceRecord[]): ManifestFile[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const files = new Map<string, { file: ManifestFile; urn: string }>();
  for (const record of records) {
    if (!record.custom || !record.type.startsWith("kubernetes:")) continue;
    const file = record.type === HELM_RELEASE_TYPE ? releaseFile(record, byUrn) : objectFile(record, byUrn);
    const clash = files.get(file.file);
    if (clash) throw new Error(`manifests: ${clash.urn} and ${record.urn} both write ${file.file}`);
    files.set(file.file, { file, urn: record.urn });
  }
  return [...files.values()]
    .map((f) => f.file)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * Writes `manifests/` under `outDir` (replacing any earlier one; created even
 * when there is no Kubernetes object) and returns the files' paths relative
 * to `outDir`, sorted.
 */
export function writeManifests(records: readonly ResourceRecord[], outDir: string): string[] {
  const manifests = manifestsOf(records);
  const root = path.join(outDir, MANIFESTS_DIR);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  for (const { file, text } of manifests) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return manifests.map(({ file }) => `${MANIFESTS_DIR}/${file}`);
}
