import { asArray, asObject, isNonEmptyString, tagsOf } from "../../lib/props";
import { resourceRule } from "../../rule";

/** The tag each secret carries saying how a region rebuild gets its value (the program's drCopies.ts). */
const DR_RECOVERY_TAG = "dr:recovery";
const HOW = {
  replica: "replicated to the DR Region (a value only operators know)",
  regenerated: "set anew by the rebuild (data-store credentials its restore resets)",
} as const;

/**
 * APP-4, DR-1, DR-2 [P §8.4.1]: a region rebuild needs every secret value it
 * cannot make itself, and Secrets Manager replicates a secret (every later
 * value too) to the Regions its `replicas` name, each encrypted with a key of
 * that Region (Secrets Manager User Guide, "Replicate secrets across
 * Regions"). So each secret says, by its `dr:recovery` tag, how the rebuild
 * gets its value: `replica` (the services' own secrets, which only operators
 * know: SECRET_KEY, CLAUDE_API_KEY, …) must have a replica in the DR Region
 * under a customer-managed key of that Region (without `kmsKeyId` the replica
 * falls back to `aws/secretsmanager`); `regenerated` (a data store's master
 * password or AUTH token, which the rebuild's restore sets anew) needs none.
 * The DR Region is the policy config's `drRegion` (prod and myhibachi-prod:
 * us-west-2, their stack's drRegion); left empty, any Region other than the
 * secret's own counts. A rebuild stack creates no `replica` secret: it reads
 * the primary's replicas.
 */
export default resourceRule({
  name: "secretsmanager-secret-require-dr-replica",
  description:
    "Every Secrets Manager secret says how a region rebuild gets its value (tag dr:recovery), and one only operators know is replicated to the DR Region under a key of that Region.",
  requirements: ["APP-4", "DR-1", "DR-2"],
  severity: "high",
  config: {
    drRegion: {
      type: "string",
      default: "",
      description:
        "DR-1: the Region a replica must be in, the stack's drRegion (prod, myhibachi-prod: us-west-2); empty: any Region other than the secret's own.",
    },
  },
  types: ["aws:secretsmanager/secret:Secret"],
  check: ({ props }, config) => {
    const how = tagsOf(props)[DR_RECOVERY_TAG];
    if (how === "regenerated") return [];
    if (how !== "replica")
      return [
        `tag ${DR_RECOVERY_TAG} is ${how === undefined ? "missing" : JSON.stringify(how)}: say how a region rebuild gets this secret's value, replica (${HOW.replica}) or regenerated (${HOW.regenerated})`,
      ];
    const own = isNonEmptyString(props.region) ? props.region : undefined;
    const wanted = isNonEmptyString(config.drRegion) ? config.drRegion : undefined;
    const replicas = asArray(props.replicas).map(asObject);
    const regions = replicas.map((r) => (isNonEmptyString(r.region) ? r.region : "?"));
    const inDr = replicas.filter((r) =>
      wanted !== undefined ? r.region === wanted : isNonEmptyString(r.region) && r.region !== own,
    );
    if (inDr.length === 0)
      return [
        `has no replica in ${wanted ?? "another Region"} (replicas: ${regions.length > 0 ? regions.join(", ") : "none"}): a region rebuild there could not read its value; add replicas: [{ region: ${wanted ?? "<the DR Region>"}, kmsKeyId: <a key of that Region> }]`,
      ];
    return inDr
      .filter((r) => !isNonEmptyString(r.kmsKeyId))
      .map(
        (r) =>
          `its replica in ${String(r.region)} has no kmsKeyId: it would be encrypted with aws/secretsmanager there; name a customer-managed key of that Region`,
      );
  },
});
