import { httpFailureProblem } from "../../lib/healthCommand";
import { WORKLOAD_TYPES, containers } from "../../lib/kubernetes";
import { asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

const PROBES = [
  { key: "livenessProbe", path: "livenessPath" },
  { key: "readinessProbe", path: "readinessPath" },
] as const;

/**
 * K8S-2, APP-2: every container has a liveness probe on `/health` and a
 * readiness probe on `/health/ready` [P §3.6.1, §4.6.2] that fail when the
 * app answers an HTTP error. An `httpGet` probe does: the kubelet counts only
 * 200 <= status < 400 as success (k8s.io/kubernetes/pkg/probe/http
 * DoHTTPProbe). An `exec` probe passes on exit status 0, so its command must
 * turn an HTTP error into a failure as ECS-3's health check must (curl -f,
 * policies/lib/healthCommand.ts). A `tcpSocket` or `grpc` probe never sees
 * the HTTP status of the apps' health endpoints at all.
 */
export default resourceRule({
  name: "kubernetes-deployment-require-probes",
  description:
    "Every container of a workload has a liveness and a readiness probe on the apps' health paths that fail on an HTTP error: httpGet, or an exec command that fails on one (curl -f).",
  requirements: ["K8S-2", "APP-2"],
  severity: "high",
  config: {
    livenessPath: {
      type: "string",
      default: "/health",
      description: "APP-2: the apps' liveness endpoint [P §4.6.2].",
    },
    readinessPath: {
      type: "string",
      default: "/health/ready",
      description: "APP-2: the apps' readiness endpoint, which checks the data stores [P §4.6.2].",
    },
  },
  types: WORKLOAD_TYPES,
  check: ({ props }, config) =>
    containers(props).flatMap(({ label, container }) =>
      PROBES.flatMap(({ key, path }) => {
        const probe = container[key];
        if (typeof probe !== "object" || probe === null) return [`${label} has no ${key}`];
        const p = asObject(probe);
        const want = String(config[path]);
        if (p.httpGet !== undefined) {
          const httpGet = asObject(p.httpGet);
          if (httpGet.path === undefined || httpGet.path === want) return [];
          return [`${label}: ${key} requests ${String(httpGet.path)}; APP-2's endpoint is ${want}`];
        }
        if (p.exec !== undefined) {
          const cannotFail = httpFailureProblem(asObject(p.exec).command, want);
          return cannotFail === undefined ? [] : [`${label}: ${key} exec command ${cannotFail}`];
        }
        const kind = ["tcpSocket", "grpc"].find((k) => p[k] !== undefined);
        if (isNonEmptyString(kind))
          return [
            `${label}: ${key} is a ${kind} probe: it passes whatever HTTP status ${want} answers; probe it with httpGet`,
          ];
        return [`${label}: ${key} has no handler (httpGet, exec): it cannot check ${want}`];
      }),
    ),
});
