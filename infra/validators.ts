/**
 * The building blocks of the config schema (infra/config.ts): field validators
 * whose messages say what is wrong and what is allowed. Pure; each is exercised
 * by the malformed-config table in test/config.test.ts.
 */
// The enums module alone, never "@pulumi/aws": its index loads the whole SDK and provider (seconds).
import { Region } from "@pulumi/aws/types/enums";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import {
  MAX_AZ_COUNT,
  MAX_VPC_PREFIX,
  MIN_VPC_PREFIX,
  isCanonicalCidr,
  isPrivateCidr,
} from "../components/network/cidrPlan";
import { dailyStart, parseSchedule } from "../policies/lib/schedule";
import {
  ENGINE_WINDOW_GAP_MINUTES,
  Span,
  durationMinutes,
  formatStartSpan,
  parseDailyWindow,
  parseWeeklyWindow,
  startsWithinGap,
  windowsOverlap,
} from "../policies/lib/windows";

export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** An object that rejects unknown keys and names the keys it does accept. */
export function strict<S extends z.ZodRawShape>(shape: S, hidden: readonly string[] = []) {
  const allowed = Object.keys(shape)
    .filter((k) => !hidden.includes(k))
    .sort()
    .join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown key; allowed here: ${allowed}` : undefined,
  });
}

export function intRange(min: number, max: number, what = "a whole number") {
  const msg = `must be ${what} from ${min} to ${max}`;
  return z.int({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

/**
 * Edit distance between `a` and `b` (optimal string alignment: insertions,
 * deletions, substitutions and swaps of neighbours each count 1), ignoring case.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/**
 * The names in `candidates` nearest to `name` (all of them on a tie, in
 * `candidates` order), or none when even the nearest is more than a quarter of
 * its length (at least 1) away: a suggestion for a typo, not for a guess.
 */
export function nearest(name: string, candidates: readonly string[]): string[] {
  const scored = candidates.map((c) => ({ c, d: editDistance(name, c) }));
  const best = Math.min(...scored.map((x) => x.d));
  return scored.filter((x) => x.d === best && x.d <= Math.max(1, Math.floor(x.c.length / 4))).map((x) => x.c);
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/**
 * Every region the AWS provider can target: @pulumi/aws's own `Region` enum,
 * imported from its self-contained enums module (no SDK, no provider code: a
 * few ms to load) so config can be checked before the Pulumi SDK is loaded.
 */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

const REGION_LIST = "@pulumi/aws's Region list";

export const awsRegion = z
  .string({ error: "must be an AWS region name such as us-east-1" })
  .superRefine((name, ctx) => {
    if (AWS_REGIONS.includes(name)) return;
    const near = nearest(name, AWS_REGIONS);
    const allowed =
      near.length > 0 ? `did you mean ${orList(near)}?` : "use a name from it such as us-east-1";
    ctx.addIssue({ code: "custom", message: `is not an AWS region in ${REGION_LIST}; ${allowed}` });
  });

export const vpcCidr = z
  .string({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16" })
  .refine(isCanonicalCidr, {
    error: "must be an IPv4 CIDR block a.b.c.d/n with n <= 32 and no host bits set, such as 10.0.0.0/16",
  })
  .refine((c) => !isCanonicalCidr(c) || isPrivateCidr(c), {
    error: "must lie in RFC 1918 private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)",
  })
  .refine(
    (c) => {
      if (!isCanonicalCidr(c)) return true;
      const prefix = Number(c.split("/")[1]);
      return prefix >= MIN_VPC_PREFIX && prefix <= MAX_VPC_PREFIX;
    },
    {
      error: `must be a /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} block (room for 3 subnet tiers in up to ${MAX_AZ_COUNT} AZs)`,
    },
  );

export function instanceClass(prefix: "db" | "cache", families: readonly string[], example: string) {
  const re = new RegExp(`^${prefix}\\.(${families.join("|")})\\.(micro|small|medium|large|\\d*xlarge)$`);
  return z.string().regex(re, {
    error: `must be a current-generation class such as ${example} (families: ${families.join(", ")})`,
  });
}

export const RDS_FAMILIES = [
  "t4g",
  "t3",
  "m6g",
  "m6i",
  "m7g",
  "m7i",
  "m8g",
  "r6g",
  "r6i",
  "r7g",
  "r7i",
  "r8g",
] as const;
export const DOCDB_FAMILIES = ["t4g", "t3", "r6g", "r6gd", "r7g", "r8g"] as const;
export const CACHE_FAMILIES = ["t4g", "t3", "m6g", "m7g", "r6g", "r7g"] as const;

export const dailyWindow = z.string().refine((w) => parseDailyWindow(w) !== undefined, {
  error: "must be a daily UTC window hh:mm-hh:mm, such as 00:00-01:00",
});
export const weeklyWindow = z.string().refine((w) => parseWeeklyWindow(w) !== undefined, {
  error: "must be a weekly UTC window ddd:hh:mm-ddd:hh:mm, such as sun:04:00-sun:06:00",
});

export const cloudwatchRetention = z.union(
  CLOUDWATCH_RETENTION_DAYS.map((d) => z.literal(d)),
  {
    error: `must be a CloudWatch Logs retention: one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`,
  },
);

export const SNAPSHOT_EXAMPLE = "arn:aws:rds:us-west-2:123456789012:snapshot:psi-prod-postgres-final";
export const snapshotRef = (example: string) =>
  z
    .string({ error: `must be a snapshot identifier or ARN such as ${example}` })
    .regex(/^(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(cluster-)?snapshot:)?[A-Za-z][A-Za-z0-9:-]{0,254}$/, {
      error: `must be a snapshot identifier or ARN such as ${example}`,
    });

/**
 * PG-8: AWS wants each window at least 30 minutes long (maintenance: 30 min to
 * 24 h) and rejects a backup window that overlaps the maintenance window.
 */
export function checkWindows(backupKey: string) {
  return (value: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
    const backup = parseDailyWindow(String(value[backupKey]));
    const maintenance = parseWeeklyWindow(String(value.maintenanceWindow));
    if (backup && durationMinutes(backup) < 30) {
      ctx.addIssue({ code: "custom", path: [backupKey], message: "must be at least 30 minutes long" });
    }
    if (maintenance && (durationMinutes(maintenance) < 30 || durationMinutes(maintenance) > 24 * 60)) {
      ctx.addIssue({
        code: "custom",
        path: ["maintenanceWindow"],
        message: "must be from 30 minutes to 24 hours long",
      });
    }
    if (backup && maintenance && windowsOverlap(backup, maintenance)) {
      ctx.addIssue({
        code: "custom",
        path: ["maintenanceWindow"],
        message: `overlaps the daily ${backupKey} ${String(value[backupKey])}; AWS rejects overlapping windows (PG-8)`,
      });
    }
  };
}

/**
 * BAK-1, BAK-3: an AWS Backup schedule. AWS Backup takes cron expressions only
 * (EventBridge's rate() is not among them), checked field by field as AWS does.
 */
export function backupCron(example: string) {
  const allowed = `must be an AWS cron expression such as ${example}`;
  return z.string({ error: allowed }).superRefine((text, ctx) => {
    const parsed = parseSchedule(text);
    const why = !parsed.ok
      ? parsed.reason
      : parsed.schedule.kind === "rate"
        ? "AWS Backup takes no rate() expressions"
        : undefined;
    if (why !== undefined) ctx.addIssue({ code: "custom", message: `${allowed}: ${why}` });
  });
}

/**
 * BAK-1: a daily AWS Backup job: a cron at one fixed minute and hour, so its
 * gap to the database's own windows can be checked (checkBackupGaps).
 */
export function dailyBackupCron(example: string) {
  return backupCron(example).superRefine((text, ctx) => {
    const parsed = parseSchedule(text);
    if (!parsed.ok || parsed.schedule.kind !== "cron") return; // reported above
    const start = dailyStart(text);
    if (!start.ok) {
      ctx.addIssue({
        code: "custom",
        message: `must start at one fixed minute and hour, such as ${example}, so its gap to the database's backup and maintenance windows can be checked (BAK-1): ${start.reason}`,
      });
    }
  });
}

/** The windows of one engine, as config holds them. */
interface EngineWindows {
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
}

/** What checkBackupGaps reads of the settings. */
export interface BackupGapInput {
  readonly backup: {
    readonly schedules: Readonly<Record<"postgres" | "documentdb", string>>;
    readonly startWindowMinutes: number;
  };
  readonly postgres: EngineWindows;
  /** APP-1: a stack without DocumentDB (`enabled: false`) has no DocumentDB job to check. */
  readonly documentdb: EngineWindows & { readonly enabled?: boolean };
}

/**
 * BAK-1, PG-8, DOC-2: AWS Backup does not start an RDS or DocumentDB snapshot
 * job during the engine's automated-backup or maintenance window, nor within
 * an hour before either; it retries until the start window runs out and the
 * job expires. So each daily job's start span (its scheduled time plus
 * backup.startWindowMinutes) must keep that gap from both windows of the
 * engine it backs up. Values that are malformed are reported by their own
 * validators and skipped here.
 */
export function checkBackupGaps(value: BackupGapInput, ctx: z.core.$RefinementCtx): void {
  const startWindow = value.backup.startWindowMinutes;
  if (typeof startWindow !== "number") return;
  for (const engine of ["postgres", "documentdb"] as const) {
    if ((value[engine] as { readonly enabled?: boolean }).enabled === false) continue;
    const start = dailyStart(value.backup.schedules[engine]);
    if (!start.ok) continue;
    const job = { minute: start.start.minute, startWindowMinutes: startWindow, days: start.start.days };
    const windows: [keyof EngineWindows, Span | undefined, "daily" | "weekly"][] = [
      ["backupWindow", parseDailyWindow(String(value[engine].backupWindow)), "daily"],
      ["maintenanceWindow", parseWeeklyWindow(String(value[engine].maintenanceWindow)), "weekly"],
    ];
    for (const [key, window, cycle] of windows) {
      if (window === undefined || !startsWithinGap(job, window, cycle)) continue;
      ctx.addIssue({
        code: "custom",
        path: ["backup", "schedules", engine],
        message: `starts ${formatStartSpan(job)}, within ${ENGINE_WINDOW_GAP_MINUTES} minutes of ${engine}.${key} ${value[engine][key]}; AWS Backup cannot start a job then and retries until it expires (BAK-1)`,
      });
    }
  }
}

export const email = z.email({ error: "must be an e-mail address such as oncall@example.com" });

/* ---------- services (APP-1..4, ECS-2, ECS-6, ECS-9, ECS-10) ---------- */

/** Where relative paths in config (image build contexts) are resolved: the project root. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * ECS-2: the task sizes Fargate accepts, CPU units to memory in MiB (Amazon ECS
 * Developer Guide, "Task CPU and memory": the table of valid CPU and memory
 * combinations for Fargate; docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html).
 * 8 and 16 vCPU need Linux platform version 1.4.0, the current default.
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, by: number): number[] {
  return Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);
}

export const FARGATE_CPUS = Object.keys(FARGATE_TASK_SIZES).map(Number);

export const fargateCpu = z.union(
  FARGATE_CPUS.map((c) => z.literal(c)),
  { error: `must be a Fargate task CPU in CPU units: one of ${FARGATE_CPUS.join(", ")} (ECS-2)` },
);

/** The memory sizes Fargate pairs with `cpu`, in words: "2048 to 8192 MiB in steps of 1024". */
export function fargateMemoryChoices(cpu: number): string {
  const sizes = FARGATE_TASK_SIZES[cpu] ?? [];
  const step = sizes.length > 2 ? sizes[1] - sizes[0] : 0;
  const even = sizes.every((m, i) => i === 0 || m - sizes[i - 1] === step);
  return even && sizes.length > 3
    ? `${sizes[0]} to ${sizes[sizes.length - 1]} MiB in steps of ${step}`
    : `${orList(sizes.map(String))} MiB`;
}

export const IMAGE_EXAMPLE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-backend:1.0.0";

/**
 * A container image reference: [registry[:port]/]repository[:tag][@sha256:digest],
 * the repository in Docker's lowercase grammar. A port is only read as one
 * when a path follows, so `repo:8000` is a tag.
 */
const IMAGE_REF =
  /^(?<name>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+(?=\/))?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?<digest>@sha256:[a-f0-9]{64})?$/;

/**
 * ECS-1, K8S-6: an existing image, pinned by a version tag or a digest. An
 * untagged reference means `latest`, and `latest` moves under a running
 * service: a task replaced at 3 a.m. would run code nobody deployed. The same
 * reading as the pack's ecs-taskdefinition-forbid-latest-image rule.
 */
export const imageUri = z
  .string({ error: `must be an image reference such as ${IMAGE_EXAMPLE}` })
  .superRefine((uri, ctx) => {
    const m = IMAGE_REF.exec(uri);
    const problem = !m
      ? `must be an image reference such as ${IMAGE_EXAMPLE}`
      : m.groups?.digest
        ? undefined
        : m.groups?.tag === undefined
          ? `has no tag, which means latest; pin a version tag or a digest, such as ${IMAGE_EXAMPLE} (ECS-1, K8S-6)`
          : m.groups.tag.toLowerCase() === "latest"
            ? `uses the tag latest, which moves under a running service; pin a version tag or a digest, such as ${IMAGE_EXAMPLE} (ECS-1, K8S-6)`
            : undefined;
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * A path inside the project, relative to its root, that exists as a
 * `kind` (an image build context or its Dockerfile): built on `pulumi up`,
 * so a typo here would otherwise surface only after the data tier is up.
 */
export function projectPath(kind: "directory" | "file", example: string) {
  const allowed = `must be a ${kind} path relative to the project root, inside it, such as ${example}`;
  return z.string({ error: allowed }).superRefine((p, ctx) => {
    const inside =
      p !== "" &&
      !p.includes("\\") &&
      !path.posix.isAbsolute(p) &&
      p.split("/").every((part) => part !== "..") &&
      path.posix.normalize(p) === p;
    if (!inside) {
      ctx.addIssue({ code: "custom", message: allowed });
      return;
    }
    let found: fs.Stats | undefined;
    try {
      found = fs.statSync(path.join(PROJECT_ROOT, p));
    } catch {
      found = undefined;
    }
    if (!(kind === "directory" ? found?.isDirectory() : found?.isFile())) {
      ctx.addIssue({ code: "custom", message: `is not a ${kind} under the project root; ${allowed}` });
    }
  });
}

/** A lowercase DNS name of two or more labels, without the trailing dot. */
export const DNS_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function dnsName(example: string) {
  return z.string({ error: `must be a lowercase DNS name such as ${example}` }).regex(DNS_NAME, {
    error: `must be a lowercase DNS name such as ${example}, without a trailing dot`,
  });
}

/** APP-2: an absolute URL path, no query: what the ALB and the container health checks request. */
export const urlPath = z
  .string({ error: "must be an absolute URL path such as /health (APP-2)" })
  .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}$/, {
    error: "must be an absolute URL path such as /health, without a query (APP-2)",
  });
