/** NET-1: the subnet plan and CIDR checks. */
import { isCanonicalCidr, isPrivateCidr, planSubnets } from "../components/network/cidrPlan";

describe("NET-1 subnet plan", () => {
  test("a /16 over 3 AZs: /19 app, /22 public and /22 data subnets in fixed slices", () => {
    expect(planSubnets("10.0.0.0/16", 3)).toEqual({
      app: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
      public: ["10.0.128.0/22", "10.0.132.0/22", "10.0.136.0/22"],
      data: ["10.0.192.0/22", "10.0.196.0/22", "10.0.200.0/22"],
    });
  });

  test("one AZ is allowed: one subnet per tier", () => {
    expect(planSubnets("10.0.0.0/16", 1)).toEqual({
      app: ["10.0.0.0/19"],
      public: ["10.0.128.0/22"],
      data: ["10.0.192.0/22"],
    });
  });

  test("adding an AZ keeps every existing subnet's block", () => {
    const two = planSubnets("10.1.0.0/16", 2);
    const three = planSubnets("10.1.0.0/16", 3);
    for (const tier of ["app", "public", "data"] as const) expect(three[tier].slice(0, 2)).toEqual(two[tier]);
  });

  test("a /20 over 4 AZs still fits, with /26 edge subnets", () => {
    expect(planSubnets("172.16.0.0/20", 4)).toEqual({
      app: ["172.16.0.0/23", "172.16.2.0/23", "172.16.4.0/23", "172.16.6.0/23"],
      public: ["172.16.8.0/26", "172.16.8.64/26", "172.16.8.128/26", "172.16.8.192/26"],
      data: ["172.16.12.0/26", "172.16.12.64/26", "172.16.12.128/26", "172.16.12.192/26"],
    });
  });

  test.each([
    ["10.0.0.0/8", 3, "VPC prefix /8 is outside /16../20"],
    ["10.0.0.0/24", 3, "VPC prefix /24 is outside /16../20"],
    ["10.0.0.0/16", 5, "AZ count 5 is outside 1..4"],
    ["10.0.0.0/16", 0, "AZ count 0 is outside 1..4"],
  ])("%s over %i AZs is refused: %s", (cidr, azs, message) => {
    expect(() => planSubnets(cidr, azs)).toThrow(message);
  });
});

describe("NET-1 CIDR checks", () => {
  test.each([
    ["10.0.0.0/16", true],
    ["192.168.4.0/22", true],
    ["10.0.0.0/33", false],
    ["10.0.1.0/16", false],
    ["256.0.0.0/16", false],
    ["10.0.0/16", false],
    ["10.0.0.0", false],
    [" 10.0.0.0/16", false],
    // Every octet up to 255 and prefixes up to /32, three-digit octets, nothing around the notation.
    ["255.255.255.255/32", true],
    ["10.0.100.0/24", true],
    ["256.0.0.0/8", false],
    ["10.0.0.0/33", false],
    ["10.0.0.0/16 ", false],
    [" 10.0.0.0/16", false],
  ])("%p is canonical CIDR: %p", (cidr, ok) => expect(isCanonicalCidr(cidr)).toBe(ok));

  test.each([
    ["10.0.0.0/16", true],
    ["172.31.0.0/16", true],
    ["172.32.0.0/16", false],
    ["192.168.0.0/16", true],
    ["100.64.0.0/16", false],
  ])("%p is private: %p", (cidr, ok) => expect(isPrivateCidr(cidr)).toBe(ok));
});
