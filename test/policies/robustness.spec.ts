/**
 * POL-1: no rule of the pack crashes on props it did not expect. A rule that
 * throws makes the analyzer fail the whole `pulumi preview`, so every rule in
 * RULES runs, through the runner, over resources of the types it looks at
 * with empty props and with odd-shaped ones (nulls, strings where lists are
 * expected, lists where objects are, numbers, booleans) at every prop path
 * the rule reads. It may report or pass; it must not throw.
 *
 * The paths are found by running each rule once over recording proxies, so
 * the test keeps up with rules added later without a table to maintain.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyResource, PolicyResourceOptions } from "@pulumi/policy";
import { RULES } from "../../policies/rules";
import { s3Types } from "../../policies/lib/s3";
import { Rule, resolveConfig, resourceRule } from "../../policies/rule";
import { FakeResource, ROOT, violations } from "../harness";

/* ---------- which props a rule reads ---------- */

/** Prop paths a rule read: key -> the keys it read below that one. */
interface PathTree {
  [key: string]: PathTree;
}

const MAX_DEPTH = 8;
/** Keys the runtime itself probes on any object (promises, JSON): not props. */
const IGNORED = new Set(["then", "toJSON", "constructor", "asymmetricMatch", "$$typeof"]);

/**
 * An object that records every string key read from it and answers with
 * another recorder, so the rule walks as deep as it would into real props.
 * Object.prototype members are forwarded, so String() and Number() still work.
 */
function recorder(tree: PathTree, depth = 0, fixed: Record<string, unknown> = {}): object {
  return new Proxy(
    { ...fixed },
    {
      get(target, key) {
        if (typeof key !== "string" || key in Object.prototype || IGNORED.has(key))
          return Reflect.get(target, key);
        tree[key] ??= {};
        if (key in target) return Reflect.get(target, key);
        return depth < MAX_DEPTH ? recorder(tree[key], depth + 1) : undefined;
      },
    },
  );
}

/**
 * Values some rules test before they read further (a parameter group's family,
 * a listener's protocol, a rule resource's type): with a recorder there, a rule
 * stops early, so discovery and the odd variants also try each of these.
 */
const GATES: Readonly<Record<string, readonly unknown[]>> = {
  family: ["redis7", "valkey8", "postgres16", "docdb5.0"],
  engine: ["postgres", "docdb", "redis"],
  protocol: ["HTTPS", "HTTP", "TCP", "tcp", "-1"],
  ipProtocol: ["tcp", "-1"],
  type: ["ingress", "egress", "redirect", "forward"],
  customerMasterKeySpec: ["SYMMETRIC_DEFAULT"],
  status: ["Enabled"],
  kind: ["Deployment"],
};

/** No gate, then each value of each gate, one at a time. */
const GATE_SEEDS: readonly Record<string, unknown>[] = [
  {},
  ...Object.entries(GATES).flatMap(([key, values]) => values.map((v) => ({ [key]: v }))),
];

/** What a rule read of props, and (stack rules) which propertyDependencies keys it followed. */
interface Reads {
  readonly props: PathTree;
  readonly deps: Set<string>;
}

function discover(rule: Rule, types: readonly string[]): Reads {
  const reads: Reads = { props: {}, deps: new Set() };
  for (const seed of GATE_SEEDS) discoverWith(rule, types, seed, reads);
  return reads;
}

function discoverWith(
  rule: Rule,
  types: readonly string[],
  seed: Record<string, unknown>,
  reads: Reads,
): void {
  const config = resolveConfig(rule);
  const opts: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  try {
    if (rule.kind === "resource") {
      for (const type of types) {
        const props = recorder(reads.props, 0, seed);
        rule.check({ type, name: "r", urn: `urn:${type}`, props, opts }, config);
      }
    } else {
      const resources: PolicyResource[] = [];
      for (const type of types) {
        resources.push({
          type,
          name: type,
          urn: `urn:${type}`,
          props: recorder(reads.props, 0, seed) as PolicyResource["props"],
          opts,
          dependencies: [],
          propertyDependencies: new Proxy({} as Record<string, PolicyResource[]>, {
            get(_, key) {
              if (typeof key !== "string" || IGNORED.has(key)) return undefined;
              reads.deps.add(key);
              return resources;
            },
          }),
          isType: () => false,
          asType: () => undefined,
        } as unknown as PolicyResource);
      }
      rule.check(resources, config);
    }
  } catch {
    // Discovery is best effort: a rule that chokes on a recorder is tested for real below.
  }
}

/* ---------- the odd shapes ---------- */

/** JSON values (the wire format carries nothing else) in shapes rules do not expect. */
const ODD_VALUES: readonly unknown[] = [
  null,
  "",
  "odd",
  "-1",
  0,
  -1,
  65536.5,
  true,
  false,
  [],
  [null],
  ["odd", 7],
  [[]],
  {},
  { odd: null },
  [{ odd: "odd" }],
];

/** Props with `leaf` at every path read; nodes above the leaves as objects or as one-element lists. */
function fill(tree: PathTree, leaf: unknown, asList: boolean): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, below]) => {
      if (Object.keys(below).length === 0) return [key, leaf];
      const node = fill(below, leaf, asList);
      return [key, asList ? [node] : node];
    }),
  );
}

/** Props with every top-level value as JSON text (container definitions and policies are JSON strings). */
const asJsonText = (props: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, JSON.stringify(v)]));

interface Variant {
  readonly label: string;
  readonly props: Record<string, unknown>;
}

/** The odd values stack rules get: one of each kind, as their worlds are large. */
const STACK_ODD_VALUES: readonly unknown[] = [null, "odd", 0, true, [], [null], {}, [{ odd: "odd" }]];

/**
 * Every odd props object for a rule's reads: flat, nested as objects, nested
 * as lists, nested as JSON text; and each of those again with one of the gate
 * values the rule reads (taken in turn, so every gate value is used).
 */
function oddProps(tree: PathTree, values: readonly unknown[] = ODD_VALUES): Variant[] {
  const flat = (v: unknown) => Object.fromEntries(Object.keys(tree).map((k) => [k, v]));
  const base = values.flatMap((v): Variant[] => {
    const nested = fill(tree, v, false);
    return [
      { label: `every prop ${JSON.stringify(v)}`, props: flat(v) },
      { label: `every leaf ${JSON.stringify(v)}`, props: nested },
      { label: `every leaf ${JSON.stringify(v)} under lists`, props: fill(tree, v, true) },
      { label: `every leaf ${JSON.stringify(v)} in JSON text`, props: asJsonText(nested) },
    ];
  });
  const seeds = GATE_SEEDS.slice(1).filter((seed) => Object.keys(seed).every((k) => k in tree));
  const gated =
    seeds.length === 0
      ? []
      : base.map((b, i) => {
          const seed = seeds[i % seeds.length];
          return { label: `${b.label}, ${JSON.stringify(seed)}`, props: { ...b.props, ...seed } };
        });
  const seen = new Set<string>();
  return [...base, ...gated].filter((v) => {
    const key = JSON.stringify(v.props);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/* ---------- the types stack rules look at ---------- */

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith(".ts") ? [fs.readFileSync(full, "utf8")] : [];
  });
}

/** Every type token the pack names: resource rules' types, quoted tokens in its sources, the S3 twins. */
const TYPE_UNIVERSE: readonly string[] = (() => {
  const text = sources(path.join(ROOT, "policies")).join("\n");
  const quoted = [...text.matchAll(/["'`]([a-z0-9-]+:[A-Za-z0-9/._-]+:[A-Za-z0-9]+)["'`]/g)].map((m) => m[1]);
  const s3 = [...text.matchAll(/s3Types\("(\w+)"\)/g)].flatMap((m) => s3Types(m[1]));
  const resourceTypes = RULES.flatMap((r) => (r.kind === "resource" ? r.types : []));
  return [...new Set([...resourceTypes, ...quoted, ...s3])].sort();
})();

/* ---------- the tests ---------- */

const resourceRules = RULES.filter((r) => r.kind === "resource");
const stackRules = RULES.filter((r) => r.kind === "stack");

describe("POL-1: the odd-shape harness itself", () => {
  test("POL-1: a rule that throws on an odd prop makes the runner reject, so the tests below bite", async () => {
    const fragile = resourceRule({
      name: "test-resource-forbid-fragility",
      description: "Throws on a string.",
      requirements: ["POL-1"],
      severity: "low",
      types: ["aws:s3/bucket:Bucket"],
      check: ({ props }) => (props.rules as unknown[]).map(String),
    });
    const bucket = (props: object): FakeResource => ({ type: "aws:s3/bucket:Bucket", name: "b", props });
    expect(await violations(fragile, [bucket({ rules: ["x"] })])).toEqual(["mandatory: x"]);
    await expect(violations(fragile, [bucket({ rules: "x" })])).rejects.toThrow(
      /test-resource-forbid-fragility/,
    );
    expect(Object.keys(discover(fragile, fragile.types).props)).toEqual(["rules"]);
  });

  test("POL-1: the type universe holds every type the pack's stack rules look at", () => {
    expect(TYPE_UNIVERSE).toEqual(
      expect.arrayContaining([
        "aws:ec2/vpc:Vpc",
        "aws:ec2/flowLog:FlowLog",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:docdb/clusterInstance:ClusterInstance",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:s3/bucketPolicy:BucketPolicy",
      ]),
    );
  });
});

describe("POL-1: resource rules do not throw on empty or odd-shaped props", () => {
  test.each(resourceRules.map((r) => [r.name, r] as const))("POL-1: %s", async (_, rule) => {
    if (rule.kind !== "resource") throw new Error("not a resource rule");
    const { props: tree } = discover(rule, rule.types);
    const variants = [{ label: "empty props", props: {} }, ...oddProps(tree)];
    const cases = rule.types.flatMap((type) => variants.map((v) => ({ type, ...v })));
    // One runner call over every case; only on failure, one call per case to name the culprit.
    const all = cases.map((c, i): FakeResource => ({ type: c.type, name: `odd-${i}`, props: c.props }));
    const found = await violations(rule, all).catch(async (batchError: Error) => {
      for (const [i, c] of cases.entries()) {
        await violations(rule, [all[i]]).catch((e: Error) => {
          throw new Error(`${rule.name} threw on ${c.type} with ${c.label}: ${e.message}`);
        });
      }
      throw batchError;
    });
    expect(Array.isArray(found)).toBe(true);
  });
});

describe("POL-1: stack rules do not throw on odd-shaped resources of the types they look at", () => {
  test.each(stackRules.map((r) => [r.name, r] as const))("POL-1: %s", async (_, rule) => {
    const { props: tree, deps } = discover(rule, TYPE_UNIVERSE);
    const names = TYPE_UNIVERSE.map((_t, i) => `odd-${i}`);
    const world = (props: object, linked: boolean): FakeResource[] =>
      TYPE_UNIVERSE.map((type, i) => ({
        type,
        name: names[i],
        props,
        refs: linked
          ? Object.fromEntries([...deps].map((d) => [d, names.filter((n) => n !== names[i])]))
          : {},
      }));
    const variants = [
      { label: "empty props", props: {}, linked: false },
      ...[{ label: "empty props", props: {} }, ...oddProps(tree, STACK_ODD_VALUES)].map((v) => ({
        ...v,
        linked: true,
      })),
    ];
    for (const { label, props, linked } of variants) {
      const found = await violations(rule, world(props, linked)).catch((e: Error) => {
        const refs = linked ? ", every resource referencing every other" : "";
        throw new Error(`${rule.name} threw with ${label}${refs}: ${e.message}`);
      });
      expect(Array.isArray(found)).toBe(true);
    }
  });
});
