/**
 * K8S-1: the kubeconfig of an EKS cluster, built from what the cluster
 * reports. It holds no credential: kubectl and the Kubernetes provider run
 * `aws eks get-token` for a short-lived token of whoever runs them, and the
 * cluster's access entries decide what that identity may do.
 */
import { stringify } from "yaml";

export interface KubeconfigParams {
  readonly clusterName: string;
  /** The API server URL (`https://<id>.gr7.<region>.eks.amazonaws.com`). */
  readonly endpoint: string;
  /** The cluster CA bundle, base64 PEM, as EKS returns it in `certificateAuthority.data`. */
  readonly certificateAuthorityData: string;
  readonly region: string;
}

/**
 * The exec credential API version current AWS CLIs emit from `aws eks
 * get-token` (and write with `aws eks update-kubeconfig`); v1alpha1 was
 * removed from client-go in Kubernetes 1.24.
 */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** The kubeconfig as an object (cluster, user and context all named after the cluster). */
export function kubeconfigObject(p: KubeconfigParams) {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: p.clusterName,
        cluster: { server: p.endpoint, "certificate-authority-data": p.certificateAuthorityData },
      },
    ],
    users: [
      {
        name: p.clusterName,
        user: {
          exec: {
            apiVersion: EXEC_API_VERSION,
            command: "aws",
            // --region: the token is signed for the cluster's Region, whatever the caller's default is.
            args: [
              "--region",
              p.region,
              "eks",
              "get-token",
              "--cluster-name",
              p.clusterName,
              "--output",
              "json",
            ],
            // Never prompt: the Pulumi engine and CI have no terminal.
            interactiveMode: "Never",
          },
        },
      },
    ],
    contexts: [{ name: p.clusterName, context: { cluster: p.clusterName, user: p.clusterName } }],
    "current-context": p.clusterName,
    preferences: {},
  };
}

/** K8S-1: the kubeconfig as YAML text, for `k8s.Provider({ kubeconfig })` and for operators. */
export function kubeconfig(p: KubeconfigParams): string {
  return stringify(kubeconfigObject(p));
}
