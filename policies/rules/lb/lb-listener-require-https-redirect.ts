import { LISTENER_TYPES } from "../../lib/lb";
import { asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "lb-listener-require-https-redirect",
  description: "Plain HTTP listeners do nothing but redirect permanently to HTTPS on 443.",
  requirements: ["ECS-5", "NET-3"],
  severity: "high",
  types: LISTENER_TYPES,
  check: ({ props }) => {
    // An ALB listener without a protocol is HTTP.
    const http = props.protocol === "HTTP" || (props.protocol === undefined && Number(props.port) === 80);
    if (!http) return [];
    const actions = asArray(props.defaultActions).map(asObject);
    if (actions.length === 0) return ["defaultActions is empty: redirect HTTP to HTTPS 443 with HTTP_301"];
    return actions.flatMap((a, i) => {
      if (a.type !== "redirect")
        return [`default action ${i + 1} is ${String(a.type)}: plain HTTP must only redirect to HTTPS`];
      const r = asObject(a.redirect);
      const wrong = [
        r.protocol === "HTTPS" ? undefined : `protocol ${String(r.protocol ?? "#{protocol}")}`,
        String(r.port) === "443" ? undefined : `port ${String(r.port ?? "#{port}")}`,
        r.statusCode === "HTTP_301" ? undefined : `statusCode ${String(r.statusCode)}`,
      ].filter((w): w is string => w !== undefined);
      return wrong.length === 0
        ? []
        : [`default action ${i + 1} redirects with ${wrong.join(", ")}; redirect to HTTPS 443 with HTTP_301`];
    });
  },
});
