/**
 * K8S-9, CI-3: what the docs tell operators to run and what they say the
 * tools do stays true to the code: a command given to the developer role
 * needs only what its Role grants; the offline placeholder of a secret is
 * the one synth uses.
 */
import * as fs from "fs";
import * as path from "path";
import { DEVELOPER_RULES } from "../components/kubernetes/AppNamespace";
import { SECRET_PLACEHOLDER } from "../synth/stackConfig";
import { ROOT } from "./harness";

const DOCS = path.join(ROOT, "docs");
const docs = () =>
  fs
    .readdirSync(DOCS)
    .filter((f) => f.endsWith(".md"))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(DOCS, f), "utf8") }));

/** kubectl's names for the resources the docs use: [API group, resource]. */
const RESOURCES: Readonly<Record<string, readonly [string, string]>> = {
  po: ["", "pods"],
  pod: ["", "pods"],
  pods: ["", "pods"],
  deploy: ["apps", "deployments"],
  deployment: ["apps", "deployments"],
  deployments: ["apps", "deployments"],
  hpa: ["autoscaling", "horizontalpodautoscalers"],
  horizontalpodautoscalers: ["autoscaling", "horizontalpodautoscalers"],
  pdb: ["policy", "poddisruptionbudgets"],
  poddisruptionbudgets: ["policy", "poddisruptionbudgets"],
  svc: ["", "services"],
  ing: ["networking.k8s.io", "ingresses"],
  secret: ["", "secrets"],
};

/** What a kubectl command asks the API server for, as `group/resource verb` (kubectl's requests). */
function kubectlNeeds(command: string): string[] {
  const words = command
    .replace(/\s+#.*$/, "")
    .trim()
    .split(/\s+/)
    .filter((w, i, all) => !w.startsWith("-") && !["-n", "--namespace"].includes(all[i - 1] ?? ""));
  const [, verb, target] = words;
  const resource = (name: string) => {
    const r = RESOURCES[name];
    if (!r) throw new Error(`unknown kubectl resource ${name} in: ${command}`);
    return `${r[0]}/${r[1]}`;
  };
  if (verb === "get" || verb === "describe") {
    // `get a,b` lists each; `get a/x` (or `get a x`) gets one.
    const one = target.includes("/") || words.length > 3;
    return target.split(",").map((t) => `${resource(t.split("/")[0])} ${one ? "get" : "list"}`);
  }
  if (verb === "logs") {
    // `logs deploy/x`: the Deployment, its pods by selector, then the chosen pod's log.
    const kind = target.includes("/") ? target.split("/")[0] : "pod";
    return [...(resource(kind) === "/pods" ? [] : [`${resource(kind)} get`, "/pods list"]), "/pods/log get"];
  }
  return [`${verb} (not read-only)`];
}

/** The grants of the developer Role as `group/resource verb`. */
const GRANTED = new Set(
  DEVELOPER_RULES.flatMap((r) =>
    r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res} ${v}`))),
  ),
);

/**
 * The kubectl commands of every shell block that follow a kubeconfig line
 * naming the developer role (its role or its comment), until a kubeconfig
 * line for another role: `file: command`.
 */
function developerCommands(): string[] {
  const out: string[] = [];
  for (const { file, text } of docs()) {
    for (const block of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
      let developer = false;
      for (const line of block[1].split("\n")) {
        if (/--role-arn\s/.test(line)) developer = /developer/.test(line);
        else if (developer && /^\s*kubectl\s/.test(line)) out.push(`${file}: ${line.trim()}`);
      }
    }
  }
  return out;
}

describe("K8S-9: the developer role's commands in the docs", () => {
  test("K8S-9: kubectl's requests: get of a list, logs of a Deployment", () => {
    expect(kubectlNeeds("kubectl -n production get deploy,pods,hpa,pdb")).toEqual([
      "apps/deployments list",
      "/pods list",
      "autoscaling/horizontalpodautoscalers list",
      "policy/poddisruptionbudgets list",
    ]);
    expect(kubectlNeeds("kubectl -n production logs deploy/psi-prod-backend")).toEqual([
      "apps/deployments get",
      "/pods list",
      "/pods/log get",
    ]);
    expect(kubectlNeeds("kubectl -n production rollout undo deployment/x")).toEqual([
      "rollout (not read-only)",
    ]);
  });

  test("K8S-9: every kubectl command the docs give the developer role needs only the developer Role's get/list on pods, pods/log and deployments", () => {
    const commands = developerCommands();
    expect(commands).toEqual([
      "kubernetes.md: kubectl -n production get deploy,pods",
      "kubernetes.md: kubectl -n production logs deploy/psi-prod-backend",
    ]);
    for (const command of commands) {
      const denied = kubectlNeeds(command.slice(command.indexOf(": ") + 2)).filter((n) => !GRANTED.has(n));
      expect([command, denied]).toEqual([command, []]);
    }
  });
});

describe("docs/synth.md: secrets offline", () => {
  test("CI-3: the docs name the placeholder a `secure:` value reads as offline, SECRET_PLACEHOLDER, and no other", () => {
    const synth = docs().find((d) => d.file === "synth.md")!;
    expect(synth.text).toContain(`\`${SECRET_PLACEHOLDER}\``);
    for (const { file, text } of docs())
      for (const m of text.matchAll(/[\w:/.-]*synth-placeholder[\w/.-]*/g))
        expect([file, m[0]]).toEqual([file, SECRET_PLACEHOLDER]);
  });
});
