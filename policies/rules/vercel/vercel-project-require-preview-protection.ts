import { asObject } from "../../lib/props";
import { PREVIEW_PROTECTING, VERCEL_PROJECT } from "../../lib/vercel";
import { resourceRule } from "../../rule";

const PROTECTING: readonly string[] = PREVIEW_PROTECTING;

/**
 * FE-4: a preview deployment runs the branch's code against the previews'
 * variables before anyone reviewed it, at a guessable `*.vercel.app` URL.
 * It stays behind Vercel Authentication (or Password Protection) whose
 * scope covers previews (Vercel docs, "Deployment Protection": Standard
 * Protection guards every URL but the production custom domains), set on
 * purpose rather than left to the team's default; or the project makes no
 * previews at all (`previewDeploymentsDisabled`).
 */
export default resourceRule({
  name: "vercel-project-require-preview-protection",
  description:
    "Every Vercel project protects its preview deployments: Vercel Authentication or Password Protection set to a scope that covers previews, or previews disabled.",
  requirements: ["FE-4"],
  severity: "high",
  types: [VERCEL_PROJECT],
  check: ({ props }) => {
    if (props.previewDeploymentsDisabled === true) return [];
    const auth = asObject(props.vercelAuthentication).deploymentType;
    const password = asObject(props.passwordProtection).deploymentType;
    if (PROTECTING.includes(String(auth)) || PROTECTING.includes(String(password))) return [];
    const given =
      auth === undefined
        ? "vercelAuthentication.deploymentType is not set (the team's default decides)"
        : `vercelAuthentication.deploymentType is ${String(auth)}`;
    return [
      `${given}: preview deployments are open to anyone with the URL; set it to standardProtectionNew (every URL but the production domains) or onlyPreviewDeployments`,
    ];
  },
});
