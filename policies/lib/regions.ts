/**
 * Regions in resource props (DR-1, DR-2): the Region a resource sits in and
 * the Region an ARN or AWS endpoint names.
 */
import { Props, asObject, isNonEmptyString } from "./props";

/** The Region an ARN names (`arn:<partition>:<service>:<region>:…`); undefined for a global or non-ARN. */
export function arnRegion(value: unknown): string | undefined {
  if (!isNonEmptyString(value) || !value.startsWith("arn:")) return undefined;
  const region = value.split(":")[3];
  return isNonEmptyString(region) ? region : undefined;
}

/**
 * The Region a resource sits in, as its outputs say: `region` (every
 * regional resource of @pulumi/aws v7 has it, from the provider when not
 * set), else its own ARN's.
 */
export function regionOf(props: Props): string | undefined {
  return isNonEmptyString(props.region) ? props.region : arnRegion(props.arn);
}

/** Every string in a props tree with its path (`a.b[0].c`), JSON text left as it is. */
export function strings(value: unknown, path = ""): { path: string; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(asObject(value)).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}
