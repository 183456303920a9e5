/**
 * The building blocks of the config schema (infra/config.ts): field validators
 * whose messages say what is wrong and what is allowed. Pure; each is exercised
 * by the malformed-config table in test/config.test.ts.
 */
import { z } from "zod";
import {
  MAX_AZ_COUNT,
  MAX_VPC_PREFIX,
  MIN_VPC_PREFIX,
  isCanonicalCidr,
  isPrivateCidr,
} from "../components/network/cidrPlan";
import {
  durationMinutes,
  parseDailyWindow,
  parseWeeklyWindow,
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

export const awsRegion = z
  .string({ error: "must be an AWS region name such as us-east-1" })
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "must be an AWS region name such as us-east-1" });

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
  error: "must be a daily UTC window hh:mm-hh:mm, such as 02:00-03:00",
});
export const weeklyWindow = z.string().refine((w) => parseWeeklyWindow(w) !== undefined, {
  error: "must be a weekly UTC window ddd:hh:mm-ddd:hh:mm, such as sun:03:30-sun:05:30",
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

export const email = z.email({ error: "must be an e-mail address such as oncall@example.com" });
