/**
 * CI-1..3: the GitHub Actions workflows, checked offline: each file validates
 * against the Actions workflow schema (@action-validator/core, the
 * validator of the action-validator CLI, in process), and the gates
 * the issue asks for hold: the policy pack on every preview and deploy,
 * required reviewers before prod, OIDC instead of keys, one deploy per stack
 * at a time.
 */
import { validateWorkflow } from "@action-validator/core";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "./harness";

const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".yml"))
  .sort();

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly needs?: string | string[];
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
  readonly strategy?: { matrix?: { stack?: string[] } };
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflows: Record<string, Workflow> = Object.fromEntries(
  FILES.map((f) => [f, parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Workflow]),
);
const allJobs = Object.entries(workflows).flatMap(([file, w]) =>
  Object.entries(w.jobs).map(([name, job]) => ({ file, name, job })),
);
const pulumiSteps = allJobs.flatMap(({ file, name, job }) =>
  job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@")).map((step) => ({ file, name, job, step })),
);

describe("GitHub Actions workflows (CI-1..3)", () => {
  test("CI-1, CI-2: the three workflows exist: pull requests, deploys on merge, a scheduled drift check", () => {
    expect(FILES).toEqual(["deploy.yml", "drift.yml", "pull-request.yml"]);
    expect(Object.keys(workflows["pull-request.yml"].on)).toEqual(["pull_request"]);
    expect(workflows["deploy.yml"].on).toEqual({ push: { branches: ["main"] } });
    expect(Object.keys(workflows["drift.yml"].on)).toEqual(["schedule", "workflow_dispatch"]);
  });

  test("CI-3: every workflow file validates offline against the GitHub Actions workflow schema", () => {
    for (const file of FILES) {
      const { errors } = validateWorkflow(fs.readFileSync(path.join(DIR, file), "utf8"));
      expect([file, errors]).toEqual([file, []]);
    }
  });

  test("CI-3: the schema check fails a workflow with no trigger, or a job key that does not exist", () => {
    const titles = (text: string) =>
      validateWorkflow(text).errors.map((e) => `${e.title} ${"path" in e ? e.path : ""}`);
    expect(titles("jobs: {a: {runs-on: ubuntu-latest, steps: [{run: echo}]}}")).toEqual([
      "This property is required /on",
    ]);
    expect(titles("on: push\njobs: {a: {runs-on: ubuntu-latest, stepz: [{run: echo}]}}")).toEqual([
      "OneOf conditions are not met /jobs/a",
    ]);
  });

  test("CI-1: every pulumi preview and up runs the policy pack with the stack's own policy config", () => {
    expect(pulumiSteps.length).toBe(5);
    for (const { step } of pulumiSteps) {
      expect(step.with?.policyPacks).toBe("policies");
      const stack = String(step.with?.["stack-name"]).split("/").pop()!;
      expect(step.with?.policyPackConfigs).toBe(`policies/config/${stack}.json`);
    }
  });

  test("CI-1: prod and myhibachi-prod deploy only after staging, behind the production environment's reviewers", () => {
    const jobs = workflows["deploy.yml"].jobs;
    expect(jobs.staging.needs).toBe("test");
    expect(jobs.staging.environment).toBe("staging");
    for (const name of ["prod", "myhibachi-prod"]) {
      expect(jobs[name].needs).toBe("staging");
      expect(jobs[name].environment).toBe("production");
      const up = jobs[name].steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
      expect(up?.with?.command).toBe("up");
      expect(String(up?.with?.["stack-name"])).toMatch(new RegExp(`/${name}$`));
    }
  });

  test("CI-1: cloud access is by OIDC only: id-token permission, an assumed role, no access keys anywhere", () => {
    const text = FILES.map((f) => fs.readFileSync(path.join(DIR, f), "utf8")).join("\n");
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN/);
    for (const { file, name, job } of allJobs) {
      const usesCloud = job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      if (!usesCloud) continue;
      expect([file, name, job.permissions?.["id-token"]]).toEqual([file, name, "write"]);
      const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
      expect(String(aws.with?.["role-to-assume"])).toMatch(/^\$\{\{ vars\.AWS_[A-Z_]+_ROLE_ARN \}\}$/);
      expect(job.steps.some((s) => s.uses?.startsWith("pulumi/auth-actions@"))).toBe(true);
    }
    // Workflows default to read-only tokens; jobs widen only what they need.
    for (const w of Object.values(workflows)) expect(w.permissions).toEqual({ contents: "read" });
  });

  test("CI-1: two deploys (or a deploy and a drift check) of one stack never run at once, and none is cancelled half-way", () => {
    const groups = allJobs
      .filter(({ file }) => file !== "pull-request.yml")
      .filter(({ job }) => job.steps.some((s) => s.uses?.startsWith("pulumi/actions@")))
      .map(({ job }) => job.concurrency);
    expect(groups).toEqual([
      { group: "deploy-staging", "cancel-in-progress": false },
      { group: "deploy-prod", "cancel-in-progress": false },
      { group: "deploy-myhibachi-prod", "cancel-in-progress": false },
      { group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false },
    ]);
  });

  test("CI-1: pull requests synthesize and diff every shipped stack offline, and preview staging and prod", () => {
    const pr = workflows["pull-request.yml"].jobs;
    expect(pr.synth.strategy?.matrix?.stack).toEqual(["staging", "prod", "myhibachi-prod"]);
    const runs = pr.synth.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("npm run synth -- ${{ matrix.stack }}");
    expect(runs).toContain("npm run synth:diff -- ${{ matrix.stack }} base/out");
    expect(pr.preview.strategy?.matrix?.stack).toEqual(["staging", "prod"]);
    const preview = pr.preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(preview?.with).toMatchObject({ command: "preview", "comment-on-pr": true });
  });

  test("K8S-1, CI-1: every job that previews, deploys or checks a Psi stack runs inside its VPC (private EKS endpoint)", () => {
    const onEks = pulumiSteps.filter(
      ({ step }) => !String(step.with?.["stack-name"]).endsWith("/myhibachi-prod"),
    );
    expect(onEks).toHaveLength(4);
    for (const { job } of onEks)
      expect((job as Job & { "runs-on": string[] })["runs-on"]).toEqual(
        expect.arrayContaining([
          "self-hosted",
          expect.stringMatching(/^runbook-platform-(staging|prod|\$\{\{ matrix\.stack \}\})$/),
        ]),
      );
  });

  test("CI-1: npm is cached and installed from the lock file in every job", () => {
    for (const { job } of allJobs) {
      const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
      expect(node?.with).toMatchObject({ "node-version-file": ".nvmrc", cache: "npm" });
      expect(job.steps.some((s) => s.run === "npm ci")).toBe(true);
    }
  });

  test("CI-2: the drift check fails on any change: preview with --expect-no-changes after a refresh", () => {
    const step = workflows["drift.yml"].jobs.drift.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(step?.with).toMatchObject({ command: "preview", "expect-no-changes": true, refresh: true });
  });
});
