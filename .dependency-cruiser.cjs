// Which code may import which (pnpm check:imports). Imports run one way:
//   published code (packages/*/src) -> nothing under scripts/
//   the runtime -> no provider package and not the test kit
//   a package's source -> other packages only by name (@satbind/x), never by relative path
//   the generator and the spec lifecycle -> not the quality tools (size, bench, matrix, release, checks)
// and nothing anywhere is part of an import cycle.
const quality = "^scripts/(size|bench|runtimes|release-rehearse|package-checks|consumer-check)\\.ts$|^scripts/lib/(bench|release|runtimes)/|^scripts/lib/(published|consumer)\\.ts$";
const codegenAndSpecs = "^scripts/(generate|specs-[a-z-]+|spec-diff|mock)\\.ts$|^scripts/lib/(render|spec|spec-module|operations|manifest|overlay|lint|fetch-spec|spec-diff|formats)(\\.ts$|/)";

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
      name: "package-source-by-name-only",
      severity: "error",
      comment: "A package reaches another through its published entry points (@satbind/x), as a user does.",
      from: { path: "^packages/([^/]+)/src/" },
      to: { path: "^packages/", pathNot: ["^packages/$1/", "node_modules"], dependencyTypesNot: ["npm", "npm-dev", "npm-peer", "npm-optional", "npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "package-source-resolvable",
      severity: "error",
      comment: "Everything a package's source imports must resolve: an undeclared dependency breaks for users.",
      from: { path: "^packages/[^/]+/src/" },
      to: { couldNotResolve: true },
    },
    {
      name: "package-source-not-to-dev-deps",
      severity: "error",
      comment: "What a package's source imports must be a dependency its users get, not a devDependency.",
      from: { path: "^packages/[^/]+/src/", pathNot: "\\.test(-d)?\\.ts$" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "codegen-not-to-quality",
      severity: "error",
      comment: "The generator and the spec lifecycle stand alone; package checks, size, bench and the matrix build on them, not the other way.",
      from: { path: codegenAndSpecs },
      to: { path: quality },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules|\\.turbo)/|/generated/" },
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
