/** APP-4: telling a secret-looking environment value from a harmless one. */
import { Threshold } from "../rule";

/** The `config` entries every plain-secrets rule shares. */
export const SECRET_ENV_CONFIG: Readonly<Record<string, Threshold>> = {
  secretNamePattern: {
    type: "string",
    default:
      "(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIAL|DSN|STRIPE|CLAUDE|OPENAI|RINGCENTRAL)",
    description:
      "APP-4: names of the apps' secrets (SECRET_KEY, JWT_SECRET_KEY, CLAUDE_API_KEY, STRIPE_*, OPENAI_API_KEY, RINGCENTRAL_*, SMTP_PASSWORD, SENTRY_DSN) [H App. A]; matched case-insensitively.",
  },
  allowedNames: {
    type: "array",
    items: { type: "string" },
    default: [],
    description:
      "APP-4: names that match the pattern but hold no secret (e.g. TOKEN_TTL_SECONDS), so the rule need not be switched off.",
  },
};

/** `user:password@` in a URL: a connection string with its credentials inline. */
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/**
 * Why a plain environment entry `name=value` leaks a secret, or undefined.
 * An unreadable pattern falls back to the default, so a config typo never disables the rule.
 */
export function plainSecretProblem(
  name: string,
  value: unknown,
  pattern: unknown,
  allowed: readonly (string | number)[],
): string | undefined {
  if (typeof value !== "string" || value === "" || allowed.includes(name)) return undefined;
  if (URL_CREDENTIALS.test(value)) return `${name} has a URL with credentials inline`;
  if (secretName(pattern).test(name)) return `${name} has a plain value`;
  return undefined;
}

function secretName(pattern: unknown): RegExp {
  try {
    return new RegExp(String(pattern), "i");
  } catch {
    return new RegExp(String(SECRET_ENV_CONFIG.secretNamePattern.default), "i");
  }
}
