// pnpm generate on a fetched spec, with no network: the pristine upstream plus its overlays make the
// spec file, --check catches drift on either side, an edited upstream is refused, and a spec-only
// provider is validated and typed without a package.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../bin/generate.js";

const UPSTREAM = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Shop", version: "1.0" },
  paths: {
    "/items/{id}": {
      get: {
        summary: "Get an item",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } } },
      },
    },
  },
  components: { schemas: { Item: { type: "object", properties: { price: { type: "string", format: "decimal", example: 5 } } } } },
});
// The upstream has no operationId and a wrong example: both fixed by overlay, never by hand.
const FIXES = `overlay: 1.0.0
info: { title: Upstream fixes, version: "1" }
actions:
  - target: $.paths['/items/{id}'].get
    update: { operationId: getItem }
  - target: $.components.schemas.Item.properties.price
    update: { example: "5.00" }
`;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let root: string;
const logs: string[] = [];
const errors: string[] = [];
const run = (check = false) => generate({ root, providers: [], check, log: (l) => logs.push(l), error: (l) => errors.push(l) });
const path = (file: string) => join(root, "specs/shop", file);
const read = (file: string) => readFileSync(path(file), "utf8");

function writeProvider(extra: object = {}, withPackage = true): void {
  mkdirSync(path("upstream"), { recursive: true });
  mkdirSync(path("overlays"), { recursive: true });
  writeFileSync(path("upstream/openapi.json"), UPSTREAM);
  writeFileSync(path("overlays/10-fixes.yaml"), FIXES);
  const source = { kind: "fetched", url: "https://shop.example/openapi.json", sha256: sha256(UPSTREAM) };
  writeFileSync(path("manifest.json"), JSON.stringify({ package: "@satbind/shop", description: "shop", source, specs: { api: "openapi.yaml" }, ...extra }));
  if (!withPackage) return;
  mkdirSync(join(root, "packages/shop"), { recursive: true });
  writeFileSync(join(root, "packages/shop/README.md"), "# shop\n\n<!-- generated:operations:start -->\n<!-- generated:operations:end -->\n");
  writeFileSync(join(root, "packages/shop/package.json"), JSON.stringify({ name: "@satbind/shop", version: "0.1.0" }, null, 2));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "satbind-generate-fetched-"));
  logs.length = 0;
  errors.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("generate: fetched specs, offline", () => {
  it("makes the spec from upstream + overlays, then the package; --check passes; drift on either side is caught", async () => {
    writeProvider();
    expect(await run()).toBe(0);
    expect(errors).toEqual([]);
    expect(logs[0]).toBe("specs/shop/openapi.yaml: written from upstream + overlays");
    const spec = parse(read("openapi.yaml"));
    expect(spec.paths["/items/{id}"].get.operationId).toBe("getItem");
    expect(readFileSync(join(root, "packages/shop/src/generated/api/operations.ts"), "utf8")).toContain("getItem");
    expect(read("upstream/openapi.json")).toBe(UPSTREAM);

    logs.length = 0;
    expect(await run(true)).toBe(0);
    expect(logs).toEqual(["generate --check: 1 provider up to date"]);

    // An overlay edited without regenerating: the spec file is stale.
    writeFileSync(path("overlays/10-fixes.yaml"), FIXES.replace('example: "5.00"', 'example: "6.00"'));
    expect(await run(true)).toBe(1);
    expect(errors).toContain("stale: specs/shop/openapi.yaml (upstream + overlays make a different spec)");
    // A hand edit of the spec file: stale too, and generate puts the overlaid upstream back.
    writeFileSync(path("overlays/10-fixes.yaml"), FIXES);
    writeFileSync(path("openapi.yaml"), read("openapi.yaml").replace("title: Shop", "title: Mine"));
    errors.length = 0;
    expect(await run(true)).toBe(1);
    expect(errors).toContain("stale: specs/shop/openapi.yaml (upstream + overlays make a different spec)");
    expect(await run()).toBe(0);
    expect(parse(read("openapi.yaml")).info.title).toBe("Shop");
  });

  it("an edited pristine upstream is refused, and nothing is written", async () => {
    writeProvider();
    expect(await run()).toBe(0);
    const spec = read("openapi.yaml");
    const edited = UPSTREAM.replace('"title":"Shop"', '"title":"Mine"');
    writeFileSync(path("upstream/openapi.json"), edited);
    logs.length = 0;
    expect(await run()).toBe(1);
    expect(errors).toEqual([
      `specs/shop/upstream/openapi.json #: sha256 ${sha256(edited).slice(0, 8)}… does not match the pin ${sha256(UPSTREAM).slice(0, 8)}… in manifest.json: the pristine upstream must not be edited (fix it with an overlay in overlays/); to accept a new upstream run pnpm specs:fetch shop --update`,
      "generate: 1 problem; nothing was written",
    ]);
    expect(read("openapi.yaml")).toBe(spec);
  });

  it("without the overlay, the upstream's defects stop generation, named where they are", async () => {
    writeProvider();
    rmSync(path("overlays/10-fixes.yaml"));
    expect(await run()).toBe(1);
    expect(errors[0]).toMatch(/^specs\/shop\/openapi\.yaml:\d+:\d+ #\/paths\/~1items~1\{id\}\/get: missing operationId on GET \/items\/\{id\}; add one with an overlay action/);
    // The spec file written for rendering is taken back: nothing was written.
    expect(existsSync(path("openapi.yaml"))).toBe(false);
    expect(existsSync(join(root, "packages/shop/src"))).toBe(false);
  });

  it.each([
    ["several parts without a merge", { parts: [{ url: "https://a.example/a.json", sha256: "a".repeat(64) }, { url: "https://a.example/b.json", sha256: "b".repeat(64) }] }, '#/source/merge: several parts need "merge": "deep"'],
    ["a url that names no .json or .yaml file, and no file", { url: "https://a.example/api/spec", sha256: "a".repeat(64) }, '#/source/file: expected "upstream/<name>.json" or ".yaml" for the pristine copy; got "upstream/spec"'],
    ["a pristine file outside upstream/", { url: "https://a.example/a.json", sha256: "a".repeat(64), file: "../a.json" }, '#/source/file: expected "upstream/<name>.json" or ".yaml" for the pristine copy; got "../a.json"'],
    ["a copy pinned by hand without its origin", { file: "upstream/a.json", sha256: "a".repeat(64) }, '#/source/url: a fetched spec needs its upstream url (or, for a copy pinned by hand, "file" and "origin")'],
  ])("a fetched source's manifest problem is one line: %s", async (_name, source, message) => {
    mkdirSync(path(""), { recursive: true });
    writeFileSync(path("manifest.json"), JSON.stringify({ package: "@satbind/shop", description: "shop", source: { kind: "fetched", ...source }, specs: { api: "openapi.yaml" } }));
    expect(await run()).toBe(1);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain(message);
  });

  it("spec only: validated and typed, the spec file written, no package", async () => {
    writeProvider({ specOnly: true }, false);
    expect(await run()).toBe(0);
    expect(logs).toEqual(["specs/shop/openapi.yaml: written from upstream + overlays", "shop: spec only (validated, types generated; no package yet)"]);
    expect(existsSync(join(root, "packages"))).toBe(false);
    logs.length = 0;
    expect(await run(true)).toBe(0);
    expect(logs).toEqual(["generate --check: 1 provider up to date"]);
    // Its examples are checked like any spec's.
    writeFileSync(path("overlays/10-fixes.yaml"), FIXES.replace('example: "5.00"', 'example: "five"'));
    expect(await run()).toBe(1);
    expect(errors[0]).toContain('example does not match its schema: must match format "decimal"');
  });
});
