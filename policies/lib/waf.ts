/**
 * A WAF v2 web ACL's rules, wherever the stack declares them (ECS-9): inline
 * `rules`, the raw `ruleJson` (AWS's PascalCase API shape), and the separate
 * aws:wafv2 WebAclRule and WebAclRuleGroupAssociation resources that name the
 * ACL by `webAclArn`.
 */
import type { PolicyResource } from "@pulumi/policy";
import { Props, asArray, asObject, isNonEmptyString, parseJson } from "./props";

export const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
export const WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
export const WEB_ACL_RULE = "aws:wafv2/webAclRule:WebAclRule";
export const WEB_ACL_RULE_GROUP_ASSOCIATION =
  "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation";

/** The actions a WAF rule can take, as the keys of its `action` block. */
const ACTIONS = ["block", "count", "allow", "captcha", "challenge"] as const;

export interface WafRule {
  readonly name: string;
  /** A managed rule group the rule runs. */
  readonly managedGroup?: { readonly vendor: string; readonly name: string };
  /** The group's own actions are overridden to count: it blocks nothing. */
  readonly countOnly: boolean;
  /** The rule's own action (rate-based and other statements). */
  readonly action?: (typeof ACTIONS)[number];
  readonly rate?: Props;
}

/** A member in camelCase (Pulumi) or PascalCase (`ruleJson`, AWS's API). */
function field(o: Props, key: string): unknown {
  const v = o[key] ?? o[key[0].toUpperCase() + key.slice(1)];
  return v === null ? undefined : v;
}
const sub = (o: Props, key: string) => asObject(field(o, key));

/** A rule block as the WebAcl's `rules`, `ruleJson` or a WebAclRule resource hold it. */
export function wafRule(raw: unknown): WafRule {
  const r = asObject(raw);
  const statement = sub(r, "statement");
  const managed = field(statement, "managedRuleGroupStatement");
  const rate = field(statement, "rateBasedStatement");
  const action = sub(r, "action");
  return {
    name: String(field(r, "name") ?? "(unnamed)"),
    managedGroup:
      managed === undefined
        ? undefined
        : {
            vendor: String(field(asObject(managed), "vendorName")),
            name: String(field(asObject(managed), "name")),
          },
    countOnly: field(sub(r, "overrideAction"), "count") !== undefined,
    action: ACTIONS.find((a) => field(action, a) !== undefined),
    rate: rate === undefined ? undefined : asObject(rate),
  };
}

/** A WebAclRuleGroupAssociation as a rule: its managed group, `overrideAction` "none" (default) or "count". */
function groupAssociationRule(r: Props): WafRule {
  const group = asObject(r.managedRuleGroup);
  return {
    name: String(r.ruleName ?? "(unnamed)"),
    managedGroup: Object.keys(group).length
      ? { vendor: String(group.vendorName), name: String(group.name) }
      : undefined,
    countOnly: String(r.overrideAction ?? "none").toLowerCase() === "count",
  };
}

/** Whether `r`'s `webAclArn` names `acl`: by dependency or by its ARN. */
export function namesWebAcl(r: PolicyResource, acl: PolicyResource): boolean {
  const deps = asArray(r.propertyDependencies.webAclArn).map((d) => asObject(d).urn);
  return (
    deps.includes(acl.urn) || (isNonEmptyString(r.props.webAclArn) && r.props.webAclArn === acl.props.arn)
  );
}

/** Every rule of `acl`, once per name (inline `rules` first, then `ruleJson`, then separate resources). */
export function webAclRules(resources: readonly PolicyResource[], acl: PolicyResource): WafRule[] {
  const rules = [
    ...asArray(acl.props.rules).map(wafRule),
    ...(typeof acl.props.ruleJson === "string" ? asArray(parseJson(acl.props.ruleJson)).map(wafRule) : []),
    ...resources
      .filter((r) => r.type === WEB_ACL_RULE && namesWebAcl(r, acl))
      .map((r) =>
        wafRule({
          name: r.props.name ?? r.name,
          action: r.props.action,
          overrideAction: r.props.overrideAction,
          statement: r.props.statement,
        }),
      ),
    ...resources
      .filter((r) => r.type === WEB_ACL_RULE_GROUP_ASSOCIATION && namesWebAcl(r, acl))
      .map((r) => groupAssociationRule(r.props)),
  ];
  const seen = new Set<string>();
  return rules.filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)));
}
