/**
 * docs/requirements.md and the generated docs/traceability.md: the table is
 * current, covers every requirement, and every ID the sources name exists
 * (scripts/traceability.ts). Pure: no Pulumi SDK, no synth.
 */
import * as fs from "fs";
import {
  OUT_OF_SCOPE,
  assertingTestTitles,
  REQUIREMENTS_FILE,
  Requirement,
  Sources,
  TRACEABILITY_FILE,
  expandRange,
  generateTraceability,
  idsIn,
  markdownTable,
  parseRequirements,
  prefixesOf,
  readCatalogue,
  traceability,
  unknownIds,
} from "../scripts/traceability";

const PREFIXES = ["APP", "NET", "PG", "DOC", "CACHE", "BAK", "ECS", "K8S", "SLO", "FE", "POL", "DR", "CI"];

describe("traceability: docs/requirements.md", () => {
  const catalogue = readCatalogue();

  test("lists the catalogue's 72 IDs once each, in thirteen groups, under the catalogue's prefixes (issue 19: FE-1..5)", () => {
    expect(catalogue).toHaveLength(72);
    expect(new Set(catalogue.map((r) => r.group)).size).toBe(13);
    expect(prefixesOf(catalogue.map((r) => r.id))).toEqual(PREFIXES);
    // Numbered from 1 without gaps within each prefix.
    for (const prefix of PREFIXES) {
      const numbers = catalogue
        .filter((r) => r.id.startsWith(`${prefix}-`))
        .map((r) => Number(r.id.split("-")[1]));
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  test("every requirement cites its runbook sections ([H §…], [P §…]) or says it has none", () => {
    const items = fs
      .readFileSync(REQUIREMENTS_FILE, "utf8")
      .split(/\n(?=- \*\*|## )/)
      .filter((chunk) => /^- \*\*[A-Z][A-Z0-9]*-\d+\*\*/.test(chunk));
    expect(items).toHaveLength(catalogue.length);
    const uncited = items
      .filter((item) => !/\[[HP] §[^\]]+\]|No runbook\s+source/.test(item))
      .map((item) => /\*\*(.+?)\*\*/.exec(item)![1]);
    // The policy pack's rules come from the project brief, not a runbook (its group says so).
    expect(uncited).toEqual(["POL-1", "POL-2", "POL-3"]);
  });

  test("a duplicate ID is an error; a heading names an ID as well as a list item", () => {
    expect(() => parseRequirements("## A\n\n- **NET-1** one\n- **NET-1** again\n")).toThrow(
      "docs/requirements.md lists NET-1 twice",
    );
    expect(parseRequirements("## Network (NET)\n\n- **NET-1** one\n\n### NET-2 two\n")).toEqual([
      { id: "NET-1", group: "Network (NET)" },
      { id: "NET-2", group: "Network (NET)" },
    ]);
  });

  test("the out-of-scope table names only catalogue IDs", () => {
    const ids = new Set(catalogue.map((r) => r.id));
    expect(Object.keys(OUT_OF_SCOPE).filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe("traceability: docs/traceability.md", () => {
  const catalogue = readCatalogue();
  const doc = fs.readFileSync(TRACEABILITY_FILE, "utf8");

  test("is generated from the sources and current (npm run docs:traceability)", () => {
    expect(doc).toBe(generateTraceability());
  });

  test("has one summary row and one detail entry for every requirement, in catalogue order", () => {
    const ids = catalogue.map((r) => r.id);
    const summary = [...doc.matchAll(/^\| ([A-Z][A-Z0-9]*-\d+) +\|/gm)].map((m) => m[1]);
    const details = [...doc.matchAll(/^- \*\*([A-Z][A-Z0-9]*-\d+)\*\*:/gm)].map((m) => m[1]);
    expect(summary).toEqual(ids);
    expect(details).toEqual(ids);
  });

  test("every ID named in code, tests, docs and policy rules is in docs/requirements.md", () => {
    expect(Object.fromEntries(unknownIds(catalogue))).toEqual({});
  });
});

describe("traceability: finding IDs", () => {
  const ids = (text: string) => [...idsIn(text, PREFIXES).keys()];
  const seq = (prefix: string, from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${from + i}`);

  test.each<[string, string[]]>([
    ["K8S-1..10", seq("K8S", 1, 10)],
    ["SLO-1..5", seq("SLO", 1, 5)],
    ["ECS-1..ECS-10", seq("ECS", 1, 10)],
    ["CACHE-1..CACHE-3", seq("CACHE", 1, 3)],
    ["PG-9", ["PG-9"]],
    ["NET-2..2", ["NET-2"]],
    ["NET-5..2", ["NET-5", "NET-5..2"]],
  ])("range expansion: %s", (token, expected) => {
    expect(expandRange(token)).toEqual(expected);
  });

  test.each<[string, string[]]>([
    ["NET-33, not NET-3", ["NET-33", "NET-3"]],
    ["(SLO-1..4, SLO-7)", [...seq("SLO", 1, 4), "SLO-7"]],
    ["K8S-2..7, K8S-10; APP-2", [...seq("K8S", 2, 7), "K8S-10", "APP-2"]],
    ["NET-1..NET-5, POL-3: synth", [...seq("NET", 1, 5), "POL-3"]],
    ["ECS-7/ECS-10:", ["ECS-7", "ECS-10"]],
    ["`DOC-1..3`", seq("DOC", 1, 3)],
    ["BAK-1.", ["BAK-1"]],
    ["PG-8..BAK-1", ["PG-8", "BAK-1"]],
    ["TLS-1-2, TLS13-1-2-2021, HTTP-01, CVE-2021-25742, us-EAST-2", []],
    ["XNET-3, NET-3a, net-3, NET3", []],
  ])("whole words and ranges: %s", (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  test("an ID counts as named through a range only where the text never writes it out", () => {
    expect(Object.fromEntries(idsIn("NET-1..3", PREFIXES))).toEqual({
      "NET-1": false,
      "NET-2": true,
      "NET-3": true,
    });
    expect(Object.fromEntries(idsIn("NET-1..NET-3 and NET-2", PREFIXES))).toEqual({
      "NET-1": false,
      "NET-2": false,
      "NET-3": false,
    });
  });
});

describe("traceability: status", () => {
  const catalogue: Requirement[] = ["NET-1", "NET-2", "NET-3", "NET-4", "NET-5"].map((id) => ({
    id,
    group: "Network (NET)",
  }));
  const at = (file: string, viaRange = false) => [{ file, viaRange }];
  const sources: Sources = {
    code: new Map([
      ["NET-1", at("components/a.ts")],
      ["NET-2", at("infra/b.ts")],
    ]),
    tests: new Map([
      ["NET-1", at("test/a.spec.ts")],
      ["NET-3", at("test/c.spec.ts")],
      ["NET-4", at("test/suites/x.test.ts", true)],
    ]),
    docs: new Map(),
    rules: [{ name: "ec2-vpc-require-thing", requirements: ["NET-4"] }],
  };

  test.each<[string, string]>([
    ["NET-1", "implemented+tested"], // code and a test
    ["NET-2", "implemented only"], // code, no test
    ["NET-3", "not implemented"], // a test but no code or rule
    ["NET-4", "implemented+tested"], // a policy rule, and a test through a range
    ["NET-5", "not implemented"], // nothing
  ])("%s: %s", (id, status) => {
    expect(traceability(catalogue, sources).find((r) => r.id === id)!.status).toBe(status);
  });

  test("tables are padded the way prettier pads them", () => {
    expect(markdownTable(["ID", "status"], [["NET-10", "ok"]])).toEqual([
      "| ID     | status |",
      "| ------ | ------ |",
      "| NET-10 | ok     |",
    ]);
  });
});

describe("traceability: what counts as tested", () => {
  const spec = [
    "// NET-1: named in a comment only",
    'const fixture = { note: "NET-2 in a fixture" };',
    'test("NET-3: a test that asserts nothing", () => { void fixture; });',
    'describe("PG-1: a block", () => {',
    '  test("keeps 30 days", () => { expect(1).toBe(1); });',
    '  test.each(["prod"])("PG-2: %s asserts through a helper", (s) => { expectRetention(s); });',
    "});",
    'it(`K8S-4: ${"template"} title`, async () => { await expect(Promise.resolve(1)).resolves.toBe(1); });',
  ].join("\n");

  test("only an asserting test's title, or its describe's, names what it tests: not comments, fixtures or empty tests", () => {
    expect(assertingTestTitles(spec)).toEqual([
      "PG-1: a block keeps 30 days",
      "PG-1: a block PG-2: %s asserts through a helper",
      'K8S-4: ${"template"} title',
    ]);
  });
});
