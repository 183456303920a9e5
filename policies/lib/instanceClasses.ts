/**
 * Memory of RDS instance classes (SLO-3), for the limits RDS derives from it.
 * The current-generation families have a fixed memory per vCPU (m: 4 GiB,
 * r: 8 GiB, x: 16 GiB; large = 2 vCPUs, xlarge = 4, Nxlarge = 4N) and the
 * burstable t classes one per size (Amazon RDS User Guide, "Hardware
 * specifications for DB instance classes"). Undefined for a class outside
 * that table.
 */
const GIB_PER_VCPU: Readonly<Record<string, number>> = { m: 4, r: 8, x: 16 };
const BURSTABLE_GIB: Readonly<Record<string, number>> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  "2xlarge": 32,
};

/** Nominal memory (GiB) of an RDS class such as db.m7g.large, or undefined when not in the table. */
export function rdsClassMemoryGib(instanceClass: unknown): number | undefined {
  if (typeof instanceClass !== "string") return undefined;
  const m = /^db\.([a-z])(\d+)[a-z-]*\.(micro|small|medium|large|\d*xlarge)$/.exec(instanceClass);
  if (!m) return undefined;
  const [, family, , size] = m;
  if (family === "t") return BURSTABLE_GIB[size];
  const perVcpu = GIB_PER_VCPU[family];
  const vcpus =
    size === "large"
      ? 2
      : size === "xlarge"
        ? 4
        : /^\d+xlarge$/.test(size)
          ? 4 * Number(size.slice(0, -6))
          : undefined;
  return perVcpu === undefined || vcpus === undefined ? undefined : perVcpu * vcpus;
}

/**
 * RDS for PostgreSQL's default `max_connections`,
 * `LEAST({DBInstanceClassMemory/9531392}, 5000)` (Amazon RDS User Guide,
 * "Maximum number of database connections"), from a class's memory.
 * DBInstanceClassMemory is the class's memory less what the OS and RDS's
 * own processes reserve, so the nominal figure gives an upper bound: an
 * alarm at 80 % of it fires at or before about 84 % of the real limit.
 */
export function postgresDefaultMaxConnections(memoryGib: number): number {
  return Math.min(Math.floor((memoryGib * 1024 ** 3) / 9531392), 5000);
}
