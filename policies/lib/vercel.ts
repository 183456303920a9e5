/**
 * FE-1..4: what the pack knows of the Vercel provider (@pulumiverse/vercel):
 * its type tokens, the protection scopes that keep previews private, and the
 * one build-skip command that makes a project preview-only.
 */

export const VERCEL_PROJECT = "vercel:index/project:Project";
export const VERCEL_PROJECT_DOMAIN = "vercel:index/projectDomain:ProjectDomain";
export const VERCEL_ENV_VAR = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";

/**
 * FE-1: a project's Ignored Build Step (`ignoreCommand`): Vercel skips
 * a build when the command exits 0 and builds when it exits 1 or more, with
 * the system variable VERCEL_ENV set to production, preview or development
 * (Vercel KB, "How do I use the Ignored Build Step field on Vercel?"). This
 * command skips every production build and nothing else: the project makes
 * previews only. The program sets it on a `previewOnly` front end, and the
 * pack reads a project carrying exactly it as not production; any other
 * project is a production front end.
 */
export const PREVIEW_ONLY_IGNORE_COMMAND = '[ "$VERCEL_ENV" = "production" ]';

/**
 * FE-4: the scopes of Vercel Authentication and Password Protection
 * (`deploymentType`) that cover preview deployments (Vercel docs,
 * "Deployment Protection": Standard Protection guards every URL but the
 * production custom domains). `none` covers nothing.
 */
export const PREVIEW_PROTECTING = [
  "standardProtectionNew",
  "standardProtection",
  "onlyPreviewDeployments",
  "allDeployments",
] as const;

/** A Vercel project the program treats as production (every one that is not preview-only). */
export function isProductionProject(props: Readonly<Record<string, unknown>>): boolean {
  return props.ignoreCommand !== PREVIEW_ONLY_IGNORE_COMMAND;
}
