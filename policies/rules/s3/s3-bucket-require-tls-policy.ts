import { asArray, asObject, parseJson } from "../../lib/props";
import { bucketsLacking } from "../../lib/s3";
import { stackRule } from "../../rule";

/** A Deny statement for requests whose aws:SecureTransport is false. */
function deniesPlainHttp(policy: unknown): boolean {
  return asArray(asObject(parseJson(policy)).Statement).some((raw) => {
    const s = asObject(raw);
    const bool = asObject(asObject(s.Condition).Bool);
    return s.Effect === "Deny" && String(bool["aws:SecureTransport"]) === "false";
  });
}

export default stackRule({
  name: "s3-bucket-require-tls-policy",
  description: "Every bucket's policy denies requests not made over TLS.",
  requirements: ["BAK-2"],
  severity: "high",
  check: (resources) =>
    bucketsLacking(
      resources,
      ["aws:s3/bucketPolicy:BucketPolicy"],
      (s) => deniesPlainHttp(s.props.policy),
      "bucket policy denying aws:SecureTransport = false",
    ),
});
