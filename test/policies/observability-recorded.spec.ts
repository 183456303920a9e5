/**
 * The alarm rules on the REAL alarms: the shipped myhibachi-prod stack as the
 * synth engine records it (components/observability), each rule shown
 * failing on a copy with one thing changed, and passing on the record as is
 * (SLO-1..4, SLO-7, POL-1, POL-3).
 */
import actions from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-actions";
import missingData from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-missing-data-policy";
import coverage from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-slo-coverage";
import stackTopics from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-stack-topics";
import snsEncryption from "../../policies/rules/sns/sns-topic-require-encryption";
import type { PolicyInput } from "../../synth/policy";
import { synthStack } from "../harness";
import { editDependencies, editInputs, editOutputs, findings, mandatory, record } from "./recorded";

const STACK = "myhibachi-prod";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const RULES = [actions, missingData, coverage, stackTopics, snsEncryption];

/** The recorded stack, its root, its p95 SLO alarm and its alert topics. */
async function real() {
  const ev = await synthStack(STACK);
  const root = ev.records.find((r) => r.type === "pulumi:pulumi:Stack")!;
  const p95 = record(ev, ALARM, `${STACK}-api-alarms-p95-slo`);
  const topic = (role: string) => record(ev, TOPIC, `${STACK}-alerts-${role}`);
  return { ev, root, p95, topic };
}

/** `ev` without the resource `urn` (as if the component had not declared it). */
const without = (ev: PolicyInput, urn: string): PolicyInput => ({
  ...ev,
  records: ev.records.filter((r) => r.urn !== urn),
});

describe("alarm rules on myhibachi-prod's recorded alarms", () => {
  test.each(RULES.map((r) => [r.name, r] as const))(
    "POL-3: %s passes the record as is",
    async (_name, rule) => {
      const { ev } = await real();
      expect(await findings(rule, ev, STACK)).toEqual([]);
    },
  );

  test("SLO-1/SLO-3: without the p95 alarm, coverage names the service and the objective", async () => {
    const { ev, root, p95 } = await real();
    expect(await findings(coverage, without(ev, p95.urn), STACK)).toEqual([
      mandatory(
        coverage,
        root.urn,
        "no alarm guards SLO api latencyP95Ms (200 ms): tag one slo:service=api, slo:objective=latencyP95Ms (or, on Kubernetes, label a Prometheus alert service=api, slo_objective=latencyP95Ms)",
      ),
    ]);
  });

  test("SLO-1: the p95 alarm loosened to 0.3 s (300 ms) is looser than the 200 ms SLO", async () => {
    const { ev, p95 } = await real();
    const loose = editOutputs(ev, p95.urn, (p) => {
      p.threshold = 0.3;
    });
    expect(await findings(coverage, loose, STACK)).toEqual([
      mandatory(
        coverage,
        p95.urn,
        `alarm ${p95.name} threshold 300 ms is looser than SLO api latencyP95Ms (200 ms)`,
      ),
    ]);
  });

  test("SLO-3: the p95 alarm over 15 minutes decides later than the table's 10", async () => {
    const { ev, p95 } = await real();
    const slow = editOutputs(ev, p95.urn, (p) => {
      p.evaluationPeriods = 15;
    });
    expect(await findings(coverage, slow, STACK)).toEqual([
      mandatory(
        coverage,
        p95.urn,
        `alarm ${p95.name} looks over 15 minutes (period x evaluationPeriods); SLO api latencyP95Ms (200 ms) must be decided within 10`,
      ),
    ]);
  });

  test("SLO-4: the p95 alarm without okActions fails require-actions", async () => {
    const { ev, p95 } = await real();
    const silent = editInputs(ev, p95.urn, (p) => {
      delete p.okActions;
    });
    expect(await findings(actions, silent, STACK)).toEqual([
      mandatory(
        actions,
        p95.urn,
        "okActions has no SNS topic ARN (arn:aws:sns:…): the severity's topic would not hear it",
      ),
    ]);
  });

  test("SLO-2: the p95 alarm pointed at a topic outside the stack fails require-stack-topics", async () => {
    const { ev, p95 } = await real();
    const foreign = "arn:aws:sns:us-east-1:999999999999:someone-elses-alerts";
    const moved = editDependencies(
      editOutputs(ev, p95.urn, (p) => {
        p.alarmActions = [foreign];
      }),
      p95.urn,
      "alarmActions",
      [],
    );
    expect(await findings(stackTopics, moved, STACK)).toEqual([
      mandatory(
        stackTopics,
        p95.urn,
        `alarm ${p95.name} alarmActions names ${foreign}, not a topic this stack declares`,
      ),
    ]);
  });

  test("SLO-4: the P3 p95 alarm pointed at the page topic (P0/P1) names the wrong severity", async () => {
    const { ev, p95, topic } = await real();
    const page = topic("page");
    const paged = editDependencies(
      editOutputs(ev, p95.urn, (p) => {
        p.alarmActions = [(ev.outputs.get(page.urn) as Record<string, unknown>).arn];
      }),
      p95.urn,
      "alarmActions",
      [page.urn],
    );
    expect(await findings(stackTopics, paged, STACK)).toEqual([
      mandatory(
        stackTopics,
        p95.urn,
        `alarm ${p95.name} is P3 but its alarmActions notify topic ${page.name}, which serves P0/P1`,
      ),
    ]);
  });

  test("SLO-3: the p95 alarm without treatMissingData fails require-missing-data-policy", async () => {
    const { ev, p95 } = await real();
    const unset = editInputs(ev, p95.urn, (p) => {
      delete p.treatMissingData;
    });
    expect(await findings(missingData, unset, STACK)).toEqual([
      mandatory(
        missingData,
        p95.urn,
        "treatMissingData is not set: choose missing, ignore, breaching, notBreaching on purpose",
      ),
    ]);
  });

  test("SLO-2: the page topic without its KMS key fails sns-topic-require-encryption", async () => {
    const { ev, topic } = await real();
    const page = topic("page");
    const plain = editInputs(ev, page.urn, (p) => {
      delete p.kmsMasterKeyId;
    });
    expect(await findings(snsEncryption, plain, STACK)).toEqual([
      mandatory(snsEncryption, page.urn, "kmsMasterKeyId is not set: alert payloads are stored unencrypted"),
    ]);
  });
});
