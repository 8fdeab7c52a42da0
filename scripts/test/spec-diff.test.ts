// spec-diff: each rule of the contract on a small API, in both directions where it has two, in
// 3.0 and 3.1; $refs reported once per use with the pointer they are reached by; files from disk
// (YAML and JSON); the real specs; releaseBump's 0.x rule; and the CLI's output and exit codes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { diffSpecs, loadSpecFile, releaseBump, type Bump } from "../lib/spec-diff/index.js";
import { main } from "../spec-diff.js";

// Test documents are edited freely; their shape is checked by the code under test, not by types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "spec-diff-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A small payments API in OpenAPI 3.0: Payment is used by two operations, /health is public. */
function base30(): Doc {
  return {
    openapi: "3.0.3",
    info: { title: "Shop", version: "1.0.0", description: "A shop." },
    servers: [{ url: "https://api.shop.example", description: "Production" }],
    security: [{ bearer: [] }],
    paths: {
      "/pay": {
        post: {
          operationId: "pay",
          summary: "Pay",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/PayRequest" }, example: { amount: 10 } } },
          },
          responses: {
            "200": { description: "Paid", content: { "application/json": { schema: { $ref: "#/components/schemas/Payment" } } } },
            "404": { description: "Unknown invoice", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          },
        },
      },
      "/payments/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: {
          operationId: "getPayment",
          parameters: [{ name: "expand", in: "query", schema: { type: "boolean" } }],
          responses: { "200": { description: "The payment", content: { "application/json": { schema: { $ref: "#/components/schemas/Payment" } } } } },
        },
      },
      "/health": { get: { operationId: "health", security: [], responses: { "204": { description: "Up" } } } },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" }, apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" } },
      schemas: {
        PayRequest: {
          type: "object",
          required: ["amount"],
          properties: {
            amount: { type: "number", minimum: 0, exclusiveMinimum: true },
            memo: { type: "string", maxLength: 100, description: "Shown to the payee." },
            currency: { type: "string", enum: ["BTC", "SAT"] },
          },
        },
        Payment: {
          type: "object",
          required: ["id", "status"],
          properties: {
            id: { type: "string" },
            status: { type: "string", enum: ["PENDING", "PAID"] },
            fee: { type: "integer" },
            note: { type: "string", nullable: true },
            fee_detail: { allOf: [{ $ref: "#/components/schemas/Fee" }], nullable: true },
          },
        },
        Fee: { type: "object", properties: { sats: { type: "integer" } } },
        Error: { type: "object", required: ["message"], properties: { message: { type: "string" } } },
      },
    },
  };
}

/** The same API written the OpenAPI 3.1 way. */
function base31(): Doc {
  const doc = base30();
  doc.openapi = "3.1.0";
  const s = doc.components.schemas;
  s.PayRequest.properties.amount = { type: "number", exclusiveMinimum: 0 };
  s.Payment.properties.note = { type: ["string", "null"] };
  s.Payment.properties.fee_detail = { oneOf: [{ $ref: "#/components/schemas/Fee" }, { type: "null" }] };
  return doc;
}

/** A 3.1 API with a recursive schema and an allOf request. */
function tree31(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "Tree", version: "1" },
    paths: {
      "/tree": {
        get: {
          operationId: "getTree",
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } },
        },
        put: {
          operationId: "putTree",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  allOf: [
                    { type: "object", required: ["name"], properties: { name: { type: "string" } } },
                    { type: "object", properties: { tags: { type: "array", items: { type: "string" } }, weight: { type: ["number", "string"] } } },
                  ],
                },
              },
            },
          },
          responses: { "204": { description: "stored" } },
        },
      },
    },
    components: {
      schemas: {
        Node: { type: "object", required: ["name"], properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } },
      },
    },
  };
}

/** base30 with components/parameters, requestBodies and responses, each used by reference. */
function refs30(): Doc {
  const doc = base30();
  doc.components.parameters = { Limit: { name: "limit", in: "query", schema: { type: "integer" } } };
  doc.components.requestBodies = { Pay: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/PayRequest" } } } } };
  doc.components.responses = { NotFound: { description: "Not found", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } };
  const pay = doc.paths["/pay"].post;
  const get = doc.paths["/payments/{id}"].get;
  pay.requestBody = { $ref: "#/components/requestBodies/Pay" };
  pay.parameters = [{ $ref: "#/components/parameters/Limit" }];
  get.parameters.push({ $ref: "#/components/parameters/Limit" });
  pay.responses["404"] = { $ref: "#/components/responses/NotFound" };
  get.responses["404"] = { $ref: "#/components/responses/NotFound" };
  return doc;
}

/** tree31 with a webhook whose payload is a Node: the caller reads it, so directions flip. */
function hook31(): Doc {
  const doc = tree31();
  doc.components.schemas.Node.properties.state = { type: "string", enum: ["new", "done"] };
  doc.webhooks = {
    treeChanged: {
      post: {
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } },
        responses: { "200": { description: "received" } },
      },
    },
  };
  return doc;
}

const PAY_REQ = "#/paths/~1pay/post/requestBody/content/application~1json/schema";
const PAY_RES = "#/paths/~1pay/post/responses/200/content/application~1json/schema";
const GET_RES = "#/paths/~1payments~1{id}/get/responses/200/content/application~1json/schema";
const GET_OP = "#/paths/~1payments~1{id}/get";
const TREE_REQ = "#/paths/~1tree/put/requestBody/content/application~1json/schema";
const TREE_RES = "#/paths/~1tree/get/responses/200/content/application~1json/schema";

function edited(base: () => Doc, edit: (doc: Doc) => void): [Doc, Doc] {
  const before = base();
  const after = structuredClone(before);
  edit(after);
  return [before, after];
}
const reversed = ([a, b]: [Doc, Doc]): [Doc, Doc] => [b, a];

/** Every key of every object in reverse order: the same document, written differently. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]));
}

const props = (doc: Doc, schema: string) => doc.components.schemas[schema].properties;

type Row = [name: string, pair: [Doc, Doc], bump: Bump, changes: [kind: string, pointer: string][]];

const addTip = (d: Doc) => (props(d, "PayRequest").tip = { type: "integer" });
const addRefunded = (d: Doc) => props(d, "Payment").status.enum.push("REFUNDED");
const addSettledAt = (d: Doc) => (props(d, "Payment").settled_at = { type: "string", format: "date-time" });
const addHeaderParam = (d: Doc) => d.paths["/payments/{id}"].get.parameters.push({ name: "X-Trace", in: "header", schema: { type: "string" } });

/** POST /pay answers a Payment or a Fee. */
function unionBase(): Doc {
  const doc = base30();
  doc.paths["/pay"].post.responses["200"].content["application/json"].schema = {
    oneOf: [{ $ref: "#/components/schemas/Payment" }, { $ref: "#/components/schemas/Fee" }],
  };
  return doc;
}
const unionOf = (d: Doc) => d.paths["/pay"].post.responses["200"].content["application/json"].schema.oneOf;

const rows: Row[] = [
  ["identical documents", [base30(), base30()], "none", []],
  ["key order does not matter", [base30(), reorder(base30())], "none", []],
  ["a 3.0 document and the same API in 3.1 (nullable, exclusiveMinimum, oneOf-null)", [base30(), base31()], "patch", [["openapi-version-changed", "#/openapi"]]],

  ["operation removed", edited(base30, (d) => delete d.paths["/payments/{id}"]), "major", [["operation-removed", GET_OP]]],
  ["operation added", reversed(edited(base30, (d) => delete d.paths["/payments/{id}"])), "minor", [["operation-added", GET_OP]]],
  ["operation moved (same operationId, new path)", edited(base30, (d) => {
    d.paths["/payments/{id}/details"] = d.paths["/payments/{id}"];
    delete d.paths["/payments/{id}"];
  }), "major", [["operation-moved", "#/paths/~1payments~1{id}~1details/get"]]],
  ["operationId renamed", edited(base30, (d) => (d.paths["/pay"].post.operationId = "createPayment")), "major", [["operation-renamed", "#/paths/~1pay/post/operationId"]]],

  ["optional request field added", edited(base30, addTip), "minor", [["request-field-added", `${PAY_REQ}/properties/tip`]]],
  ["request field removed", reversed(edited(base30, addTip)), "major", [["request-field-removed", `${PAY_REQ}/properties/tip`]]],
  ["required request field added", edited(base30, (d) => {
    addTip(d);
    d.components.schemas.PayRequest.required.push("tip");
  }), "major", [["request-field-added", `${PAY_REQ}/properties/tip`]]],
  ["request field became required", edited(base30, (d) => d.components.schemas.PayRequest.required.push("memo")), "major", [["request-field-required", `${PAY_REQ}/properties/memo`]]],
  ["request field became optional", reversed(edited(base30, (d) => d.components.schemas.PayRequest.required.push("memo"))), "minor", [["request-field-optional", `${PAY_REQ}/properties/memo`]]],
  ["request field renamed = removed + added", edited(base30, (d) => {
    const p = props(d, "PayRequest");
    p.amount_sats = p.amount;
    delete p.amount;
    d.components.schemas.PayRequest.required = ["amount_sats"];
  }), "major", [["request-field-removed", `${PAY_REQ}/properties/amount`], ["request-field-added", `${PAY_REQ}/properties/amount_sats`]]],

  ["request number -> integer narrows", edited(base30, (d) => (props(d, "PayRequest").amount.type = "integer")), "major", [["request-type-narrowed", `${PAY_REQ}/properties/amount`]]],
  ["request integer -> number widens", reversed(edited(base30, (d) => (props(d, "PayRequest").amount.type = "integer"))), "minor", [["request-type-widened", `${PAY_REQ}/properties/amount`]]],
  ["request string gains format date-time", edited(base30, (d) => (props(d, "PayRequest").memo.format = "date-time")), "major", [["request-format-narrowed", `${PAY_REQ}/properties/memo`]]],
  ["request string loses its format", reversed(edited(base30, (d) => (props(d, "PayRequest").memo.format = "date-time"))), "minor", [["request-format-widened", `${PAY_REQ}/properties/memo`]]],
  ["request maxLength tightened", edited(base30, (d) => (props(d, "PayRequest").memo.maxLength = 50)), "major", [["request-constraint-tightened", `${PAY_REQ}/properties/memo`]]],
  ["request maxLength loosened", edited(base30, (d) => (props(d, "PayRequest").memo.maxLength = 500)), "minor", [["request-constraint-loosened", `${PAY_REQ}/properties/memo`]]],
  ["3.1 request type list shrinks", edited(tree31, (d) => (d.paths["/tree"].put.requestBody.content["application/json"].schema.allOf[1].properties.weight.type = "number")), "major", [["request-type-narrowed", `${TREE_REQ}/allOf/1/properties/weight`]]],
  ["3.1 request type list grows", reversed(edited(tree31, (d) => (d.paths["/tree"].put.requestBody.content["application/json"].schema.allOf[1].properties.weight.type = "number"))), "minor", [["request-type-widened", `${TREE_REQ}/allOf/1/properties/weight`]]],
  ["request enum value removed", edited(base30, (d) => (props(d, "PayRequest").currency.enum = ["BTC"])), "major", [["request-enum-value-removed", `${PAY_REQ}/properties/currency`]]],
  ["request enum value added", edited(base30, (d) => props(d, "PayRequest").currency.enum.push("MSAT")), "minor", [["request-enum-value-added", `${PAY_REQ}/properties/currency`]]],
  ["3.1 request field becomes nullable (minor)", edited(base31, (d) => (props(d, "PayRequest").memo.type = ["string", "null"])), "minor", [["request-became-nullable", `${PAY_REQ}/properties/memo`]]],

  // Payment is used by two operations: each change is reported once per use, through the operation.
  ["response enum value added, in a schema two operations use", edited(base30, addRefunded), "major", [
    ["response-enum-value-added", `${PAY_RES}/properties/status`],
    ["response-enum-value-added", `${GET_RES}/properties/status`],
  ]],
  ["response enum value removed (narrowing output is safe)", reversed(edited(base30, addRefunded)), "minor", [
    ["response-enum-value-removed", `${PAY_RES}/properties/status`],
    ["response-enum-value-removed", `${GET_RES}/properties/status`],
  ]],
  ["response field added", edited(base30, addSettledAt), "minor", [
    ["response-field-added", `${PAY_RES}/properties/settled_at`],
    ["response-field-added", `${GET_RES}/properties/settled_at`],
  ]],
  ["response field removed", reversed(edited(base30, addSettledAt)), "major", [
    ["response-field-removed", `${PAY_RES}/properties/settled_at`],
    ["response-field-removed", `${GET_RES}/properties/settled_at`],
  ]],
  ["response field became optional", edited(base30, (d) => (d.components.schemas.Payment.required = ["id"])), "major", [
    ["response-field-optional", `${PAY_RES}/properties/status`],
    ["response-field-optional", `${GET_RES}/properties/status`],
  ]],
  ["response field became required", edited(base30, (d) => d.components.schemas.Payment.required.push("fee")), "minor", [
    ["response-field-required", `${PAY_RES}/properties/fee`],
    ["response-field-required", `${GET_RES}/properties/fee`],
  ]],
  ["3.0 response field becomes nullable (major)", edited(base30, (d) => (props(d, "Payment").fee.nullable = true)), "major", [
    ["response-became-nullable", `${PAY_RES}/properties/fee`],
    ["response-became-nullable", `${GET_RES}/properties/fee`],
  ]],
  ["3.1 response field becomes nullable (major)", edited(base31, (d) => (props(d, "Payment").fee.type = ["integer", "null"])), "major", [
    ["response-became-nullable", `${PAY_RES}/properties/fee`],
    ["response-became-nullable", `${GET_RES}/properties/fee`],
  ]],
  ["3.1 response field no longer nullable (minor)", edited(base31, (d) => (props(d, "Payment").note.type = "string")), "minor", [
    ["response-no-longer-nullable", `${PAY_RES}/properties/note`],
    ["response-no-longer-nullable", `${GET_RES}/properties/note`],
  ]],
  ["response type widened integer -> number", edited(base30, (d) => (props(d, "Payment").fee.type = "number")), "major", [
    ["response-type-widened", `${PAY_RES}/properties/fee`],
    ["response-type-widened", `${GET_RES}/properties/fee`],
  ]],
  ["a response that becomes a union (oneOf) of what it was and more", [base30(), unionBase()], "major", [["response-union-changed", PAY_RES]]],

  ["a union gains a variant: major in a response", edited(unionBase, (d) => unionOf(d).push({ $ref: "#/components/schemas/Error" })), "major", [
    ["response-variant-added", `${PAY_RES}/oneOf/2`],
  ]],
  ["a union loses a variant: minor in a response", reversed(edited(unionBase, (d) => unionOf(d).push({ $ref: "#/components/schemas/Error" }))), "minor", [
    ["response-variant-removed", `${PAY_RES}/oneOf/2`],
  ]],
  ["optional header parameter added", edited(base30, addHeaderParam), "minor", [["parameter-added", `${GET_OP}/parameters/1`]]],
  ["parameter removed", reversed(edited(base30, addHeaderParam)), "major", [["parameter-removed", `${GET_OP}/parameters/1`]]],
  ["required parameter added at path level (merged with the operation's)", edited(base30, (d) => {
    d.paths["/payments/{id}"].parameters.push({ name: "account", in: "query", required: true, schema: { type: "string" } });
  }), "major", [["parameter-added", "#/paths/~1payments~1{id}/parameters/1"]]],
  ["operation-level parameter overrides the path-level one with a narrower type", edited(base30, (d) => {
    d.paths["/payments/{id}"].get.parameters.push({ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } });
  }), "major", [["parameter-format-narrowed", `${GET_OP}/parameters/1/schema`]]],
  ["parameter became required", edited(base30, (d) => (d.paths["/payments/{id}"].get.parameters[0].required = true)), "major", [["parameter-required", `${GET_OP}/parameters/0`]]],
  ["parameter moved from query to header", edited(base30, (d) => (d.paths["/payments/{id}"].get.parameters[0].in = "header")), "major", [["parameter-moved", `${GET_OP}/parameters/0`]]],
  ["parameter renamed = removed + added", edited(base30, (d) => (d.paths["/payments/{id}"].get.parameters[0].name = "include")), "major", [
    ["parameter-removed", `${GET_OP}/parameters/0`],
    ["parameter-added", `${GET_OP}/parameters/0`],
  ]],

  ["request body became optional", edited(base30, (d) => (d.paths["/pay"].post.requestBody.required = false)), "minor", [["request-body-optional", "#/paths/~1pay/post/requestBody"]]],
  ["request body removed", edited(base30, (d) => delete d.paths["/pay"].post.requestBody), "major", [["request-body-removed", "#/paths/~1pay/post/requestBody"]]],
  ["documented error response removed (minor)", edited(base30, (d) => delete d.paths["/pay"].post.responses["404"]), "minor", [["response-removed", "#/paths/~1pay/post/responses/404"]]],
  ["error response added (minor)", reversed(edited(base30, (d) => delete d.paths["/pay"].post.responses["404"])), "minor", [["response-added", "#/paths/~1pay/post/responses/404"]]],
  ["success response removed (major)", edited(base30, (d) => {
    const r = d.paths["/payments/{id}"].get.responses;
    r["202"] = { description: "Accepted" };
    delete r["200"];
  }), "major", [["response-removed", `${GET_OP}/responses/200`], ["response-added", `${GET_OP}/responses/202`]]],

  ["public operation now requires auth (security: [] -> inherited)", edited(base30, (d) => delete d.paths["/health"].get.security), "major", [["security-changed", "#/paths/~1health/get"]]],
  ["operation no longer requires auth", reversed(edited(base30, (d) => delete d.paths["/health"].get.security)), "major", [["security-changed", "#/paths/~1health/get/security"]]],
  ["global auth requirement changed", edited(base30, (d) => (d.security = [{ apiKey: [] }])), "major", [["security-changed", "#/security"]]],
  ["auth scheme changed (header name)", edited(base30, (d) => {
    d.security = [{ apiKey: [] }];
    d.components.securitySchemes.apiKey.name = "Authorization";
  }), "major", [["security-changed", "#/security"], ["security-scheme-changed", "#/components/securitySchemes/apiKey"]]],

  ["default server URL changed (minor)", edited(base30, (d) => (d.servers[0].url = "https://v2.shop.example")), "minor", [["server-changed", "#/servers/0"]]],
  ["behaviour extension x-satbind-moves-funds added (minor)", edited(base30, (d) => (d.paths["/pay"].post["x-satbind-moves-funds"] = true)), "minor", [["operation-behaviour-changed", "#/paths/~1pay/post/x-satbind-moves-funds"]]],
  ["documentation only: descriptions, summaries, examples, titles, x- extensions", edited(base30, (d) => {
    d.info.description = "A better shop.";
    d.paths["/pay"].post.summary = "Pay an invoice";
    d.paths["/pay"].post.requestBody.content["application/json"].example = { amount: 20 };
    props(d, "PayRequest").memo.description = "Shown to whoever is paid.";
    d.components.schemas.Payment.title = "A payment";
    d.paths["/pay"].post["x-internal-note"] = "reviewed";
  }), "patch", [
    ["info-changed", "#/info/description"],
    ["summary-changed", "#/paths/~1pay/post/summary"],
    ["example-changed", "#/paths/~1pay/post/requestBody/content/application~1json/example"],
    ["extension-changed", "#/paths/~1pay/post/x-internal-note"],
    ["description-changed", "#/components/schemas/PayRequest/properties/memo/description"],
    ["title-changed", "#/components/schemas/Payment/title"],
  ]],
  ["a new schema is a new exported type (minor)", edited(base30, (d) => (d.components.schemas.Unused = { type: "string" })), "minor", [["component-added", "#/components/schemas/Unused"]]],
  ["a change inside a schema no operation uses is a patch, not nothing", edited(() => {
    const d = base30();
    d.components.schemas.Draft = { type: "object", properties: { x: { type: "string" } } };
    return d;
  }, (d) => (props(d, "Draft").x.type = "number")), "patch", [["other-changed", "#/components/schemas/Draft/properties/x/type"]]],
  ["$ref inside allOf inside a shared schema: pointer through both", edited(base30, (d) => (props(d, "Fee").sats.type = "number")), "major", [
    ["response-type-widened", `${PAY_RES}/properties/fee_detail/allOf/0/properties/sats`],
    ["response-type-widened", `${GET_RES}/properties/fee_detail/allOf/0/properties/sats`],
  ]],

  ["$ref to components/parameters: reported per operation using it", edited(refs30, (d) => (d.components.parameters.Limit.required = true)), "major", [
    ["parameter-required", "#/paths/~1pay/post/parameters/0"],
    ["parameter-required", `${GET_OP}/parameters/1`],
  ]],
  ["$ref to components/responses: reported per operation using it", edited(refs30, (d) => delete props(d, "Error").message), "major", [
    ["response-field-removed", "#/paths/~1pay/post/responses/404/content/application~1json/schema/properties/message"],
    ["response-field-removed", `${GET_OP}/responses/404/content/application~1json/schema/properties/message`],
  ]],
  ["$ref to components/requestBodies", edited(refs30, (d) => (d.components.requestBodies.Pay.required = false)), "minor", [["request-body-optional", "#/paths/~1pay/post/requestBody"]]],
  ["webhook payload gains an enum value: major, the caller reads it", edited(hook31, (d) => props(d, "Node").state.enum.push("archived")), "major", [
    ["response-enum-value-added", `${TREE_RES}/properties/state`],
    ["payload-enum-value-added", "#/webhooks/treeChanged/post/requestBody/content/application~1json/schema/properties/state"],
  ]],
  ["allOf: a field added to one member is found through the merge", edited(tree31, (d) => {
    d.paths["/tree"].put.requestBody.content["application/json"].schema.allOf[1].properties.colour = { type: "string" };
  }), "minor", [["request-field-added", `${TREE_REQ}/allOf/1/properties/colour`]]],
  ["allOf: the same fields split differently is no change to callers", edited(tree31, (d) => {
    const content = d.paths["/tree"].put.requestBody.content["application/json"];
    const [a, b] = content.schema.allOf;
    content.schema = { type: "object", required: ["name"], properties: { ...a.properties, ...b.properties } };
  }), "none", []],
  ["recursive schema: a field added is reported once, at the top", edited(tree31, (d) => (d.components.schemas.Node.properties.size = { type: "integer" })), "minor", [["response-field-added", `${TREE_RES}/properties/size`]]],
  ["recursive schema: removing the recursive field is one change", edited(tree31, (d) => delete d.components.schemas.Node.properties.children), "major", [["response-field-removed", `${TREE_RES}/properties/children`]]],
];

describe("diffSpecs", () => {
  it("has at least 24 spec pairs", () => expect(rows.length).toBeGreaterThanOrEqual(24));

  it.each(rows)("%s", (_name, [before, after], bump, expected) => {
    const diff = diffSpecs(before, after);
    const got = diff.changes.map((c) => `${c.kind} ${c.pointer}`).sort();
    expect(got).toEqual(expected.map(([kind, pointer]) => `${kind} ${pointer}`).sort());
    expect(diff.bump).toBe(bump);
    // The overall bump is the highest of the changes'.
    const order: Bump[] = ["none", "patch", "minor", "major"];
    expect(diff.changes.reduce<Bump>((top, c) => (order.indexOf(c.bump) > order.indexOf(top) ? c.bump : top), "none")).toBe(bump);
  });

  it("says what changed in words a user understands", () => {
    const messages = (pair: [Doc, Doc]) => diffSpecs(...pair).changes.map((c) => c.message);
    expect(messages(edited(base30, (d) => delete d.paths["/pay"]))).toEqual(["operation pay (POST /pay) was removed"]);
    expect(messages(edited(base30, (d) => d.components.schemas.PayRequest.required.push("memo")))).toEqual(["request field `memo` of POST /pay became required"]);
    expect(messages(edited(base30, addRefunded))).toEqual([
      'response field `status` of POST /pay gained enum value "REFUNDED"',
      'response field `status` of GET /payments/{id} gained enum value "REFUNDED"',
    ]);
    expect(messages(edited(base30, (d) => delete d.paths["/health"].get.security))).toEqual(["GET /health now requires auth: bearer"]);
    expect(messages(edited(base30, addHeaderParam))).toEqual(["header parameter `X-Trace` of GET /payments/{id} was added (optional)"]);
    expect(messages(edited(base30, (d) => (props(d, "Error").message.type = "integer")))).toEqual([
      "response field `message` of POST /pay (status 404): type changed from string to integer",
    ]);
  });

  it("reports a pointer into the old document for what was removed", () => {
    const [change] = diffSpecs(...edited(base30, (d) => delete d.paths["/pay"])).changes;
    expect(change).toEqual({ kind: "operation-removed", pointer: "#/paths/~1pay/post", bump: "major", message: "operation pay (POST /pay) was removed" });
  });

  it("rejects what is not a parsed document", () => {
    expect(() => diffSpecs("openapi: 3.0.3", base30())).toThrow(/parsed OpenAPI objects/);
  });
});

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
