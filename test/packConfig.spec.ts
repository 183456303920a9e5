/** synth/packConfig.ts: a stack's policy config, checked against the pack it configures (POL-2). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RULES } from "../policies/rules";
import { POLICY_CONFIG_DIR, PolicyConfigError, parsePackConfig, readPackConfig } from "../synth/packConfig";
import { ROOT } from "./harness";

const FILE = "policies/config/prod.json";
const NAMES = RULES.map((r) => r.name).sort();
const ALLOWED_RULES = `allowed: all or a rule of the pack: ${NAMES.join(", ")}`;
const RATE = "wafv2-webacl-limit-request-rate";

function problems(doc: unknown, text = JSON.stringify(doc)): readonly string[] {
  try {
    parsePackConfig(FILE, text);
  } catch (err) {
    if (err instanceof PolicyConfigError) return err.problems;
    throw err;
  }
  throw new Error("policy config was accepted");
}

describe("policy config files (POL-2)", () => {
  test("POL-2: every shipped policy config names only rules and settings of the pack, at valid levels", () => {
    const stacks = fs
      .readdirSync(POLICY_CONFIG_DIR)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length));
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) expect(() => readPackConfig(stack)).not.toThrow();
  });

  test("POL-2: a stack without a policy config gets none (every rule mandatory)", () => {
    expect(readPackConfig("no-such-stack")).toEqual({});
  });

  const cases: [string, unknown, string][] = [
    [
      "POL-2 a misspelt rule name, which the Pulumi CLI ignores, leaving the rule at its defaults",
      { all: "mandatory", "wafv2-webacl-limit-request-rat": { maxRequestsPerMinute: 300 } },
      `${FILE}: wafv2-webacl-limit-request-rat: unknown rule (did you mean ${RATE}?); ${ALLOWED_RULES}`,
    ],
    [
      "POL-2 a rule name that is no near miss of any",
      { "terraform-plan-check": "advisory" },
      `${FILE}: terraform-plan-check: unknown rule; ${ALLOWED_RULES}`,
    ],
    [
      "POL-2 a misspelt setting of a rule, equally ignored by the CLI",
      { [RATE]: { enforcementLevel: "mandatory", maxRequestPerMinute: 300 } },
      `${FILE}: ${RATE}.maxRequestPerMinute: unknown setting (did you mean maxRequestsPerMinute?); allowed here: enforcementLevel, maxRequestsPerMinute`,
    ],
    [
      "POL-2 a setting of the wrong type",
      { [RATE]: { maxRequestsPerMinute: "300" } },
      `${FILE}: ${RATE}.maxRequestsPerMinute: must be a number of at least 1 (got "300")`,
    ],
    [
      "POL-2 a retention floor beyond AWS's 35 days",
      { "rds-instance-require-backup-retention": { minRetentionDays: 40 } },
      `${FILE}: rds-instance-require-backup-retention.minRetentionDays: must be an integer from 1 to 35 (got 40)`,
    ],
    [
      "POL-2 a misspelt enforcement level",
      { "rds-instance-require-multi-az": "advisroy" },
      `${FILE}: rds-instance-require-multi-az: must be an enforcement level: advisory, mandatory or disabled (got "advisroy")`,
    ],
    [
      "POL-2 a misspelt enforcementLevel in a rule's object",
      { [RATE]: { enforcementLevel: "mandtory" } },
      `${FILE}: ${RATE}.enforcementLevel: must be an enforcement level: advisory, mandatory or disabled (got "mandtory")`,
    ],
    [
      "POL-2 a rule set to a number",
      { [RATE]: 300 },
      `${FILE}: ${RATE}: must be an enforcement level (advisory, mandatory or disabled) or an object of enforcementLevel and the rule's settings (got 300)`,
    ],
    [
      "POL-2 all set to an object",
      { all: { enforcementLevel: "mandatory" } },
      `${FILE}: all: must be an enforcement level for every rule: advisory, mandatory or disabled (got {"enforcementLevel":"mandatory"})`,
    ],
    [
      "POL-2 a list where the config object belongs",
      ["mandatory"],
      `${FILE}: must be a JSON object of rule names (or all) to enforcement levels (got a list)`,
    ],
  ];

  test.each(cases)("%s", (_label, doc, expected) => {
    expect(problems(doc)).toEqual([expected]);
  });

  test("POL-2: a policy config that is not JSON names its file", () => {
    const text = '{ "all": "mandatory", }';
    let why = "";
    try {
      JSON.parse(text);
    } catch (err) {
      why = (err as Error).message;
    }
    expect(problems(undefined, text)).toEqual([`${FILE}: is not valid JSON: ${why}`]);
  });

  test("POL-2: several problems give one line each, all at once", () => {
    expect(problems({ all: "strict", "rds-instance-require-multi-az": "advisroy" })).toEqual([
      `${FILE}: all: must be an enforcement level for every rule: advisory, mandatory or disabled (got "strict")`,
      `${FILE}: rds-instance-require-multi-az: must be an enforcement level: advisory, mandatory or disabled (got "advisroy")`,
    ]);
  });

  test("POL-2: readPackConfig names the file it read, relative to the project", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-config-"));
    try {
      fs.writeFileSync(
        path.join(dir, "demo.json"),
        JSON.stringify({ "ecs-service-limit-replica": "advisory" }),
      );
      const file = path.relative(ROOT, path.join(dir, "demo.json"));
      expect(() => readPackConfig("demo", dir)).toThrow(
        `${file}: ecs-service-limit-replica: unknown rule (did you mean ecs-service-limit-replicas?); ${ALLOWED_RULES}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("POL-2: a list of thresholds is checked item by item", () => {
    const rule = "ec2-securitygroup-require-tier-table";
    expect(problems({ [rule]: { dataPorts: [5432, 70000] } })).toEqual([
      `${FILE}: ${rule}.dataPorts: must be a list of integers from 1 to 65535 (got [5432,70000])`,
    ]);
  });
});
