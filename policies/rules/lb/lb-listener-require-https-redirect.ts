import { LISTENER_TYPES, isPlainHttp, redirectProblems } from "../../lib/lb";
import { asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "lb-listener-require-https-redirect",
  description: "Plain HTTP listeners do nothing but redirect permanently to HTTPS on 443.",
  requirements: ["ECS-5", "NET-3"],
  severity: "high",
  types: LISTENER_TYPES,
  check: ({ props }) => {
    if (!isPlainHttp(props)) return [];
    const actions = asArray(props.defaultActions).map(asObject);
    if (actions.length === 0) return ["defaultActions is empty: redirect HTTP to HTTPS 443 with HTTP_301"];
    return redirectProblems(actions, "default action");
  },
});
