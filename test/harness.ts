/**
 * The one test harness: every test that needs the program runs it through the
 * synth engine (synth/engine.ts), exactly as `npm run synth` does.
 */
import * as path from "path";
import { Evaluation, ResourceRecord, SynthResult, evaluate, synthesize } from "../synth/engine";
import { StackConfig, readStackConfig, toEngineConfig } from "../synth/stackConfig";

export const ROOT = path.resolve(__dirname, "..");
export const SHIPPED_STACKS = ["prod", "staging"] as const;

/** A shipped stack's config, with `overrides` (a `config:` block, bare keys allowed) on top. */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): StackConfig {
  const base = readStackConfig(ROOT, stack);
  const extra = toEngineConfig(base.project, overrides);
  return {
    ...base,
    config: { ...base.config, ...extra.config },
    secretKeys: [...base.secretKeys, ...extra.secretKeys],
  };
}

const cache = new Map<string, Promise<SynthResult>>();

/** The recorded resources of a shipped stack, evaluated once per test file. */
export function synthStack(stack: string): Promise<SynthResult> {
  let run = cache.get(stack);
  if (!run) {
    run = synthesize(stackConfig(stack));
    cache.set(stack, run);
  }
  return run;
}

export function evaluateWith(stack: string, overrides: Record<string, unknown>): Promise<Evaluation> {
  return evaluate(stackConfig(stack, overrides));
}

export function ofType(records: readonly ResourceRecord[], type: string): ResourceRecord[] {
  return records.filter((r) => r.type === type);
}

export function one(records: readonly ResourceRecord[], type: string): ResourceRecord {
  const found = ofType(records, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

export function byId(records: readonly ResourceRecord[], id: unknown): ResourceRecord {
  const found = records.find((r) => r.id !== null && r.id === id);
  if (!found) throw new Error(`no record has id ${String(id)}`);
  return found;
}

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  kmsKey: "aws:kms/key:Key",
} as const;
