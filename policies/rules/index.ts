// Every rule of the pack, one file each (policies/rules/<service>/<rule>.ts). Side-effect free.
import type { Rule } from "../rule";
import backupPlanForbidEngineWindowStart from "./backup/backup-plan-forbid-engine-window-start";
import backupPlanRequireCrossRegionCopy from "./backup/backup-plan-require-cross-region-copy";
import backupPlanRequireRetention from "./backup/backup-plan-require-retention";
import backupSelectionRequireCoverage from "./backup/backup-selection-require-coverage";
import backupVaultRequireEncryption from "./backup/backup-vault-require-encryption";
import cloudtrailTrailRequireValidation from "./cloudtrail/cloudtrail-trail-require-validation";
import cloudwatchLoggroupRequireEncryption from "./cloudwatch/cloudwatch-loggroup-require-encryption";
import cloudwatchLoggroupRequireRetention from "./cloudwatch/cloudwatch-loggroup-require-retention";
import cloudwatchMetricalarmRequireActions from "./cloudwatch/cloudwatch-metricalarm-require-actions";
import cloudwatchMetricalarmRequireDataThresholds from "./cloudwatch/cloudwatch-metricalarm-require-data-thresholds";
import cloudwatchMetricalarmRequireMissingDataPolicy from "./cloudwatch/cloudwatch-metricalarm-require-missing-data-policy";
import cloudwatchMetricalarmRequireSloCoverage from "./cloudwatch/cloudwatch-metricalarm-require-slo-coverage";
import cloudwatchMetricalarmRequireStackTopics from "./cloudwatch/cloudwatch-metricalarm-require-stack-topics";
import costStackLimitMonthlyBudget from "./cost/cost-stack-limit-monthly-budget";
import docdbClusterRequireAzSpread from "./docdb/docdb-cluster-require-az-spread";
import docdbClusterRequireBackupRetention from "./docdb/docdb-cluster-require-backup-retention";
import docdbClusterRequireDeletionSafety from "./docdb/docdb-cluster-require-deletion-safety";
import docdbClusterRequireEncryption from "./docdb/docdb-cluster-require-encryption";
import docdbClusterRequireInstances from "./docdb/docdb-cluster-require-instances";
import docdbClusterRequireLogExports from "./docdb/docdb-cluster-require-log-exports";
import docdbClusterRequireRegionalRestoreSource from "./docdb/docdb-cluster-require-regional-restore-source";
import docdbClusterRequireSeparateWindows from "./docdb/docdb-cluster-require-separate-windows";
import docdbClusterparametergroupRequireTls from "./docdb/docdb-clusterparametergroup-require-tls";
import ec2LaunchtemplateRequireEbsEncryption from "./ec2/ec2-launchtemplate-require-ebs-encryption";
import ec2SecuritygroupForbidDataEgress from "./ec2/ec2-securitygroup-forbid-data-egress";
import ec2SecuritygroupForbidSsh from "./ec2/ec2-securitygroup-forbid-ssh";
import ec2SecuritygroupLimitPublicEgress from "./ec2/ec2-securitygroup-limit-public-egress";
import ec2SecuritygroupLimitPublicIngress from "./ec2/ec2-securitygroup-limit-public-ingress";
import ec2SecuritygroupRequireTierTable from "./ec2/ec2-securitygroup-require-tier-table";
import ec2SubnetForbidPublicIp from "./ec2/ec2-subnet-forbid-public-ip";
import ec2SubnetForbidPublicWorkloads from "./ec2/ec2-subnet-forbid-public-workloads";
import ec2VpcRequireEndpoints from "./ec2/ec2-vpc-require-endpoints";
import ec2VpcRequireFlowLogs from "./ec2/ec2-vpc-require-flow-logs";
import ecrReplicationconfigurationRequireCrossRegion from "./ecr/ecr-replicationconfiguration-require-cross-region";
import ecrRepositoryRequireEncryption from "./ecr/ecr-repository-require-encryption";
import ecrRepositoryRequireLifecycle from "./ecr/ecr-repository-require-lifecycle";
import ecrRepositoryRequireScanning from "./ecr/ecr-repository-require-scanning";
import ecrRepositorycreationtemplateRequireHardening from "./ecr/ecr-repositorycreationtemplate-require-hardening";
import ecsClusterRequireContainerInsights from "./ecs/ecs-cluster-require-container-insights";
import ecsServiceForbidPublicIp from "./ecs/ecs-service-forbid-public-ip";
import ecsServiceLimitCanary from "./ecs/ecs-service-limit-canary";
import ecsServiceLimitReplicas from "./ecs/ecs-service-limit-replicas";
import ecsServiceRequireAutoscaling from "./ecs/ecs-service-require-autoscaling";
import ecsServiceRequireCircuitBreaker from "./ecs/ecs-service-require-circuit-breaker";
import ecsServiceRequireHealthCheckGrace from "./ecs/ecs-service-require-health-check-grace";
import ecsServiceRequireIgnoredDesiredCount from "./ecs/ecs-service-require-ignored-desired-count";
import ecsTaskdefinitionForbidLatestImage from "./ecs/ecs-taskdefinition-forbid-latest-image";
import ecsTaskdefinitionForbidPlainSecrets from "./ecs/ecs-taskdefinition-forbid-plain-secrets";
import ecsTaskdefinitionForbidSharedRole from "./ecs/ecs-taskdefinition-forbid-shared-role";
import ecsTaskdefinitionForbidWildcardPermissions from "./ecs/ecs-taskdefinition-forbid-wildcard-permissions";
import ecsTaskdefinitionLimitTaskSize from "./ecs/ecs-taskdefinition-limit-task-size";
import ecsTaskdefinitionRequireFargate from "./ecs/ecs-taskdefinition-require-fargate";
import ecsTaskdefinitionRequireHealthCheck from "./ecs/ecs-taskdefinition-require-health-check";
import ecsTaskdefinitionRequireLogging from "./ecs/ecs-taskdefinition-require-logging";
import ecsTaskdefinitionRequireRestrictedContainers from "./ecs/ecs-taskdefinition-require-restricted-containers";
import eksAddonRequireNetworkPolicy from "./eks/eks-addon-require-network-policy";
import eksClusterRequireAccessEntries from "./eks/eks-cluster-require-access-entries";
import eksClusterRequireControlPlaneLogs from "./eks/eks-cluster-require-control-plane-logs";
import eksClusterRequirePrivateEndpoint from "./eks/eks-cluster-require-private-endpoint";
import eksClusterRequireSecretsEncryption from "./eks/eks-cluster-require-secrets-encryption";
import eksNodegroupForbidRemoteAccess from "./eks/eks-nodegroup-forbid-remote-access";
import eksNodegroupRequireImdsv2 from "./eks/eks-nodegroup-require-imdsv2";
import elasticacheParametergroupRequireLru from "./elasticache/elasticache-parametergroup-require-lru";
import elasticacheReplicationgroupRequireAzSpread from "./elasticache/elasticache-replicationgroup-require-az-spread";
import elasticacheReplicationgroupRequireEncryption from "./elasticache/elasticache-replicationgroup-require-encryption";
import elasticacheReplicationgroupRequireMultiAz from "./elasticache/elasticache-replicationgroup-require-multi-az";
import elasticacheReplicationgroupRequireSnapshots from "./elasticache/elasticache-replicationgroup-require-snapshots";
import guarddutyDetectorRequireEnabled from "./guardduty/guardduty-detector-require-enabled";
import helmReleaseRequirePinnedVersion from "./helm/helm-release-require-pinned-version";
import iamRoleForbidPodWildcardPermissions from "./iam/iam-role-forbid-pod-wildcard-permissions";
import kmsKeyRequireRotation from "./kms/kms-key-require-rotation";
import kubernetesDeploymentForbidLatestImage from "./kubernetes/kubernetes-deployment-forbid-latest-image";
import kubernetesDeploymentForbidPlainSecrets from "./kubernetes/kubernetes-deployment-forbid-plain-secrets";
import kubernetesDeploymentRequireManagedSecrets from "./kubernetes/kubernetes-deployment-require-managed-secrets";
import kubernetesDeploymentRequirePdb from "./kubernetes/kubernetes-deployment-require-pdb";
import kubernetesDeploymentRequireProbes from "./kubernetes/kubernetes-deployment-require-probes";
import kubernetesDeploymentRequireResources from "./kubernetes/kubernetes-deployment-require-resources";
import kubernetesDeploymentRequireRestrictedSecurity from "./kubernetes/kubernetes-deployment-require-restricted-security";
import kubernetesDeploymentRequireRollingUpdate from "./kubernetes/kubernetes-deployment-require-rolling-update";
import kubernetesDeploymentRequireZoneSpread from "./kubernetes/kubernetes-deployment-require-zone-spread";
import kubernetesHorizontalpodautoscalerLimitReplicas from "./kubernetes/kubernetes-horizontalpodautoscaler-limit-replicas";
import kubernetesHorizontalpodautoscalerRequireBehavior from "./kubernetes/kubernetes-horizontalpodautoscaler-require-behavior";
import kubernetesIngressRequireAcmeIssuer from "./kubernetes/kubernetes-ingress-require-acme-issuer";
import kubernetesIngressRequireTls from "./kubernetes/kubernetes-ingress-require-tls";
import kubernetesNamespaceRequireDefaultDeny from "./kubernetes/kubernetes-namespace-require-default-deny";
import kubernetesNamespaceRequireRestrictedPodSecurity from "./kubernetes/kubernetes-namespace-require-restricted-pod-security";
import kubernetesNetworkpolicyLimitPublicEgress from "./kubernetes/kubernetes-networkpolicy-limit-public-egress";
import kubernetesObjectRequireExplicitProvider from "./kubernetes/kubernetes-object-require-explicit-provider";
import kubernetesPrometheusruleRequireSloAlerts from "./kubernetes/kubernetes-prometheusrule-require-slo-alerts";
import kubernetesRoleLimitDeveloper from "./kubernetes/kubernetes-role-limit-developer";
import lbListenerLimitTlsPolicy from "./lb/lb-listener-limit-tls-policy";
import lbListenerRequireHttpsRedirect from "./lb/lb-listener-require-https-redirect";
import lbListenerruleRequireHttpsRedirect from "./lb/lb-listenerrule-require-https-redirect";
import lbLoadbalancerRequireAccessLogs from "./lb/lb-loadbalancer-require-access-logs";
import lbLoadbalancerRequireDeletionProtection from "./lb/lb-loadbalancer-require-deletion-protection";
import lbLoadbalancerRequireDropInvalidHeaders from "./lb/lb-loadbalancer-require-drop-invalid-headers";
import lbLoadbalancerRequireWaf from "./lb/lb-loadbalancer-require-waf";
import lbTargetgroupRequireHealthCheck from "./lb/lb-targetgroup-require-health-check";
import pulumiStackForbidFailedRegion from "./pulumi/pulumi-stack-forbid-failed-region";
import pulumiStatefulRequireProtect from "./pulumi/pulumi-stateful-require-protect";
import rdsInstanceForbidProviderBlueGreen from "./rds/rds-instance-forbid-provider-blue-green";
import rdsInstanceForbidPublicAccess from "./rds/rds-instance-forbid-public-access";
import rdsInstanceLimitEngineVersion from "./rds/rds-instance-limit-engine-version";
import rdsInstanceRequireBackupRetention from "./rds/rds-instance-require-backup-retention";
import rdsInstanceRequireDeletionSafety from "./rds/rds-instance-require-deletion-safety";
import rdsInstanceRequireEncryption from "./rds/rds-instance-require-encryption";
import rdsInstanceRequireGeneratedPassword from "./rds/rds-instance-require-generated-password";
import rdsInstanceRequireMonitoring from "./rds/rds-instance-require-monitoring";
import rdsInstanceRequireMultiAz from "./rds/rds-instance-require-multi-az";
import rdsInstanceRequireRegionalRestoreSource from "./rds/rds-instance-require-regional-restore-source";
import rdsInstanceRequireSeparateWindows from "./rds/rds-instance-require-separate-windows";
import rdsParametergroupRequireQueryLogging from "./rds/rds-parametergroup-require-query-logging";
import rdsParametergroupRequireTls from "./rds/rds-parametergroup-require-tls";
import route53HealthcheckRequireSloProbe from "./route53/route53-healthcheck-require-slo-probe";
import s3BucketForbidForceDestroy from "./s3/s3-bucket-forbid-force-destroy";
import s3BucketRequireEncryption from "./s3/s3-bucket-require-encryption";
import s3BucketRequireLifecycle from "./s3/s3-bucket-require-lifecycle";
import s3BucketRequirePublicAccessBlock from "./s3/s3-bucket-require-public-access-block";
import s3BucketRequireTlsPolicy from "./s3/s3-bucket-require-tls-policy";
import s3BucketRequireVersioning from "./s3/s3-bucket-require-versioning";
import s3BucketreplicationconfigRequireKmsGrants from "./s3/s3-bucketreplicationconfig-require-kms-grants";
import secretsmanagerSecretRequireDrReplica from "./secretsmanager/secretsmanager-secret-require-dr-replica";
import snsTopicRequireEncryption from "./sns/sns-topic-require-encryption";
import vercelProjectRequireCustomDomain from "./vercel/vercel-project-require-custom-domain";
import vercelProjectRequirePreviewProtection from "./vercel/vercel-project-require-preview-protection";
import vercelProjectRequireUptimeCheck from "./vercel/vercel-project-require-uptime-check";
import vercelProjectenvironmentvariableForbidPlainSecrets from "./vercel/vercel-projectenvironmentvariable-forbid-plain-secrets";
import wafv2WebaclLimitRequestRate from "./wafv2/wafv2-webacl-limit-request-rate";
import wafv2WebaclRequireManagedRules from "./wafv2/wafv2-webacl-require-managed-rules";

export const RULES: readonly Rule[] = [
  backupPlanForbidEngineWindowStart,
  backupPlanRequireCrossRegionCopy,
  backupPlanRequireRetention,
  backupSelectionRequireCoverage,
  backupVaultRequireEncryption,
  cloudtrailTrailRequireValidation,
  cloudwatchLoggroupRequireEncryption,
  cloudwatchLoggroupRequireRetention,
  cloudwatchMetricalarmRequireActions,
  cloudwatchMetricalarmRequireDataThresholds,
  cloudwatchMetricalarmRequireMissingDataPolicy,
  cloudwatchMetricalarmRequireSloCoverage,
  cloudwatchMetricalarmRequireStackTopics,
  costStackLimitMonthlyBudget,
  docdbClusterRequireAzSpread,
  docdbClusterRequireBackupRetention,
  docdbClusterRequireDeletionSafety,
  docdbClusterRequireEncryption,
  docdbClusterRequireInstances,
  docdbClusterRequireLogExports,
  docdbClusterRequireRegionalRestoreSource,
  docdbClusterRequireSeparateWindows,
  docdbClusterparametergroupRequireTls,
  ec2LaunchtemplateRequireEbsEncryption,
  ec2SecuritygroupForbidDataEgress,
  ec2SecuritygroupForbidSsh,
  ec2SecuritygroupLimitPublicEgress,
  ec2SecuritygroupLimitPublicIngress,
  ec2SecuritygroupRequireTierTable,
  ec2SubnetForbidPublicIp,
  ec2SubnetForbidPublicWorkloads,
  ec2VpcRequireEndpoints,
  ec2VpcRequireFlowLogs,
  ecrReplicationconfigurationRequireCrossRegion,
  ecrRepositoryRequireEncryption,
  ecrRepositoryRequireLifecycle,
  ecrRepositoryRequireScanning,
  ecrRepositorycreationtemplateRequireHardening,
  ecsClusterRequireContainerInsights,
  ecsServiceForbidPublicIp,
  ecsServiceLimitCanary,
  ecsServiceLimitReplicas,
  ecsServiceRequireAutoscaling,
  ecsServiceRequireCircuitBreaker,
  ecsServiceRequireHealthCheckGrace,
  ecsServiceRequireIgnoredDesiredCount,
  ecsTaskdefinitionForbidLatestImage,
  ecsTaskdefinitionForbidPlainSecrets,
  ecsTaskdefinitionForbidSharedRole,
  ecsTaskdefinitionForbidWildcardPermissions,
  ecsTaskdefinitionLimitTaskSize,
  ecsTaskdefinitionRequireFargate,
  ecsTaskdefinitionRequireHealthCheck,
  ecsTaskdefinitionRequireLogging,
  ecsTaskdefinitionRequireRestrictedContainers,
  eksAddonRequireNetworkPolicy,
  eksClusterRequireAccessEntries,
  eksClusterRequireControlPlaneLogs,
  eksClusterRequirePrivateEndpoint,
  eksClusterRequireSecretsEncryption,
  eksNodegroupForbidRemoteAccess,
  eksNodegroupRequireImdsv2,
  elasticacheParametergroupRequireLru,
  elasticacheReplicationgroupRequireAzSpread,
  elasticacheReplicationgroupRequireEncryption,
  elasticacheReplicationgroupRequireMultiAz,
  elasticacheReplicationgroupRequireSnapshots,
  guarddutyDetectorRequireEnabled,
  helmReleaseRequirePinnedVersion,
  iamRoleForbidPodWildcardPermissions,
  kmsKeyRequireRotation,
  kubernetesDeploymentForbidLatestImage,
  kubernetesDeploymentForbidPlainSecrets,
  kubernetesDeploymentRequireManagedSecrets,
  kubernetesDeploymentRequirePdb,
  kubernetesDeploymentRequireProbes,
  kubernetesDeploymentRequireResources,
  kubernetesDeploymentRequireRestrictedSecurity,
  kubernetesDeploymentRequireRollingUpdate,
  kubernetesDeploymentRequireZoneSpread,
  kubernetesHorizontalpodautoscalerLimitReplicas,
  kubernetesHorizontalpodautoscalerRequireBehavior,
  kubernetesIngressRequireAcmeIssuer,
  kubernetesIngressRequireTls,
  kubernetesNamespaceRequireDefaultDeny,
  kubernetesNamespaceRequireRestrictedPodSecurity,
  kubernetesNetworkpolicyLimitPublicEgress,
  kubernetesObjectRequireExplicitProvider,
  kubernetesPrometheusruleRequireSloAlerts,
  kubernetesRoleLimitDeveloper,
  lbListenerLimitTlsPolicy,
  lbListenerRequireHttpsRedirect,
  lbListenerruleRequireHttpsRedirect,
  lbLoadbalancerRequireAccessLogs,
  lbLoadbalancerRequireDeletionProtection,
  lbLoadbalancerRequireDropInvalidHeaders,
  lbLoadbalancerRequireWaf,
  lbTargetgroupRequireHealthCheck,
  pulumiStackForbidFailedRegion,
  pulumiStatefulRequireProtect,
  rdsInstanceForbidProviderBlueGreen,
  rdsInstanceForbidPublicAccess,
  rdsInstanceLimitEngineVersion,
  rdsInstanceRequireBackupRetention,
  rdsInstanceRequireDeletionSafety,
  rdsInstanceRequireEncryption,
  rdsInstanceRequireGeneratedPassword,
  rdsInstanceRequireMonitoring,
  rdsInstanceRequireMultiAz,
  rdsInstanceRequireRegionalRestoreSource,
  rdsInstanceRequireSeparateWindows,
  rdsParametergroupRequireQueryLogging,
  rdsParametergroupRequireTls,
  route53HealthcheckRequireSloProbe,
  s3BucketForbidForceDestroy,
  s3BucketRequireEncryption,
  s3BucketRequireLifecycle,
  s3BucketRequirePublicAccessBlock,
  s3BucketRequireTlsPolicy,
  s3BucketRequireVersioning,
  s3BucketreplicationconfigRequireKmsGrants,
  secretsmanagerSecretRequireDrReplica,
  snsTopicRequireEncryption,
  vercelProjectRequireCustomDomain,
  vercelProjectRequirePreviewProtection,
  vercelProjectRequireUptimeCheck,
  vercelProjectenvironmentvariableForbidPlainSecrets,
  wafv2WebaclLimitRequestRate,
  wafv2WebaclRequireManagedRules,
];
