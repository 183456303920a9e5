import { BUCKET_TYPES } from "../../lib/s3";
import { resourceRule } from "../../rule";

/** Resources whose loss loses data or makes it unreadable (BAK-4). */
export const STATEFUL_TYPES = [
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:docdb/cluster:Cluster",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  ...BUCKET_TYPES,
  "aws:kms/key:Key",
  "aws:backup/vault:Vault",
  "aws:secretsmanager/secret:Secret",
  "aws:ecr/repository:Repository",
];

export default resourceRule({
  name: "pulumi-stateful-require-protect",
  description:
    "Stateful resources carry Pulumi `protect`, so no update or destroy can delete them without a deliberate step.",
  requirements: ["BAK-4", "PG-3", "DOC-2"],
  severity: "critical",
  stagingMayDeviate: true,
  types: STATEFUL_TYPES,
  check: ({ opts }) =>
    opts.protect ? [] : ["protect is not set: `pulumi up` or `destroy` could delete this data"],
});
