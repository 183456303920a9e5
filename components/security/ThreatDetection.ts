import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ThreatDetectionArgs {
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * SLO-3 (issue 17): the GuardDuty features the detector turns on, by the
 * names of GuardDuty's DetectorFeatureConfiguration API: EKS audit-log
 * monitoring, and Runtime Monitoring (which already covers EKS, so not also
 * EKS_RUNTIME_MONITORING: the API refuses both) with GuardDuty managing its
 * agent as an EKS add-on (EKS_ADDON_MANAGEMENT).
 */
export const GUARDDUTY_FEATURES = [
  { name: "EKS_AUDIT_LOGS", additionalConfigurations: [] },
  { name: "RUNTIME_MONITORING", additionalConfigurations: ["EKS_ADDON_MANAGEMENT"] },
] as const;

/**
 * SLO-3 (issue 17): the account and Region's GuardDuty detector, one per
 * account and Region and so declared by the stack owning the account's
 * settings (infra/accountSettings.ts), with the EKS features of
 * GUARDDUTY_FEATURES.
 */
export class ThreatDetection extends pulumi.ComponentResource {
  public readonly detectorId: pulumi.Output<string>;

  constructor(name: string, args: ThreatDetectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:security:ThreatDetection", name, {}, opts);
    const tags = args.tags ?? {};
    const detector = new aws.guardduty.Detector(
      `${name}-detector`,
      { enable: true, tags: { ...tags, Name: name } },
      { parent: this },
    );
    for (const f of GUARDDUTY_FEATURES)
      new aws.guardduty.DetectorFeature(
        `${name}-${f.name.toLowerCase().replace(/_/g, "-")}`,
        {
          detectorId: detector.id,
          name: f.name,
          status: "ENABLED",
          ...(f.additionalConfigurations.length > 0
            ? {
                additionalConfigurations: f.additionalConfigurations.map((c) => ({
                  name: c,
                  status: "ENABLED",
                })),
              }
            : {}),
        },
        { parent: this },
      );
    this.detectorId = detector.id;
    this.registerOutputs({ detectorId: this.detectorId });
  }
}
