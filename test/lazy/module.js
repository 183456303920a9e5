// Jest's side of scripts/lazyModules.js: jest.config.js maps each module the
// SDK may have on demand to a file here, which stands in for it and loads the
// real one by its file path (which the mapping does not catch) on first use.
const path = require("path");
const { LAZY_FOR_SDK, lazyModule } = require("../../scripts/lazyModules");

const ROOT = path.resolve(__dirname, "../..");

module.exports = (name) =>
  lazyModule(() => {
    const dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
    const main = require(path.join(dir, "package.json")).main ?? "index.js";
    return require(path.join(dir, main));
  }, LAZY_FOR_SDK[name]);
