// The generator on a scratch repository: good specs generate deterministically, --check notices
// staleness, and each kind of bad spec gives one clear line and leaves packages/ untouched.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../bin/generate.js";

const GOOD_SPEC = `openapi: 3.1.0
info: { title: Shop, version: "1.0" }
servers:
  - url: https://{host}/api
    variables: { host: { default: shop.example } }
security: [{ bearer: [] }]
paths:
  /items/{id}:
    get:
      operationId: getItem
      summary: Get an item
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Item" } } } }
  /pay:
    post:
      operationId: pay
      summary: Pay | settle
      x-satbind-moves-funds: true
      responses: { "200": { description: ok } }
  /public:
    get:
      operationId: health
      security: []
      responses: { "200": { description: ok } }
components:
  securitySchemes: { bearer: { type: http, scheme: bearer } }
  schemas:
    Item: { type: object, required: [id], properties: { id: { type: string } } }
`;

let root: string;
const logs: string[] = [];
const errors: string[] = [];
const run = (providers: string[] = [], check = false) =>
  generate({ root, providers, check, log: (l) => logs.push(l), error: (l) => errors.push(l) });

function writeProvider(name: string, spec: string, file = "openapi.yaml") {
  mkdirSync(join(root, "specs", name), { recursive: true });
  writeFileSync(join(root, "specs", name, file), spec);
  writeFileSync(
    join(root, "specs", name, "manifest.json"),
    JSON.stringify({ package: `@satbind/${name}`, description: `${name} client`, source: { kind: "hand-written" }, specs: { api: file } }),
  );
  mkdirSync(join(root, "packages", name), { recursive: true });
  writeFileSync(join(root, "packages", name, "README.md"), `# ${name}\n\n<!-- generated:operations:start -->\n<!-- generated:operations:end -->\n\nHand-written tail.\n`);
  writeFileSync(join(root, "packages", name, "package.json"), JSON.stringify({ name: `@satbind/${name}`, version: "1.2.3", dependencies: { x: "1" } }, null, 2));
}

/** Replace only the spec (and the manifest's pointer to it), nothing under packages/. */
function writeSpec(name: string, spec: string, file = "openapi.yaml") {
  rmSync(join(root, "specs", name), { recursive: true });
  mkdirSync(join(root, "specs", name));
  writeFileSync(join(root, "specs", name, file), spec);
  writeFileSync(
    join(root, "specs", name, "manifest.json"),
    JSON.stringify({ package: `@satbind/${name}`, description: `${name} client`, source: { kind: "hand-written" }, specs: { api: file } }),
  );
}

/** sha256 of every file under packages/, to prove nothing changed. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full)] = createHash("sha256").update(readFileSync(full)).digest("hex");
    }
  };
  walk(join(root, "packages"));
  return out;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "satbind-gen-"));
  logs.length = 0;
  errors.length = 0;
  writeFileSync(join(root, "LICENSE"), "MIT\n");
  writeProvider("shop", GOOD_SPEC);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("generate", () => {
  it("writes types, the operations table, the README table and the owned package.json fields", async () => {
    expect(await run()).toBe(0);
    const pkg = join(root, "packages", "shop");
    const operations = readFileSync(join(pkg, "src/generated/api/operations.ts"), "utf8");
    expect(operations).toContain('getItem: { method: "GET", path: "/items/{id}", retrySafe: true, movesFunds: false, auth: "required" },');
    expect(operations).toContain('pay: { method: "POST", path: "/pay", retrySafe: false, movesFunds: true, auth: "required" },');
    expect(operations).toContain('health: { method: "GET", path: "/public", retrySafe: true, movesFunds: false, auth: "none" },');
    const schema = readFileSync(join(pkg, "src/generated/api/schema.ts"), "utf8");
    expect(schema).toContain('"/items/{id}"');
    expect(schema).toContain("export type Item = components['schemas']['Item'];");
    // The 2xx body schemas for validateResponses: a component stays a reference, descriptions go.
    const responses = readFileSync(join(pkg, "src/generated/api/responses.ts"), "utf8");
    expect(responses).toContain('"getItem": {"200":{"$ref":"#/components/schemas/Item"}},');
    expect(responses).toContain('"pay": {"200":true},');
    expect(responses).toContain('"Item": {"type":"object","required":["id"],"properties":{"id":{"type":"string"}}},');
    const readme = readFileSync(join(pkg, "README.md"), "utf8");
    expect(readme).toContain("| `pay` | POST | `/pay` | Pay \\| settle | never: moves funds |");
    expect(readme).toContain("Hand-written tail.");
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@satbind/shop", version: "1.2.3", sideEffects: false, dependencies: { x: "1" } });
    expect(manifest.exports["."].require.types).toBe("./dist/index.d.cts");
    // The spec as data, its own entry point, typed with the generated operations.
    expect(manifest.exports["./spec"].require).toEqual({ types: "./dist/generated/api/spec.d.cts", default: "./dist/generated/api/spec.cjs" });
    // The response validator, an entry point of its own so only bundles that import it carry the schemas.
    expect(manifest.exports["./validate"].import).toEqual({ types: "./dist/generated/api/validate.d.ts", default: "./dist/generated/api/validate.js" });
    expect(manifest.typesVersions).toEqual({ "*": { spec: ["./dist/generated/api/spec.d.ts"], validate: ["./dist/generated/api/validate.d.ts"] } });
    // One copy of the package's code shared by the entry points, in CommonJS too.
    expect(manifest.tsup).toMatchObject({ entry: ["src/index.ts", "src/generated/api/spec.ts", "src/generated/api/validate.ts"], splitting: true });
    const validateModule = readFileSync(join(pkg, "src/generated/api/validate.ts"), "utf8");
    expect(validateModule).toContain('import { createResponseValidator, type ResponseValidator } from "@satbind/runtime/validate";');
    expect(validateModule).toContain("export const responseValidator: ResponseValidator = createResponseValidator(operationTable, responseSchemas);");
    const specModule = readFileSync(join(pkg, "src/generated/api/spec.ts"), "utf8");
    expect(specModule).toContain('import type { operations } from "./schema.js";');
    expect(specModule).toContain('readonly "~operations"?: operations;');
    expect(specModule).toContain('export const spec = document as OpenApiSpec;');
    expect(specModule).not.toContain("as const");
    const { spec } = (await import(pathToFileURL(join(pkg, "src/generated/api/spec.ts")).href)) as { spec: unknown };
    expect(spec).toEqual(parseYaml(GOOD_SPEC));
    expect(readFileSync(join(pkg, "LICENSE"), "utf8")).toBe("MIT\n");
  });

  it("turns a manifest with several specs into one entry point per spec", async () => {
    writeProvider("shop", GOOD_SPEC);
    writeFileSync(join(root, "specs/shop/v2.yaml"), GOOD_SPEC.replace("/items/{id}", "/v2/items/{id}"));
    writeFileSync(
      join(root, "specs/shop/manifest.json"),
      JSON.stringify({ package: "@satbind/shop", description: "shop client", source: { kind: "hand-written" }, specs: { v1: "openapi.yaml", v2: "v2.yaml" } }),
    );
    expect(await run()).toBe(0);
    const pkg = join(root, "packages", "shop");
    expect(readFileSync(join(pkg, "src/generated/v2/schema.ts"), "utf8")).toContain('"/v2/items/{id}"');
    expect(readFileSync(join(pkg, "src/generated/v1/schema.ts"), "utf8")).not.toContain('"/v2/items/{id}"');
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
    expect(Object.keys(manifest.exports)).toEqual([".", "./v1", "./v2", "./v1/spec", "./v1/validate", "./v2/spec", "./v2/validate", "./package.json"]);
    expect(manifest.exports["./v2"].require.default).toBe("./dist/v2.cjs");
    expect(manifest.exports["./v2/spec"].import).toEqual({ types: "./dist/generated/v2/spec.d.ts", default: "./dist/generated/v2/spec.js" });
    expect(manifest.typesVersions).toEqual({
      "*": {
        v1: ["./dist/v1.d.ts"],
        v2: ["./dist/v2.d.ts"],
        "v1/spec": ["./dist/generated/v1/spec.d.ts"],
        "v1/validate": ["./dist/generated/v1/validate.d.ts"],
        "v2/spec": ["./dist/generated/v2/spec.d.ts"],
        "v2/validate": ["./dist/generated/v2/validate.d.ts"],
      },
    });
    expect(manifest.tsup).toMatchObject({
      entry: ["src/index.ts", "src/v1.ts", "src/v2.ts", "src/generated/v1/spec.ts", "src/generated/v1/validate.ts", "src/generated/v2/spec.ts", "src/generated/v2/validate.ts"],
      splitting: true,
    });
  });

  it("is deterministic: a second run changes nothing and --check passes", async () => {
    await run();
    const first = snapshot();
    expect(await run()).toBe(0);
    expect(snapshot()).toEqual(first);
    expect(logs.at(-1)).toBe("shop: unchanged");
    expect(await run([], true)).toBe(0);
  });

  it("--check fails after a spec edit and names the stale files, without writing", async () => {
    await run();
    writeFileSync(join(root, "specs/shop/openapi.yaml"), GOOD_SPEC.replace("Get an item", "Fetch one item"));
    const before = snapshot();
    expect(await run([], true)).toBe(1);
    expect(snapshot()).toEqual(before);
    expect(errors).toContain("stale: packages/shop/README.md");
    expect(errors).toContain("stale: packages/shop/src/generated/api/schema.ts");
    expect(errors.at(-1)).toMatch(/generated files are out of date; run pnpm generate/);
  });

  it("--check notices a stray file in generated/", async () => {
    await run();
    writeFileSync(join(root, "packages/shop/src/generated/api/extra.ts"), "export {};\n");
    expect(await run([], true)).toBe(1);
    expect(errors).toContain("stale: packages/shop/src/generated/api/extra.ts (not generated any more)");
    await run();
    expect(await run([], true)).toBe(0);
  });

  it("generates only the provider named", async () => {
    writeProvider("other", GOOD_SPEC);
    expect(await run(["other"])).toBe(0);
    expect(logs).toEqual(["other: 8 files updated"]);
    expect(await run(["nope"])).toBe(2);
    expect(errors.at(-1)).toBe("unknown provider nope: specs/ has other, shop");
  });
});

describe("bad specs: one line each, packages/ untouched", () => {
  const cases: [string, string, string, RegExp][] = [
    ["invalid YAML", "openapi.yaml", "openapi: 3.1.0\npaths:\n  /a: [unclosed\n", /^specs\/shop\/openapi\.yaml:\d+:\d+ #: invalid YAML: /],
    ["invalid JSON", "openapi.json", '{"openapi": "3.1.0", "paths": {,}}', /^specs\/shop\/openapi\.json:1:\d+ #: invalid JSON: /],
    [
      "a dangling $ref",
      "openapi.yaml",
      GOOD_SPEC.replace('$ref: "#/components/schemas/Item"', '$ref: "#/components/schemas/Itme"'),
      /^specs\/shop\/openapi\.yaml:14:\d+ #\/paths\/~1items~1\{id\}\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "#\/components\/schemas\/Itme" does not resolve: nothing at #\/components\/schemas\/Itme in this file$/,
    ],
    [
      "a dangling $ref to another file",
      "openapi.yaml",
      GOOD_SPEC.replace('$ref: "#/components/schemas/Item"', '$ref: "./missing.yaml#/Item"'),
      /#\/paths\/~1items~1\{id\}\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "\.\/missing\.yaml#\/Item" cannot be resolved: \.\/missing\.yaml not found$/,
    ],
    ["a missing operationId", "openapi.yaml", GOOD_SPEC.replace("      operationId: pay\n", ""), /^specs\/shop\/openapi\.yaml:16:\d+ #\/paths\/~1pay\/post: missing operationId on POST \/pay; add one with an overlay action in specs\/<provider>\/overlays\/: \{ target: "\$\.paths\['\/pay'\]\.post", update: \{ operationId: postPay \} \}$/],
    [
      "a duplicate operationId",
      "openapi.yaml",
      GOOD_SPEC.replace("operationId: pay", "operationId: getItem"),
      /^specs\/shop\/openapi\.yaml:17:\d+ #\/paths\/~1pay\/post\/operationId: duplicate operationId "getItem" \(first used at #\/paths\/~1items~1\{id\}\/get\)$/,
    ],
    [
      "a schema example that does not match its schema",
      "openapi.yaml",
      GOOD_SPEC.replace("properties: { id: { type: string } } }", "properties: { id: { type: string } }, examples: [{ id: 42 }] }"),
      /^specs\/shop\/openapi\.yaml:29:\d+ #\/components\/schemas\/Item\/examples\/0: example does not match its schema at \/id: must be string$/,
    ],
    [
      "a response example without a required field (OpenAPI 3.0)",
      "openapi.yaml",
      GOOD_SPEC.replace("openapi: 3.1.0", "openapi: 3.0.3").replace('$ref: "#/components/schemas/Item" }', '$ref: "#/components/schemas/Item" }, example: { name: x }').replace("{ id: { type: string } }", "{ id: { type: string, nullable: true }, n: { type: integer, minimum: 0, exclusiveMinimum: true } }"),
      /^specs\/shop\/openapi\.yaml:14:\d+ #\/paths\/~1items~1\{id\}\/get\/responses\/200\/content\/application~1json\/example: example does not match its schema: must have required property 'id'$/,
    ],
    ["an unknown OpenAPI version", "openapi.yaml", GOOD_SPEC.replace("openapi: 3.1.0", "openapi: 4.0.0"), /^specs\/shop\/openapi\.yaml:1:\d+ #\/openapi: unsupported OpenAPI version "4\.0\.0" \(expected 3\.0\.x or 3\.1\.x\)$/],
    ["a Swagger 2 document", "openapi.yaml", GOOD_SPEC.replace("openapi: 3.1.0", 'swagger: "2.0"'), /^specs\/shop\/openapi\.yaml:1:\d+ #\/swagger: unsupported OpenAPI version "swagger: 2\.0"/],
  ];

  it.each(cases)("%s", async (_name, file, spec, line) => {
    await run();
    const before = snapshot();
    writeSpec("shop", spec, file);
    expect(await run()).toBe(1);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(line);
    expect(errors[1]).toBe("generate: 1 problem; nothing was written");
    expect(snapshot()).toEqual(before);
  });

  it("reports every problem in a spec, one line each", async () => {
    await run();
    writeSpec("shop", GOOD_SPEC.replace("      operationId: pay\n", "").replace("operationId: health", "operationId: getItem").replace("Item }", "Nope }"));
    const before = snapshot();
    expect(await run()).toBe(1);
    expect(errors).toHaveLength(3);
    expect(errors.at(-1)).toBe("generate: 2 problems; nothing was written");
    expect(snapshot()).toEqual(before);
  });

  it("a bad manifest is one line too", async () => {
    writeFileSync(join(root, "specs/shop/manifest.json"), JSON.stringify({ package: "shop", description: "x", source: { kind: "hand-written" }, specs: { api: "openapi.yaml" } }));
    expect(await run()).toBe(1);
    expect(errors[0]).toMatch(/^specs\/shop\/manifest\.json:1:\d+ #\/package: expected "package": "@satbind\/<name>"$/);
  });
});
