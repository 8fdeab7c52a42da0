// spec-diff: each rule of the contract on a small API, in both directions where it has two, in
// 3.0 and 3.1; $refs reported once per use with the pointer they are reached by. Files from disk,
// the real specs, releaseBump and the CLI are in spec-diff-cli.test.ts.
import { describe, expect, it } from "vitest";
import { diffSpecs, type Bump } from "../src/spec-diff/index.js";
import { type Doc, base30, base31, tree31, refs30, hook31, PAY_REQ, PAY_RES, GET_RES, GET_OP, TREE_REQ, TREE_RES, edited, reversed, reorder, props, type Row, addTip, addRefunded, addSettledAt, addHeaderParam, unionBase, unionOf } from "./spec-diff-fixtures.js";

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
  // Callers see no change, but the document did change (and ships as the package's ./spec): a
  // patch that says so, never "no changes".
  ["allOf: the same fields split differently is no change to callers", edited(tree31, (d) => {
    const content = d.paths["/tree"].put.requestBody.content["application/json"];
    const [a, b] = content.schema.allOf;
    content.schema = { type: "object", required: ["name"], properties: { ...a.properties, ...b.properties } };
  }), "patch", [["other-changed", "#/paths/~1tree/put/requestBody/content/application~1json/schema/allOf"]]],
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
