import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { PREVIEW_ONLY_IGNORE_COMMAND } from "../../policies/lib/vercel";

/** FE-2: the Vercel targets a variable can reach (`development` is a developer's own machine: never set here). */
export type VercelTarget = "production" | "preview";

/**
 * FE-3: what Vercel asks of DNS for a custom domain (Vercel docs, "Setting up
 * a custom domain", updated 2026-02-24): at a zone apex an A record to
 * 76.76.21.21; below it a CNAME to `cname.vercel-dns-0.com`. Vercel's
 * dashboard (and `vercel domains inspect <domain>`) may show a
 * project-specific target instead (`<hash>.vercel-dns-017.com`); the older
 * `cname.vercel-dns.com` still resolves. Both are per-site settings.
 */
export const VERCEL_APEX_A = "76.76.21.21";
export const VERCEL_CNAME_TARGET = "cname.vercel-dns-0.com";

/** FE-3: one custom domain of the site. */
export interface VercelDomain {
  /** FE-3: the name the site answers on. */
  readonly name: string;
  /**
   * FE-3: the Route 53 public hosted zone holding `name`, when this stack's
   * account holds it: the record Vercel asks for is created there. Absent,
   * the record is a manual step (`manualDnsRecords`). @default none
   */
  readonly hostedZone?: string;
}

/** FE-3: a DNS record Vercel asks for, as an operator would enter it. */
export interface DnsRecordSpec {
  readonly name: string;
  readonly type: "A" | "CNAME";
  readonly value: string;
}

/** FE-3: the record a custom domain needs: an A record at a zone's apex, a CNAME below it. */
export function vercelDnsRecord(
  domain: string,
  zone: string | undefined,
  cnameTarget: string = VERCEL_CNAME_TARGET,
): DnsRecordSpec {
  // Without a zone, a name of two labels is taken for an apex (myhibachichef.com).
  const apex = zone !== undefined ? domain === zone : domain.split(".").length === 2;
  return apex
    ? { name: domain, type: "A", value: VERCEL_APEX_A }
    : { name: domain, type: "CNAME", value: cnameTarget };
}

export interface VercelSiteArgs {
  /** FE-1: the Vercel project's name, unique in the team (`<app>-<env>-<front end>`). */
  readonly projectName: string;
  /** FE-1: the framework preset [H §Component Details: Next.js]. @default "nextjs" */
  readonly framework?: string;
  /** FE-1: the Git repository Vercel builds from: `github`, `gitlab` or `bitbucket`, and `owner/name`. */
  readonly repository: { readonly type: string; readonly repo: string };
  /** FE-1: pushes to it deploy production [H §Frontend Deployment (Vercel)]. @default "main" */
  readonly productionBranch?: string;
  /** FE-1: the app's directory in the repository. @default none (the repository's root) */
  readonly rootDirectory?: string;
  /**
   * FE-1: build previews only: every production build is skipped
   * (PREVIEW_ONLY_IGNORE_COMMAND) and variables reach the preview target
   * alone; no custom domain. @default false
   */
  readonly previewOnly?: boolean;
  /** FE-2: plain variables, name -> value, in every target the site deploys. @default {} */
  readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * FE-2: secret variables, name -> value: wrapped as Pulumi secrets and
   * created `sensitive` (Vercel never shows them again). @default {}
   */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** FE-3: the custom domains; the first is the site's public URL. @default [] */
  readonly domains?: readonly VercelDomain[];
  /** FE-3: the CNAME target for names below a zone's apex. @default VERCEL_CNAME_TARGET */
  readonly cnameTarget?: string;
  /**
   * FE-4: Vercel Authentication's scope (`vercelAuthentication.deploymentType`):
   * who may open preview deployments. @default "standardProtectionNew"
   */
  readonly previewProtection?: string;
}

/**
 * FE-1..4: one front end on Vercel: its project (framework, Git source,
 * production branch, root directory, preview protection), one variable per
 * name (targets: production and preview, or preview alone), its custom
 * domains, and the DNS records Vercel asks for in the zones this stack's
 * account holds. Promoting or rolling back a deployment stays a Vercel
 * action (docs/frontends.md): the program owns the project, not its
 * deployments.
 */
export class VercelSite extends pulumi.ComponentResource {
  /** FE-1: the project's id (`prj_…`). */
  public readonly projectId: pulumi.Output<string>;
  /** FE-3: `https://<first domain>`, or undefined without one. */
  public readonly url: string | undefined;
  /** FE-3: the domains attached to the project, and the records this stack made for them. */
  public readonly domainResources: readonly pulumi.Resource[];
  /** FE-3: the records Vercel asks for that this stack cannot make (zone elsewhere): the operator's step. */
  public readonly manualDnsRecords: readonly DnsRecordSpec[];

  constructor(name: string, args: VercelSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:frontend:VercelSite", name, {}, opts);
    const parent = { parent: this };
    const previewOnly = args.previewOnly ?? false;
    const domains = args.domains ?? [];
    const targets: VercelTarget[] = previewOnly ? ["preview"] : ["production", "preview"];
    const cnameTarget = args.cnameTarget ?? VERCEL_CNAME_TARGET;

    const project = new vercel.Project(
      `${name}-project`,
      {
        name: args.projectName,
        framework: args.framework ?? "nextjs",
        gitRepository: {
          type: args.repository.type,
          repo: args.repository.repo,
          productionBranch: args.productionBranch ?? "main",
        },
        ...(args.rootDirectory !== undefined ? { rootDirectory: args.rootDirectory } : {}),
        // FE-4: previews behind Vercel Authentication.
        vercelAuthentication: { deploymentType: args.previewProtection ?? "standardProtectionNew" },
        // FE-1: a preview-only project skips its production builds.
        ...(previewOnly ? { ignoreCommand: PREVIEW_ONLY_IGNORE_COMMAND } : {}),
      },
      parent,
    );

    // FE-2: one variable per name, so each has its own sensitivity and targets.
    const variable = (key: string, value: pulumi.Input<string>, sensitive: boolean) =>
      new vercel.ProjectEnvironmentVariable(
        `${name}-env-${key.toLowerCase().replace(/_/g, "-")}`,
        {
          projectId: project.id,
          key,
          value: sensitive ? pulumi.secret(value) : value,
          targets,
          sensitive,
          comment: sensitive ? "FE-2: secret, set by Pulumi" : "FE-2: set by Pulumi",
        },
        parent,
      );
    for (const [key, value] of Object.entries(args.env ?? {})) variable(key, value, false);
    for (const [key, value] of Object.entries(args.secrets ?? {})) variable(key, value, true);

    // FE-3: the custom domains, and the records Vercel asks for where this stack holds the zone.
    const resources: pulumi.Resource[] = [];
    const manual: DnsRecordSpec[] = [];
    domains.forEach((d, i) => {
      const role = i === 0 ? "domain" : `domain-${i + 1}`;
      // Where this stack makes the record, the domain is done once Vercel has verified it (waitForReady),
      // so what probes it comes after; a record left to the operator must not hold up the deploy.
      resources.push(
        new vercel.ProjectDomain(
          `${name}-${role}`,
          {
            projectId: project.id,
            domain: d.name,
            ...(d.hostedZone !== undefined ? { waitForReady: true } : {}),
          },
          parent,
        ),
      );
      const spec = vercelDnsRecord(d.name, d.hostedZone, cnameTarget);
      if (d.hostedZone === undefined) {
        manual.push(spec);
        return;
      }
      const zone = aws.route53.getZoneOutput({ name: d.hostedZone, privateZone: false }, parent);
      resources.push(
        new aws.route53.Record(
          `${name}-${role}-dns`,
          { zoneId: zone.zoneId, name: spec.name, type: spec.type, ttl: 300, records: [spec.value] },
          parent,
        ),
      );
    });

    this.projectId = project.id;
    this.url = domains.length > 0 ? `https://${domains[0].name}` : undefined;
    this.domainResources = resources;
    this.manualDnsRecords = manual;
    this.registerOutputs({ projectId: this.projectId, url: this.url, manualDnsRecords: manual });
  }
}
