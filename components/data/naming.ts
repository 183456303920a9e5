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
