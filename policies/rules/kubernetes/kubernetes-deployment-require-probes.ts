import { WORKLOAD_TYPES, containers } from "../../lib/kubernetes";
import { asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

const PROBES = [
  { key: "livenessProbe", path: "livenessPath" },
  { key: "readinessProbe", path: "readinessPath" },
] as const;

export default resourceRule({
  name: "kubernetes-deployment-require-probes",
  description:
    "Every container of a workload has a liveness and a readiness probe, HTTP probes on the apps' health paths.",
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
        const httpGet = asObject(asObject(probe).httpGet);
        if (httpGet.path === undefined || httpGet.path === config[path]) return [];
        return [
          `${label}: ${key} requests ${String(httpGet.path)}; APP-2's endpoint is ${String(config[path])}`,
        ];
      }),
    ),
});
