/**
 * Schema validation of Kubernetes objects (K8S-1..10): built-in kinds against
 * the Kubernetes OpenAPI schema as `kubernetes-models` ships it, and the CRD
 * kinds this platform declares against their CRDs' schemas as
 * `@kubernetes-models/cert-manager`, `/prometheus-operator` and
 * `/external-secrets` ship them. A kind none of them models is an error
 * ("no schema for ..."), never a silent pass. Like the OpenAPI schema, these
 * schemas allow unknown fields: a misspelt optional field is not caught here.
 *
 * Those packages are ES modules only ("import" exports, `type: module`), which
 * jest 29 refuses to `require` (ERR_REQUIRE_ESM) without its experimental VM
 * modules. So each kind's model is bundled once into a CommonJS file under
 * node_modules/.cache/kubernetes-schemas/ (esbuild, about 0.1-0.3 s per kind
 * on the first run; keyed by the packages' and esbuild's versions) and loaded
 * from there: a suite loads only the few kinds it validates (20-250 ms each)
 * instead of all 1,800 schemas, and jest's config stays untouched.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const NODE_MODULES = path.join(ROOT, "node_modules");
const CACHE = path.join(NODE_MODULES, ".cache", "kubernetes-schemas");
const load = createRequire(__filename);

/** The package that models each CRD API group; every other group is a built-in one (kubernetes-models). */
const CRD_PACKAGES: Readonly<Record<string, string>> = {
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "acme.cert-manager.io": "@kubernetes-models/cert-manager",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "generators.external-secrets.io": "@kubernetes-models/external-secrets",
};
const BUILT_IN = "kubernetes-models";

/** One AJV error as the packages' precompiled validators report it (messages in English, ajv-i18n). */
interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}
interface ModelClass {
  readonly apiVersion?: string;
  readonly kind?: string;
  new (data: object): { validate(): void };
}

const versions = new Map<string, string>();
function versionOf(pkg: string): string {
  let v = versions.get(pkg);
  if (v === undefined) {
    const file = path.join(NODE_MODULES, pkg, "package.json");
    v = (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
    versions.set(pkg, v);
  }
  return v;
}

/**
 * Where the model of `apiVersion`/`kind` lives, e.g. kubernetes-models/apps/v1/Deployment,
 * kubernetes-models/v1/Service; undefined when no installed package models
 * that kind of that group and version, or the names could not be one.
 */
function modelModule(apiVersion: string, kind: string): { pkg: string; module: string } | undefined {
  const m = /^(?:([a-z0-9]([a-z0-9.-]*[a-z0-9])?)\/)?(v[0-9]+[a-z0-9]*)$/.exec(apiVersion);
  if (!m || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const [, group, , version] = m;
  const pkg = group === undefined ? BUILT_IN : (CRD_PACKAGES[group] ?? BUILT_IN);
  const rel = group === undefined ? `${version}/${kind}` : `${group}/${version}/${kind}`;
  const file = path.join(NODE_MODULES, pkg, `${rel}.js`);
  if (!fs.existsSync(file)) return undefined;
  // Only a kind's class declares its apiVersion and kind (apps/v1/DeploymentSpec models a part):
  // checked in the source, so nothing is bundled for a name that is no kind.
  const source = fs.readFileSync(file, "utf8");
  if (!source.includes(`this.apiVersion="${apiVersion}"`) || !source.includes(`this.kind="${kind}"`))
    return undefined;
  return { pkg, module: `${pkg}/${rel}` };
}

const BUILD = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  // Loads its .wasm from its own folder: left to node's resolution, from node_modules.
  external: ["re2-wasm"],
  logLevel: "silent",
} as const;
/** Names the cache files: another esbuild or other build options never reuse a file. */
const BUILD_KEY = createHash("sha1").update(JSON.stringify(BUILD)).digest("hex").slice(0, 8);

/** Bundles one model into a CommonJS file the first time it is asked for; later runs only read it. */
function bundled(pkg: string, module: string, kind: string): string {
  const name = `${module.replace(/[@/]/g, "_")}@${versionOf(pkg)}-esbuild${versionOf("esbuild")}-${BUILD_KEY}.cjs`;
  const file = path.join(CACHE, name);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE, { recursive: true });
  // Written aside and renamed: the other jest worker may be building the same kind.
  const partial = `${file}.${process.pid}`;
  (load("esbuild") as typeof import("esbuild")).buildSync({
    ...BUILD,
    external: [...BUILD.external],
    stdin: { contents: `export { ${kind} as default } from "${module}";`, resolveDir: ROOT },
    outfile: partial,
  });
  fs.renameSync(partial, file);
  return file;
}

const models = new Map<string, ModelClass | undefined>();
function model(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    const where = modelModule(apiVersion, kind);
    let found: ModelClass | undefined;
    if (where) {
      const cls = (load(bundled(where.pkg, where.module, kind)) as { default?: ModelClass }).default;
      if (cls?.apiVersion === apiVersion && cls.kind === kind) found = cls;
    }
    models.set(key, found);
  }
  return models.get(key);
}

function describeError(e: SchemaError): string {
  const where = e.instancePath === "" ? "/" : e.instancePath;
  const p = e.params ?? {};
  const detail =
    typeof p.additionalProperty === "string"
      ? ` (${p.additionalProperty})`
      : Array.isArray(p.allowedValues)
        ? ` (${p.allowedValues.map((v) => JSON.stringify(v)).join(", ")})`
        : "";
  return `${where}: ${e.message ?? "is invalid"}${detail}`;
}

/**
 * The schema errors of one Kubernetes object (a manifest as synth writes it),
 * each "<JSON pointer>: <what is wrong>", e.g. "/spec/replicas: must be
 * integer"; empty when it validates. An object whose apiVersion/kind no
 * installed package models gives exactly one error,
 * "no schema for <apiVersion>/<kind>".
 */
export function schemaErrors(object: Record<string, unknown>): string[] {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const kind = typeof object.kind === "string" ? object.kind : "";
  const cls = model(apiVersion, kind);
  if (!cls) return [`no schema for ${apiVersion}/${kind}`];
  try {
    new cls(object).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: SchemaError[] }).errors;
    if (!Array.isArray(errors)) throw err;
    return [...new Set(errors.map(describeError))];
  }
}
