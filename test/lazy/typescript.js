// See test/lazy/module.js.
module.exports = require("./module")("typescript");
