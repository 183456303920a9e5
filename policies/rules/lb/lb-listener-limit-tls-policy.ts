import { LISTENER_TYPES } from "../../lib/lb";
import { isNonEmptyString } from "../../lib/props";
import { list, resourceRule } from "../../rule";

export default resourceRule({
  name: "lb-listener-limit-tls-policy",
  description:
    "HTTPS and TLS listeners present an ACM certificate and a security policy that accepts only TLS 1.2 or later.",
  requirements: ["ECS-5"],
  severity: "high",
  config: {
    allowedSslPolicies: {
      type: "array",
      items: { type: "string" },
      default: [
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      ],
      description:
        "ECS-5: predefined ELB security policies whose lowest protocol is TLS 1.2; the provider's default (ELBSecurityPolicy-2016-08) still accepts TLS 1.0.",
    },
  },
  types: LISTENER_TYPES,
  check: ({ props }, config) => {
    if (props.protocol !== "HTTPS" && props.protocol !== "TLS") return [];
    const allowed = list(config, "allowedSslPolicies");
    const problems: string[] = [];
    if (!isNonEmptyString(props.sslPolicy))
      problems.push("sslPolicy is not set: the default ELBSecurityPolicy-2016-08 accepts TLS 1.0");
    else if (!allowed.includes(props.sslPolicy))
      problems.push(
        `sslPolicy ${props.sslPolicy} is not one of the TLS 1.2+ policies: ${allowed.join(", ")}`,
      );
    if (!isNonEmptyString(props.certificateArn))
      problems.push("certificateArn is not set: serve an ACM certificate");
    return problems;
  },
});
