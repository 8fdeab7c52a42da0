// specs:changeset on a temporary git repository: a spec edit since main becomes the right
// .changeset file with the right bump, 0.x packages release a breaking change as a minor, and
// nothing is written when nothing a user would notice changed.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { specsChangeset } from "../bin/specs-changeset.js";

const SPEC = `openapi: 3.1.0
info: { title: Shop, version: "1.0" }
paths:
  /items:
    get:
      operationId: listItems
      summary: List items
      description: Every item.
      responses:
        "200":
          description: The items.
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Item" } }
  /orders:
    post:
      operationId: createOrder
      summary: Order an item
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [item]
              properties: { item: { type: string } }
      responses:
        "200": { description: Ordered. }
components:
  schemas:
    Item: { type: object, required: [id], properties: { id: { type: string } } }
`;

let root: string;
const out: string[] = [];
const err: string[] = [];
const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" });
const run = (since = "main") => specsChangeset({ root, since, log: (l) => out.push(l), error: (l) => err.push(l) });
const edit = (spec: string, provider = "shop") => writeFileSync(join(root, `specs/${provider}/openapi.yaml`), spec);
const changesets = () => (existsSync(join(root, ".changeset")) ? readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md")) : []);
const changeset = () => readFileSync(join(root, ".changeset", changesets()[0]!), "utf8");

function addProvider(name: string, version: string) {
  mkdirSync(join(root, "specs", name), { recursive: true });
  mkdirSync(join(root, "packages", name), { recursive: true });
  writeFileSync(join(root, "specs", name, "manifest.json"), JSON.stringify({ package: `@satbind/${name}`, description: name, source: { kind: "hand-written" }, specs: { api: "openapi.yaml" } }));
  writeFileSync(join(root, "specs", name, "openapi.yaml"), SPEC);
  writeFileSync(join(root, "packages", name, "package.json"), JSON.stringify({ name: `@satbind/${name}`, version }));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "satbind-changeset-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.org");
  git("config", "user.name", "test");
  addProvider("shop", "0.3.1");
  addProvider("stable", "1.2.0");
  git("add", "-A");
  git("commit", "-qm", "start");
  out.length = 0;
  err.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("specs:changeset", () => {
  it("a new optional request field: a minor changeset naming it", () => {
    edit(SPEC.replace("properties: { item: { type: string } }", "properties: { item: { type: string }, note: { type: string } }"));
    expect(run()).toBe(0);
    expect(changesets()).toHaveLength(1);
    const text = changeset();
    expect(text.startsWith('---\n"@satbind/shop": minor\n---\n\nSpec update (specs/shop/openapi.yaml, compared with main).\n\nNew:\n\n- ')).toBe(true);
    expect(text).toContain("note");
    expect(out).toEqual([expect.stringMatching(/^shop: wrote \.changeset\/spec-shop-[0-9a-f]{8}\.md \(minor; 1 change\)$/)]);
  });

  it("a removed operation on a 0.x package: released as minor, and the file says why", () => {
    edit(SPEC.replace(/  \/orders:[\s\S]*?"200": \{ description: Ordered\. \}\n/, ""));
    expect(run()).toBe(0);
    const text = changeset();
    expect(text).toMatch(/^---\n"@satbind\/shop": minor\n---\n/);
    expect(text).toContain("Breaking for callers:");
    expect(text).toContain("createOrder");
    expect(text).toContain("below 1.0.0");
    expect(out[0]).toMatch(/\(minor, from major; 1 change\)$/);
  });

  it("the same break on a 1.x package is a major", () => {
    edit(SPEC.replace("required: [item]", "required: [item, quantity]").replace("properties: { item: { type: string } }", "properties: { item: { type: string }, quantity: { type: integer } }"), "stable");
    expect(run()).toBe(0);
    expect(changeset()).toMatch(/^---\n"@satbind\/stable": major\n---\n/);
  });

  it("a description edit is a patch", () => {
    edit(SPEC.replace("description: Every item.", "description: Every item in the shop."));
    expect(run()).toBe(0);
    expect(changeset()).toMatch(/^---\n"@satbind\/shop": patch\n---\n[\s\S]*Documentation and examples:/);
  });

  it("a reformatted but identical spec writes nothing", () => {
    edit(SPEC.replace("info: { title: Shop, version: \"1.0\" }", "info:\n  title: Shop\n  version: \"1.0\""));
    expect(run()).toBe(0);
    expect(changesets()).toEqual([]);
    expect(out).toEqual(["shop: spec files changed since main, but nothing a user would notice; no changeset"]);
  });

  it("running twice writes one file; untouched providers get none", () => {
    edit(SPEC.replace("summary: List items", "summary: List every item"));
    run();
    run();
    expect(changesets()).toEqual([expect.stringMatching(/^spec-shop-/)]);
  });

  it("--since a tag compares with that commit, committed edits included", () => {
    git("tag", "v-old");
    edit(SPEC.replace("summary: List items", "summary: List every item"));
    git("commit", "-qam", "docs");
    expect(run("main")).toBe(0);
    expect(changesets()).toEqual([]);
    expect(run("v-old")).toBe(0);
    expect(changeset()).toContain('"@satbind/shop": patch');
  });

  it("an unknown ref fails in one line and writes nothing", () => {
    expect(run("no-such-ref")).toBe(1);
    expect(err).toEqual(["specs:changeset: no-such-ref is not a commit here; pass --since <ref>"]);
    expect(changesets()).toEqual([]);
  });
});
