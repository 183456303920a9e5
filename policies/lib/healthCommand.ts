/**
 * Whether a health-check command can fail on an HTTP error (ECS-3, K8S-2,
 * APP-2): a container health check or an exec probe passes when its command
 * exits 0, whatever the app answered, so the command itself must turn an
 * HTTP error status into a non-zero exit.
 *
 * - curl exits 0 on any HTTP response unless `-f`/`--fail` (or
 *   `--fail-with-body`) is given; then a status of 400 or more exits 22
 *   (curl docs, cmdline-opts/fail.md: "By default, curl does not consider
 *   HTTP response codes to indicate failure").
 * - GNU Wget exits 8 ("Server issued an error response") on an HTTP error
 *   (Wget manual, 2.13 Exit Status); BusyBox wget exits 1. No flag needed.
 * - ECS and Docker read the exit status only: 0 healthy, anything else
 *   unhealthy (ECS API HealthCheck.command); Kubernetes exec probes likewise.
 *
 * So a command passes when it runs curl with a fail flag or wget against the
 * path, and nothing after it throws the status away: `|| true`, `|| :`,
 * `|| exit 0`, a trailing `; exit 0`/`; true`, or a pipe into a command other
 * than grep (the pipeline's status is the last command's unless
 * `set -o pipefail`).
 */
import { asArray } from "./props";

/** The shell text a command runs: ECS `CMD-SHELL <script>` / `CMD <args…>`, or an exec `sh -c <script>` / `<args…>`. */
export function commandScript(command: unknown): string {
  const parts = asArray(command).map((p) => (typeof p === "string" ? p : String(p)));
  if (parts.length === 0) return "";
  if (parts[0] === "CMD-SHELL") return parts.slice(1).join(" ");
  if (parts[0] === "CMD") return parts.slice(1).join(" ");
  const shell = /^(\/(usr\/)?bin\/)?(sh|bash|ash|dash)$/.test(parts[0]);
  const c = parts.indexOf("-c");
  if (shell && c > 0 && c + 1 < parts.length) return parts.slice(c + 1).join(" ");
  return parts.join(" ");
}

/** The simple commands of a script with the operator that follows each ("" at the end). */
function segments(script: string): { text: string; next: string }[] {
  const out: { text: string; next: string }[] = [];
  const re = /(\|\||&&|\||;|\n)/g;
  let last = 0;
  for (const m of script.matchAll(re)) {
    out.push({ text: script.slice(last, m.index).trim(), next: m[0] });
    last = (m.index ?? 0) + m[0].length;
  }
  out.push({ text: script.slice(last).trim(), next: "" });
  return out;
}

const words = (text: string) => text.split(/\s+/).filter((w) => w.length > 0);
const program = (text: string) => {
  const w = words(text).filter((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x));
  return (w[0] ?? "").split("/").pop() ?? "";
};

/** curl's fail flags: `--fail`, `--fail-with-body`, or `f` in a cluster of short options (`-f`, `-sf`, `-fsS`). */
function curlFails(args: readonly string[]): boolean {
  let fails = false;
  for (const a of args) {
    if (a === "--fail" || a === "--fail-with-body") fails = true;
    else if (a === "--no-fail") fails = false;
    else if (/^-[A-Za-z]+$/.test(a) && a.includes("f")) fails = true;
  }
  return fails;
}

/** A command whose only effect is exit status 0. */
const SUCCEEDS = /^(true|:|exit\s+0)$/;

/**
 * Why `command` cannot fail on an HTTP error from `path`, or undefined when it
 * can (see the module comment).
 */
export function httpFailureProblem(command: unknown, path: string): string | undefined {
  const script = commandScript(command);
  const parts = segments(script);
  const pipefail = /set\s+-o\s+pipefail|set\s+-[a-z]*o\s+pipefail/.test(script);
  const clients = parts
    .map((p, i) => ({ ...p, i, name: program(p.text) }))
    .filter((p) => (p.name === "curl" || p.name === "wget") && p.text.includes(path));
  if (clients.length === 0)
    return `runs no HTTP request to ${path} with curl -f or wget: its exit status does not reflect the app's HTTP status`;
  for (const c of clients) {
    if (c.name === "curl" && !curlFails(words(c.text).slice(1)))
      return `runs curl without -f/--fail: curl exits 0 on an HTTP error status, so an app answering 500 stays healthy`;
    // What runs after the request decides the status: a pipe hands it to the next command,
    // `||` runs the fallback exactly when the request failed.
    let k = c.i;
    while (k < parts.length && parts[k].next !== "") {
      const op = parts[k].next;
      const following = parts[k + 1]?.text ?? "";
      // grep (without -v) fails on the empty output of a failed `curl -f`; anything else decides alone.
      const grep = program(following) === "grep" && !words(following).includes("-v");
      if (op === "|" && !pipefail && !grep)
        return `pipes the request into ${program(following) || "another command"} without set -o pipefail: the pipeline's status is the last command's`;
      if (op === "||" && SUCCEEDS.test(following))
        return `ends the request with || ${following}: a failed request still exits 0`;
      k++;
    }
  }
  // Whatever runs unconditionally (after `;` or a new line) once the request is done sets the
  // script's status, unless the request's failure already left (`|| exit 1`) or `set -e` stops it.
  const lastClient = clients[clients.length - 1];
  const cut = parts.findIndex((p, i) => i >= lastClient.i && (p.next === ";" || p.next === "\n"));
  const rest = cut < 0 ? [] : parts.slice(cut + 1).filter((p) => p.text !== "");
  const exitsOnFailure = parts
    .slice(lastClient.i + 1, cut + 1)
    .some((p, j) => parts[lastClient.i + j].next === "||" && /^exit\s+[1-9]\d*$/.test(p.text));
  const errexit = /\bset\s+-[a-z]*e/.test(script);
  if (rest.length > 0 && !exitsOnFailure && !errexit) {
    const last = rest[rest.length - 1].text;
    if (SUCCEEDS.test(last)) return `ends with ${last}: the script exits 0 whatever the request returned`;
    return `runs ${rest.map((p) => p.text).join("; ")} after the request whatever it returned: the script's status is that command's`;
  }
  return undefined;
}
