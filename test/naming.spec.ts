/** components/data/naming.ts: physical names and final snapshot names of data stores (PG-3, DOC-2, CACHE-3, BAK-4). */
import {
  MAX_IDENTIFIER_LENGTH,
  finalSnapshotName,
  masterUsername,
  physicalName,
} from "../components/data/naming";

describe("physicalName", () => {
  test.each([
    ["psi-prod-postgres", "9394408b", MAX_IDENTIFIER_LENGTH.rds, "psi-prod-postgres-9394408b"],
    ["Psi-Prod-Redis", "ABCDEF01", MAX_IDENTIFIER_LENGTH.elasticache, "psi-prod-redis-abcdef01"],
    ["a", "0", 9, "a-0"],
  ])("%s + %s fits %d characters as %s", (prefix, hex, max, expected) => {
    expect(physicalName(prefix, hex, max)).toBe(expected);
  });

  test.each([
    [
      "1psi",
      "00",
      63,
      "1psi-00: an identifier starts with a letter and has letters, digits and single hyphens",
    ],
    [
      "psi--prod",
      "00",
      63,
      "psi--prod-00: an identifier starts with a letter and has letters, digits and single hyphens",
    ],
    [
      "psi_prod",
      "00",
      63,
      "psi_prod-00: an identifier starts with a letter and has letters, digits and single hyphens",
    ],
    [
      "myhibachi-staging-redis-cache",
      "abcdef01",
      MAX_IDENTIFIER_LENGTH.elasticache,
      'myhibachi-staging-redis-cache-abcdef01: longer than 34 characters leaves no room for "-final"',
    ],
  ])("%s + %s is rejected", (prefix, hex, max, message) => {
    expect(() => physicalName(prefix, hex, max)).toThrow(message);
  });
});

test("a final snapshot is named after the store it belongs to", () => {
  expect(finalSnapshotName("psi-prod-docdb-f39cfae7")).toBe("psi-prod-docdb-f39cfae7-final");
});

describe("masterUsername", () => {
  test.each([
    ["postgres", "psi_admin"],
    ["postgres", "p"],
    ["docdb", "psiadmin"],
    ["docdb", "MyHibachi1"],
  ] as const)("PG-6/DOC-1: %s accepts %s", (engine, name) => {
    expect(masterUsername(engine, name)).toBe(name);
  });

  test.each([
    [
      "docdb",
      "psi_admin",
      'master user name "psi_admin": docdb takes 1-63 letters and digits (no underscores), starting with a letter',
    ],
    [
      "docdb",
      "1admin",
      'master user name "1admin": docdb takes 1-63 letters and digits (no underscores), starting with a letter',
    ],
    [
      "postgres",
      "psi-admin",
      'master user name "psi-admin": postgres takes 1-63 letters, digits and underscores, starting with a letter',
    ],
    [
      "postgres",
      "a".repeat(64),
      `master user name "${"a".repeat(64)}": postgres takes 1-63 letters, digits and underscores, starting with a letter`,
    ],
  ] as const)("PG-6/DOC-1: %s rejects %s", (engine, name, message) => {
    expect(() => masterUsername(engine, name)).toThrow(message);
  });
});
