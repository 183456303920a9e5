import { HELM_RELEASE } from "../../lib/kubernetes";
import { asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * One exact SemVer 2.0 version (https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string),
 * with the optional `v` some charts publish under (cert-manager's chart is
 * `v1.16.1`). Helm reads `^1.2`, `~1.2.0`, `1.x`, `>=1 <2` as constraints and
 * takes the newest match (https://helm.sh/docs/helm/helm_install/, --version).
 */
const EXACT_SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * K8S-8: the platform's charts (cert-manager, ingress-nginx, kube-prometheus-stack,
 * external-secrets) install a reviewed version from a known repository: an
 * unpinned Release installs whatever is newest on the next `pulumi up`, and a
 * chart fetched over plain HTTP can be swapped in transit. An OCI chart
 * (`chart: "oci://…"`) names its registry itself and needs no repository.
 */
export default resourceRule({
  name: "helm-release-require-pinned-version",
  description:
    "Every Helm release installs an exact chart version (no range, never latest) from an HTTPS chart repository or an OCI registry.",
  requirements: ["K8S-8"],
  severity: "high",
  types: [HELM_RELEASE],
  check: ({ props }) => {
    const problems: string[] = [];
    const version = props.version;
    if (!isNonEmptyString(version))
      problems.push(
        "version is not set: Helm would install the newest chart on every update; pin an exact version",
      );
    else if (!EXACT_SEMVER.test(version.trim()))
      problems.push(`version ${version} is not one exact version (a range or constraint); pin e.g. 1.16.1`);
    if (props.devel === true) problems.push("devel is true: Helm may pick a pre-release chart");

    const chart = props.chart;
    if (isNonEmptyString(chart) && chart.startsWith("oci://")) return problems;
    const repo = asObject(props.repositoryOpts).repo;
    if (!isNonEmptyString(repo))
      problems.push(
        `repositoryOpts.repo is not set: chart ${String(chart ?? "(none)")} would come from a local path or the deployer's Helm repositories; name its HTTPS repository`,
      );
    else if (!/^https:\/\//i.test(repo))
      problems.push(`repositoryOpts.repo ${repo} is not HTTPS: the chart could be swapped in transit`);
    return problems;
  },
});
