// Which code may import which (pnpm check:imports). Imports run one way:
//   published code (packages/*/src) -> nothing under scripts/
//   the runtime -> no provider package and not the test kit
//   a package -> another package only by name (@satbind/x), never by a relative path
//   a package's source -> only what resolves, and no devDependency its build does not bundle
//   scripts/codegen -> no other tool; scripts/specs and scripts/test-support -> codegen only;
//   scripts/reliability -> codegen and test-support; scripts/quality may use them all, none uses it
//   (a tool's tests may also use test-support)
// and nothing anywhere is part of an import cycle.
const tools = (...allowed) => `^scripts/(?!${allowed.map((a) => `${a}/`).join("|")})[^/]+/`;

// Dependencies a package bundles into its dist (tsup's noExternal), by package: its users get them
// inside the package, so its source may import them although they are devDependencies.
const { readdirSync, readFileSync } = require("node:fs");
const bundledBy = Object.fromEntries(
  readdirSync(`${__dirname}/packages`).flatMap((name) => {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(`${__dirname}/packages/${name}/package.json`, "utf8"));
    } catch {
      return [];
    }
    const bundled = manifest.tsup?.noExternal ?? [];
    return bundled.length > 0 ? [[name, bundled.map((dep) => `(^|/)node_modules/${dep.replace(/[.+]/g, "\\$&")}/`).join("|")]] : [];
  }),
);
const devDepsRule = (from, bundled) => ({
  name: "package-source-not-to-dev-deps",
  severity: "error",
  comment: "What a package's source imports must be a dependency its users get (or one its build bundles), not a devDependency.",
  from: { path: from, pathNot: "\\.test(-d)?\\.ts$" },
  to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"], ...(bundled && { pathNot: bundled }) },
});
const bundlers = Object.keys(bundledBy);

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle makes load order matter and hides which module owns what.",
      from: {},
      to: { circular: true, viaOnly: { pathNot: "\\.d\\.ts$" } },
    },
    {
      name: "packages-not-to-scripts",
      severity: "error",
      comment: "Published code must never reach our own tooling: it is not in the tarballs (tests may use its test support).",
      from: { path: "^packages/[^/]+/src/" },
      to: { path: "^scripts/" },
    },
    {
      name: "runtime-not-to-providers",
      severity: "error",
      comment: "The runtime is shared by every provider; it knows none of them, nor the test kit.",
      from: { path: "^packages/runtime/src/" },
      to: { path: "^packages/(?!runtime/)" },
    },
    {
      name: "by-name-only",
      severity: "error",
      comment: "A package reaches another through its entry points (@satbind/x), as a user does, never by a relative path.",
      from: { path: "^(packages|scripts)/([^/]+)/" },
      to: { path: "^(packages|scripts)/", pathNot: "^$1/$2/", dependencyTypes: ["local"] },
    },
    {
      name: "package-source-resolvable",
      severity: "error",
      comment: "Everything a package's source imports must resolve: an undeclared dependency breaks for users.",
      from: { path: "^packages/[^/]+/src/" },
      to: { couldNotResolve: true },
    },
    devDepsRule(bundlers.length > 0 ? `^packages/(?!(${bundlers.join("|")})/)[^/]+/src/` : "^packages/[^/]+/src/"),
    ...bundlers.map((name) => devDepsRule(`^packages/${name}/src/`, bundledBy[name])),
    {
      name: "codegen-stands-alone",
      severity: "error",
      comment: "The generator is read top to bottom on its own: it imports no other tool of ours.",
      from: { path: "^scripts/codegen/(src|bin)/" },
      to: { path: tools("codegen") },
    },
    {
      name: "specs-on-codegen-only",
      severity: "error",
      comment: "The spec lifecycle builds on the generator's spec loading, nothing else of ours.",
      from: { path: "^scripts/specs/(src|bin)/" },
      to: { path: tools("specs", "codegen") },
    },
    {
      name: "test-support-on-codegen-only",
      severity: "error",
      comment: "Test support reads specs through the generator's loader, and needs nothing else of ours.",
      from: { path: "^scripts/test-support/(src|bin)/" },
      to: { path: tools("test-support", "codegen") },
    },
    {
      name: "reliability-on-test-support",
      severity: "error",
      comment: "The reliability suite runs on test support and the generator's spec loading.",
      from: { path: "^scripts/reliability/(src|bin)/" },
      to: { path: tools("reliability", "test-support", "codegen") },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|\\.turbo)/|/generated/" },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
