/**
 * ECS-1: a build's image tag from its content. Tags are IMMUTABLE in ECR, so
 * every distinct build needs its own, and the tag must change whenever
 * `@pulumi/docker` decides to build and push again: otherwise the provider
 * rebuilds and pushes the same tag, which the repository refuses.
 *
 * The provider's change detection is its context digest
 * (pulumi/pulumi-docker provider/provider.go `hashContext`, unchanged since
 * v4.5 and in the 5.2.0 this project pins): the Dockerfile's bytes, then every
 * entry of the context that `fsutil.Walk` yields outside the ignore patterns
 * (`getIgnorePatterns`: `<dockerfile>.dockerignore` if it exists, else
 * `<context>/.dockerignore`), each as its relative path, its Go file mode
 * string (permission, setuid/setgid/sticky and type bits: a checkout with
 * another umask or a `chmod +x` is a change) and the hash of its content, or,
 * for a symlink, of the path it resolves to (`filepath.EvalSymlinks`; the
 * target is not followed). Directories count only through their files. This
 * tag hashes the same things (patterns matched as Docker matches them,
 * @balena/dockerignore, case-sensitive as on Linux), so a change the provider
 * sees always gives a new tag, and the same sources the same tag.
 */
import ignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The ignore file `docker build` (and the provider's digest) use: the Dockerfile's own first. */
function ignoreFile(context: string, dockerfile: string): string | undefined {
  return [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")].find((f) => fs.existsSync(f));
}

/** The ignore file's patterns, as moby's ignorefile.ReadAll reads them (comments and blank lines dropped). */
function patternsOf(file: string | undefined): string[] {
  if (file === undefined) return [];
  return fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** One entry the build context holds: relative path (with /), lstat. */
interface Entry {
  readonly rel: string;
  readonly stat: fs.Stats;
}

/**
 * Every non-directory entry under `root` that the patterns keep, sorted by
 * relative path (fsutil.Walk's lexical order). A directory the patterns
 * exclude is skipped whole unless an exception (`!…`) could bring a file
 * back, as fsutil does.
 */
function contextEntries(root: string, patterns: readonly string[]): Entry[] {
  const matcher = ignore({ ignorecase: false }).add([...patterns]);
  const exceptions = patterns.some((p) => p.startsWith("!"));
  const walk = (dir: string): Entry[] =>
    fs
      .readdirSync(path.join(root, dir))
      .sort()
      .flatMap((name) => {
        const rel = dir ? `${dir}/${name}` : name;
        const stat = fs.lstatSync(path.join(root, rel));
        if (stat.isDirectory()) return matcher.ignores(rel) && !exceptions ? [] : walk(rel);
        return matcher.ignores(rel) ? [] : [{ rel, stat }];
      });
  return walk("");
}

/** The type letter and the permission and special bits of a mode (what Go's FileMode.String() spells). */
function modeOf(stat: fs.Stats): string {
  const type = stat.isSymbolicLink() ? "L" : stat.isFile() ? "-" : "?";
  return `${type}${(stat.mode & 0o7777).toString(8).padStart(4, "0")}`;
}

/** What an entry's content is to the digest: a file's bytes, a symlink's resolved path (relative to the context). */
function contentOf(root: string, e: Entry): Buffer | string {
  const full = path.join(root, e.rel);
  if (e.stat.isSymbolicLink()) {
    let target: string;
    try {
      target = fs.realpathSync(full);
    } catch {
      throw new Error(
        `image build context: symlink ${e.rel} points to nothing (docker cannot hash it either)`,
      );
    }
    return path.relative(fs.realpathSync(root), target).split(path.sep).join("/");
  }
  return e.stat.isFile() ? fs.readFileSync(full) : "";
}

/**
 * `ctx-<16 hex>`: the content tag of `context` built with `dockerfile` for
 * `platform`. Both paths as handed to `docker build` (relative to the working
 * directory, the project root); the Dockerfile counts even when it lives
 * outside the context or is ignored in it, as in the provider's digest.
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
  for (const e of contextEntries(context, patternsOf(ignoreFile(context, dockerfile)))) {
    hash.update(`${e.rel}\0${modeOf(e.stat)}\0`);
    hash.update(contentOf(context, e));
    hash.update("\0");
  }
  return `ctx-${hash.digest("hex").slice(0, 16)}`;
}
