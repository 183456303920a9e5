import { INGRESS } from "../../lib/kubernetes";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { list, resourceRule } from "../../rule";

const CLUSTER_ISSUER = "cert-manager.io/cluster-issuer";
const ISSUER = "cert-manager.io/issuer";

/** Whether a TLS host entry covers `host`: the same name, or a wildcard `*.parent` one label deep. */
function covers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  return p.startsWith("*.") && h.endsWith(p.slice(1)) && !h.slice(0, -(p.length - 1)).includes(".");
}

/**
 * K8S-3, K8S-8 [P §3.6.1, §6.4.1]: every host an Ingress serves is in a TLS
 * block with a secret, and cert-manager's ingress-shim issues that secret:
 * the `cert-manager.io/cluster-issuer` (or namespaced `cert-manager.io/issuer`)
 * annotation names the issuer
 * (https://cert-manager.io/docs/usage/ingress/#supported-annotations).
 */
export default resourceRule({
  name: "kubernetes-ingress-require-tls",
  description:
    "Every Ingress serves each of its hosts over TLS, with certificates cert-manager issues from an allowed issuer.",
  requirements: ["K8S-3", "K8S-8"],
  severity: "high",
  config: {
    allowedIssuers: {
      type: "array",
      items: { type: "string" },
      default: ["letsencrypt-prod"],
      description:
        "K8S-3: the API's certificate comes from the letsencrypt-prod ClusterIssuer [P §3.6.1, §6.4.1]; a stack may allow letsencrypt-staging.",
    },
  },
  types: [INGRESS],
  check: ({ props }, config) => {
    const allowed = list(config, "allowedIssuers").map(String);
    const annotations = asObject(asObject(props.metadata).annotations);
    const spec = asObject(props.spec);
    const tls = asArray(spec.tls).map(asObject);
    const problems: string[] = [];

    const issuer = [CLUSTER_ISSUER, ISSUER].find((k) => isNonEmptyString(annotations[k]));
    if (issuer === undefined)
      problems.push(
        `no ${CLUSTER_ISSUER} (or ${ISSUER}) annotation: cert-manager would issue no certificate`,
      );
    else if (!allowed.includes(String(annotations[issuer])))
      problems.push(`${issuer} is ${String(annotations[issuer])}; use one of ${allowed.join(", ")}`);

    if (tls.length === 0) problems.push("spec.tls is empty: the Ingress serves plain HTTP only");
    tls.forEach((t, i) => {
      if (!isNonEmptyString(t.secretName))
        problems.push(`tls entry ${i + 1} has no secretName for cert-manager to write the certificate to`);
    });
    const tlsHosts = tls.flatMap((t) => asArray(t.hosts)).filter(isNonEmptyString);
    asArray(spec.rules)
      .map(asObject)
      .forEach((r, i) => {
        if (!isNonEmptyString(r.host))
          problems.push(`rule ${i + 1} has no host: no certificate can cover it`);
        else if (!tlsHosts.some((p) => covers(p, String(r.host))))
          problems.push(
            `host ${String(r.host)} is not in any tls entry's hosts: it would be served without its certificate`,
          );
      });
    return problems;
  },
});
