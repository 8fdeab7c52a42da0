// The small APIs the spec-diff tests edit: a payments API in OpenAPI 3.0 and 3.1, a recursive tree,
// shared $refs, webhooks; pointers into them; and helpers that make (before, after) pairs.
import type { Bump } from "../src/spec-diff/index.js";

// Test documents are edited freely; their shape is checked by the code under test, not by types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = any;


/** A small payments API in OpenAPI 3.0: Payment is used by two operations, /health is public. */
export function base30(): Doc {
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
export function base31(): Doc {
  const doc = base30();
  doc.openapi = "3.1.0";
  const s = doc.components.schemas;
  s.PayRequest.properties.amount = { type: "number", exclusiveMinimum: 0 };
  s.Payment.properties.note = { type: ["string", "null"] };
  s.Payment.properties.fee_detail = { oneOf: [{ $ref: "#/components/schemas/Fee" }, { type: "null" }] };
  return doc;
}

/** A 3.1 API with a recursive schema and an allOf request. */
export function tree31(): Doc {
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
export function refs30(): Doc {
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
export function hook31(): Doc {
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

export const PAY_REQ = "#/paths/~1pay/post/requestBody/content/application~1json/schema";
export const PAY_RES = "#/paths/~1pay/post/responses/200/content/application~1json/schema";
export const GET_RES = "#/paths/~1payments~1{id}/get/responses/200/content/application~1json/schema";
export const GET_OP = "#/paths/~1payments~1{id}/get";
export const TREE_REQ = "#/paths/~1tree/put/requestBody/content/application~1json/schema";
export const TREE_RES = "#/paths/~1tree/get/responses/200/content/application~1json/schema";

export function edited(base: () => Doc, edit: (doc: Doc) => void): [Doc, Doc] {
  const before = base();
  const after = structuredClone(before);
  edit(after);
  return [before, after];
}
export const reversed = ([a, b]: [Doc, Doc]): [Doc, Doc] => [b, a];

/** Every key of every object in reverse order: the same document, written differently. */
export function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]));
}

export const props = (doc: Doc, schema: string) => doc.components.schemas[schema].properties;

export type Row = [name: string, pair: [Doc, Doc], bump: Bump, changes: [kind: string, pointer: string][]];

export const addTip = (d: Doc) => (props(d, "PayRequest").tip = { type: "integer" });
export const addRefunded = (d: Doc) => props(d, "Payment").status.enum.push("REFUNDED");
export const addSettledAt = (d: Doc) => (props(d, "Payment").settled_at = { type: "string", format: "date-time" });
export const addHeaderParam = (d: Doc) => d.paths["/payments/{id}"].get.parameters.push({ name: "X-Trace", in: "header", schema: { type: "string" } });

/** POST /pay answers a Payment or a Fee. */
export function unionBase(): Doc {
  const doc = base30();
  doc.paths["/pay"].post.responses["200"].content["application/json"].schema = {
    oneOf: [{ $ref: "#/components/schemas/Payment" }, { $ref: "#/components/schemas/Fee" }],
  };
  return doc;
}
export const unionOf = (d: Doc) => d.paths["/pay"].post.responses["200"].content["application/json"].schema.oneOf;
