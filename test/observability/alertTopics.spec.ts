/**
 * SLO-2: alert subscriptions are keyed by what they are (protocol and a hash
 * of the address; the pager by its role), so adding an address leaves every
 * other subscription alone; each carries, as an alias, the positional name a
 * stack deployed before the change knows it by.
 */
import { createHash } from "crypto";
import { subscriptionNames } from "../../components/observability/AlertTopics";
import type { Evaluation } from "../../synth/engine";
import { evaluateWith, ofType, stackConfig } from "../harness";

const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const hash = (address: string) => createHash("sha256").update(address).digest("hex").slice(0, 12);

/** The stack file's alerting block with `edit` over it. */
function alerting(stack: string, edit: Record<string, unknown>): { alerting: Record<string, unknown> } {
  const block = JSON.parse(stackConfig(stack).config["runbook-platform:alerting"]) as Record<string, unknown>;
  return { alerting: { ...block, ...edit } };
}

/** Subscription name -> [protocol, endpoint, alias names]. */
function subscriptions(ev: Evaluation): Record<string, [unknown, unknown, (string | undefined)[]]> {
  expect(ev.error).toBeUndefined();
  return Object.fromEntries(
    ofType(ev.records, SUBSCRIPTION).map((s) => [
      s.name,
      [s.inputs.protocol, s.inputs.endpoint, (ev.aliases.get(s.urn) ?? []).map((a) => a.name)],
    ]),
  );
}

describe("SLO-2: alert subscriptions keyed by what they are", () => {
  const pager = { secure: "v1:AAAA" };
  let before: Evaluation;
  let after: Evaluation;
  beforeAll(async () => {
    before = await evaluateWith("staging", alerting("staging", { pagerEndpoint: pager }));
    after = await evaluateWith(
      "staging",
      alerting("staging", {
        pagerEndpoint: pager,
        pageEmails: ["lead@psi.example.com", "oncall-staging@psi.example.com"],
        ticketEmails: ["devops@psi.example.com"],
      }),
    );
  });

  test("SLO-2: each subscription is named by its protocol and a hash of its address (the pager by its role), aliased to the positional name it had", () => {
    const topic = "psi-staging-alerts-page";
    expect(subscriptions(before)).toEqual({
      [`${topic}-pager`]: ["https", "[secret]", [`${topic}-https-1`]],
      [`${topic}-email-${hash("oncall-staging@psi.example.com")}`]: [
        "email",
        "oncall-staging@psi.example.com",
        [`${topic}-email-2`],
      ],
    });
  });

  test("SLO-2: inserting an address before another changes no other subscription's URN", () => {
    const urns = (ev: Evaluation) => ofType(ev.records, SUBSCRIPTION).map((s) => s.urn);
    const added = urns(after).filter((u) => !urns(before).includes(u));
    expect(urns(after)).toEqual(expect.arrayContaining(urns(before)));
    expect(added.map((u) => u.slice(u.lastIndexOf("::") + 2)).sort()).toEqual(
      [
        `psi-staging-alerts-page-email-${hash("lead@psi.example.com")}`,
        `psi-staging-alerts-ticket-email-${hash("devops@psi.example.com")}`,
      ].sort(),
    );
  });

  test("SLO-2: no subscription name holds an address or the pager's URL", () => {
    for (const name of Object.keys(subscriptions(after))) expect(name).not.toMatch(/@|https:|pagerduty/);
  });

  test("SLO-2: the shipped myhibachi-prod's subscriptions keep the URNs they were deployed with, by alias", async () => {
    const ev = await evaluateWith("myhibachi-prod", {});
    expect(subscriptions(ev)).toEqual({
      [`myhibachi-prod-alerts-page-email-${hash("oncall@myhibachi.example.com")}`]: [
        "email",
        "oncall@myhibachi.example.com",
        ["myhibachi-prod-alerts-page-email-1"],
      ],
      [`myhibachi-prod-alerts-ticket-email-${hash("devops@myhibachi.example.com")}`]: [
        "email",
        "devops@myhibachi.example.com",
        ["myhibachi-prod-alerts-ticket-email-1"],
      ],
    });
  });

  test("SLO-2: subscriptionNames: the alias is the position in the same list; an address listed twice is refused", () => {
    expect(
      subscriptionNames("t", [
        { protocol: "https", pager: true, endpoint: "https://events.pagerduty.com/integration/x/enqueue" },
        { protocol: "email", endpoint: "a@x.io" },
        { protocol: "email", endpoint: "b@x.io" },
      ]),
    ).toEqual([
      { name: "t-pager", previous: "t-https-1" },
      { name: `t-email-${hash("a@x.io")}`, previous: "t-email-2" },
      { name: `t-email-${hash("b@x.io")}`, previous: "t-email-3" },
    ]);
    expect(() =>
      subscriptionNames("t", [
        { protocol: "email", endpoint: "a@x.io" },
        { protocol: "email", endpoint: "a@x.io" },
      ]),
    ).toThrow("t: email subscriber listed twice; list each address once");
  });
});
