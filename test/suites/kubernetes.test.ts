/**
 * The Kubernetes path (K8S-1..10, SLO-6): the EKS cluster, platform add-ons, workloads,
 * their monitoring, and the manifests synth writes.
 */
import "../kubernetes/cluster.spec";
import "../kubernetes/workload.spec";
import "../kubernetes/addons.spec";
import "../kubernetes/monitoring.spec";
import "../kubernetes/manifests.spec";
import "../kubernetes/composition.spec";
import "../kubernetes/dataTierDashboard.spec";
