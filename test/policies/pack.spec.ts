/** The pack as a whole: naming, metadata, per-stack enforcement (POL-1, POL-2) and its generated docs. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PACK_DESCRIPTION, PACK_NAME, PACK_VERSION, toPolicies } from "../../policies/pack";
import { RULE_NAME } from "../../policies/rule";
import { RULES } from "../../policies/rules";
import { DOC_FILE, renderPolicyDocs } from "../../scripts/policyDocs";
import { effectiveConfig, readPackConfig, runPolicies } from "../../synth/policy";
import { ROOT, fakeEvaluation } from "../harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the analyzer's own GetAnalyzerInfo builder
const { makeAnalyzerInfo } = require("@pulumi/policy/protoutil");

const POLICIES = path.join(ROOT, "policies");
const REQUIREMENT_ID = /^(APP|NET|PG|DOC|CACHE|BAK|ECS|K8S|SLO|FE|POL|DR|CI)-\d+$/;

function ruleFiles(dir = path.join(POLICIES, "rules")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return ruleFiles(full);
    return e.name.endsWith(".ts") && e.name !== "index.ts" ? [full] : [];
  });
}

describe("POL-1: the rules", () => {
  test("every rule file is listed in the pack, once", () => {
    const files = ruleFiles()
      .map((f) => path.basename(f, ".ts"))
      .sort();
    expect(RULES.map((r) => r.name).sort()).toEqual(files);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });

  test.each(RULES.map((r) => [r.name, r] as const))("%s is well formed", (name, rule) => {
    expect(name).toMatch(RULE_NAME);
    const service = name.split("-")[0];
    expect(fs.existsSync(path.join(POLICIES, "rules", service, `${name}.ts`))).toBe(true);
    expect(rule.description).toMatch(/^[A-Z][^\n]*\.$/);
    expect(rule.requirements.length).toBeGreaterThan(0);
    for (const id of rule.requirements) expect(id).toMatch(REQUIREMENT_ID);
    for (const t of Object.values(rule.config ?? {})) expect(t.description.length).toBeGreaterThan(10);
  });

  test("the Pulumi analyzer accepts the pack's metadata (GetAnalyzerInfo)", () => {
    const info = makeAnalyzerInfo(PACK_NAME, PACK_VERSION, "mandatory", {
      description: PACK_DESCRIPTION,
      policies: toPolicies(RULES),
    });
    expect(info.getName()).toBe("runbook-policies");
    expect(info.getPoliciesList().map((p: { getName(): string }) => p.getName())).toEqual(
      RULES.map((r) => r.name),
    );
  });
});

describe("POL-1: the pack directory is what `pulumi preview --policy-pack policies` loads", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES, "package.json"), "utf8"));
  const project = parse(fs.readFileSync(path.join(POLICIES, "PulumiPolicy.yaml"), "utf8"));

  test("PulumiPolicy.yaml names the nodejs runtime and the pack's version", () => {
    expect(project).toEqual({ runtime: "nodejs", version: PACK_VERSION, description: expect.any(String) });
    expect(pkg.version).toBe(PACK_VERSION);
  });

  test("package.json's main is the entry that constructs the PolicyPack, with @pulumi/policy a dependency", () => {
    expect(pkg.main).toBe("index.ts");
    expect(Object.keys(pkg.dependencies)).toEqual(["@pulumi/policy", "@pulumi/pulumi"]);
    expect(fs.readFileSync(path.join(POLICIES, "index.ts"), "utf8")).toContain("new PolicyPack(PACK_NAME, {");
  });
});

describe("POL-2: the pack's inventory", () => {
  test("the rules and their enforcement in prod and staging are exactly these (change this list on purpose)", () => {
    const prod = readPackConfig("prod");
    const staging = readPackConfig("staging");
    const inventory = RULES.map((r) => [
      r.name,
      effectiveConfig(r.name, prod).level,
      effectiveConfig(r.name, staging).level,
    ]);
    expect(inventory).toEqual([
      ["backup-plan-forbid-engine-window-start", "mandatory", "mandatory"],
      ["backup-plan-require-cross-region-copy", "mandatory", "mandatory"],
      ["backup-plan-require-retention", "mandatory", "mandatory"],
      ["backup-selection-require-coverage", "mandatory", "mandatory"],
      ["backup-vault-require-encryption", "mandatory", "mandatory"],
      ["cloudtrail-trail-require-validation", "mandatory", "mandatory"],
      ["cloudwatch-loggroup-require-encryption", "mandatory", "mandatory"],
      ["cloudwatch-loggroup-require-retention", "mandatory", "mandatory"],
      ["cloudwatch-metricalarm-require-actions", "mandatory", "mandatory"],
      ["cloudwatch-metricalarm-require-data-thresholds", "mandatory", "mandatory"],
      ["cloudwatch-metricalarm-require-missing-data-policy", "mandatory", "mandatory"],
      ["cloudwatch-metricalarm-require-slo-coverage", "mandatory", "mandatory"],
      ["cloudwatch-metricalarm-require-stack-topics", "mandatory", "mandatory"],
      ["cost-stack-limit-monthly-budget", "mandatory", "advisory"],
      ["docdb-cluster-require-az-spread", "mandatory", "advisory"],
      ["docdb-cluster-require-backup-retention", "mandatory", "mandatory"],
      ["docdb-cluster-require-deletion-safety", "mandatory", "advisory"],
      ["docdb-cluster-require-encryption", "mandatory", "mandatory"],
      ["docdb-cluster-require-instances", "mandatory", "advisory"],
      ["docdb-cluster-require-log-exports", "mandatory", "mandatory"],
      ["docdb-cluster-require-regional-restore-source", "mandatory", "mandatory"],
      ["docdb-cluster-require-separate-windows", "mandatory", "mandatory"],
      ["docdb-clusterparametergroup-require-tls", "mandatory", "mandatory"],
      ["ec2-launchtemplate-require-ebs-encryption", "mandatory", "mandatory"],
      ["ec2-securitygroup-forbid-data-egress", "mandatory", "mandatory"],
      ["ec2-securitygroup-forbid-ssh", "mandatory", "mandatory"],
      ["ec2-securitygroup-limit-public-egress", "mandatory", "mandatory"],
      ["ec2-securitygroup-limit-public-ingress", "mandatory", "mandatory"],
      ["ec2-securitygroup-require-tier-table", "mandatory", "mandatory"],
      ["ec2-subnet-forbid-public-ip", "mandatory", "mandatory"],
      ["ec2-subnet-forbid-public-workloads", "mandatory", "mandatory"],
      ["ec2-vpc-require-endpoints", "mandatory", "mandatory"],
      ["ec2-vpc-require-flow-logs", "mandatory", "mandatory"],
      ["ecr-replicationconfiguration-require-cross-region", "mandatory", "mandatory"],
      ["ecr-repository-require-encryption", "mandatory", "mandatory"],
      ["ecr-repository-require-lifecycle", "mandatory", "mandatory"],
      ["ecr-repository-require-scanning", "mandatory", "mandatory"],
      ["ecr-repositorycreationtemplate-require-hardening", "mandatory", "mandatory"],
      ["ecs-cluster-require-container-insights", "mandatory", "mandatory"],
      ["ecs-service-forbid-public-ip", "mandatory", "mandatory"],
      ["ecs-service-limit-canary", "mandatory", "mandatory"],
      ["ecs-service-limit-replicas", "mandatory", "advisory"],
      ["ecs-service-require-autoscaling", "mandatory", "mandatory"],
      ["ecs-service-require-circuit-breaker", "mandatory", "mandatory"],
      ["ecs-service-require-health-check-grace", "mandatory", "mandatory"],
      ["ecs-service-require-ignored-desired-count", "mandatory", "mandatory"],
      ["ecs-taskdefinition-forbid-latest-image", "mandatory", "mandatory"],
      ["ecs-taskdefinition-forbid-plain-secrets", "mandatory", "mandatory"],
      ["ecs-taskdefinition-forbid-shared-role", "mandatory", "mandatory"],
      ["ecs-taskdefinition-forbid-wildcard-permissions", "mandatory", "mandatory"],
      ["ecs-taskdefinition-limit-task-size", "mandatory", "advisory"],
      ["ecs-taskdefinition-require-fargate", "mandatory", "mandatory"],
      ["ecs-taskdefinition-require-health-check", "mandatory", "mandatory"],
      ["ecs-taskdefinition-require-logging", "mandatory", "mandatory"],
      ["ecs-taskdefinition-require-restricted-containers", "mandatory", "mandatory"],
      ["eks-addon-require-network-policy", "mandatory", "mandatory"],
      ["eks-cluster-require-access-entries", "mandatory", "mandatory"],
      ["eks-cluster-require-control-plane-logs", "mandatory", "mandatory"],
      ["eks-cluster-require-private-endpoint", "mandatory", "mandatory"],
      ["eks-cluster-require-secrets-encryption", "mandatory", "mandatory"],
      ["eks-nodegroup-forbid-remote-access", "mandatory", "mandatory"],
      ["eks-nodegroup-require-imdsv2", "mandatory", "mandatory"],
      ["elasticache-parametergroup-require-lru", "mandatory", "mandatory"],
      ["elasticache-replicationgroup-require-az-spread", "mandatory", "advisory"],
      ["elasticache-replicationgroup-require-encryption", "mandatory", "mandatory"],
      ["elasticache-replicationgroup-require-multi-az", "mandatory", "advisory"],
      ["elasticache-replicationgroup-require-snapshots", "mandatory", "mandatory"],
      ["guardduty-detector-require-enabled", "mandatory", "mandatory"],
      ["helm-release-require-pinned-version", "mandatory", "mandatory"],
      ["iam-role-forbid-pod-wildcard-permissions", "mandatory", "mandatory"],
      ["kms-key-require-rotation", "mandatory", "mandatory"],
      ["kubernetes-deployment-forbid-latest-image", "mandatory", "mandatory"],
      ["kubernetes-deployment-forbid-plain-secrets", "mandatory", "mandatory"],
      ["kubernetes-deployment-require-managed-secrets", "mandatory", "mandatory"],
      ["kubernetes-deployment-require-pdb", "mandatory", "mandatory"],
      ["kubernetes-deployment-require-probes", "mandatory", "mandatory"],
      ["kubernetes-deployment-require-resources", "mandatory", "mandatory"],
      ["kubernetes-deployment-require-restricted-security", "mandatory", "mandatory"],
      ["kubernetes-deployment-require-rolling-update", "mandatory", "advisory"],
      ["kubernetes-deployment-require-zone-spread", "mandatory", "advisory"],
      ["kubernetes-horizontalpodautoscaler-limit-replicas", "mandatory", "mandatory"],
      ["kubernetes-horizontalpodautoscaler-require-behavior", "mandatory", "mandatory"],
      ["kubernetes-ingress-require-acme-issuer", "mandatory", "mandatory"],
      ["kubernetes-ingress-require-tls", "mandatory", "mandatory"],
      ["kubernetes-namespace-require-default-deny", "mandatory", "mandatory"],
      ["kubernetes-namespace-require-restricted-pod-security", "mandatory", "mandatory"],
      ["kubernetes-networkpolicy-limit-public-egress", "mandatory", "mandatory"],
      ["kubernetes-object-require-explicit-provider", "mandatory", "mandatory"],
      ["kubernetes-prometheusrule-require-slo-alerts", "mandatory", "mandatory"],
      ["kubernetes-role-limit-developer", "mandatory", "mandatory"],
      ["lb-listener-limit-tls-policy", "mandatory", "mandatory"],
      ["lb-listener-require-https-redirect", "mandatory", "mandatory"],
      ["lb-listenerrule-require-https-redirect", "mandatory", "mandatory"],
      ["lb-loadbalancer-require-access-logs", "mandatory", "mandatory"],
      ["lb-loadbalancer-require-deletion-protection", "mandatory", "advisory"],
      ["lb-loadbalancer-require-drop-invalid-headers", "mandatory", "mandatory"],
      ["lb-loadbalancer-require-waf", "mandatory", "mandatory"],
      ["lb-targetgroup-require-health-check", "mandatory", "mandatory"],
      ["pulumi-stack-forbid-failed-region", "mandatory", "mandatory"],
      ["pulumi-stateful-require-protect", "mandatory", "advisory"],
      ["rds-instance-forbid-provider-blue-green", "mandatory", "mandatory"],
      ["rds-instance-forbid-public-access", "mandatory", "mandatory"],
      ["rds-instance-limit-engine-version", "mandatory", "mandatory"],
      ["rds-instance-require-backup-retention", "mandatory", "mandatory"],
      ["rds-instance-require-deletion-safety", "mandatory", "advisory"],
      ["rds-instance-require-encryption", "mandatory", "mandatory"],
      ["rds-instance-require-generated-password", "mandatory", "mandatory"],
      ["rds-instance-require-monitoring", "mandatory", "mandatory"],
      ["rds-instance-require-multi-az", "mandatory", "advisory"],
      ["rds-instance-require-regional-restore-source", "mandatory", "mandatory"],
      ["rds-instance-require-separate-windows", "mandatory", "mandatory"],
      ["rds-parametergroup-require-query-logging", "mandatory", "mandatory"],
      ["rds-parametergroup-require-tls", "mandatory", "mandatory"],
      ["route53-healthcheck-require-slo-probe", "mandatory", "mandatory"],
      ["s3-bucket-forbid-force-destroy", "mandatory", "mandatory"],
      ["s3-bucket-require-encryption", "mandatory", "mandatory"],
      ["s3-bucket-require-lifecycle", "mandatory", "mandatory"],
      ["s3-bucket-require-public-access-block", "mandatory", "mandatory"],
      ["s3-bucket-require-tls-policy", "mandatory", "mandatory"],
      ["s3-bucket-require-versioning", "mandatory", "mandatory"],
      ["s3-bucketreplicationconfig-require-kms-grants", "mandatory", "mandatory"],
      ["secretsmanager-secret-require-dr-replica", "mandatory", "mandatory"],
      ["sns-topic-require-encryption", "mandatory", "mandatory"],
      ["vercel-project-require-custom-domain", "mandatory", "mandatory"],
      ["vercel-project-require-preview-protection", "mandatory", "mandatory"],
      ["vercel-project-require-uptime-check", "mandatory", "mandatory"],
      ["vercel-projectenvironmentvariable-forbid-plain-secrets", "mandatory", "mandatory"],
      ["wafv2-webacl-limit-request-rate", "mandatory", "mandatory"],
      ["wafv2-webacl-require-managed-rules", "mandatory", "mandatory"],
    ]);
  });
});

describe("POL-2: enforcement per stack", () => {
  const prod = readPackConfig("prod");
  const staging = readPackConfig("staging");

  test("prod enforces every rule as mandatory", () => {
    for (const r of RULES) expect(effectiveConfig(r.name, prod).level).toBe("mandatory");
  });

  test("staging makes advisory exactly the rules the runbooks let staging deviate on", () => {
    const advisory = RULES.filter((r) => effectiveConfig(r.name, staging).level === "advisory").map(
      (r) => r.name,
    );
    expect(advisory).toEqual(RULES.filter((r) => r.stagingMayDeviate).map((r) => r.name));
    for (const r of RULES) expect(effectiveConfig(r.name, staging).level).not.toBe("disabled");
  });

  test.each(["prod", "staging"])(
    "every key of policies/config/%s.json names a rule and one of its thresholds",
    (stack) => {
      for (const [key, value] of Object.entries(readPackConfig(stack))) {
        if (key === "all") continue;
        const rule = RULES.find((r) => r.name === key);
        expect(rule).toBeDefined();
        const { settings } = effectiveConfig(key, { [key]: value });
        for (const setting of Object.keys(settings))
          expect(Object.keys(rule!.config ?? {})).toContain(setting);
      }
    },
  );
});

describe("POL-1: values unknown at preview", () => {
  test("a rule reading an unknown value is reported as advisory by the analyzer, not a crash", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's wire value for an unknown string
    const rule = RULES.find((r) => r.name === "rds-instance-require-encryption")!;
    const findings = await runPolicies(
      fakeEvaluation([
        { type: "aws:rds/instance:Instance", name: "db", props: { storageEncrypted: unknown } },
      ]),
      {},
      [rule],
    );
    expect(findings).toEqual([
      {
        policy: "rds-instance-require-encryption",
        urn: "urn:pulumi:test::runbook-platform::aws:rds/instance:Instance::db",
        enforcementLevel: "advisory",
        message: expect.stringContaining(
          "can't run policy 'rds-instance-require-encryption' from policy pack 'runbook-policies@v0.1.0' during preview",
        ),
      },
    ]);
  });
});

describe("docs/policies.md", () => {
  test("POL-1: is generated from the pack's metadata and current (npm run docs:policies)", () => {
    expect(fs.readFileSync(DOC_FILE, "utf8")).toBe(renderPolicyDocs());
  });
});
