/**
 * Where a subnet sits (NET-4): public when instances in it reach the internet
 * directly. AWS: "public subnet – the subnet has a direct route to an
 * internet gateway" (Amazon VPC User Guide, "Subnets for your VPC"); a
 * subnet's routes are those of the route table associated with it, or of the
 * VPC's main route table when none is. The record of a subnet, its route
 * table and their routes are resolved from the stack's own resources.
 */
import type { PolicyResource } from "@pulumi/policy";
import { Props, asArray, asObject, isNonEmptyString, tagsOf } from "./props";

export const SUBNET = "aws:ec2/subnet:Subnet";
export const VPC = "aws:ec2/vpc:Vpc";
export const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
export const DEFAULT_ROUTE_TABLE = "aws:ec2/defaultRouteTable:DefaultRouteTable";
export const ROUTE = "aws:ec2/route:Route";
export const ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
export const MAIN_ROUTE_TABLE_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation";
export const INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";

/**
 * The id AWS knows a resource by: `id` where the view has it, else the last
 * segment of its ARN (`arn:aws:ec2:…:subnet/subnet-0abc` -> `subnet-0abc`).
 */
export function awsId(r: { readonly props: Props }): string | undefined {
  if (isNonEmptyString(r.props.id)) return r.props.id;
  const arn = r.props.arn;
  return isNonEmptyString(arn) && arn.includes("/") ? arn.slice(arn.lastIndexOf("/") + 1) : undefined;
}

const deps = (r: PolicyResource, key: string) =>
  asArray(r.propertyDependencies[key]).map((d) => asObject(d).urn);

/** Whether `r`'s input `key` names `target`: by property dependency (single-valued input) or by id. */
function names(r: PolicyResource, key: string, target: PolicyResource): boolean {
  const given = r.props[key];
  if (isNonEmptyString(given)) return given === awsId(target);
  return deps(r, key).includes(target.urn);
}

/**
 * The route tables that govern `subnet`: its explicit association's, else the
 * VPC's main table; with the ids of main tables the stack does not declare
 * (routes may still be added to them by id).
 */
export function routeTablesOf(
  resources: readonly PolicyResource[],
  subnet: PolicyResource,
): { tables: PolicyResource[]; undeclaredIds: string[] } {
  const tables = resources.filter((r) => r.type === ROUTE_TABLE || r.type === DEFAULT_ROUTE_TABLE);
  const associations = resources.filter(
    (r) => r.type === ROUTE_TABLE_ASSOCIATION && names(r, "subnetId", subnet),
  );
  if (associations.length > 0)
    return {
      tables: tables.filter((t) => associations.some((a) => names(a, "routeTableId", t))),
      undeclaredIds: [],
    };
  // No association: the VPC's main route table (replaced by a main-route-table association,
  // or the VPC's own, which a DefaultRouteTable resource may manage).
  const vpcs = resources.filter((r) => r.type === VPC && names(subnet, "vpcId", r));
  const mains = resources.filter(
    (r) => r.type === MAIN_ROUTE_TABLE_ASSOCIATION && vpcs.some((v) => names(r, "vpcId", v)),
  );
  if (mains.length > 0)
    return {
      tables: tables.filter((t) => mains.some((m) => names(m, "routeTableId", t))),
      undeclaredIds: [],
    };
  const mainIds = vpcs.map((v) => v.props.mainRouteTableId).filter(isNonEmptyString);
  const found = tables.filter(
    (t) =>
      mainIds.includes(awsId(t) ?? "") ||
      (t.type === DEFAULT_ROUTE_TABLE &&
        (mainIds.includes(String(t.props.defaultRouteTableId)) ||
          vpcs.some((v) => deps(t, "defaultRouteTableId").includes(v.urn)))),
  );
  return { tables: found, undeclaredIds: mainIds };
}

/** A route's target as text when it is an internet gateway (an `igw-` id or a declared gateway). */
function internetGatewayOf(
  route: Props,
  routeResource: PolicyResource | undefined,
  gateways: readonly PolicyResource[],
): string | undefined {
  const given = route.gatewayId;
  if (isNonEmptyString(given) && given.startsWith("igw-")) return given;
  if (isNonEmptyString(given)) {
    const declared = gateways.find((g) => awsId(g) === given);
    return declared ? given : undefined;
  }
  if (routeResource) {
    const gw = gateways.find((g) => deps(routeResource, "gatewayId").includes(g.urn));
    if (gw) return awsId(gw) ?? gw.name;
  }
  return undefined;
}

/** Why `subnet` is public, or undefined when it is not (see the module comment). */
export function publicReason(
  resources: readonly PolicyResource[],
  subnet: PolicyResource,
  publicTags: readonly string[],
): string | undefined {
  if (subnet.props.mapPublicIpOnLaunch === true) return "mapPublicIpOnLaunch is true";
  const tags = tagsOf(subnet.props);
  for (const spec of publicTags) {
    const [key, value] = spec.split("=", 2);
    if (Object.prototype.hasOwnProperty.call(tags, key) && (value === undefined || tags[key] === value))
      return `it is tagged ${key}=${tags[key]}`;
  }
  const gateways = resources.filter((r) => r.type === INTERNET_GATEWAY);
  const { tables, undeclaredIds } = routeTablesOf(resources, subnet);
  const label = (t: PolicyResource) =>
    `route table ${isNonEmptyString(tagsOf(t.props).Name) ? tagsOf(t.props).Name : t.name}`;
  for (const table of tables)
    for (const inline of asArray(table.props.routes).map(asObject)) {
      const igw = internetGatewayOf(inline, undefined, gateways);
      if (igw)
        return `its ${label(table)} routes ${String(inline.cidrBlock ?? inline.ipv6CidrBlock)} to internet gateway ${igw}`;
    }
  for (const route of resources.filter((r) => r.type === ROUTE)) {
    const table = tables.find((t) => names(route, "routeTableId", t));
    const byId =
      isNonEmptyString(route.props.routeTableId) && undeclaredIds.includes(route.props.routeTableId);
    if (!table && !byId) continue;
    const igw = internetGatewayOf(route.props, route, gateways);
    if (igw)
      return `its ${table ? label(table) : `main route table ${String(route.props.routeTableId)}`} routes ${String(route.props.destinationCidrBlock ?? route.props.destinationIpv6CidrBlock)} to internet gateway ${igw}`;
  }
  return undefined;
}
