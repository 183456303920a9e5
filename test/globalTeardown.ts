import * as fs from "fs";
import { CACHE_ENV } from "./synthCache";

export default async function globalTeardown(): Promise<void> {
  const dir = process.env[CACHE_ENV];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
