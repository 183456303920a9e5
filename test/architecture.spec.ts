/**
 * docs/architecture.md: the component graph of a stack's synth records
 * (scripts/architectureGraph.ts), its Mermaid rendering, and the generated doc
 * kept current for every shipped stack (scripts/architecture.ts).
 */
import * as fs from "fs";
import type { ResourceRecord } from "../synth/engine";
import { collapseClasses, componentGraph } from "../scripts/architectureGraph";
import {
  ARCHITECTURE_DOC_FILE,
  ARCHITECTURE_STACKS,
  mermaidArchitecture,
  renderArchitecture,
} from "../scripts/architecture";
import { SHIPPED_STACKS, synthStack } from "./harness";

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

function rec(
  type: string,
  name: string,
  parent: string | null,
  custom: boolean,
  dependencies: string[] = [],
): ResourceRecord {
  return {
    urn: urn(type, name),
    type,
    name,
    id: custom ? `${name}-id` : null,
    parent,
    custom,
    provider: null,
    protect: false,
    dependencies,
    inputs: {},
    ignoreChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
  };
}

const STACK = urn("pulumi:pulumi:Stack", "p-s");
const NET = urn("platform:network:Network", "s-net");
const DB = urn("platform:data:PostgresDatabase", "s-db");
const DB_KMS = urn("platform:security:KmsKey", "s-db-kms");
const LOGS = urn("platform:security:KmsKey", "s-logs");
const NS = urn("platform:kubernetes:AppNamespace", "s-ns");
const ALARMS = urn("platform:observability:ServiceAlarms", "s-alarms");
const GROUP = urn("kubernetes:yaml/v2:ConfigGroup", "s-ns-manifests");
const PROVIDER = urn("pulumi:providers:kubernetes", "s-k8s");
const VPC = urn("aws:ec2/vpc:Vpc", "s-net-vpc");
const SUBNET = urn("aws:ec2/subnet:Subnet", "s-net-data-a");
const DB_KEY = urn("aws:kms/key:Key", "s-db-kms-key");
const LOGS_KEY = urn("aws:kms/key:Key", "s-logs-key");
const PARAMS = urn("aws:rds/parameterGroup:ParameterGroup", "s-db-params");
const CONFIG_MAP = urn("kubernetes:core/v1:ConfigMap", "s-ns-config");

/**
 * A small stack: components in five domains, a KmsKey nested in the database,
 * a non-program component (a ConfigGroup) inside a program component, a
 * provider at the root, and a dependency on a component's URN.
 */
const RECORDS: ResourceRecord[] = [
  rec("pulumi:pulumi:Stack", "p-s", null, false),
  rec("pulumi:providers:kubernetes", "s-k8s", STACK, true, [SUBNET]),
  rec("platform:network:Network", "s-net", STACK, false),
  rec("aws:ec2/vpc:Vpc", "s-net-vpc", NET, true),
  rec("aws:ec2/subnet:Subnet", "s-net-data-a", NET, true, [LOGS_KEY, VPC]),
  rec("aws:ec2/flowLog:FlowLog", "s-net-flow-log", NET, true, [LOGS_KEY, VPC]),
  rec("platform:security:KmsKey", "s-logs", STACK, false),
  rec("aws:kms/key:Key", "s-logs-key", LOGS, true),
  rec("platform:data:PostgresDatabase", "s-db", STACK, false),
  rec("platform:security:KmsKey", "s-db-kms", DB, false),
  rec("aws:kms/key:Key", "s-db-kms-key", DB_KMS, true),
  rec("aws:rds/parameterGroup:ParameterGroup", "s-db-params", DB, true),
  rec("aws:rds/instance:Instance", "s-db-instance", DB, true, [DB_KEY, LOGS_KEY, PARAMS, PROVIDER, SUBNET]),
  rec("platform:kubernetes:AppNamespace", "s-ns", STACK, false),
  rec("kubernetes:yaml/v2:ConfigGroup", "s-ns-manifests", NS, false),
  rec("kubernetes:core/v1:ConfigMap", "s-ns-config", GROUP, true, [PROVIDER, VPC]),
  rec("platform:observability:ServiceAlarms", "s-alarms", STACK, false),
  rec("aws:cloudwatch/metricAlarm:MetricAlarm", "s-alarms-cpu", ALARMS, true, [CONFIG_MAP, DB]),
];

describe("architecture: componentGraph", () => {
  const graph = componentGraph(RECORDS);

  test("one node per program component, by domain then name, each owning the custom resources nearest to it", () => {
    expect(graph.nodes).toEqual([
      { id: NET, domain: "network", className: "Network", name: "s-net", components: 1, resources: 3 },
      { id: DB, domain: "data", className: "PostgresDatabase", name: "s-db", components: 1, resources: 2 },
      { id: DB_KMS, domain: "security", className: "KmsKey", name: "s-db-kms", components: 1, resources: 1 },
      { id: LOGS, domain: "security", className: "KmsKey", name: "s-logs", components: 1, resources: 1 },
      { id: NS, domain: "kubernetes", className: "AppNamespace", name: "s-ns", components: 1, resources: 1 },
      {
        id: ALARMS,
        domain: "observability",
        className: "ServiceAlarms",
        name: "s-alarms",
        components: 1,
        resources: 1,
      },
    ]);
    // The provider is the root stack's own child.
    expect(graph.outside).toBe(1);
  });

  test("an edge per pair of components whose resources depend on each other: deduplicated, no self or root-stack edges", () => {
    expect(graph.edges).toEqual([
      { from: NET, to: LOGS },
      { from: DB, to: NET },
      { from: DB, to: DB_KMS },
      { from: DB, to: LOGS },
      { from: NS, to: NET },
      { from: ALARMS, to: DB },
      { from: ALARMS, to: NS },
    ]);
  });

  test("does not depend on the order of the records", () => {
    expect(componentGraph([...RECORDS].reverse())).toEqual(graph);
  });

  test("collapseClasses folds repeated classes into one node `<Class> ×N` only when there are more nodes than the limit", () => {
    expect(collapseClasses(graph, 6)).toBe(graph);
    const collapsed = collapseClasses(graph, 5);
    const KMS = "platform:security:KmsKey";
    expect(collapsed.nodes.map((n) => [n.id, n.name, n.components, n.resources])).toEqual([
      [NET, "s-net", 1, 3],
      [DB, "s-db", 1, 2],
      [KMS, "KmsKey ×2", 2, 2],
      [NS, "s-ns", 1, 1],
      [ALARMS, "s-alarms", 1, 1],
    ]);
    expect(collapsed.edges).toEqual([
      { from: NET, to: KMS },
      { from: DB, to: NET },
      { from: DB, to: KMS },
      { from: NS, to: NET },
      { from: ALARMS, to: DB },
      { from: ALARMS, to: NS },
    ]);
    expect(collapsed.outside).toBe(1);
    // No class left to fold: stays above the limit rather than dropping components.
    expect(collapseClasses(graph, 3)).toEqual(collapsed);
  });

  test("renders one Mermaid subgraph per domain, nodes labelled with name, class and resource count", () => {
    expect(mermaidArchitecture(collapseClasses(graph, 5))).toEqual([
      "```mermaid",
      "flowchart LR",
      '  subgraph d_network["network"]',
      '    c_s_net["s-net<br/><i>Network</i><br/>3 resources"]',
      "  end",
      '  subgraph d_data["data"]',
      '    c_s_db["s-db<br/><i>PostgresDatabase</i><br/>2 resources"]',
      "  end",
      '  subgraph d_security["security"]',
      '    c_KmsKey_all["<b>KmsKey ×2</b><br/>2 resources"]',
      "  end",
      '  subgraph d_kubernetes["kubernetes"]',
      '    c_s_ns["s-ns<br/><i>AppNamespace</i><br/>1 resource"]',
      "  end",
      '  subgraph d_observability["observability"]',
      '    c_s_alarms["s-alarms<br/><i>ServiceAlarms</i><br/>1 resource"]',
      "  end",
      "  c_s_net --> c_KmsKey_all",
      "  c_s_db --> c_s_net",
      "  c_s_db --> c_KmsKey_all",
      "  c_s_ns --> c_s_net",
      "  c_s_alarms --> c_s_db",
      "  c_s_alarms --> c_s_ns",
      "```",
    ]);
  });

  test("the class table counts every component and custom resource, the root stack's own included", () => {
    const doc = renderArchitecture([{ stack: "s", records: RECORDS }]);
    expect(doc).toContain("6 components, 10 custom resources. The diagram has 6 nodes and 7 edges.");
    expect(doc).toContain(
      [
        "| domain | class | components | custom resources |",
        "|---|---|---|---|",
        "| network | Network | 1 | 3 |",
        "| data | PostgresDatabase | 1 | 2 |",
        "| security | KmsKey | 2 | 2 |",
        "| kubernetes | AppNamespace | 1 | 1 |",
        "| observability | ServiceAlarms | 1 | 1 |",
        "| | outside any component (the root stack's children) | | 1 |",
        "| | **total** | **6** | **10** |",
      ].join("\n"),
    );
  });
});

describe("CI-3: docs/architecture.md is checked offline against the shipped stacks", () => {
  test("covers every shipped stack", () => {
    expect([...ARCHITECTURE_STACKS]).toEqual([...SHIPPED_STACKS].sort());
  });

  test("every custom resource of a shipped stack is counted once, and every edge joins two of its components", async () => {
    for (const stack of ARCHITECTURE_STACKS) {
      const { records } = await synthStack(stack);
      const graph = componentGraph(records);
      const counted = graph.nodes.reduce((n, c) => n + c.resources, 0) + graph.outside;
      expect([stack, counted]).toEqual([stack, records.filter((r) => r.custom).length]);
      const ids = new Set(graph.nodes.map((n) => n.id));
      expect(graph.edges.filter((e) => !ids.has(e.from) || !ids.has(e.to) || e.from === e.to)).toEqual([]);
    }
  });

  test("is generated from the shipped stacks' synth records and current (npm run docs:architecture)", async () => {
    const stacks = await Promise.all(
      ARCHITECTURE_STACKS.map(async (stack) => ({ stack, records: (await synthStack(stack)).records })),
    );
    expect(fs.readFileSync(ARCHITECTURE_DOC_FILE, "utf8")).toBe(renderArchitecture(stacks));
  });
});
