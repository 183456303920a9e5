/**
 * FE-1..5: the config schema of the stack's front ends (`frontends`): one
 * Vercel project each, its Git source, its environment variables, its custom
 * domains (and whether this stack's Route 53 holds their zone), how its
 * previews are protected and its SLO rows. Used by infra/config.ts; pure and
 * SDK-free, like the rest of config.
 */
import { z } from "zod";
import { SECRET_ENV_CONFIG, plainSecretProblem } from "../policies/lib/secrets";
import { frontendDownSchema, frontendSloSchema } from "./slo";
import { DNS_NAME, dnsName, strict, urlPath } from "./validators";

/**
 * APP-4, FE-2: a variable name that looks like a secret: the same pattern as
 * a service's `env` (infra/config.ts SECRET_NAME: the pack's APP-4 pattern
 * plus KEY), so a front end and its API draw the line in one place.
 */
const SECRET_NAME = new RegExp(`${String(SECRET_ENV_CONFIG.secretNamePattern.default)}|KEY`, "i");

/**
 * FE-2: Next.js inlines `NEXT_PUBLIC_` variables into the JavaScript it
 * sends every browser (Next.js docs, "Environment Variables": "Bundling
 * Environment Variables for the Browser"): public by construction, whatever
 * their name, and never a place for a secret.
 */
export const PUBLIC_PREFIX = "NEXT_PUBLIC_";

/** The issue params that keep a value out of the error message: it may be a secret. */
const REDACT = { redact: true } as const;

const FRONTEND_NAME_RULE =
  "front end names are 1-20 characters, lowercase letters, digits and -, starting with a letter and not ending with - (they name the Vercel project <app>-<env>-<name>)";

const ENV_NAME_RULE = "environment variable names are letters, digits and _, not starting with a digit";
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: ENV_NAME_RULE });

/**
 * FE-4: Vercel's protection scopes for Vercel Authentication (the provider's
 * `vercelAuthentication.deploymentType`; Vercel docs, "Deployment
 * Protection"): Standard Protection (`standardProtectionNew`, the current
 * one, and the legacy `standardProtection`) guards every URL but production
 * custom domains; `onlyPreviewDeployments` previews only; `allDeployments`
 * production domains too. `none` is not offered: previews stay protected.
 */
export const PREVIEW_PROTECTIONS = [
  "standardProtectionNew",
  "standardProtection",
  "onlyPreviewDeployments",
  "allDeployments",
] as const;

/** FE-2: a secret's value: a string, never echoed in a problem line. */
const secretValue = z
  .unknown()
  .superRefine((v, ctx) => {
    if (typeof v !== "string")
      ctx.addIssue({ code: "custom", message: "must be a string (FE-2)", params: REDACT });
  })
  .transform((v) => v as string);

/** FE-1, FE-3: one custom domain of a front end. */
const domainSchema = strict({
  /** FE-3: the name the front end answers on; the first one is what its uptime check probes (FE-5). */
  name: dnsName("admin.mysticdatanode.net"),
  /**
   * FE-3: the Route 53 public hosted zone `name` is in, when this stack's
   * account holds it: the program then creates the record Vercel asks for
   * (an A record at the zone apex, a CNAME below it). Absent, the zone is
   * elsewhere and the record is the operator's step (docs/frontends.md);
   * no record is created for a name the config does not own.
   * @default none
   */
  hostedZone: dnsName("mysticdatanode.net").optional(),
});

/** FE-1..5: one front end: a Vercel project. */
const frontendSchema = strict({
  /**
   * FE-1: `production`: production deployments from `productionBranch` on
   * the custom domains, watched by an uptime check (FE-5). `previewOnly`: a
   * project that builds preview deployments only (the production build is
   * skipped), without custom domains or uptime check: what a staging stack
   * runs.
   */
  deployments: z.enum(["production", "previewOnly"], {
    error:
      'must be "production" (custom domains and an uptime check) or "previewOnly" (preview deployments only, as a staging stack runs) (FE-1)',
  }),
  /** FE-1: the runbook's front ends are Next.js (App Router) [H §Component Details]. */
  framework: z.literal("nextjs", {
    error: 'must be "nextjs": the runbook\'s front ends are Next.js, App Router (FE-1)',
  }),
  /** FE-1: the Git repository Vercel deploys from [H §Frontend Deployment (Vercel)]. */
  repository: strict({
    type: z.enum(["github", "gitlab", "bitbucket"], {
      error: 'must be "github", "gitlab" or "bitbucket", the Git providers Vercel connects (FE-1)',
    }),
    repo: z
      .string({ error: "must be owner/name such as myhibachi/myhibachi (FE-1)" })
      .regex(/^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+$/, {
        error: "must be owner/name such as myhibachi/myhibachi (FE-1)",
      }),
  }),
  /** FE-1: pushes to it deploy production [H §Frontend Deployment (Vercel): "automatic on `main` branch push"]. */
  productionBranch: z
    .string({ error: "must be a Git branch name such as main (FE-1)" })
    .regex(/^(?!\/|-)[A-Za-z0-9._/-]{1,255}$/, { error: "must be a Git branch name such as main (FE-1)" }),
  /**
   * FE-1: the app's directory in the repository (the runbook deploys from
   * `apps/customer` and `apps/admin` [H §Frontend Deployment (Vercel)]).
   * @default none: the repository's root
   */
  rootDirectory: z
    .string({ error: "must be a relative path in the repository such as apps/customer (FE-1)" })
    .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, {
      error: "must be a relative path in the repository such as apps/customer (FE-1)",
    })
    .optional(),
  /** FE-3: the custom domains; at least one in production, none for a preview-only project. */
  domains: z.array(domainSchema).default([]),
  /**
   * FE-5: the path the uptime check requests over HTTPS on the first
   * domain: the customer app answers `/api/health` [H §Frontend Health
   * Check]; the runbook checks the admin app at its root [H §Frontend
   * Deployment: `curl -I https://admin.mysticdatanode.net`].
   */
  healthPath: urlPath,
  /**
   * FE-2: the API the front end calls: the variable that carries the public
   * URL of `service` (`https://<services.<service>.domain>`).
   * @default none
   */
  api: strict({
    service: z.string({ error: "must name one of services (FE-2)" }),
    variable: envName,
  }).optional(),
  /** FE-2: plain settings, the same in every target the project deploys. @default {} */
  env: z.record(
    envName,
    z.string({ error: 'must be a string; quote numbers and booleans in YAML, such as "1"' }),
  ),
  /**
   * FE-2: secret values, held `secure:` in the stack file (`pulumi config set
   * --secret --path frontends.<name>.secrets.<NAME>`), handed to Vercel as
   * Pulumi secrets and `sensitive` variables. @default {}
   */
  secrets: z.record(envName, secretValue),
  /** FE-4: who may open preview deployments (Vercel Authentication's scope). */
  previewProtection: z.enum(PREVIEW_PROTECTIONS, {
    error: `must be one of ${PREVIEW_PROTECTIONS.join(", ")}: previews stay behind Vercel Authentication (FE-4)`,
  }),
  /** FE-5: the front end's SLO rows: availability and page load (infra/slo.ts). */
  slo: frontendSloSchema,
  /** FE-5, SLO-4: the route of its "down" alarm (the health check failing). */
  down: frontendDownSchema,
});

export type FrontendSettings = z.output<typeof frontendSchema>;

/** FE-1: the stack's front ends by name. @default {} */
export const frontendsSchema = z
  .record(
    z.string().regex(/^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/, { error: FRONTEND_NAME_RULE }),
    frontendSchema,
  )
  .default({});

/** What the front-end checks read of the rest of the stack's settings. */
interface StackView {
  readonly frontends: Readonly<Record<string, FrontendSettings>>;
  readonly services: Readonly<
    Record<string, { readonly domain: string; readonly env: Readonly<Record<string, string>> }>
  >;
  readonly alerting: { readonly healthChecks: boolean };
}

/** The JSON list of origins a service's CORS_ORIGINS holds, or undefined when it is not one. */
function corsOrigins(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  try {
    const list: unknown = JSON.parse(value);
    return Array.isArray(list) && list.every((o) => typeof o === "string") ? list : undefined;
  } catch {
    return undefined;
  }
}

/** FE-2: a front end's variables, plain and secret. */
function checkVariables(path: (string | number)[], fe: FrontendSettings, ctx: z.core.$RefinementCtx): void {
  for (const [name, value] of Object.entries(fe.env)) {
    if (fe.api?.variable === name)
      ctx.addIssue({
        code: "custom",
        path: [...path, "env", name],
        message: `is set by the program from api (the URL of services.${fe.api.service}); choose another name (FE-2)`,
        params: REDACT,
      });
    else if (!name.startsWith(PUBLIC_PREFIX) && SECRET_NAME.test(name))
      ctx.addIssue({
        code: "custom",
        path: [...path, "env", name],
        message: "must be listed in secrets, not env (FE-2, APP-4)",
        params: REDACT,
      });
    // Credentials in a URL, whatever the name ("(?!)" matches no name: a public name's own check is above).
    else if (plainSecretProblem(name, value, "(?!)", []) !== undefined)
      ctx.addIssue({
        code: "custom",
        path: [...path, "env", name],
        message:
          "holds a URL with credentials (user:password@); list the variable in secrets, not env (FE-2, APP-4)",
        params: REDACT,
      });
    else if (name in fe.secrets)
      ctx.addIssue({
        code: "custom",
        path: [...path, "env", name],
        message: "is also listed in secrets; set each variable in one place (FE-2)",
        params: REDACT,
      });
  }
  for (const name of Object.keys(fe.secrets)) {
    if (name.startsWith(PUBLIC_PREFIX))
      ctx.addIssue({
        code: "custom",
        path: [...path, "secrets", name],
        message: `cannot be a secret: Next.js inlines ${PUBLIC_PREFIX} variables into the JavaScript every browser downloads; rename it, or move it to env if it is public (FE-2)`,
        params: REDACT,
      });
    else if (fe.api?.variable === name)
      ctx.addIssue({
        code: "custom",
        path: [...path, "secrets", name],
        message: `is set by the program from api (the URL of services.${fe.api.service}); choose another name (FE-2)`,
        params: REDACT,
      });
  }
}

/**
 * FE-1..5: what a front end needs of itself and of the stack: production
 * ones a domain (and an uptime check, hence health checks), preview-only
 * ones none; domains in their zones and each used once; an API that the
 * stack runs and whose CORS_ORIGINS admits the front end; names that do not
 * collide with a service's in the SLO table.
 */
export function checkFrontends(s: StackView, ctx: z.core.$RefinementCtx): void {
  const owner = new Map<string, string>(
    Object.entries(s.services).map(([name, svc]) => [svc.domain, `services.${name}.domain`]),
  );
  for (const [name, fe] of Object.entries(s.frontends)) {
    const at = ["frontends", name];
    if (name in s.services)
      ctx.addIssue({
        code: "custom",
        path: at,
        message: `has the name of services.${name}: the SLO table (and the alarms' slo:service tag) names each service and front end once; choose another name (FE-5, SLO-1)`,
      });
    const production = fe.deployments === "production";
    if (production && fe.domains.length === 0)
      ctx.addIssue({
        code: "custom",
        path: [...at, "domains"],
        message:
          "must list at least one custom domain for a production front end: its public name, and what its uptime check probes (FE-3, FE-5)",
      });
    if (!production && fe.domains.length > 0)
      ctx.addIssue({
        code: "custom",
        path: [...at, "domains"],
        message:
          "must be empty for a previewOnly front end: a custom domain serves production deployments, which a previewOnly project never builds (FE-1, FE-3)",
      });
    if (production && !s.alerting.healthChecks)
      ctx.addIssue({
        code: "custom",
        path: [...at, "deployments"],
        message:
          'is "production", whose uptime only a Route 53 health check can watch (a front end has no load balancer), and alerting.healthChecks is false; set deployments "previewOnly" or turn health checks on (FE-5, SLO-7)',
      });
    if (production && fe.previewProtection === "allDeployments")
      ctx.addIssue({
        code: "custom",
        path: [...at, "previewProtection"],
        message:
          "protects the production domains too: every visitor, and the uptime check, would meet a Vercel login; use standardProtectionNew, which guards every URL but the production domains (FE-4, FE-5)",
      });
    fe.domains.forEach((d, i) => {
      const path = [...at, "domains", i, "name"];
      const first = owner.get(d.name);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path,
          message: `is also ${first}: a name serves one project (Vercel attaches a domain to one project) (FE-3)`,
        });
      else owner.set(d.name, `frontends.${name}.domains.${i}.name`);
      const zone = d.hostedZone;
      if (zone !== undefined && DNS_NAME.test(d.name) && DNS_NAME.test(zone))
        if (d.name !== zone && !d.name.endsWith(`.${zone}`))
          ctx.addIssue({
            code: "custom",
            path,
            message: `is not in the hosted zone ${zone} (hostedZone); use a name under it, or leave hostedZone out if the zone is elsewhere (FE-3)`,
          });
    });
    if (fe.api !== undefined) {
      const svc = s.services[fe.api.service];
      if (svc === undefined)
        ctx.addIssue({
          code: "custom",
          path: [...at, "api", "service"],
          message: `names no service of this stack; allowed: ${Object.keys(s.services).join(", ") || "none (services is empty)"} (FE-2)`,
        });
      const origins = corsOrigins(svc?.env.CORS_ORIGINS);
      if (svc !== undefined && origins !== undefined && production)
        for (const d of fe.domains)
          if (!origins.includes(`https://${d.name}`))
            ctx.addIssue({
              code: "custom",
              path: [...at, "domains"],
              message: `has https://${d.name}, which services.${fe.api.service}.env.CORS_ORIGINS does not list: the API would refuse the front end's browser requests; add it there (FE-2)`,
            });
    }
    checkVariables(at, fe, ctx);
  }
}

/** The Vercel provider's config keys the program relies on (its default provider reads them). */
export const VERCEL_TEAM = "vercel:team";
export const VERCEL_TOKEN = "vercel:apiToken";

/**
 * FE-1: the Vercel provider's settings a stack with front ends needs: the
 * team in the stack file (`vercel:team`, slug or id), the token never in
 * clear (the provider reads `VERCEL_API_TOKEN` from the environment, or a
 * `secure:` `vercel:apiToken`). One line per problem, the value never shown.
 */
export function vercelProblems(
  raw: Readonly<Record<string, string>>,
  secretKeys: readonly string[],
  frontendCount: number,
): string[] {
  const problems: string[] = [];
  const team = raw[VERCEL_TEAM];
  if (frontendCount > 0 && (team === undefined || team.trim() === ""))
    problems.push(
      `${VERCEL_TEAM}: is required when frontends are set: the Vercel team (its slug or id, the runbook's --scope=myhibachi) that owns the projects; set it in Pulumi.<stack>.yaml (FE-1)`,
    );
  if (raw[VERCEL_TOKEN] !== undefined && !secretKeys.includes(VERCEL_TOKEN))
    problems.push(
      `${VERCEL_TOKEN}: is a secret (a Vercel token acts as its owner) and the stack file holds it in clear; export VERCEL_API_TOKEN where pulumi runs, or set it with pulumi config set --secret ${VERCEL_TOKEN} <token> (FE-1)`,
    );
  return problems;
}
