// specs:lint on a scratch repository: a clean spec passes, and each of our rules and Redocly's
// reports one line with file, line, pointer and rule, and fails the run.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lintSpecs } from "../bin/specs-lint.js";

const CLEAN = `openapi: 3.0.3
info: { title: Shop, version: "1.0", description: A shop. }
servers: [{ url: "https://shop.example.org" }]
security: [{ key: [] }]
tags: [{ name: items, description: Items. }]
paths:
  /items/{id}:
    get:
      operationId: getItem
      summary: Get an item
      tags: [items]
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
              examples: { one: { value: { id: "a", price: 3 } } }
        "404": { description: No such item. }
components:
  securitySchemes: { key: { type: apiKey, in: header, name: x-key } }
  schemas:
    Item: { type: object, required: [id], properties: { id: { type: string }, price: { type: integer } } }
`;

let root: string;
const out: string[] = [];
const err: string[] = [];
const lint = () => lintSpecs({ root, providers: [], log: (l) => out.push(l), error: (l) => err.push(l) });

function writeSpec(spec: string) {
  writeFileSync(join(root, "specs/shop/openapi.yaml"), spec);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "satbind-lint-"));
  copyFileSync(fileURLToPath(new URL("../../../redocly.yaml", import.meta.url)), join(root, "redocly.yaml"));
  mkdirSync(join(root, "specs/shop"), { recursive: true });
  writeFileSync(join(root, "specs/shop/manifest.json"), JSON.stringify({ package: "@satbind/shop", description: "shop", source: { kind: "hand-written" }, specs: { api: "openapi.yaml" } }));
  writeSpec(CLEAN);
  out.length = 0;
  err.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("specs:lint", () => {
  it("passes a clean spec", () => {
    expect(lint()).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual(["specs:lint: 1 spec, 0 errors, 0 warnings"]);
  });

  it.each([
    ["an operation without a summary", CLEAN.replace("      summary: Get an item\n", ""), "specs/shop/openapi.yaml:8:5 #/paths/~1items~1{id}/get: GET /items/{id} (getItem) has no summary [operation-summary]"],
    ["an operation without an error response", CLEAN.replace('        "404": { description: No such item. }\n', ""), "specs/shop/openapi.yaml:13:7 #/paths/~1items~1{id}/get/responses: GET /items/{id} (getItem) documents no error response (4xx, 5xx or default) [operation-error-response]"],
    ["a wrong example", CLEAN.replace("price: 3 }", 'price: "3" }'), "specs/shop/openapi.yaml:19:34 #/paths/~1items~1{id}/get/responses/200/content/application~1json/examples/one/value: example does not match its schema at /price: must be integer [valid-examples]"],
    ["an operation without an operationId", CLEAN.replace("      operationId: getItem\n", ""), "[valid-spec]"],
  ])("our rules: %s", (_, spec, line) => {
    writeSpec(spec);
    expect(lint()).toBe(1);
    expect(err.filter((l) => l.includes(line))).toHaveLength(1);
    expect(err.at(-1)).toMatch(/^specs:lint: 1 spec, [1-9]\d* errors?, \d+ warnings?$/);
  });

  it("Redocly's rules: an undeclared path parameter and an undefined security scheme", () => {
    writeSpec(CLEAN.replace("/items/{id}:", "/items/{id}/{size}:").replace("security: [{ key: [] }]", "security: [{ token: [] }]"));
    expect(lint()).toBe(1);
    expect(err.some((l) => l.startsWith("specs/shop/openapi.yaml:") && l.endsWith("[path-parameters-defined]"))).toBe(true);
    expect(err.some((l) => l.includes("[security-defined]"))).toBe(true);
  });

  it("warnings are printed and do not fail the run", () => {
    writeSpec(CLEAN.replace("tags: [{ name: items, description: Items. }]", "tags: [{ name: items }]"));
    expect(lint()).toBe(0);
    expect(out.some((l) => l.endsWith("[tag-description] (warning)"))).toBe(true);
    expect(out.at(-1)).toBe("specs:lint: 1 spec, 0 errors, 1 warning");
  });

  it("formats: decimal strings are checked, prose formats are quiet, an unknown one is one warning, and ajv prints nothing", () => {
    const spec = CLEAN.replace("price: { type: integer }", 'price: { type: string, format: decimal }, paid: { type: integer, format: "unix timestamp in seconds" }, note: { type: string, format: made-up }, memo: { type: string, format: made-up }')
      .replace("price: 3 }", 'price: "3.50", paid: 1700000000 }');
    const printed: unknown[] = [];
    const spies = (["log", "warn", "error"] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args) => void printed.push(args)));
    writeSpec(spec);
    try {
      expect(lint()).toBe(0);
      expect(out.filter((l) => l.includes("[unknown-format]"))).toEqual([
        'specs/shop/openapi.yaml:24:183 #/components/schemas/Item/properties/note: format "made-up" is not known: values are not checked against it (and 1 more); add it to scripts/codegen/src/formats.ts if it means something checkable [unknown-format] (warning)',
      ]);
      writeSpec(spec.replace('price: "3.50"', 'price: "3,50"'));
      out.length = 0;
      expect(lint()).toBe(1);
      expect(err.some((l) => l.includes('example does not match its schema at /price: must match format "decimal" [valid-examples]'))).toBe(true);
      expect(printed).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("names an unknown provider", () => {
    expect(lintSpecs({ root, providers: ["nope"], log: () => {}, error: (l) => err.push(l) })).toBe(2);
    expect(err).toEqual(["unknown provider nope: specs/ has shop"]);
  });
});
