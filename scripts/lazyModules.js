// The Pulumi SDK requires TypeScript's compiler (9 MB) and npm's Arborist at
// load, for closure serialization (turning JavaScript functions into Lambda
// code), which this program never uses. Deferring them until first use saves
// about 0.25 s of every process that loads the SDK (docs/bench.md); the first
// property read loads the real module, so nothing behaves differently.

/**
 * Module names the SDK may have on demand instead of at load. `asEsModule`:
 * the SDK star-imports it (`__importStar` copies every key, which would load
 * it), so the stand-in answers `__esModule` itself and is used as it is; the
 * SDK reads only named members of it (`arborist.Arborist`).
 */
const LAZY_FOR_SDK = {
  typescript: { asEsModule: false },
  "@npmcli/arborist": { asEsModule: true },
};

/** A stand-in for a module that loads the real one on first use. */
function lazyModule(load, { asEsModule = false } = {}) {
  let real;
  const target = () => (real ??= load());
  return new Proxy(
    {},
    {
      get: (_, key) => (asEsModule && key === "__esModule" ? true : target()[key]),
      has: (_, key) => key in target(),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Object.getOwnPropertyDescriptor(target(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
}

/** Installs the deferral in node's loader, for requires from inside @pulumi/pulumi only. */
function deferForSdk() {
  const Module = require("module");
  const load = Module._load;
  const stand = new Map();
  Module._load = function deferredLoad(request, parent, isMain) {
    const lazy = Object.hasOwn(LAZY_FOR_SDK, request) ? LAZY_FOR_SDK[request] : undefined;
    if (lazy && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(parent?.filename ?? "")) {
      if (!stand.has(request))
        stand.set(
          request,
          lazyModule(() => load.call(Module, request, parent, false), lazy),
        );
      return stand.get(request);
    }
    return load.call(this, request, parent, isMain);
  };
}

module.exports = { LAZY_FOR_SDK, deferForSdk, lazyModule };
