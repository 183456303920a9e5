/**
 * SLO-3 (issue 17): the account's audit trail, declared by the stack owning
 * the account and Region's settings (infra/accountSettings.ts): multi-Region,
 * log-file validation, its own KMS key admitting only that trail, delivering
 * to the archive bucket; and its GuardDuty detector with the EKS features.
 */
import { T, named, ofType, synthStack } from "./harness";

const TRAIL = "aws:cloudtrail/trail:Trail";

describe.each(["prod", "staging"] as const)(
  "SLO-3 (issue 17): %s owns its account and declares the audit trail",
  (stack) => {
    const prefix = `psi-${stack}`;
    const arn = `arn:aws:cloudtrail:us-east-1:123456789012:trail/${prefix}-audit`;

    test("SLO-3: one multi-Region trail with log-file validation and its own KMS key, writing to the archive", async () => {
      const { records } = await synthStack(stack);
      const trails = ofType(records, TRAIL);
      expect(trails.map((t) => t.name)).toEqual([`${prefix}-audit`]);
      const key = named(records, T.kmsKey, `${prefix}-audit-kms-key`);
      const archive = named(records, T.bucket, `${prefix}-archive`);
      expect(trails[0].inputs).toEqual({
        name: `${prefix}-audit`,
        s3BucketName: archive.id,
        kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${key.id}`,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        tags: expect.objectContaining({ Name: `${prefix}-audit`, Stack: stack }),
      });
      // CreateTrail checks the bucket policy: the trail waits for it.
      expect(trails[0].dependencies).toContain(
        `urn:pulumi:${stack}::runbook-platform::platform:backup:BackupBucket$aws:s3/bucketPolicy:BucketPolicy::${prefix}-archive`,
      );
      expect(key.protect).toBe(stack === "prod");
      expect(named(records, T.kmsAlias, `${prefix}-audit-kms-alias`).inputs.name).toBe(
        `alias/${prefix}-audit`,
      );
    });

    test("SLO-3: the key lets CloudTrail encrypt and describe only for this trail (aws:SourceArn)", async () => {
      const { records } = await synthStack(stack);
      const key = named(records, T.kmsKey, `${prefix}-audit-kms-key`);
      expect(JSON.parse(String(key.inputs.policy)).Statement.slice(1)).toEqual([
        {
          Sid: "CloudTrailEncryptsLogsOfItsTrail",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceArn": arn },
            StringLike: {
              "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*",
            },
          },
        },
        {
          Sid: "CloudTrailDescribesKey",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceArn": arn } },
        },
      ]);
    });
  },
);

describe.each(["myhibachi-prod", "prod-dr"] as const)(
  "SLO-3 (issue 17): %s shares prod's account",
  (stack) => {
    test("SLO-3: no trail, no trail key, and no CloudTrail statement in any bucket policy", async () => {
      const { records } = await synthStack(stack);
      expect(ofType(records, TRAIL)).toEqual([]);
      expect(ofType(records, "platform:security:AuditTrail")).toEqual([]);
      for (const p of ofType(records, T.bucketPolicy))
        expect(String(p.inputs.policy)).not.toContain("cloudtrail");
    });
  },
);

const DETECTOR = "aws:guardduty/detector:Detector";
const FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";

describe.each(["prod", "staging"] as const)(
  "SLO-3 (issue 17): %s declares its account's GuardDuty detector",
  (stack) => {
    test("SLO-3: one enabled detector with EKS audit logs and Runtime Monitoring (EKS add-on management)", async () => {
      const { records } = await synthStack(stack);
      const detectors = ofType(records, DETECTOR);
      expect(detectors.map((d) => [d.name, d.inputs.enable])).toEqual([
        [`psi-${stack}-guardduty-detector`, true],
      ]);
      expect(ofType(records, FEATURE).map((f) => f.inputs)).toEqual([
        { detectorId: detectors[0].id, name: "EKS_AUDIT_LOGS", status: "ENABLED" },
        {
          detectorId: detectors[0].id,
          name: "RUNTIME_MONITORING",
          status: "ENABLED",
          additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }],
        },
      ]);
    });
  },
);

describe.each(["myhibachi-prod", "prod-dr"] as const)(
  "SLO-3 (issue 17): %s leaves GuardDuty to prod",
  (stack) => {
    test("SLO-3: no detector and no detector feature", async () => {
      const { records } = await synthStack(stack);
      expect([...ofType(records, DETECTOR), ...ofType(records, FEATURE)]).toEqual([]);
    });
  },
);
