import { KUBERNETES_COMPONENT_TYPES, isDefaultProvider } from "../../lib/kubernetes";
import { StackViolation, stackRule } from "../../rule";

const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";

/**
 * K8S-1: every Kubernetes object goes to the cluster the program means — the
 * EKS cluster it creates or the kubeconfig the stack names — through an
 * explicit `pulumi:providers:kubernetes` resource. An object on the default
 * provider goes to whatever the deployer's ambient kubeconfig / context points
 * at, which differs between a laptop and CI.
 *
 * It reads the provider the engine attaches to every custom resource in the
 * stack analysis (PolicyResource.provider: a default provider's URN ends in
 * `::default` or `::default_<version>`). None at all is a violation, not a
 * pass: the offline synth (synth/policy.ts) attaches only providers the
 * program registered, so there an object on the default provider has none.
 * Component resources of the Kubernetes package (yaml.ConfigFile, helm Chart)
 * register no provider and are skipped; their children are checked.
 */
export default stackRule({
  name: "kubernetes-object-require-explicit-provider",
  description:
    "Every Kubernetes object is created through an explicit Kubernetes provider resource, never the default provider and its ambient kubeconfig.",
  requirements: ["K8S-1"],
  severity: "high",
  check: (resources) => {
    const violations: StackViolation[] = [];
    for (const r of resources) {
      if (!r.type.startsWith("kubernetes:") || KUBERNETES_COMPONENT_TYPES.includes(r.type)) continue;
      const provider = r.provider;
      const what = `${r.type.split(":").pop() ?? r.type} ${r.name}`;
      if (provider === undefined || provider === null) {
        violations.push({
          urn: r.urn,
          message: `${what} has no explicit provider (none in the analysis: the default provider, on the ambient kubeconfig); pass the stack's k8s.Provider`,
        });
      } else if (provider.type !== KUBERNETES_PROVIDER) {
        violations.push({
          urn: r.urn,
          message: `${what} uses provider ${provider.urn}, not a Kubernetes provider`,
        });
      } else if (isDefaultProvider(provider)) {
        violations.push({
          urn: r.urn,
          message: `${what} uses the default Kubernetes provider (${provider.name}): it would deploy to the ambient kubeconfig's cluster; pass the stack's k8s.Provider`,
        });
      }
    }
    return violations;
  },
});
