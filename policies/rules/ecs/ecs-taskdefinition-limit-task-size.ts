import { TASK_DEFINITION, taskSize } from "../../lib/ecs";
import { num, resourceRule } from "../../rule";

/**
 * ECS-2: a task gets at least the runbook's 1 vCPU and 2 GB [P §3.5.2] — the
 * size the SLO-1 memory (< 2 GB) and CPU (< 70 %) objectives and the ECS-6
 * scaling targets were set against. Staging may run smaller tasks (it is
 * "cheaper by config"), so the rule is advisory there.
 */
export default resourceRule({
  name: "ecs-taskdefinition-limit-task-size",
  description: "Task definitions reserve at least the runbook's task size of 1 vCPU and 2 GB.",
  requirements: ["ECS-2"],
  severity: "medium",
  stagingMayDeviate: true,
  config: {
    minCpuUnits: {
      type: "integer",
      minimum: 256,
      default: 1024,
      description: 'ECS-2: "cpu": "1024" (1 vCPU) per task [P §3.5.2].',
    },
    minMemoryMiB: {
      type: "integer",
      minimum: 512,
      default: 2048,
      description: 'ECS-2: "memory": "2048" (2 GB) per task [P §3.5.2]; SLO-1 alarms on memory above 2 GB.',
    },
  },
  types: [TASK_DEFINITION],
  check: ({ props }, config) => {
    const problems: string[] = [];
    const limits = [
      ["cpu", "vcpu", "minCpuUnits", "CPU units"],
      ["memory", "gb", "minMemoryMiB", "MiB"],
    ] as const;
    for (const [field, unit, key, what] of limits) {
      const min = num(config, key);
      const given = props[field];
      const size = taskSize(given, unit);
      if (given === undefined) problems.push(`${field} is not set; reserve at least ${min} ${what}`);
      else if (size === undefined || !(size >= min))
        problems.push(`${field} is ${String(given)}; reserve at least ${min} ${what}`);
    }
    return problems;
  },
});
