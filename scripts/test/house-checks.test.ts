// The two checks that keep the house in order fail on what they exist to catch:
// check:imports (dependency-cruiser with our rules) on wrong-way and circular imports planted in a
// scratch tree, and check:workflows (actionlint) on a broken workflow.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { lintWorkflows } from "../check-workflows.js";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
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
  const bin = join(root, "node_modules", ".bin", "depcruise");
  const args = ["packages", "scripts", "--config", join(root, ".dependency-cruiser.cjs"), "--output-type", "json"];
  let out: string;
  try {
    out = execFileSync(bin, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    out = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe("check:imports", () => {
  it("passes a tree whose imports run the right way", () => {
    const dir = plant({
      "packages/runtime/src/index.ts": `export const x = 1;\n`,
      "packages/lexe/src/index.ts": `import { y } from "./client.js";\nexport const z = y;\n`,
      "packages/lexe/src/client.ts": `export const y = 2;\n`,
      "scripts/generate.ts": `import { spec } from "./lib/spec.js";\nexport const g = spec;\n`,
      "scripts/lib/spec.ts": `export const spec = 1;\n`,
      "scripts/size.ts": `import { spec } from "./lib/spec.js";\nexport const s = spec;\n`,
    });
    expect(violations(dir)).toEqual([]);
  });

  it("names each wrong-way import and a cycle", () => {
    const dir = plant({
      "packages/runtime/src/index.ts": `import "../../../scripts/lib/spec.js";\nimport "../../lexe/src/index.js";\nexport const x = 1;\n`,
      "packages/lexe/src/index.ts": `import "./a.js";\nexport const z = 1;\n`,
      "packages/lexe/src/a.ts": `import "./b.js";\nexport const a = 1;\n`,
      "packages/lexe/src/b.ts": `import "./a.js";\nexport const b = 1;\n`,
      "scripts/lib/spec.ts": `export const spec = 1;\n`,
      "scripts/lib/render.ts": `import "./published.js";\nexport const r = 1;\n`,
      "scripts/lib/published.ts": `export const p = 1;\n`,
    });
    expect(violations(dir)).toEqual([
      "codegen-not-to-quality: scripts/lib/render.ts -> scripts/lib/published.ts",
      "no-circular: packages/lexe/src/a.ts -> packages/lexe/src/b.ts",
      "package-source-by-name-only: packages/runtime/src/index.ts -> packages/lexe/src/index.ts",
      "packages-not-to-scripts: packages/runtime/src/index.ts -> scripts/lib/spec.ts",
      "runtime-not-to-providers: packages/runtime/src/index.ts -> packages/lexe/src/index.ts",
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
