// The pack's entry for `pulumi preview --policy-pack policies` and `pulumi policy publish`.
// Constructing the PolicyPack starts the analyzer server, so nothing else imports this file.
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_NAME, toPolicies } from "./pack";
import { RULES } from "./rules";

new PolicyPack(PACK_NAME, {
  description: PACK_DESCRIPTION,
  enforcementLevel: "mandatory",
  policies: toPolicies(RULES),
});
