// spec-diff from disk and the command line: files (YAML and JSON), the real specs, releaseBump's
// 0.x rule, and the CLI's output and exit codes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { diffSpecs, loadSpecFile, releaseBump } from "../src/spec-diff/index.js";
import { main } from "../bin/spec-diff.js";
import { base30, base31, PAY_REQ, PAY_RES, GET_RES, edited, reorder, addTip, addRefunded } from "./spec-diff-fixtures.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "spec-diff-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("loadSpecFile", () => {
  it("reads YAML and JSON; the same document in either compares as none", () => {
    const yamlFile = join(scratch, "api.yaml");
    const jsonFile = join(scratch, "api.json");
    writeFileSync(yamlFile, stringify(base31()));
    writeFileSync(jsonFile, JSON.stringify(reorder(base31()), null, 2));
    const diff = diffSpecs(loadSpecFile(yamlFile), loadSpecFile(jsonFile));
    expect(diff).toEqual({ bump: "none", changes: [] });
    const changed = join(scratch, "api-changed.json");
    writeFileSync(changed, JSON.stringify(edited(base31, addRefunded)[1]));
    expect(diffSpecs(loadSpecFile(yamlFile), loadSpecFile(changed)).bump).toBe("major");
  });

  it("throws one line naming the file when it cannot be used", () => {
    const bad = join(scratch, "bad.yaml");
    writeFileSync(bad, "openapi: 3.0.3\npaths: {\n");
    const swagger = join(scratch, "swagger.json");
    writeFileSync(swagger, JSON.stringify({ swagger: "2.0", paths: {} }));
    const list = join(scratch, "list.yaml");
    writeFileSync(list, "- a\n- b\n");
    for (const [file, pattern] of [
      [bad, /bad\.yaml.*invalid YAML/],
      [swagger, /swagger\.json: not an OpenAPI 3\.0 or 3\.1 document \(swagger: 2\.0\)/],
      [list, /list\.yaml: not an OpenAPI document/],
      [join(scratch, "missing.yaml"), /missing\.yaml.*file not found/],
    ] as const) {
      let message = "";
      try {
        loadSpecFile(file);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(pattern);
      expect(message).not.toContain("\n");
    }
  });
});

describe("the real specs", () => {
  it.each(["uma-auth/openapi.yaml", "lexe/openapi.yaml", "utexo/v1.yaml", "utexo/v2.yaml", "deezy/openapi.yaml"])("%s against itself: none", (file) => {
    const path = join(root, "specs", file);
    expect(diffSpecs(loadSpecFile(path), loadSpecFile(path))).toEqual({ bump: "none", changes: [] });
  });

  it("utexo v1 -> v2: a short major report, one line per removed or moved operation", () => {
    const diff = diffSpecs(loadSpecFile(join(root, "specs/utexo/v1.yaml")), loadSpecFile(join(root, "specs/utexo/v2.yaml")));
    expect(diff.bump).toBe("major");
    expect(diff.changes.length).toBeLessThan(60);
    const byKind = (kind: string) => diff.changes.filter((c) => c.kind === kind).map((c) => c.pointer).sort();
    expect(byKind("operation-removed")).toEqual([
      "#/paths/~1wallet~1single-use-address/get",
      "#/paths/~1wallet~1withdraw-begin/post",
      "#/paths/~1wallet~1withdraw-end/post",
      "#/paths/~1wallet~1withdraw~1{withdrawal_id}/get",
    ]);
    expect(byKind("operation-moved")).toEqual(["#/paths/~1lightning~1balance/get", "#/paths/~1lightning~1settle/post", "#/paths/~1lightning~1unused-addresses/get"]);
    // Nothing inside a removed operation is listed on its own.
    expect(diff.changes.filter((c) => c.pointer.startsWith("#/paths/~1wallet~1withdraw-begin/post/"))).toEqual([]);
  });
});

describe("releaseBump", () => {
  it("releases a major change below 1.0.0 as a minor, and says so", () => {
    expect(releaseBump("major", "0.3.1", "@satbind/x")).toEqual({
      bump: "minor",
      note: "@satbind/x is below 1.0.0 (0.3.1): a major change is released as a minor bump, as semver's 0.x convention does",
    });
  });
  it("keeps major from 1.0.0 on, and leaves minor, patch and none alone", () => {
    expect(releaseBump("major", "1.0.0", "@satbind/x")).toEqual({ bump: "major" });
    expect(releaseBump("major", "2.4.0-beta.1")).toEqual({ bump: "major" });
    for (const bump of ["minor", "patch", "none"] as const) {
      expect(releaseBump(bump, "0.3.1")).toEqual({ bump });
      expect(releaseBump(bump, "1.2.3")).toEqual({ bump });
    }
  });
  it("names the package when it can, and refuses what is not a version", () => {
    expect(releaseBump("major", "0.0.1").note).toMatch(/^The package is below 1\.0\.0 \(0\.0\.1\)/);
    expect(() => releaseBump("major", "latest")).toThrow(/not a semver version/);
  });
});

describe("pnpm spec-diff (main)", () => {
  const files = () => {
    const before = join(scratch, "cli-old.yaml");
    const after = join(scratch, "cli-new.json");
    const [a, b] = edited(base30, (d) => {
      addRefunded(d);
      addTip(d);
    });
    writeFileSync(before, stringify(a));
    writeFileSync(after, JSON.stringify(b));
    return [before, after] as const;
  };
  const run = (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("--json prints {bump, changes} and nothing else without --package-version", () => {
    const [before, after] = files();
    const { code, out, err } = run([before, after, "--json"]);
    expect(code).toBe(0);
    expect(err).toBe("");
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["bump", "changes"]);
    expect(parsed.bump).toBe("major");
    const changes = parsed.changes as Record<string, unknown>[];
    for (const c of changes) expect(Object.keys(c).sort()).toEqual(["bump", "kind", "message", "pointer"]);
    expect(changes.map((c) => `${c.bump} ${c.kind} ${c.pointer}`).sort()).toEqual([
      `major response-enum-value-added ${PAY_RES}/properties/status`,
      `major response-enum-value-added ${GET_RES}/properties/status`,
      `minor request-field-added ${PAY_REQ}/properties/tip`,
    ]);
  });

  it("--json adds release with --package-version: lowered below 1.0.0, kept from 1.0.0", () => {
    const [before, after] = files();
    const young = JSON.parse(run([before, after, "--json", "--package-version", "0.3.1", "--package", "@satbind/shop"]).out) as Record<string, unknown>;
    expect(Object.keys(young)).toEqual(["bump", "changes", "release"]);
    expect(young.release).toEqual({
      bump: "minor",
      note: "@satbind/shop is below 1.0.0 (0.3.1): a major change is released as a minor bump, as semver's 0.x convention does",
    });
    const grown = JSON.parse(run([before, after, "--json", "--package-version=1.2.0"]).out) as Record<string, unknown>;
    expect(grown.release).toEqual({ bump: "major" });
  });

  it("prints one line per change, then the bump and the 0.x note", () => {
    const [before, after] = files();
    const { code, out } = run([before, after, "--package-version", "0.3.1", "--package", "@satbind/shop"]);
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toBe(`major  response field \`status\` of POST /pay gained enum value "REFUNDED"  ${PAY_RES}/properties/status`);
    expect(lines.filter((l) => /^(major|minor|patch) /.test(l))).toHaveLength(3);
    expect(lines.slice(-3)).toEqual([
      "3 changes: 2 major, 1 minor",
      "bump: major",
      "@satbind/shop is below 1.0.0 (0.3.1): a major change is released as a minor bump, as semver's 0.x convention does",
    ]);
  });

  it("says none for a spec against itself, with exit code 0", () => {
    const [before] = files();
    expect(run([before, before])).toEqual({ code: 0, out: "no changes\nbump: none", err: "" });
  });

  it.each([
    [[], /expected two spec files/],
    [["only-one.yaml"], /expected two spec files/],
    [["a.yaml", "b.yaml", "c.yaml"], /expected two spec files/],
    [["a.yaml", "b.yaml", "--verbose"], /unknown option --verbose/],
    [["a.yaml", "b.yaml", "--package-version"], /--package-version needs a value/],
    [["a.yaml", "b.yaml", "--package-version", "one"], /--package-version must be a semver version/],
  ])("exits 2 on bad usage %j", (argv, message) => {
    const { code, out, err } = run(argv);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(message);
    expect(err.split("\n")).toHaveLength(1);
  });

  it("exits 2 with one line naming an unreadable or invalid file", () => {
    const [before] = files();
    const broken = join(scratch, "broken.json");
    writeFileSync(broken, "{ not json");
    for (const [argv, pattern] of [
      [[before, join(scratch, "nope.yaml")], /nope\.yaml.*file not found/],
      [[broken, before], /broken\.json.*invalid JSON/],
    ] as const) {
      const { code, err } = run([...argv]);
      expect(code).toBe(2);
      expect(err).toMatch(pattern);
      expect(err.split("\n")).toHaveLength(1);
    }
  });
});
