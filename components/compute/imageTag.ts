/**
 * ECS-1: a build's image tag from its content. Tags are IMMUTABLE in ECR, so
 * every distinct build needs its own: the hash of the Docker context (every
 * file's path and bytes, in a fixed order) and of the Dockerfile and platform.
 * The same sources give the same tag (a re-run pushes nothing new); any change
 * gives a new one.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Never part of what an image is built from (and slow to hash). */
const SKIPPED = new Set([".git", "node_modules", "__pycache__", ".venv", ".pytest_cache"]);

function filesUnder(root: string, dir = ""): string[] {
  const entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  return entries
    .filter((e) => !SKIPPED.has(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) return filesUnder(root, rel);
      return e.isFile() ? [rel] : [];
    });
}

/**
 * `ctx-<16 hex>`: the content tag of `context` built with `dockerfile` for
 * `platform`. Both paths as handed to `docker build` (relative to the working
 * directory, the project root); the Dockerfile counts even when it lives
 * outside the context.
 */
export function contextTag(context: string, dockerfile: string, platform: string): string {
  if (!fs.existsSync(context) || !fs.statSync(context).isDirectory())
    throw new Error(`image build context ${context} is not a directory`);
  if (!fs.existsSync(dockerfile) || !fs.statSync(dockerfile).isFile())
    throw new Error(`Dockerfile ${dockerfile} is not a file`);
  const hash = createHash("sha256");
  hash.update(`platform=${platform}\0`);
  hash.update(fs.readFileSync(dockerfile));
  hash.update("\0");
  for (const file of filesUnder(context)) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(context, file)));
    hash.update("\0");
  }
  return `ctx-${hash.digest("hex").slice(0, 16)}`;
}
