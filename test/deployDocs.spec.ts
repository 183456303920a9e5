/**
 * CI-3: the README's "Deploy for real" stays true to the stacks: the IAM rights
 * it lists cover every AWS service a shipped stack creates resources in, and
 * every placeholder value in a stack file is named in its placeholder table.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { applyOrder } from "../synth/applyOrder";
import { criticalPath, formatDuration } from "../synth/criticalPath";
import { ROOT, SHIPPED_STACKS, synthStack } from "./harness";

/**
 * The IAM service prefix(es) each @pulumi/aws module's API calls go to
 * (Service Authorization Reference, docs.aws.amazon.com/service-authorization/latest/reference/):
 * DocumentDB is managed through the `rds:` actions, VPC security-group rules
 * through `ec2:`, log groups through `logs:`, load balancers through
 * `elasticloadbalancing:`.
 */
const IAM_SERVICES: Record<string, readonly string[]> = {
  acm: ["acm"],
  appautoscaling: ["application-autoscaling"],
  backup: ["backup"],
  cloudtrail: ["cloudtrail"],
  // EventRule/EventTarget are EventBridge's `events:` (issue 17, BAK-1).
  cloudwatch: ["cloudwatch", "logs", "events"],
  docdb: ["rds"],
  ec2: ["ec2"],
  ecr: ["ecr"],
  ecs: ["ecs"],
  eks: ["eks"],
  elasticache: ["elasticache"],
  guardduty: ["guardduty"],
  iam: ["iam"],
  kms: ["kms"],
  lb: ["elasticloadbalancing"],
  rds: ["rds"],
  route53: ["route53"],
  s3: ["s3"],
  secretsmanager: ["secretsmanager"],
  sns: ["sns"],
  // DR-1: the pointers a stack publishes in its drRegion (components/backup/drCopies.ts).
  ssm: ["ssm"],
  vpc: ["ec2"],
  wafv2: ["wafv2"],
};

function readmeSection(title: string): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`## ${title}`);
  return readme.slice(start, readme.indexOf("\n## ", start + 1));
}

/** The first column of the table under the paragraph starting with `lead`. */
function tableKeys(section: string, lead: string): string[] {
  const at = section.indexOf(lead);
  const lines = section.slice(at).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const rows = [];
  for (const l of lines.slice(first + 2)) {
    if (!l.startsWith("|")) break;
    rows.push(l.split("|")[1].trim());
  }
  return rows;
}

describe("README: deploy for real", () => {
  const section = readmeSection("Deploy for real");

  test("the IAM rights table names the service of every AWS resource type the shipped stacks create, and nothing else", async () => {
    const modules = new Set<string>();
    for (const stack of SHIPPED_STACKS)
      for (const r of (await synthStack(stack)).records)
        if (r.type.startsWith("aws:")) modules.add(r.type.slice(4, r.type.indexOf("/")));
    const unmapped = [...modules].filter((m) => !(m in IAM_SERVICES));
    expect(unmapped).toEqual([]);
    const needed = new Set([...modules].flatMap((m) => IAM_SERVICES[m]));
    // STS: every stack reads its caller identity (account ids in key and bucket policies).
    needed.add("sts");
    const listed = tableKeys(section, "**IAM rights**").map((k) => k.replace(/`/g, ""));
    expect([...listed].sort()).toEqual([...needed].sort());
  });

  test("every placeholder value in a shipped stack file is named in the placeholder table", () => {
    const named = tableKeys(section, "**Replace every placeholder first.**");
    // DR-1: no recovery point is set by hand any more: the rebuild finds them (docs/dr.md).
    expect(named.length).toBe(7);
    const placeholders: string[] = [];
    const walk = (value: unknown, at: string[]) => {
      if (typeof value === "string") {
        if (/123456789012|example\.com/.test(value)) placeholders.push(at.join("."));
      } else if (Array.isArray(value)) value.forEach((v) => walk(v, at));
      else if (typeof value === "object" && value !== null)
        for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    };
    for (const stack of SHIPPED_STACKS) {
      const file = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
      };
      for (const [key, value] of Object.entries(file.config))
        walk(value, [key.replace(/^runbook-platform:/, "")]);
    }
    // services.<name>.… is named generically; every other key by its path.
    const generic = (p: string) => p.replace(/^services\.[^.]+\./, "services.<name>.");
    const missing = [...new Set(placeholders.map(generic))].filter((p) => !section.includes(`\`${p}\``));
    expect(placeholders.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});

describe("docs/deploying.md: a first pulumi up, in order", () => {
  const doc = fs.readFileSync(path.join(ROOT, "docs", "deploying.md"), "utf8");

  test.each(SHIPPED_STACKS)("%s: the estimated total is the critical path's", async (stack) => {
    const { records } = await synthStack(stack);
    const row = doc.split("\n").find((l) => l.startsWith(`| ${stack} `));
    expect(row?.split("|")[2].trim()).toBe(formatDuration(criticalPath(records).totalSeconds));
  });

  test("the wave counts it gives are the apply order's (prod on EKS, myhibachi-prod on ECS)", async () => {
    const waves = async (stack: string) => {
      const r = await synthStack(stack);
      return applyOrder(r.records, r.reads).createWaves.length;
    };
    expect(doc).toContain(`For prod, a fresh \`up\` goes in ${await waves("prod")} waves`);
    expect(doc).toContain(`On myhibachi-prod (ECS, ${await waves("myhibachi-prod")} waves)`);
  });
});
