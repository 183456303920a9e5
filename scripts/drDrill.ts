/**
 * `npm run dr:drill -- --dry-run [--stack <rebuild stack>]` (DR-3): the
 * rebuild of docs/dr.md, step by step and in its order, with what each step
 * is expected to take and what an operator still does by hand, from the
 * rebuild stack's records: the program is evaluated by synth's engine (the
 * same code as `npm run synth`), its critical path and apply order computed
 * as out/<stack>/critical-path.json and apply-order.json are.
 *
 * Only a dry run exists: the drill itself is run by hand, against AWS,
 * following docs/dr.md ("Quarterly DR drill"); this prints its plan and the
 * estimates the drill's record sheet compares with. The figures are the
 * provisioning table's (synth/provisioningTimes.ts), not measurements.
 *
 * Exit codes: 0 printed; 1 the program failed to evaluate; 2 bad usage.
 */
import * as path from "path";
import { applyOrder } from "../synth/applyOrder";
import { buildGraph, criticalPath, earliestFinish, formatDuration } from "../synth/criticalPath";
import type { ReadRecord, ResourceRecord } from "../synth/engine";
import { provisioningTime, restoreDataGb } from "../synth/provisioningTimes";

const ROOT = path.resolve(__dirname, "..");

/** DR-3: the Region-outage RTO of the Psi manual [P §8.4.1] (4 h), in seconds. */
export const RTO_SECONDS = 4 * 3600;

/** Where the script prints: the console, or a test's collector. */
export interface Out {
  log(line: string): void;
  error(line: string): void;
}

/** Who does a step: an operator by hand, or the program (in `pulumi up`, or found by the program). */
export type Who = "operator" | "program";

/** What the drill plan knows of the rebuild: its records, finish times and critical path. */
export interface DrillContext {
  readonly records: readonly ResourceRecord[];
  /** Earliest finish (s) per URN. */
  readonly finish: ReadonlyMap<string, number>;
  readonly totalSeconds: number;
  readonly tableVersion: number;
  readonly createWaves: number;
}

/** One step of docs/dr.md's "The rebuild, step by step", as the drill prints it. */
export interface DrillStep {
  /** The step's number and title, exactly as docs/dr.md's heading `### <n>. <title>`. */
  readonly n: number;
  readonly title: string;
  readonly who: Who;
  /** The estimate (or why there is none). */
  readonly estimate: (c: DrillContext) => string;
  /** Detail lines under the step (what the program found, finish times). */
  readonly detail?: (c: DrillContext) => string[];
  /** What an operator still does by hand in this step; none when the program does it all. */
  readonly manual?: string;
}

const ofType = (c: DrillContext, type: string) => c.records.filter((r) => r.type === type);
const doneAt = (c: DrillContext, r: ResourceRecord) => formatDuration(c.finish.get(r.urn) ?? 0);
const OPERATOR = () => "operator time, not estimated";

/** `name: value` of a recorded input, or `(none)`. */
function input(r: ResourceRecord | undefined, ...keys: string[]): string {
  let v: unknown = r?.inputs;
  for (const k of keys)
    v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === "string" ? v : "(none)";
}

/** The records of `type` with the time each restore (or create) takes and when it is done. */
function timed(c: DrillContext, type: string, what: string): string[] {
  return ofType(c, type).map((r) => {
    const t = provisioningTime(r);
    const gb = restoreDataGb(r.inputs);
    const data = t.row.includes("restore") ? `, ${gb} GB` : "";
    return `${what} ${r.name}: ${formatDuration(t.seconds)}${data}, done at ${doneAt(c, r)}`;
  });
}

/** DR-3: docs/dr.md's steps, in its order (a test holds the two together). */
export const DRILL_STEPS: readonly DrillStep[] = [
  {
    n: 0,
    title: "Freeze prod",
    who: "operator",
    estimate: OPERATOR,
    manual: "disable prod's deploy and drift workflows (gh workflow disable deploy.yml drift.yml)",
  },
  {
    n: 1,
    title: "The stack",
    who: "operator",
    estimate: OPERATOR,
    manual: "log in to the Pulumi backend outside us-east-1 and select or init <org>/prod-dr",
  },
  {
    n: 2,
    title: "PostgreSQL: the latest restorable time, found in us-west-2",
    who: "program",
    estimate: () => "found when the preview runs; restored in step 10",
    detail: (c) => [
      `point in time from ${input(ofType(c, "aws:rds/instance:Instance")[0], "restoreToPointInTime", "sourceDbInstanceAutomatedBackupsArn")} (SSM /psi-prod-postgres/dr/automated-backups-arn)`,
    ],
    manual: "only to stop before a bad write: set postgres.restore.pointInTime.restoreTime",
  },
  {
    n: 3,
    title: "DocumentDB: the newest daily copy, found in us-west-2",
    who: "program",
    estimate: () => "found when the preview runs; restored in step 10",
    detail: (c) => [
      `cluster snapshot ${input(ofType(c, "aws:docdb/cluster:Cluster")[0], "snapshotIdentifier")} (tag backup-plan=psi-prod-backup-documentdb)`,
    ],
    manual: "record the copy's creation time (the DocumentDB RPO)",
  },
  {
    n: 4,
    title: "Buckets: prod's replicas, in place",
    who: "program",
    estimate: () => "found when the preview runs; nothing is created",
    detail: () => ["SSM /psi-prod-images/dr/replica-bucket, /psi-prod-backups/dr/replica-bucket"],
  },
  {
    n: 5,
    title: "Image: the ECR replica",
    who: "operator",
    estimate: OPERATOR,
    manual: "set services.backend.image.uri to the tag prod last ran, in us-west-2's registry",
  },
  {
    n: 6,
    title: "Account values and cluster access",
    who: "operator",
    estimate: OPERATOR,
    manual: "set kubernetes.adminRoleArns, developerRoleArns and publicAccessCidrs",
  },
  {
    n: 7,
    title: "Check offline",
    who: "operator",
    estimate: () => "seconds (npm run synth -- prod-dr)",
    manual: "npm run synth -- prod-dr: exit 0, no mandatory finding",
  },
  {
    n: 8,
    title: "Preview with the policy pack",
    who: "operator",
    estimate: OPERATOR,
    manual: "pulumi preview with the pack: every lookup of step 2-4 and 9 answers in us-west-2",
  },
  {
    n: 9,
    title: "Service secrets: prod's replicas",
    who: "program",
    estimate: () => "nothing to create or fill: read in place",
    detail: (c) => {
      const external = ofType(c, "kubernetes:external-secrets.io/v1:ExternalSecret");
      const keys = external.flatMap((e) =>
        ((e.inputs.spec as { data?: { remoteRef?: { key?: string } }[] } | undefined)?.data ?? [])
          .map((d) => d.remoteRef?.key ?? "")
          .filter((k) => !k.includes(":secret:psi-prod-dr-")),
      );
      return [...new Set(keys)].map((k) => `replica ${k}`);
    },
  },
  {
    n: 10,
    title: "Rebuild",
    who: "program",
    estimate: (c) => `${formatDuration(c.totalSeconds)} (critical path, ${c.createWaves} create waves)`,
    detail: (c) => [
      ...timed(c, "aws:rds/instance:Instance", "PostgreSQL restore"),
      ...timed(c, "aws:docdb/cluster:Cluster", "DocumentDB restore"),
      ...timed(c, "aws:docdb/clusterInstance:ClusterInstance", "DocumentDB instance"),
      ...timed(c, "aws:elasticache/replicationGroup:ReplicationGroup", "Redis (empty)"),
      ...timed(c, "aws:eks/cluster:Cluster", "EKS control plane"),
      ...ofType(c, "kubernetes:apps/v1:Deployment").map(
        (r) => `Deployment ${r.name}: Available at ${doneAt(c, r)} (waits for the restores)`,
      ),
      ...ofType(c, "kubernetes:networking.k8s.io/v1:Ingress").map(
        (r) => `Ingress ${r.name}: address at ${doneAt(c, r)}`,
      ),
    ],
    manual: "pulumi up with the pack and --event-log (the drill's measurements)",
  },
  {
    n: 11,
    title: "Cache warm-up",
    who: "program",
    estimate: () => "no step: the cache starts empty and fills with traffic",
    manual: "watch the cache hit rate and PostgreSQL latency for the first hour",
  },
  {
    n: 12,
    title: "Check before the cutover",
    who: "operator",
    estimate: OPERATOR,
    manual: "3 ready pods, ExternalSecret SecretSynced, /health connected to every store",
  },
  {
    n: 13,
    title: "DNS cutover of api.psi-app.com",
    who: "operator",
    estimate: () => {
      const record = provisioningTime({ type: "aws:route53/record:Record", custom: true, inputs: {} });
      return `${formatDuration(record.seconds)} record change in sync, then clients within the 60 s TTL`;
    },
    manual: "UPSERT api.psi-app.com to the DR ingress (Route 53's control plane is in us-east-1)",
  },
  {
    n: 14,
    title: "Certificate",
    who: "program",
    estimate: () => "not estimated: measured in the drill",
    manual: "watch the Certificate become Ready",
  },
  {
    n: 15,
    title: "Verify",
    who: "operator",
    estimate: OPERATOR,
    manual: "the deployment checks of [P §3.8], integrity and row counts, confirm the alert e-mails",
  },
];

/** The drill's context from a rebuild stack's records (what synth writes to out/<stack>/). */
export function drillContext(records: readonly ResourceRecord[], reads: readonly ReadRecord[]): DrillContext {
  const cp = criticalPath(records);
  return {
    records,
    finish: earliestFinish(buildGraph(records)),
    totalSeconds: cp.totalSeconds,
    tableVersion: cp.tableVersion,
    createWaves: applyOrder(records, reads).createWaves.length,
  };
}

/** The dry run's lines: the steps in docs/dr.md's order, their estimates, the RTO and the manual actions left. */
export function drillLines(stack: string, c: DrillContext): string[] {
  const lines = [
    `DR drill (dry run) of ${stack}: docs/dr.md's rebuild, step by step (provisioning table version ${c.tableVersion}; estimates, not measurements)`,
  ];
  const width = Math.max(...DRILL_STEPS.map((s) => `${s.n}. ${s.title}`.length));
  for (const s of DRILL_STEPS) {
    const head = `${String(s.n).padStart(2)}. ${s.title}`;
    lines.push(`${head.padEnd(width + 3)}  ${s.who.padEnd(8)}  ${s.estimate(c)}`);
    for (const d of s.detail?.(c) ?? []) lines.push(`      ${d}`);
  }
  const margin = RTO_SECONDS - c.totalSeconds;
  lines.push(
    `RTO: the rebuild's ${formatDuration(c.totalSeconds)} leaves ${formatDuration(margin)} of the 4 h RTO [P §8.4.1] for the operator steps, the DNS TTL, the certificate and verification`,
  );
  const manual = DRILL_STEPS.filter((s) => s.manual !== undefined);
  lines.push(`manual actions left: ${manual.length}`);
  for (const s of manual) lines.push(`  ${String(s.n).padStart(2)}. ${s.manual}`);
  return lines;
}

/** `--dry-run [--stack <name>]`, or undefined for a usage error. */
export function parseArgs(argv: readonly string[]): { stack: string } | undefined {
  let stack = "prod-dr";
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--dry-run") dryRun = true;
    else if (argv[i] === "--stack" && /^[A-Za-z0-9._-]+$/.test(argv[i + 1] ?? "")) stack = argv[++i];
    else return undefined;
  }
  return dryRun ? { stack } : undefined;
}

export async function main(argv: readonly string[], out: Out = console): Promise<number> {
  const args = parseArgs(argv);
  if (args === undefined) {
    out.error(
      "usage: npm run dr:drill -- --dry-run [--stack <rebuild stack>] (only a dry run: the drill itself is run by hand, docs/dr.md)",
    );
    return 2;
  }
  const [{ synthesize }, { readStackConfig }] = await Promise.all([
    import("../synth/engine"),
    import("../synth/stackConfig"),
  ]);
  try {
    const result = await synthesize(readStackConfig(ROOT, args.stack));
    for (const line of drillLines(args.stack, drillContext(result.records, result.reads))) out.log(line);
    return 0;
  } catch (err) {
    out.error(`dr:drill failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
