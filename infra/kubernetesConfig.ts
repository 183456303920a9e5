/**
 * APP-3, K8S-1..5, K8S-8: the config schema of the Kubernetes path: the
 * stack's cluster (created on EKS, or an existing one by kubeconfig) and each
 * service's pod sizing. Pure and SDK-free, like the rest of config
 * (infra/config.ts composes it).
 */
import { z } from "zod";
import { RFC1918_RANGES, isCanonicalCidr, isPrivateCidr } from "../components/network/cidrPlan";
import { email, intRange, orList, strict } from "./validators";

/**
 * K8S-1: EKS minor versions a new cluster may run. EKS keeps a minor version
 * in standard support for 14 months after its release (EKS User Guide,
 * "Understand the Kubernetes version lifecycle on EKS"): 1.34 (released
 * 2025-10-06, standard support to 2026-12-02), 1.35 (2026-01-28, to
 * 2027-03-27) and 1.36 (endoflife.date/amazon-eks). Older minors cost
 * extended-support fees and are refused.
 */
export const EKS_VERSIONS = ["1.34", "1.35", "1.36"] as const;

/** K8S-8: the ClusterIssuers the platform installs [P §6.4.1]. */
export const CLUSTER_ISSUERS = ["letsencrypt-prod", "letsencrypt-staging"] as const;

/** A Kubernetes namespace name: an RFC 1123 label of at most 63 characters. */
const NAMESPACE_RULE =
  "must be a Kubernetes namespace name: 1-63 lowercase letters, digits and -, starting and ending with a letter or digit";
const namespaceName = z
  .string({ error: NAMESPACE_RULE })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { error: NAMESPACE_RULE });

const ROLE_ARN_RULE = "must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin";
const roleArn = z
  .string({ error: ROLE_ARN_RULE })
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: ROLE_ARN_RULE });

const CIDR_RULE = "must be an IPv4 CIDR such as 203.0.113.0/24";
const OPEN_CIDR_RULE =
  "must not be 0.0.0.0/0: the API endpoint stays private or open to named networks only (K8S-1)";
const publicCidr = z
  .string({ error: CIDR_RULE })
  .regex(/^(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { error: CIDR_RULE })
  .refine((c) => !c.endsWith("/0"), { error: OPEN_CIDR_RULE });

/**
 * K8S-1: a network allowed to reach the private API endpoint: RFC 1918 only.
 * The endpoint has no public address, so a public range (0.0.0.0/0 above
 * all) can only be a mistake, or a wish for `publicAccessCidrs`.
 */
const PRIVATE_CIDR_RULE =
  "must be an IPv4 network a.b.c.d/n with no host bits set, such as 10.0.0.0/17 (the VPC's app subnets)";
const PRIVATE_RANGE_RULE = `must lie in RFC 1918 private space (${RFC1918_RANGES.join(", ")}): only machines inside the VPC or a network connected to it reach the private endpoint; public networks go in publicAccessCidrs (K8S-1)`;
const privateCidr = z
  .string({ error: PRIVATE_CIDR_RULE })
  .refine(isCanonicalCidr, { error: PRIVATE_CIDR_RULE })
  .refine((c) => !isCanonicalCidr(c) || isPrivateCidr(c), { error: PRIVATE_RANGE_RULE });

const SECURITY_GROUP_RULE =
  "must be a security group id such as sg-0123456789abcdef0 (sg- and 8 or 17 hex digits)";
const securityGroupId = z
  .string({ error: SECURITY_GROUP_RULE })
  .regex(/^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: SECURITY_GROUP_RULE });

/** No entry twice: each becomes one security-group rule, and EC2 refuses duplicates. */
const distinct = <T extends z.ZodType<string>>(item: T) =>
  z.array(item).superRefine((xs, ctx) => {
    xs.forEach((x, i) => {
      if (xs.indexOf(x) !== i)
        ctx.addIssue({ code: "custom", path: [i], message: `lists ${x} twice; name each network once` });
    });
  });

/**
 * EC2 instance types a managed node group runs (family, generation, size,
 * such as m7i.large). Checked for shape only: EKS refuses a type the Region
 * does not offer at create time.
 */
const INSTANCE_TYPE_RULE = "must be an EC2 instance type such as m7i.large";
const instanceType = z
  .string({ error: INSTANCE_TYPE_RULE })
  .regex(/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|metal|\d{0,2}xlarge)$/, {
    error: INSTANCE_TYPE_RULE,
  });

const OIDC_ARN_RULE =
  "must be an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

/** K8S-1: the stack's Kubernetes platform; read only when a service sets compute "kubernetes". */
export const kubernetesSchema = strict({
  /** K8S-1: the EKS minor version of a cluster the program creates. */
  version: z.enum(EKS_VERSIONS, {
    error: `must be an EKS version in standard support: ${orList([...EKS_VERSIONS])} (K8S-1)`,
  }),
  /**
   * K8S-1: networks that may reach the cluster's API endpoint from the
   * internet. Empty keeps the endpoint private (reachable from the VPC only).
   */
  publicAccessCidrs: z.array(publicCidr).default([]),
  /**
   * K8S-1: private networks (RFC 1918) whose machines may reach the private
   * API endpoint on 443: the CI runners, a bastion, an operator's VPN. The
   * control plane's security group admits only the nodes otherwise.
   */
  privateAccessCidrs: distinct(privateCidr),
  /**
   * K8S-1: security groups (this VPC's or a peered VPC's in the Region) whose
   * members may reach the private API endpoint on 443, e.g. the CI runner's.
   * They must exist before `pulumi up` creates the rules.
   */
  privateAccessSecurityGroupIds: distinct(securityGroupId),
  /** K8S-1: IAM roles given cluster-admin through EKS access entries (no aws-auth ConfigMap). */
  adminRoleArns: z.array(roleArn).default([]),
  /** K8S-9: IAM roles mapped to the `developers` group, which the namespace's developer Role is bound to. */
  developerRoleArns: z.array(roleArn).default([]),
  /** K8S-1: the managed node group across the app subnets. */
  nodeGroup: strict({
    instanceTypes: z.array(instanceType).min(1, { error: "must list at least one instance type" }),
    minSize: intRange(1, 450, "a node count"),
    maxSize: intRange(1, 450, "a node count"),
    desiredSize: intRange(1, 450, "a node count"),
    /** Root volume size per node, GiB. */
    diskSizeGib: intRange(20, 16384, "a size in GiB"),
  }).superRefine((g, ctx) => {
    if (g.minSize > g.maxSize)
      ctx.addIssue({ code: "custom", path: ["minSize"], message: `must be at most maxSize (${g.maxSize})` });
    else if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize)
      ctx.addIssue({
        code: "custom",
        path: ["desiredSize"],
        message: `must be from minSize (${g.minSize}) to maxSize (${g.maxSize})`,
      });
  }),
  /**
   * K8S-1: run on a cluster that already exists instead of creating one:
   * its kubeconfig (set it with `pulumi config set --secret`) and its IAM
   * OIDC provider, which the services' IAM roles trust (IRSA).
   */
  existingCluster: strict({
    kubeconfig: z.string({ error: "must be the cluster's kubeconfig (YAML or JSON text)" }).min(1, {
      error: "must be the cluster's kubeconfig (YAML or JSON text)",
    }),
    oidcProviderArn: z
      .string({ error: OIDC_ARN_RULE })
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[^\s]+$/, { error: OIDC_ARN_RULE }),
  }).optional(),
  /** K8S-2: the namespace the services run in [P §3.6: `production`]. */
  namespace: namespaceName,
  /** K8S-8: the ACME account e-mail Let's Encrypt writes to about expiring certificates [P §6.4.1]. */
  acmeEmail: email.optional(),
  /** K8S-3, K8S-8: the ClusterIssuer the services' Ingresses name. */
  clusterIssuer: z.enum(CLUSTER_ISSUERS, {
    error: `must be one of the platform's ClusterIssuers: ${orList([...CLUSTER_ISSUERS])} (K8S-8)`,
  }),
});

export type KubernetesSettings = z.output<typeof kubernetesSchema>;

const CPU_RULE = 'must be a CPU quantity such as "500m", "1" or 0.5 (K8S-2)';
const MEMORY_RULE = 'must be a memory quantity such as "512Mi" or "1Gi" (K8S-2)';
const MEMORY_BYTES_RULE =
  'is a number, which Kubernetes reads as bytes, and not a whole number of Mi; write a memory quantity such as "512Mi" or "1Gi" (K8S-2)';
const CPU_QUANTITY = /^(?:\d+m|\d+(?:\.\d{1,3})?)$/;
const MEMORY_QUANTITY = /^\d+(?:Ki|Mi|Gi|Ti)$/;

/**
 * K8S-2: a CPU quantity given as a YAML number (`cpu: 0.5`) is a valid
 * Kubernetes quantity: the API reads 0.5 as 500m and allows no precision finer
 * than 1m (Kubernetes docs, "Resource Management for Pods and Containers",
 * CPU resource units). It is written as Kubernetes' canonical form would have
 * it: whole cores as "1", "2", anything else in millicores ("500m", "1500m").
 * A number finer than 1m, or negative, stays a number and is rejected.
 */
export function cpuFromNumber(v: unknown): unknown {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return v;
  const milli = Math.round(v * 1000);
  if (Math.abs(v * 1000 - milli) > 1e-6) return v;
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const MEBIBYTE = 1024 ** 2;
/**
 * K8S-2: a memory quantity given as a YAML number is bytes to Kubernetes (the
 * same docs: "a plain integer ... 128974848"). A whole number of Mi is written
 * in the largest binary unit that holds it exactly (536870912 -> "512Mi",
 * 1073741824 -> "1Gi"), the units the rest of config uses; anything else
 * (`memory: 512`, meant as Mi but 512 bytes to Kubernetes) stays a number
 * and is rejected.
 */
export function memoryFromNumber(v: unknown): unknown {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0 || v % MEBIBYTE !== 0) return v;
  const units = [
    ["Ti", 1024 ** 4],
    ["Gi", 1024 ** 3],
    ["Mi", MEBIBYTE],
  ] as const;
  const [unit, size] = units.find(([, n]) => v % n === 0)!;
  return `${v / size}${unit}`;
}

const cpuQuantity = z.preprocess(
  cpuFromNumber,
  z.string({ error: CPU_RULE }).regex(CPU_QUANTITY, { error: CPU_RULE }),
);
const memoryQuantity = z.preprocess(
  memoryFromNumber,
  z
    .string({ error: (issue) => (typeof issue.input === "number" ? MEMORY_BYTES_RULE : MEMORY_RULE) })
    .regex(MEMORY_QUANTITY, { error: MEMORY_RULE }),
);

/** Millicores of a CPU quantity ("500m", "1", "1.5"). */
export function millicores(q: string): number {
  return q.endsWith("m") ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000);
}

const BINARY = { Ki: 1, Mi: 1024, Gi: 1024 ** 2, Ti: 1024 ** 3 } as const;
/** KiB of a memory quantity ("512Mi", "1Gi"). */
export function kibibytes(q: string): number {
  const unit = q.slice(-2) as keyof typeof BINARY;
  return Number(q.slice(0, -2)) * BINARY[unit];
}

/** K8S-2, K8S-5: a service's pod sizing and disruption budget on Kubernetes. */
export const podSchema = strict({
  /** K8S-2: what the scheduler reserves per pod [P §3.6: 500m, 1Gi]. */
  requests: strict({ cpu: cpuQuantity, memory: memoryQuantity }),
  /** K8S-2: the most a pod may use [P §3.6: 1000m, 2Gi]. */
  limits: strict({ cpu: cpuQuantity, memory: memoryQuantity }),
  /** K8S-5: pods a node drain must leave ready [P §6.5.2: 2]. */
  minAvailable: intRange(1, 5000, "a pod count"),
}).superRefine((p, ctx) => {
  // Only quantities that passed their own check are compared: one line per problem.
  const cpuOk = [p.requests.cpu, p.limits.cpu].every((q) => CPU_QUANTITY.test(q));
  if (cpuOk && millicores(p.limits.cpu) < millicores(p.requests.cpu))
    ctx.addIssue({
      code: "custom",
      path: ["limits", "cpu"],
      message: `must be at least requests.cpu (${p.requests.cpu}) (K8S-2)`,
    });
  const memOk = [p.requests.memory, p.limits.memory].every((q) => MEMORY_QUANTITY.test(q));
  if (memOk && kibibytes(p.limits.memory) < kibibytes(p.requests.memory))
    ctx.addIssue({
      code: "custom",
      path: ["limits", "memory"],
      message: `must be at least requests.memory (${p.requests.memory}) (K8S-2)`,
    });
});

export type PodSettings = z.output<typeof podSchema>;

/** The stack-level checks of the Kubernetes path, run when a service sets compute "kubernetes". */
export function checkKubernetes(
  k: KubernetesSettings,
  services: Readonly<Record<string, { compute: string; minCount: number; pod: PodSettings }>>,
  ctx: z.core.$RefinementCtx,
): void {
  const onKubernetes = Object.entries(services).filter(([, s]) => s.compute === "kubernetes");
  if (onKubernetes.length === 0) return;
  const first = onKubernetes[0][0];
  if (k.acmeEmail === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["kubernetes", "acmeEmail"],
      message: `must be set: service ${first} runs on Kubernetes, and Let's Encrypt needs an account e-mail (K8S-8)`,
    });
  if (k.existingCluster === undefined && k.adminRoleArns.length === 0)
    ctx.addIssue({
      code: "custom",
      path: ["kubernetes", "adminRoleArns"],
      message:
        "must list at least one IAM role: the program creates the EKS cluster with no other administrator (K8S-1); or set existingCluster",
    });
  for (const [name, svc] of onKubernetes) {
    // A budget as large as the smallest Deployment blocks every node drain.
    if (svc.pod.minAvailable >= svc.minCount)
      ctx.addIssue({
        code: "custom",
        path: ["services", name, "pod", "minAvailable"],
        message: `must be below minCount (${svc.minCount}): otherwise a node drain can never evict a pod (K8S-5)`,
      });
  }
}
