import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { KmsKey } from "../security/KmsKey";
import { SeverityTopics, TOPIC_OF, TopicRole } from "./alarmPolicy";

export interface AlertTopicsArgs {
  /**
   * SLO-2: the Regions that need the topics: the stack's first, then any
   * Region alarms live in besides it (Route 53 health-check alarms live in
   * us-east-1, SLO-7; an alarm notifies topics of its own Region only).
   */
  readonly regions: readonly string[];
  /** SLO-2: HTTPS endpoint of the pager (e.g. PagerDuty's CloudWatch integration URL) for P0/P1. @default none */
  readonly pagerEndpoint?: pulumi.Input<string>;
  /** SLO-2: e-mail addresses paged on P0/P1 [H §Alert Routing, P §4.4.1]. */
  readonly pageEmails: readonly string[];
  /** SLO-2: e-mail addresses for P2 tickets. @default [] */
  readonly ticketEmails?: readonly string[];
  /** SLO-2: e-mail addresses for P3 (the record of every alert [H §Alert Routing: "Email: All alerts"]). @default [] */
  readonly infoEmails?: readonly string[];
  /** Stateful resources (the keys) get `protect` (BAK-4). @default false */
  readonly protect?: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const ROLES: readonly TopicRole[] = ["page", "ticket", "info"];

/** SLO-2: one subscriber of a topic: the pager's HTTPS endpoint (a secret) or an e-mail address. */
export type Subscriber =
  | { readonly protocol: "https"; readonly pager: true; readonly endpoint: pulumi.Input<string> }
  | { readonly protocol: "email"; readonly endpoint: string };

/**
 * SLO-2: a subscription's logical name and the name it had before: keyed by
 * what it is, so adding, removing or reordering addresses touches no other
 * subscription. An SNS subscription cannot change its endpoint in place (the
 * provider replaces it), and a replaced e-mail subscription stays pending
 * until someone confirms it again: a name by list position made inserting an
 * address before another replace that one and every one after it.
 *
 * - e-mail: `<topic>-email-<12 hex of the address's SHA-256>`: stable, and no
 *   address in the URN;
 * - the pager: `<topic>-pager`: there is one, and its URL carries an
 *   integration key, so nothing of it goes into a name (it is a secret input).
 *
 * `previous` is the positional name the subscription had before
 * (`<topic>-<protocol>-<position in its topic's list, from 1>`, the pager
 * first): an alias, so a stack deployed with positional names renames its
 * subscriptions in place on the first `up` with keyed names, replacing
 * nothing, as long as that `up` leaves the lists as they were deployed.
 */
export function subscriptionNames(
  topic: string,
  subscribers: readonly Subscriber[],
): { readonly name: string; readonly previous: string }[] {
  const names = subscribers.map((s, i) => ({
    name:
      "pager" in s
        ? `${topic}-pager`
        : `${topic}-${s.protocol}-${createHash("sha256").update(s.endpoint).digest("hex").slice(0, 12)}`,
    previous: `${topic}-${s.protocol}-${i + 1}`,
  }));
  names.forEach(({ name }, i) => {
    if (names.findIndex((n) => n.name === name) !== i)
      throw new Error(`${topic}: ${subscribers[i].protocol} subscriber listed twice; list each address once`);
  });
  return names;
}
/** SLO-2: the severities each topic carries (its `Severity` tag, read by the policy pack). */
const ROLE_SEVERITIES: Readonly<Record<TopicRole, string>> = { page: "P0/P1", ticket: "P2", info: "P3" };

/**
 * SLO-2: one SNS topic per severity class: `page` (P0 and P1), `p2` and
 * `p3`, in every Region that holds alarms. Each topic is encrypted with a
 * customer-managed key per Region whose policy lets CloudWatch alarms of this
 * account use it (KmsKey `allowCloudWatchAlarms`), and its topic policy lets
 * CloudWatch publish only for alarms of this account (aws:SourceAccount,
 * aws:SourceArn). Subscriptions from config: the pager's HTTPS endpoint and
 * the page e-mails on `page`, ticket e-mails on `p2`, info e-mails on `p3`.
 * E-mail subscriptions stay pending until someone confirms them (AWS sends
 * the confirmation); the pager endpoint confirms itself. Subscriptions are
 * named by what they are, not by list position (subscriptionNames).
 */
export class AlertTopics extends pulumi.ComponentResource {
  /** Topic ARNs by Region, then role. */
  public readonly topicArns: Readonly<Record<string, Readonly<Record<TopicRole, pulumi.Output<string>>>>>;
  /** The stack Region's topics by role. */
  public readonly home: Readonly<Record<TopicRole, pulumi.Output<string>>>;
  /** The key of the stack Region's topics: a publisher other than CloudWatch (Alertmanager, SLO-6) needs it. */
  public readonly homeKmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: AlertTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:AlertTopics", name, {}, opts);
    if (args.regions.length === 0) throw new Error(`${name}: at least one Region`);
    const ticketEmails = args.ticketEmails ?? [];
    const infoEmails = args.infoEmails ?? [];
    const protect = args.protect ?? false;
    const baseTags = args.tags ?? {};
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const partition = aws.getPartitionOutput({}, parent).partition;
    const regions = [...new Set(args.regions)];
    const home = regions[0];

    const email = (e: string): Subscriber => ({ protocol: "email", endpoint: e });
    const subscribers: Record<TopicRole, Subscriber[]> = {
      page: [
        ...(args.pagerEndpoint !== undefined
          ? [{ protocol: "https" as const, pager: true as const, endpoint: args.pagerEndpoint }]
          : []),
        ...args.pageEmails.map(email),
      ],
      ticket: ticketEmails.map(email),
      info: infoEmails.map(email),
    };

    const topicArns: Record<string, Record<TopicRole, pulumi.Output<string>>> = {};
    const keyArns: Record<string, pulumi.Output<string>> = {};
    for (const region of regions) {
      const suffix = region === home ? "" : `-${region}`;
      const key = new KmsKey(
        `${name}-kms${suffix}`,
        {
          description: `${name}: alert topics in ${region} (SLO-2)`,
          alias: `${name}${suffix}`,
          allowCloudWatchAlarms: true,
          // BAK-1: AWS Backup's job events reach the P2 topic through EventBridge (BackupSignals).
          allowEventBridgeRules: true,
          region: region === home ? undefined : region,
          tags: baseTags,
        },
        { parent: this, protect },
      );
      keyArns[region] = key.arn;
      const arns = {} as Record<TopicRole, pulumi.Output<string>>;
      for (const role of ROLES) {
        const id = `${name}-${role}${suffix}`;
        const topic = new aws.sns.Topic(
          id,
          {
            name: id,
            displayName: `${name} ${ROLE_SEVERITIES[role]}`,
            kmsMasterKeyId: key.arn,
            region: region === home ? undefined : region,
            tags: { ...baseTags, Name: id, Severity: ROLE_SEVERITIES[role] },
          },
          parent,
        );
        new aws.sns.TopicPolicy(
          id,
          {
            arn: topic.arn,
            region: region === home ? undefined : region,
            policy: pulumi.all([topic.arn, account, partition]).apply(([arn, a, p]) =>
              JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                  {
                    Sid: "AccountOwnsTopic",
                    Effect: "Allow",
                    Principal: { AWS: `arn:${p}:iam::${a}:root` },
                    Action: [
                      "sns:GetTopicAttributes",
                      "sns:SetTopicAttributes",
                      "sns:Subscribe",
                      "sns:Publish",
                    ],
                    Resource: arn,
                  },
                  {
                    Sid: "CloudWatchAlarmsOfThisAccount",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: arn,
                    Condition: {
                      StringEquals: { "aws:SourceAccount": a },
                      ArnLike: { "aws:SourceArn": `arn:${p}:cloudwatch:${region}:${a}:alarm:*` },
                    },
                  },
                  {
                    // BAK-1: EventBridge rules of this account (AWS Backup job events, BackupSignals).
                    Sid: "EventBridgeRulesOfThisAccount",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: arn,
                    Condition: {
                      StringEquals: { "aws:SourceAccount": a },
                      ArnLike: { "aws:SourceArn": `arn:${p}:events:${region}:${a}:rule/*` },
                    },
                  },
                ],
              }),
            ),
          },
          parent,
        );
        const names = subscriptionNames(id, subscribers[role]);
        subscribers[role].forEach((s, i) => {
          new aws.sns.TopicSubscription(
            names[i].name,
            {
              topic: topic.arn,
              protocol: s.protocol,
              endpoint: s.endpoint,
              region: region === home ? undefined : region,
              ...(s.protocol === "https" ? { endpointAutoConfirms: true } : {}),
            },
            { parent: this, aliases: [{ name: names[i].previous }] },
          );
        });
        arns[role] = topic.arn;
      }
      topicArns[region] = arns;
    }

    this.topicArns = topicArns;
    this.home = topicArns[home];
    this.homeKmsKeyArn = keyArns[home];
    this.registerOutputs({ topicArns: this.topicArns });
  }

  /** SLO-2, SLO-4: the topic of each severity in a Region (the stack's by default). */
  bySeverity(region?: string): SeverityTopics<pulumi.Output<string>> {
    const arns = region === undefined ? this.home : this.topicArns[region];
    if (!arns) throw new Error(`no alert topics in ${region}`);
    return { P0: arns[TOPIC_OF.P0], P1: arns[TOPIC_OF.P1], P2: arns[TOPIC_OF.P2], P3: arns[TOPIC_OF.P3] };
  }
}
