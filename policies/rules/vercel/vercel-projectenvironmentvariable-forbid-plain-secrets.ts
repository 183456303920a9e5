import { SECRET_ENV_CONFIG, plainSecretProblem } from "../../lib/secrets";
import { asArray, asObject } from "../../lib/props";
import { VERCEL_ENV_VAR, VERCEL_PROJECT } from "../../lib/vercel";
import { list, resourceRule } from "../../rule";

/**
 * FE-2, APP-4: a front end's secret is a Vercel `sensitive` variable:
 * Vercel then never shows or returns its value again (Vercel docs,
 * "Sensitive environment variables"), and the program hands it over as a
 * Pulumi secret (encrypted in state). A variable whose name reads as a
 * secret (the APP-4 pattern the API's rules use) or whose value carries
 * credentials in a URL must be `sensitive: true`, whether it is its own
 * ProjectEnvironmentVariable or in a project's inline `environments`.
 * Names with a public prefix (`NEXT_PUBLIC_`, which Next.js inlines into the
 * browser bundle) are public whatever they are called; credentials in their
 * value are reported all the same, since no flag can keep them private.
 */
export default resourceRule({
  name: "vercel-projectenvironmentvariable-forbid-plain-secrets",
  description:
    "Vercel environment variables that hold secrets (by name, or credentials in a URL) are sensitive; no public NEXT_PUBLIC_ variable carries credentials.",
  requirements: ["FE-2", "APP-4"],
  severity: "critical",
  config: {
    ...SECRET_ENV_CONFIG,
    publicPrefixes: {
      type: "array",
      items: { type: "string" },
      default: ["NEXT_PUBLIC_"],
      description:
        "FE-2: prefixes whose variables Next.js inlines into the JavaScript every browser downloads: public by design, so not secrets by name.",
    },
  },
  types: [VERCEL_ENV_VAR, VERCEL_PROJECT],
  check: ({ type, props }, config) => {
    const variables = type === VERCEL_ENV_VAR ? [props] : asArray(props.environments).map(asObject);
    const publicPrefixes = list(config, "publicPrefixes").map(String);
    const allowed = list(config, "allowedNames");
    const problems: string[] = [];
    for (const v of variables) {
      const key = String(v.key ?? "");
      const prefix = publicPrefixes.find((p) => key.startsWith(p));
      // A public name is no secret by name ("(?!)" matches nothing); credentials in it still are.
      const problem = plainSecretProblem(key, v.value, prefix ? "(?!)" : config.secretNamePattern, allowed);
      if (problem === undefined) continue;
      if (prefix !== undefined)
        problems.push(`${problem}: ${prefix} variables are sent to every browser; take the credentials out`);
      else if (v.sensitive !== true)
        problems.push(
          `${problem} and is not sensitive: set sensitive: true and hand the value over as a Pulumi secret`,
        );
    }
    return problems;
  },
});
