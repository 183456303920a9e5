/**
 * Physical names of stateful data stores (PG-3, DOC-2, CACHE-3, BAK-4).
 *
 * A store's identifier is `<logical name>-<random hex>`; its final snapshot is
 * `<identifier>-final`. The hex comes from a random.RandomId whose keepers are
 * the inputs that force a replacement, so a replaced or re-created store never
 * reuses a final snapshot name (AWS refuses to delete a store whose final
 * snapshot name already exists).
 */

/** AWS limits: RDS and DocumentDB identifiers 63, ElastiCache replication group ids 40. */
export const MAX_IDENTIFIER_LENGTH = { rds: 63, docdb: 63, elasticache: 40 } as const;

const SUFFIX = "-final";

/**
 * `<prefix>-<hex>`, lower case, checked against AWS's identifier rules: starts
 * with a letter, letters, digits and single hyphens, no trailing hyphen, and
 * short enough that `<identifier>-final` fits the same limit.
 */
export function physicalName(prefix: string, hex: string, maxLength: number): string {
  const id = `${prefix}-${hex}`.toLowerCase();
  if (!/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(id)) {
    throw new Error(`${id}: an identifier starts with a letter and has letters, digits and single hyphens`);
  }
  if (id.length + SUFFIX.length > maxLength) {
    throw new Error(
      `${id}: longer than ${maxLength - SUFFIX.length} characters leaves no room for "${SUFFIX}"`,
    );
  }
  return id;
}

export function finalSnapshotName(identifier: string): string {
  return `${identifier}${SUFFIX}`;
}

/**
 * Master user names, as each engine's CreateDB API documents them: RDS for
 * PostgreSQL takes 1-63 letters, digits and underscores starting with a letter;
 * DocumentDB takes 1-63 letters and digits only, starting with a letter (Amazon
 * DocumentDB Developer Guide, "Amazon DocumentDB Quotas and Limits": naming
 * constraints). A name either rejects fails `pulumi up` only at create time.
 */
const MASTER_USERNAME = {
  postgres: { pattern: /^[A-Za-z][A-Za-z0-9_]{0,62}$/, rule: "1-63 letters, digits and underscores" },
  docdb: { pattern: /^[A-Za-z][A-Za-z0-9]{0,62}$/, rule: "1-63 letters and digits (no underscores)" },
} as const;

/** The name if `engine` accepts it as a master user name; throws naming the rule otherwise. */
export function masterUsername(engine: keyof typeof MASTER_USERNAME, name: string): string {
  const { pattern, rule } = MASTER_USERNAME[engine];
  if (!pattern.test(name)) {
    throw new Error(
      `master user name ${JSON.stringify(name)}: ${engine} takes ${rule}, starting with a letter`,
    );
  }
  return name;
}
