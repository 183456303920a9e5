// The window maths lives with the policy pack, which must be self-contained to publish.
export * from "../../policies/lib/windows";
