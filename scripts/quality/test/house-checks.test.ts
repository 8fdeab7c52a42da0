// The two checks that keep the house in order fail on what they exist to catch:
// check:imports (dependency-cruiser with our rules) on wrong-way and circular imports planted in a
// scratch tree, and check:workflows (actionlint) on a broken workflow.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cruiseImports } from "../bin/check-imports.js";
import { lintWorkflows } from "../bin/check-workflows.js";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const scratch = mkdtempSync(join(tmpdir(), "satbind-house-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function plant(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, "tree-"));
  copyFileSync(join(root, "tsconfig.base.json"), join(dir, "tsconfig.base.json"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs the repository's own check:imports rules over a scratch tree; returns the rule names that fired. */
function violations(dir: string): string[] {
  const result = cruiseImports(dir, join(root, ".dependency-cruiser.cjs"), ["--output-type", "json"]);
  const report = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

/** A tool package of ours in the scratch tree, linked into `users`' node_modules as pnpm links workspace packages. */
function tool(dir: string, name: string, users: string[]): void {
  mkdirSync(join(dir, "scripts", name, "src"), { recursive: true });
  writeFileSync(join(dir, "scripts", name, "package.json"), JSON.stringify({ name: `@satbind/${name}`, type: "module", exports: { "./*": "./src/*.ts" } }));
  for (const user of users) {
    const link = join(dir, user, "node_modules", "@satbind", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(dir, "scripts", name), link, "dir");
  }
}

describe("check:imports", () => {
  it("passes a tree whose imports run the right way", () => {
    const dir = plant({
      "packages/runtime/src/index.ts": `export const x = 1;\n`,
      "packages/lexe/src/index.ts": `import { y } from "./client.js";\nexport const z = y;\n`,
      "packages/lexe/src/client.ts": `export const y = 2;\n`,
      "packages/lexe/test/contract.test.ts": `import { cases } from "@satbind/test-support/contract";\nexport const c = cases;\n`,
      "scripts/codegen/src/spec.ts": `export const spec = 1;\n`,
      "scripts/test-support/src/contract.ts": `import { spec } from "@satbind/codegen/spec";\nexport const cases = spec;\n`,
      "scripts/quality/bin/size.ts": `import { spec } from "@satbind/codegen/spec";\nimport { cases } from "@satbind/test-support/contract";\nexport const s = spec + cases;\n`,
    });
    tool(dir, "codegen", ["scripts/test-support", "scripts/quality"]);
    tool(dir, "test-support", ["packages/lexe", "scripts/quality"]);
    expect(violations(dir)).toEqual([]);
  });

  it("names each wrong-way import and a cycle (a planted wrong-way import fails the check)", () => {
    const dir = plant({
      "packages/runtime/src/index.ts": `import "../../../scripts/codegen/src/spec.js";\nimport "../../lexe/src/index.js";\nexport const x = 1;\n`,
      "packages/lexe/src/index.ts": `import "./a.js";\nexport const z = 1;\n`,
      "packages/lexe/src/a.ts": `import "./b.js";\nexport const a = 1;\n`,
      "packages/lexe/src/b.ts": `import "./a.js";\nexport const b = 1;\n`,
      "scripts/codegen/src/spec.ts": `export const spec = 1;\n`,
      "scripts/codegen/src/render.ts": `import { p } from "@satbind/quality/published";\nexport const r = p;\n`,
      "scripts/specs/src/lint.ts": `import { cases } from "@satbind/test-support/contract";\nexport const l = cases;\n`,
      "scripts/test-support/src/contract.ts": `export const cases = 1;\n`,
      "scripts/quality/src/published.ts": `export const p = 1;\n`,
    });
    tool(dir, "quality", ["scripts/codegen"]);
    tool(dir, "test-support", ["scripts/specs"]);
    expect(violations(dir)).toEqual([
      "by-name-only: packages/runtime/src/index.ts -> packages/lexe/src/index.ts",
      "by-name-only: packages/runtime/src/index.ts -> scripts/codegen/src/spec.ts",
      "codegen-stands-alone: scripts/codegen/src/render.ts -> scripts/quality/src/published.ts",
      "no-circular: packages/lexe/src/a.ts -> packages/lexe/src/b.ts",
      "packages-not-to-scripts: packages/runtime/src/index.ts -> scripts/codegen/src/spec.ts",
      "runtime-not-to-providers: packages/runtime/src/index.ts -> packages/lexe/src/index.ts",
      "specs-on-codegen-only: scripts/specs/src/lint.ts -> scripts/test-support/src/contract.ts",
    ]);
  });
});

describe("check:imports on npm dependencies", () => {
  /** An installed npm package in `dir`'s node_modules (as pnpm links one for the package that declares it). */
  function installed(dir: string, name: string): void {
    mkdirSync(join(dir, "node_modules", name), { recursive: true });
    writeFileSync(join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, main: "index.js" }));
    writeFileSync(join(dir, "node_modules", name, "index.js"), "module.exports = 1;\n");
  }

  it("refuses a devDependency in a package's source, unless that package's build bundles it", () => {
    const dir = plant({
      "packages/lexe/package.json": JSON.stringify({ name: "@satbind/lexe", dependencies: { "used-dep": "1" }, devDependencies: { "dev-only": "1" } }),
      "packages/lexe/src/index.ts": `import "used-dep";\nimport "dev-only";\nexport const z = 1;\n`,
      "packages/lexe/test/index.test.ts": `import "dev-only";\n`,
      // The repository's own testing package bundles @noble/secp256k1 (tsup noExternal).
      "packages/testing/package.json": JSON.stringify({ name: "@satbind/testing", devDependencies: { "@noble/secp256k1": "3", "dev-only": "1" } }),
      "packages/testing/src/index.ts": `import "@noble/secp256k1";\nimport "dev-only";\nexport const t = 1;\n`,
      "scripts/README.md": "",
    });
    for (const name of ["used-dep", "dev-only", "@noble/secp256k1"]) installed(dir, name);
    expect(violations(dir)).toEqual([
      "package-source-not-to-dev-deps: packages/lexe/src/index.ts -> node_modules/dev-only/index.js",
      "package-source-not-to-dev-deps: packages/testing/src/index.ts -> node_modules/dev-only/index.js",
    ]);
  });
});

describe("check:workflows", () => {
  it("finds nothing in our own workflows", async () => {
    const { files, findings } = await lintWorkflows(join(root, ".github", "workflows"));
    expect(files.map((f) => f.split("/").pop())).toEqual(["ci.yml", "release.yml", "specs.yml"]);
    expect(findings).toEqual([]);
  });

  it("names the file, line and problem of a broken workflow", async () => {
    const dir = mkdtempSync(join(scratch, "workflows-"));
    writeFileSync(
      join(dir, "ci.yml"),
      ["on: push", "jobs:", "  test:", "    runs-on: ubuntu-latest", "    strategy:", "      matrix:", "        node: [20]", "    steps:", "      - run: echo ${{ matrix.nod }}", ""].join("\n"),
    );
    const { findings } = await lintWorkflows(dir);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 9, kind: "expression" });
    expect(findings[0]!.message).toContain('"nod"');
  });
});
