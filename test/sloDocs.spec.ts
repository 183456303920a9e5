/** docs/slo.md: the SLO tables, platform alarms and routing of every shipped stack, generated and current (SLO-1, SLO-2, SLO-3, SLO-4, SLO-7). */
import * as fs from "fs";
import { SLO_DOC_FILE, SLO_DOC_STACKS, renderSloDocs, shippedConfig } from "../scripts/sloDocs";
import { SHIPPED_STACKS, synthStack } from "./harness";

describe("docs/slo.md", () => {
  test("SLO-1..4, SLO-7: covers every shipped stack", () => {
    expect([...SLO_DOC_STACKS]).toEqual([...SHIPPED_STACKS].sort());
  });

  test("SLO-1..4, SLO-7: is generated from the stacks' config and synth records and current (npm run docs:slo)", async () => {
    const stacks = await Promise.all(
      SLO_DOC_STACKS.map(async (s) => ({ cfg: shippedConfig(s), records: (await synthStack(s)).records })),
    );
    expect(fs.readFileSync(SLO_DOC_FILE, "utf8")).toBe(renderSloDocs(stacks));
  });
});
