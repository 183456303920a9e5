import { NETWORK_POLICY } from "../../lib/kubernetes";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { list, resourceRule } from "../../rule";

/** A CIDR of prefix length 0 (0.0.0.0/0, ::/0): every address. */
const isAnywhere = (cidr: unknown) => isNonEmptyString(cidr) && /\/0+$/.test(cidr.trim());

/**
 * K8S-7, NET-3 [P §2.2]: the Kubernetes twin of
 * ec2-securitygroup-limit-public-egress. Pods may leave the cluster for
 * anywhere only on HTTPS; DNS, the data tier and the ingress controller are
 * reached through selectors and the data subnets' CIDRs. An egress rule
 * reaches anywhere when its `to` is empty or missing ("this rule matches all
 * destinations") or names an ipBlock of prefix length 0; and it opens every
 * port when its `ports` is empty or missing (NetworkPolicyEgressRule,
 * Kubernetes API). Such a rule must open TCP 443 only: a single numeric port
 * (a named port cannot be resolved for an outside address), no endPort range.
 */
export default resourceRule({
  name: "kubernetes-networkpolicy-limit-public-egress",
  description:
    "NetworkPolicy egress to anywhere (no destination, or an ipBlock of 0.0.0.0/0 or ::/0) is allowed only on TCP 443, never on every port.",
  requirements: ["K8S-7", "NET-3"],
  severity: "high",
  config: {
    allowedPorts: {
      type: "array",
      items: { type: "integer" },
      default: [443],
      description: "NET-3, K8S-7: pods call external APIs and AWS over HTTPS only [P §2.2].",
    },
  },
  types: [NETWORK_POLICY],
  check: ({ props }, config) => {
    const allowed = list(config, "allowedPorts").map(Number);
    const ports = `TCP ${allowed.join(", ")}`;
    return asArray(asObject(props.spec).egress)
      .map(asObject)
      .flatMap((rule, i) => {
        const to = asArray(rule.to).map(asObject);
        const anywhere =
          to.length === 0
            ? "any destination (no to)"
            : to
                .map((peer) => asObject(peer.ipBlock).cidr)
                .filter(isAnywhere)
                .map(String)
                .join(", ");
        if (anywhere === "") return [];
        const where = `egress rule ${i + 1} to ${anywhere}`;
        const opened = asArray(rule.ports).map(asObject);
        if (opened.length === 0)
          return [`${where} opens every port; pods may leave for anywhere only on ${ports}`];
        return opened.flatMap((p) => {
          const protocol = String(p.protocol ?? "TCP");
          const ok =
            protocol === "TCP" &&
            typeof p.port === "number" &&
            allowed.includes(p.port) &&
            (p.endPort === undefined || p.endPort === p.port);
          return ok
            ? []
            : [
                `${where} opens ${protocol} ${String(p.port ?? "every port")}${p.endPort !== undefined ? `-${String(p.endPort)}` : ""}; pods may leave for anywhere only on ${ports}`,
              ];
        });
      });
  },
});
