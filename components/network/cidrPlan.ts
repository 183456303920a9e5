import { Netmask } from "netmask";

/**
 * The subnet plan of one VPC (NET-1): per AZ a private app subnet, a public
 * subnet and an isolated data subnet, carved from fixed slices of the VPC so
 * that adding an AZ never renumbers an existing subnet.
 *
 *   first half of the VPC      app subnets,    prefix + 3 (a /19 in a /16)
 *   third quarter              public subnets, prefix + 6 (a /22 in a /16)
 *   fourth quarter             data subnets,   prefix + 6 (a /22 in a /16)
 *
 * App subnets are the largest because EKS (VPC CNI) gives every pod an
 * address from them.
 */
export interface SubnetPlan {
  readonly public: string[];
  readonly app: string[];
  readonly data: string[];
}

/** The AZ count the plan has room for: four app slices fit in half the VPC. */
export const MAX_AZ_COUNT = 4;
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 20;

function carve(parent: Netmask, prefix: number, count: number): string[] {
  const first = new Netmask(parent.base, prefix);
  return Array.from({ length: count }, (_, i) => first.next(i).toString());
}

export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  const vpc = new Netmask(vpcCidr);
  if (vpc.bitmask < MIN_VPC_PREFIX || vpc.bitmask > MAX_VPC_PREFIX) {
    throw new RangeError(`VPC prefix /${vpc.bitmask} is outside /${MIN_VPC_PREFIX}../${MAX_VPC_PREFIX}`);
  }
  if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZ_COUNT) {
    throw new RangeError(`AZ count ${azCount} is outside 1..${MAX_AZ_COUNT}`);
  }
  const p = vpc.bitmask;
  const appHalf = new Netmask(vpc.base, p + 1);
  const publicQuarter = new Netmask(appHalf.next(1).base, p + 2);
  const dataQuarter = publicQuarter.next(1);
  return {
    app: carve(appHalf, p + 3, azCount),
    public: carve(publicQuarter, p + 6, azCount),
    data: carve(dataQuarter, p + 6, azCount),
  };
}

/** True when `cidr` is canonical (no host bits set) IPv4 CIDR notation. */
export function isCanonicalCidr(cidr: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return false;
  return new Netmask(cidr).toString() === cidr;
}

/** The RFC 1918 private ranges. */
export const RFC1918_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;
const PRIVATE_RANGES = RFC1918_RANGES.map((c) => new Netmask(c));

/** True when the whole block lies in RFC 1918 private space. */
export function isPrivateCidr(cidr: string): boolean {
  const block = new Netmask(cidr);
  return PRIVATE_RANGES.some((r) => r.contains(block));
}
