/**
 * CI-3: a jest run writes nothing into the repository. Loaded into every jest
 * worker (jest.config.js `setupFiles`) and, through NODE_OPTIONS set by
 * test/globalSetup.ts, into every node process a test starts (the synth CLI),
 * it notes each file-system write whose target lies inside the repository,
 * outside the tool caches of node_modules/.cache: one JSON line per write in
 * the run's log (RUNBOOK_PLATFORM_WRITE_LOG, in the OS's temp dir).
 * test/globalTeardown.ts fails the run if the log is not empty.
 *
 * Writes are attributed to the processes of this jest run, not found by
 * comparing the tree before and after: people editing the same checkout at
 * the same time are never taken for a test. Plain JavaScript: node loads it
 * with --require, before any TypeScript loader.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { fileURLToPath } = require("url");

const LOG_ENV = "RUNBOOK_PLATFORM_WRITE_LOG";
/** The folder guarded: the repository, unless a test of the guard itself names another. */
const ROOT_ENV = "RUNBOOK_PLATFORM_GUARD_ROOT";
const GUARD = Symbol.for("runbook-platform.writeGuard");

/** Where a write lands, relative to the guarded root; undefined when outside it or in a tool cache. */
function guardedPath(root, target) {
  if (typeof target === "number" || target === undefined || target === null) return undefined;
  let p = target;
  if (target instanceof URL) p = fileURLToPath(target);
  else if (Buffer.isBuffer(target)) p = target.toString();
  const rel = path.relative(root, path.resolve(String(p)));
  if (rel === "" ? false : rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  const slashed = rel.split(path.sep).join("/");
  if (slashed === "node_modules/.cache" || slashed.startsWith("node_modules/.cache/")) return undefined;
  return slashed === "" ? "." : slashed;
}

/** Whether open() flags write: "w", "a", "+" or the O_WRONLY / O_RDWR / O_CREAT / O_TRUNC / O_APPEND bits. */
function writesWith(flags) {
  if (typeof flags === "number") {
    const c = fs.constants;
    return (flags & (c.O_WRONLY | c.O_RDWR | c.O_CREAT | c.O_TRUNC | c.O_APPEND)) !== 0;
  }
  // Absent (or a callback in its place) means "r".
  return typeof flags === "string" && /[wa+]/.test(flags);
}

/** The operations that write, and which of their arguments name the targets. */
const TARGETS = {
  writeFile: [0],
  appendFile: [0],
  mkdir: [0],
  mkdtemp: [0],
  rm: [0],
  rmdir: [0],
  unlink: [0],
  rename: [0, 1],
  copyFile: [1],
  cp: [1],
  symlink: [1],
  link: [1],
  chmod: [0],
  lchmod: [0],
  chown: [0],
  lchown: [0],
  utimes: [0],
  lutimes: [0],
  truncate: [0],
};

function install() {
  const log = process.env[LOG_ENV];
  if (!log || fs[GUARD]) return;
  const root = path.resolve(process.env[ROOT_ENV] || path.join(__dirname, ".."));
  const append = fs.appendFileSync.bind(fs);
  // appendFileSync writes through the (guarded) exported functions: the log's own write is not noted.
  let noting = false;
  const note = (op, target) => {
    if (noting || fs[GUARD].stopped) return;
    const where = guardedPath(root, target);
    if (where === undefined) return;
    noting = true;
    try {
      record(op, where);
    } finally {
      noting = false;
    }
  };
  const record = (op, where) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 30;
    const stack = (new Error().stack || "").split("\n").slice(1);
    Error.stackTraceLimit = limit;
    const frames = stack.map((l) => l.trim()).filter((l) => !l.includes("writeGuard.js"));
    const from = frames.find((l) => !l.includes("node_modules") && !l.includes("node:")) || frames[0] || "";
    append(log, `${JSON.stringify({ op, path: where, pid: process.pid, from })}\n`);
  };
  // A guarded call made by another (appendFileSync's writeFileSync) is the same write: noted once.
  let depth = 0;
  const within = (fn) => {
    depth++;
    try {
      return fn();
    } finally {
      depth--;
    }
  };
  const wrap = (target, name, indexes, label) => {
    const original = target[name];
    if (typeof original !== "function") return;
    target[name] = function guarded(...args) {
      if (depth === 0) for (const i of indexes) note(label, args[i]);
      return within(() => original.apply(this, args));
    };
  };
  for (const [op, indexes] of Object.entries(TARGETS)) {
    wrap(fs, op, indexes, op);
    wrap(fs, `${op}Sync`, indexes, op);
    wrap(fs.promises, op, indexes, op);
  }
  for (const [target, name] of [
    [fs, "open"],
    [fs, "openSync"],
    [fs.promises, "open"],
  ]) {
    const original = target[name];
    target[name] = function guarded(file, flags, ...rest) {
      if (depth === 0 && writesWith(flags)) note("open", file);
      return within(() => original.call(this, file, flags, ...rest));
    };
  }
  const createWriteStream = fs.createWriteStream;
  fs.createWriteStream = function guarded(file, ...rest) {
    if (depth === 0) note("createWriteStream", file);
    return within(() => createWriteStream.call(this, file, ...rest));
  };
  fs[GUARD] = { root, log, stopped: false };
}

/** Stops noting in this process (the check is done; what follows is its own cleanup). */
function stop() {
  if (fs[GUARD]) fs[GUARD].stopped = true;
}

install();

module.exports = { guardedPath, writesWith, stop, LOG_ENV, ROOT_ENV };
