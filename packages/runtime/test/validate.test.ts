// The response validator: every documented 2xx example of the real specs must pass, mutations of
// those examples must fail at the right pointer, and each keyword it reads is checked by hand.
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { documentedResponses } from "@satbind/test-support/contract";
import { responseSchemas } from "@satbind/codegen/responses";
import { loadAndValidateSpec } from "@satbind/codegen/spec";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { ResponseValidationError } from "../src/errors.js";
import { createApiClient, type CommonClientOptions, type OperationTable } from "../src/index.js";
import { createResponseValidator, validateResponse, validateValue, type JsonSchema, type ResponseSchemas, type ValidationProblem } from "../src/validate.js";

const SPECS = ["uma-auth/openapi.yaml", "lexe/openapi.yaml", "deezy/openapi.yaml", "utexo/v1.yaml", "utexo/v2.yaml"];
const SECRET = "SECRET-VALUE-123";

/** The schemas the generator would emit for a spec, and every example of its 2xx answers. */
function load(spec: string) {
  const file = fileURLToPath(new URL(`../../../specs/${spec}`, import.meta.url));
  const result = loadAndValidateSpec(file);
  if (!result.ok) throw new Error(`${spec} does not load: ${result.problems.map((p) => p.message).join("; ")}`);
  const schemas = responseSchemas(result.spec) as ResponseSchemas;
  const examples = documentedResponses(file)
    .filter(({ status }) => status >= 200 && status < 300)
    .flatMap(({ operationId, status, examples }) => examples.map((example, index) => ({ operationId, status, index, example })));
  return { schemas, examples };
}

function exampleOf(loaded: ReturnType<typeof load>, operationId: string, index = 0): Record<string, unknown> {
  const found = loaded.examples.find((e) => e.operationId === operationId && e.index === index);
  if (!found) throw new Error(`no example ${index} for ${operationId}`);
  return structuredClone(found.example) as Record<string, unknown>;
}

const v30 = (schema: JsonSchema, value: unknown, components: Record<string, JsonSchema> = {}) => validateValue(schema, value, { openapi: "3.0", components });
const v31 = (schema: JsonSchema, value: unknown, components: Record<string, JsonSchema> = {}) => validateValue(schema, value, { openapi: "3.1", components });
const at = (pointer: string, message: string): ValidationProblem => ({ pointer, message });

describe.each(SPECS)("documented 2xx examples of %s", (spec) => {
  const { schemas, examples } = load(spec);

  // An empty list would make the it.each below pass vacuously.
  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  // toEqual([]) also fails on undefined: an example with no schema to check against is a gap too.
  it.each(examples)("$operationId $status example $index matches its schema", ({ operationId, status, example }) => {
    expect(validateResponse(schemas, operationId, status, example)).toEqual([]);
  });
});

describe("mutations of Lexe examples", () => {
  const lexe = load("lexe/openapi.yaml");
  const getPayment = (body: unknown) => validateResponse(lexe.schemas, "get_payment", 200, body);
  // The completed payment: amount and finalized_at are set.
  const payment = () => exampleOf(lexe, "get_payment", 1);

  it("starts from an example that passes", () => {
    expect(getPayment(payment())).toEqual([]);
  });

  it("reports a missing required field at its pointer", () => {
    const body = payment();
    delete body.status_msg;
    expect(getPayment(body)).toEqual([at("/status_msg", "is required but missing")]);
  });

  it("reports a wrong type", () => {
    expect(getPayment({ ...payment(), status_msg: 42 })).toEqual([at("/status_msg", "expected string, got integer")]);
  });

  it("reports a value outside the enum, listing the allowed values", () => {
    expect(getPayment({ ...payment(), direction: "sideways" })).toEqual([at("/direction", 'is not one of "inbound", "outbound", "info"')]);
  });

  it("reports a pattern mismatch through a component reference", () => {
    expect(getPayment({ ...payment(), index: "not-an-index" })).toEqual([at("/index", "does not match the pattern ^[0-9]{19}-(fr|fs|ln|or|os)_[0-9a-f]{64}$")]);
  });

  // amount is oneOf [Amount, null]: both branches fail at /amount itself, so neither explains
  // better and the first branch's reason is quoted.
  it("reports a value that matches no branch of a nullable oneOf", () => {
    expect(getPayment({ ...payment(), amount: 10 })).toEqual([at("/amount", "matches none of the 2 shapes the spec allows (expected string, got integer)")]);
  });

  // The list example has no payments, so real ones are put in to reach /payments/<i>/...
  it("points into array elements of a list answer", () => {
    const first = payment();
    delete first.fees;
    const second = { ...payment(), status: "settled" };
    const body = { ...exampleOf(lexe, "list_payments"), payments: [first, second] };
    expect(validateResponse(lexe.schemas, "list_payments", 200, body)).toEqual([
      at("/payments/0/fees", "is required but missing"),
      at("/payments/1/status", 'is not one of "pending", "completed", "failed"'),
    ]);
  });

  it("reports an undocumented status at the whole body, naming the documented ones", () => {
    expect(validateResponse(lexe.schemas, "get_payment", 201, payment())).toEqual([at("", "HTTP 201 is not a documented answer (the spec lists 200)")]);
  });

  it("returns undefined for an operation it does not know", () => {
    expect(validateResponse(lexe.schemas, "no_such_operation", 200, payment())).toBeUndefined();
  });
});

describe("validateResponse on hand-written schemas", () => {
  const schemas: ResponseSchemas = {
    openapi: "3.1",
    operations: { ranged: { "2XX": { type: "string" } }, no_json: {} },
    components: {},
  };

  it("falls back from the exact status to its 2XX range", () => {
    expect(validateResponse(schemas, "ranged", 202, "ok")).toEqual([]);
    expect(validateResponse(schemas, "ranged", 202, 5)).toEqual([at("", "expected string, got integer")]);
  });

  it("returns undefined when the operation has no JSON schema for any status", () => {
    expect(validateResponse(schemas, "no_json", 204, undefined)).toBeUndefined();
  });

  it("accepts a documented status without a JSON body (the generator writes it as true)", () => {
    const mixed: ResponseSchemas = { openapi: "3.1", operations: { both: { "200": { type: "object" }, "204": true } }, components: {} };
    expect(validateResponse(mixed, "both", 204, undefined)).toEqual([]);
    expect(validateResponse(mixed, "both", 200, [])).toEqual([at("", "expected object, got array")]);
  });
});

describe("keywords", () => {
  describe("null", () => {
    it("3.0 reads nullable: true", () => {
      expect(v30({ type: "string", nullable: true }, null)).toEqual([]);
      expect(v30({ type: "string", nullable: true }, 5)).toEqual([at("", "expected string or null, got integer")]);
      expect(v30({ type: "string" }, null)).toEqual([at("", "expected string, got null")]);
    });

    it("3.0 nullable beside a $ref or allOf allows null, as the generated types do", () => {
      const components: Record<string, JsonSchema> = { Item: { type: "object", required: ["id"] } };
      expect(v30({ nullable: true, allOf: [{ $ref: "#/components/schemas/Item" }] }, null, components)).toEqual([]);
      expect(v30({ nullable: true, allOf: [{ $ref: "#/components/schemas/Item" }] }, {}, components)).toEqual([at("/id", "is required but missing")]);
    });

    it('3.1 reads "null" in type and ignores nullable', () => {
      expect(v31({ type: ["string", "null"] }, null)).toEqual([]);
      expect(v31({ type: ["string", "null"] }, 5)).toEqual([at("", "expected string or null, got integer")]);
      expect(v31({ type: "string", nullable: true }, null)).toEqual([at("", "expected string, got null")]);
    });
  });

  describe("anyOf and oneOf", () => {
    // The shape utexo's 3.0 specs use for "a Payment or null".
    const components: Record<string, JsonSchema> = {
      Payment: { type: "object", required: ["id", "amount_sats"], properties: { id: { type: "string" }, amount_sats: { type: "integer" } } },
      NullValue: { type: "object", nullable: true, enum: [null] },
    };
    const paymentOrNull = { anyOf: [{ $ref: "#/components/schemas/Payment" }, { $ref: "#/components/schemas/NullValue" }] };

    it("passes when any branch passes", () => {
      expect(v30(paymentOrNull, null, components)).toEqual([]);
      expect(v30(paymentOrNull, { id: "p1", amount_sats: 1 }, components)).toEqual([]);
    });

    it("reports the branch that got deepest, not the null branch", () => {
      expect(v30(paymentOrNull, { id: "p1" }, components)).toEqual([at("/amount_sats", "is required but missing")]);
    });

    it("measures how deep a branch got in levels, not characters", () => {
      const schema = {
        anyOf: [
          { type: "object", properties: { a: { type: "object", properties: { b: { type: "string" } } } } },
          { type: "object", required: ["longfieldname"] },
        ],
      };
      expect(v31(schema, { a: { b: 1 } })).toEqual([at("/a/b", "expected string, got integer")]);
    });

    it("says no branch matched when none got past the value itself", () => {
      expect(v30(paymentOrNull, "p1", components)).toEqual([at("", "matches none of the 2 shapes the spec allows (expected object, got string)")]);
    });

    it("rejects a value that matches more than one oneOf branch", () => {
      const schema = { oneOf: [{ type: "number" }, { type: "integer" }] };
      expect(v31(schema, 1.5)).toEqual([]);
      expect(v31(schema, 3)).toEqual([at("", "matches 2 of the oneOf shapes; the spec allows exactly one")]);
    });
  });

  describe("objects", () => {
    it("additionalProperties: false rejects unlisted fields", () => {
      const schema = { type: "object", properties: { a: { type: "string" } }, additionalProperties: false };
      expect(v31(schema, { a: "x" })).toEqual([]);
      expect(v31(schema, { a: "x", extra: 1 })).toEqual([at("/extra", "is not a field the spec allows here")]);
    });

    it("unlisted fields pass when additionalProperties is absent", () => {
      expect(v31({ type: "object", properties: { a: { type: "string" } } }, { a: "x", extra: 1 })).toEqual([]);
    });

    it("additionalProperties as a schema checks every unlisted field", () => {
      const schema = { type: "object", properties: { name: { type: "string" } }, additionalProperties: { type: "integer" } };
      expect(v31(schema, { name: "n", a: 1, b: "two" })).toEqual([at("/b", "expected integer, got string")]);
    });

    it("escapes ~ and / in pointers", () => {
      expect(v31({ type: "object", required: ["a/b~c"] }, {})).toEqual([at("/a~1b~0c", "is required but missing")]);
      expect(v31({ type: "object", properties: { "a/b~c": { type: "string" } } }, { "a/b~c": 1 })).toEqual([at("/a~1b~0c", "expected string, got integer")]);
    });

    it("resolves a reference to a component whose name needs escaping", () => {
      expect(v31({ $ref: "#/components/schemas/a~1b" }, 1, { "a/b": { type: "string" } })).toEqual([at("", "expected string, got integer")]);
    });
  });

  describe("strings", () => {
    it("pattern", () => {
      expect(v31({ type: "string", pattern: "^[0-9]+$" }, "123")).toEqual([]);
      expect(v31({ type: "string", pattern: "^[0-9]+$" }, "12a")).toEqual([at("", "does not match the pattern ^[0-9]+$")]);
    });

    it("skips a pattern JavaScript cannot compile rather than failing every answer", () => {
      expect(v31({ type: "string", pattern: "(" }, "anything")).toEqual([]);
    });

    it("minLength and maxLength, counted in code points", () => {
      const schema = { type: "string", minLength: 2, maxLength: 3 };
      expect(v31(schema, "ab")).toEqual([]);
      expect(v31(schema, "a")).toEqual([at("", "is shorter than 2 characters")]);
      expect(v31(schema, "abcd")).toEqual([at("", "is longer than 3 characters")]);
      expect(v31({ type: "string", maxLength: 1 }, "🙂")).toEqual([]);
    });
  });

  describe("numbers", () => {
    it("integer rejects a fraction", () => {
      expect(v31({ type: "integer" }, 1.5)).toEqual([at("", "expected integer, got number")]);
    });

    it("minimum and maximum are inclusive", () => {
      const schema = { type: "integer", minimum: 1, maximum: 10 };
      expect(v31(schema, 1)).toEqual([]);
      expect(v31(schema, 10)).toEqual([]);
      expect(v31(schema, 0)).toEqual([at("", "is less than 1")]);
      expect(v31(schema, 11)).toEqual([at("", "is more than 10")]);
    });

    // 3.0: a boolean that makes minimum/maximum exclusive; one problem, not two.
    it("3.0 boolean exclusiveMinimum and exclusiveMaximum", () => {
      expect(v30({ type: "integer", minimum: 0, exclusiveMinimum: true }, 1)).toEqual([]);
      expect(v30({ type: "integer", minimum: 0, exclusiveMinimum: true }, 0)).toEqual([at("", "is not more than 0")]);
      expect(v30({ type: "integer", minimum: 0, exclusiveMinimum: true }, -1)).toEqual([at("", "is not more than 0")]);
      expect(v30({ type: "integer", maximum: 10, exclusiveMaximum: true }, 10)).toEqual([at("", "is not less than 10")]);
      expect(v30({ type: "integer", minimum: 0, exclusiveMinimum: false }, 0)).toEqual([]);
    });

    // 3.1: the bound itself.
    it("3.1 numeric exclusiveMinimum and exclusiveMaximum", () => {
      expect(v31({ type: "number", exclusiveMinimum: 0 }, 0.1)).toEqual([]);
      expect(v31({ type: "number", exclusiveMinimum: 0 }, 0)).toEqual([at("", "is not more than 0")]);
      expect(v31({ type: "number", exclusiveMaximum: 10 }, 10)).toEqual([at("", "is not less than 10")]);
    });
  });

  describe("arrays", () => {
    it("minItems and maxItems", () => {
      const schema = { type: "array", minItems: 2, maxItems: 3 };
      expect(v31(schema, [1, 2])).toEqual([]);
      expect(v31(schema, [1])).toEqual([at("", "has 1 items, fewer than 2")]);
      expect(v31(schema, [1, 2, 3, 4])).toEqual([at("", "has 4 items, more than 3")]);
    });

    it("items points at each element", () => {
      expect(v31({ type: "array", items: { type: "string" } }, ["a", 2, "c"])).toEqual([at("/1", "expected string, got integer")]);
    });
  });

  it("const, compared deeply", () => {
    expect(v31({ const: "v1" }, "v1")).toEqual([]);
    expect(v31({ const: "v1" }, "v2")).toEqual([at("", "is not the one value the spec allows")]);
    expect(v31({ const: { a: [1] } }, { a: [1] })).toEqual([]);
    expect(v31({ const: { a: [1] } }, { a: [2] })).toEqual([at("", "is not the one value the spec allows")]);
  });

  it("a missing body is named as such", () => {
    expect(v31({ type: "object" }, undefined)).toEqual([at("", "expected object, got no body")]);
  });
});

describe("problem cap", () => {
  it("stops at 20 problems from one object", () => {
    const required = Array.from({ length: 25 }, (_, i) => `f${i}`);
    const problems = v31({ type: "object", required }, {});
    expect(problems).toHaveLength(20);
    expect(problems[0]).toEqual(at("/f0", "is required but missing"));
    expect(problems[19]).toEqual(at("/f19", "is required but missing"));
  });

  it("stops at 20 problems across array elements", () => {
    const problems = v31({ type: "array", items: { type: "string" } }, Array.from({ length: 30 }, (_, i) => i));
    expect(problems).toHaveLength(20);
    expect(problems.map((p) => p.pointer)).toEqual(Array.from({ length: 20 }, (_, i) => `/${i}`));
  });
});

// A response may carry a secret: problems say where and what, never the value found.
describe("messages never quote the value", () => {
  const cases: [string, JsonSchema, unknown][] = [
    ["wrong type", { type: "integer" }, SECRET],
    ["pattern", { type: "string", pattern: "^[0-9]+$" }, SECRET],
    ["enum", { type: "string", enum: ["a", "b"] }, SECRET],
    ["const", { const: "a" }, SECRET],
    ["maxLength", { type: "string", maxLength: 3 }, SECRET],
    ["additional field", { type: "object", properties: {}, additionalProperties: false }, { extra: SECRET }],
    ["additional field of the wrong type", { type: "object", additionalProperties: { type: "integer" } }, { extra: SECRET }],
    ["no anyOf branch", { anyOf: [{ type: "integer" }, { type: "null" }] }, SECRET],
  ];

  it.each(cases)("%s", (_name, schema, value) => {
    const problems = v31(schema, value);
    expect(problems.length).toBeGreaterThan(0);
    for (const { pointer, message } of problems) {
      expect(message).not.toContain(SECRET);
      expect(pointer).not.toContain(SECRET);
    }
  });
});

describe("ResponseValidationError", () => {
  const problems = [
    at("/index", "is required but missing"),
    at("/fees", "expected string, got integer"),
    at("/status", 'is not one of "pending", "completed", "failed"'),
  ];

  it("names the operation, status, first problem and how many more; a fund-moving call says not to resend", () => {
    const error = new ResponseValidationError({ operationId: "pay_invoice", method: "POST", url: "https://node.example/v2/pay_invoice", status: 200, movesFunds: true, problems, body: {} });
    expect(error.message).toBe(
      "pay_invoice answered HTTP 200 with a body that does not match the spec: /index is required but missing (and 2 more); the server accepted the call, do not send it again",
    );
    expect(error.pointer).toBe("/index");
    expect(error.problems).toEqual(problems);
    expect(error.status).toBe(200);
    expect(error.movesFunds).toBe(true);
    expect(error.requestSent).toBe(true);
    expect(error.name).toBe("ResponseValidationError");
    expect(error).toBeInstanceOf(Error);
  });

  it("with one problem at the whole body, on a call that moves no funds", () => {
    const error = new ResponseValidationError({ operationId: "get_payment", method: "GET", url: "https://node.example/v2/payment", status: 200, movesFunds: false, problems: [at("", "expected object, got string")], body: "x" });
    expect(error.message).toBe("get_payment answered HTTP 200 with a body that does not match the spec: (the whole body) expected object, got string");
    expect(error.pointer).toBe("");
  });

  it("falls back to method and URL without an operationId", () => {
    const error = new ResponseValidationError({ operationId: undefined, method: "GET", url: "https://node.example/v2/x", status: 201, movesFunds: false, problems: problems.slice(1, 2), body: {} });
    expect(error.message).toBe("GET https://node.example/v2/x answered HTTP 201 with a body that does not match the spec: /fees expected string, got integer");
    expect(error.pointer).toBe("/fees");
  });
});

// validateResponses takes a validator the user imports, so clients that do not check never load
// the schemas; `true` says what to import instead.
describe("validateResponses on a client", () => {
  const table = { getItem: { method: "GET", path: "/items/{id}", retrySafe: true, movesFunds: false, auth: "required" } } as const;
  const schemas: ResponseSchemas = {
    openapi: "3.1",
    operations: { getItem: { "200": { type: "object", required: ["id"], properties: { id: { type: "string" } } } } },
    components: {},
  };
  interface paths {
    "/items/{id}": { get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": { id: string } } } } } };
  }
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());
  const client = (options: CommonClientOptions = {}, operations: OperationTable = table) =>
    createApiClient<paths>({ provider: "shop", baseUrl: server.url, operations, auth: { type: "bearer", token: SECRET }, defaultTimeoutMs: 2_000 }, options);
  const get = (c: ReturnType<typeof client>, init: { validateResponses?: boolean } = {}) => c.GET("/items/{id}", { params: { path: { id: "1" } }, ...init });

  it("throws ResponseValidationError for a body that does not match, with no secret in it; false per call skips the check", async () => {
    // The server echoes the client's token: the error must not carry it.
    server.handle(({ res }) => json(res, 200, { id: 7, echo: SECRET }));
    const c = client({ validateResponses: createResponseValidator(table, schemas) });
    const error = (await get(c).catch((e: unknown) => e)) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ operationId: "getItem", pointer: "/id", status: 200, movesFunds: false });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(SECRET);
    expect((await get(c, { validateResponses: false })).data).toEqual({ id: 7, echo: SECRET });
  });

  it("passes a body that matches", async () => {
    server.handle(({ res }) => json(res, 200, { id: "a1" }));
    expect((await get(client({ validateResponses: createResponseValidator(table, schemas) }))).data).toEqual({ id: "a1" });
  });

  it("true is refused with what to import instead, per client and per call", async () => {
    expect(() => client({ validateResponses: true as never })).toThrow(
      new TypeError('validateResponses takes the provider\'s validator, not true: import { responseValidator } from "@satbind/shop/validate" and pass validateResponses: responseValidator'),
    );
    await expect(get(client(), { validateResponses: true })).rejects.toThrow(
      new TypeError('validateResponses: this client has no validator; import { responseValidator } from "@satbind/shop/validate" and pass validateResponses: responseValidator'),
    );
    expect(server.requests).toHaveLength(0);
  });

  it("a validator made for another API's table refuses rather than check nothing", async () => {
    server.handle(({ res }) => json(res, 200, { id: "a1" }));
    const other = { ...table };
    await expect(get(client({ validateResponses: createResponseValidator(other, schemas) }))).rejects.toThrow("this validator is for another API than the client's");
  });
});
