import { TASK_DEFINITION, containerDefinitions, isEssential } from "../../lib/ecs";
import { httpFailureProblem } from "../../lib/healthCommand";
import { asArray, asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

/** ECS's values for a health check field left out [ECS HealthCheck API]. */
const ECS_DEFAULTS = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 };

/**
 * ECS-3, APP-2: every essential container has the runbook's health check,
 * `curl -f http://localhost:8000/health` every 30 s, 5 s timeout, 3 retries,
 * 60 s start period [P §3.5.2]. ECS reads only the command's exit status (0
 * healthy, anything else unhealthy: ECS API HealthCheck.command), so the
 * command must be able to fail on an HTTP error: curl with -f/--fail (curl
 * exits 0 on a 500 without it), or wget, with nothing after it that throws
 * the status away (`|| true`, `|| exit 0`, a pipe without pipefail); see
 * policies/lib/healthCommand.ts.
 */
export default resourceRule({
  name: "ecs-taskdefinition-require-health-check",
  description:
    "Every essential container has a health check on the liveness path that fails on an HTTP error (curl -f), at least as frequent and quick to fail as the runbook's, with its boot grace.",
  requirements: ["ECS-3", "APP-2"],
  severity: "high",
  config: {
    healthPath: {
      type: "string",
      default: "/health",
      description: "ECS-3, APP-2: the check is `curl -f http://localhost:8000/health` [P §3.5.2].",
    },
    maxIntervalSeconds: {
      type: "integer",
      minimum: 5,
      default: 30,
      description: "ECS-3: check every 30 s [P §3.5.2]; a longer interval finds a dead task later.",
    },
    maxTimeoutSeconds: {
      type: "integer",
      minimum: 2,
      default: 5,
      description: "ECS-3: a check that takes more than 5 s fails [P §3.5.2].",
    },
    maxRetries: {
      type: "integer",
      minimum: 1,
      default: 3,
      description: "ECS-3: 3 failed checks mark the task unhealthy [P §3.5.2].",
    },
    minStartPeriodSeconds: {
      type: "integer",
      minimum: 0,
      default: 60,
      description:
        "ECS-3: 60 s for the app to boot before failures count [P §3.5.2]; less restarts slow starters.",
    },
  },
  types: [TASK_DEFINITION],
  check: ({ props }, config) =>
    containerDefinitions(props)
      .filter(({ container }) => isEssential(container))
      .flatMap(({ label, container }) => {
        if (typeof container.healthCheck !== "object" || container.healthCheck === null)
          return [`${label} has no healthCheck: ECS would not replace a hung task`];
        const hc = asObject(container.healthCheck);
        const value = (k: keyof typeof ECS_DEFAULTS) => Number(hc[k] ?? ECS_DEFAULTS[k]);
        const problems: string[] = [];
        const path = String(config.healthPath);
        if (!asArray(hc.command).map(String).join(" ").includes(path))
          problems.push(`${label}: healthCheck command does not request ${path}`);
        else {
          const cannotFail = httpFailureProblem(hc.command, path);
          if (cannotFail !== undefined) problems.push(`${label}: healthCheck command ${cannotFail}`);
        }
        const limits = [
          ["interval", "maxIntervalSeconds", "at most", "s"],
          ["timeout", "maxTimeoutSeconds", "at most", "s"],
          ["retries", "maxRetries", "at most", ""],
        ] as const;
        for (const [field, key, bound, unit] of limits) {
          const max = num(config, key);
          if (!(value(field) <= max))
            problems.push(
              `${label}: healthCheck ${field} is ${String(hc[field] ?? `not set (ECS defaults to ${ECS_DEFAULTS[field]})`)}; ${bound} ${max}${unit ? ` ${unit}` : ""}`,
            );
        }
        const minStart = num(config, "minStartPeriodSeconds");
        if (!(value("startPeriod") >= minStart))
          problems.push(
            `${label}: healthCheck startPeriod is ${String(hc.startPeriod ?? "not set (ECS defaults to 0)")}; allow at least ${minStart} s to boot`,
          );
        return problems;
      }),
});
