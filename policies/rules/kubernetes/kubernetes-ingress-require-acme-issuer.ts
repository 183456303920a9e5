import type { PolicyResource } from "@pulumi/policy";
import { INGRESS, namespaceOf, objectName } from "../../lib/kubernetes";
import { asObject, isNonEmptyString } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

const CLUSTER_ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const ISSUER = "kubernetes:cert-manager.io/v1:Issuer";
const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";
const ISSUER_ANNOTATION = "cert-manager.io/issuer";

/** The ACME directory an issuer's name promises: staging first ("letsencrypt-staging"), then production. */
function promised(name: string, config: Readonly<Record<string, unknown>>): string | undefined {
  if (/staging/i.test(name)) return String(config.stagingDirectory);
  if (/prod/i.test(name)) return String(config.productionDirectory);
  return undefined;
}

/**
 * K8S-3, K8S-8 [P §3.6.1, §6.4.1]: the certificate an Ingress asks
 * cert-manager for comes from an issuer this stack declares, and that issuer
 * talks to the ACME directory its name promises. An annotation naming an
 * issuer that does not exist leaves the Ingress without a certificate; a
 * `letsencrypt-prod` pointed at Let's Encrypt's staging directory issues
 * certificates no browser trusts, and a `letsencrypt-staging` pointed at
 * production burns production rate limits. Let's Encrypt's directories:
 * production https://acme-v02.api.letsencrypt.org/directory, staging
 * https://acme-staging-v02.api.letsencrypt.org/directory ("Staging
 * Environment"). `cert-manager.io/cluster-issuer` names a ClusterIssuer,
 * `cert-manager.io/issuer` an Issuer of the Ingress's namespace
 * (cert-manager, "Supported Annotations"). Every issuer of the stack whose
 * name says prod or staging is held to its directory.
 */
export default stackRule({
  name: "kubernetes-ingress-require-acme-issuer",
  description:
    "The cert-manager issuer an Ingress names is declared in the stack, and every issuer named prod or staging points at that Let's Encrypt ACME directory.",
  requirements: ["K8S-3", "K8S-8"],
  severity: "high",
  config: {
    productionDirectory: {
      type: "string",
      default: "https://acme-v02.api.letsencrypt.org/directory",
      description: "K8S-8: Let's Encrypt's production ACME directory, for issuers named …prod.",
    },
    stagingDirectory: {
      type: "string",
      default: "https://acme-staging-v02.api.letsencrypt.org/directory",
      description: "K8S-8: Let's Encrypt's staging ACME directory, for issuers named …staging.",
    },
  },
  check: (resources, config) => {
    const issuers = resources.filter((r) => r.type === CLUSTER_ISSUER || r.type === ISSUER);
    const label = (i: PolicyResource) =>
      i.type === CLUSTER_ISSUER
        ? `ClusterIssuer ${objectName(i)}`
        : `Issuer ${namespaceOf(i.props)}/${objectName(i)}`;
    const violations: StackViolation[] = [];
    for (const ingress of resources.filter((r) => r.type === INGRESS)) {
      const annotations = asObject(asObject(ingress.props.metadata).annotations);
      const cluster = annotations[CLUSTER_ISSUER_ANNOTATION];
      const local = annotations[ISSUER_ANNOTATION];
      const wanted = isNonEmptyString(cluster)
        ? {
            name: cluster,
            find: (i: PolicyResource) => i.type === CLUSTER_ISSUER && objectName(i) === cluster,
          }
        : isNonEmptyString(local)
          ? {
              name: local,
              find: (i: PolicyResource) =>
                i.type === ISSUER &&
                objectName(i) === local &&
                namespaceOf(i.props) === namespaceOf(ingress.props),
            }
          : undefined;
      if (wanted === undefined) continue; // kubernetes-ingress-require-tls reports the missing annotation
      if (!issuers.some(wanted.find))
        violations.push({
          urn: ingress.urn,
          message: `Ingress ${objectName(ingress)} asks for ${isNonEmptyString(cluster) ? `ClusterIssuer ${wanted.name}` : `Issuer ${namespaceOf(ingress.props)}/${wanted.name}`}, which this stack does not declare: cert-manager would issue no certificate`,
        });
    }
    for (const issuer of issuers) {
      const want = promised(objectName(issuer), config);
      if (want === undefined) continue;
      const acme = asObject(asObject(issuer.props.spec).acme);
      if (!isNonEmptyString(acme.server))
        violations.push({
          urn: issuer.urn,
          message: `${label(issuer)} is not an ACME issuer (spec.acme.server): its name promises ${want}`,
        });
      else if (acme.server !== want)
        violations.push({
          urn: issuer.urn,
          message: `${label(issuer)} points at ${acme.server}; its name promises ${want}`,
        });
    }
    return violations;
  },
});
