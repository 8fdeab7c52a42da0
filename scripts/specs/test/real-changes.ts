// Expected-bump pairs written by us, each the minimal form of a change seen in a real upstream
// spec's history (issue 22: a public Lightning swap service's OpenAPI 3.0 history, and BTCPay's
// Greenfield templates). Each pair says what happened upstream, in our words, and the bump it
// deserves for a user of the generated client; real-changes.test.ts checks diffSpecs agrees.
import type { Bump } from "../src/spec-diff/index.js";

export interface RealChange {
  name: string;
  /** The change family as seen upstream. */
  seen: string;
  before: object;
  after: object;
  bump: Bump;
  /** Change kinds expected, in any order; every change diffSpecs reports must be one of these. */
  kinds: string[];
  /** Words the message of the first change must contain (say the important thing loudly). */
  says?: string;
}

type Json = Record<string, unknown>;

const json = (schema: unknown) => ({ content: { "application/json": { schema } } });

/** An inline body whose property happens to be called "description": a field, not documentation. */
const transaction = (idWords: string) => ({
  type: "object",
  description: "A broadcast transaction",
  properties: { id: { type: "string", description: idWords }, description: { type: "string" } },
});

/** A one-operation OpenAPI 3.0 document: POST /swap with the given request schema, parameters and responses. */
function api(parts: { request?: unknown; parameters?: unknown[]; responses?: Json; schemas?: Json; servers?: unknown[] }): Json {
  return {
    openapi: "3.0.3",
    info: { title: "Swaps", version: "1.0.0" },
    ...(parts.servers && { servers: parts.servers }),
    paths: {
      "/swap": {
        post: {
          operationId: "createSwap",
          ...(parts.parameters && { parameters: parts.parameters }),
          ...(parts.request !== undefined && { requestBody: { required: true, ...json(parts.request) } }),
          responses: parts.responses ?? { "200": { description: "Created", ...json({ $ref: "#/components/schemas/Swap" }) } },
        },
      },
    },
    components: { schemas: { Swap: { type: "object", required: ["id"], properties: { id: { type: "string" } } }, ...parts.schemas } },
  };
}

const submarine = { type: "object", required: ["invoice"], properties: { invoice: { type: "string" }, refundPublicKey: { type: "string" } } };
const reverse = { type: "object", required: ["invoiceAmount"], properties: { invoiceAmount: { type: "integer" }, claimPublicKey: { type: "string" } } };
const chain = { type: "object", required: ["userLockAmount"], properties: { userLockAmount: { type: "integer" } } };
const referral = (name: string) => ({ name, in: "header", required: false, schema: { type: "string" } });
const servers = (...names: string[]) => names.map((n) => ({ url: `https://${n}.swaps.example/v2`, description: n }));

export const REAL_CHANGES: RealChange[] = [
  {
    name: "header parameter respelt (Referral -> referral)",
    seen: "a referral header renamed to lower case; the same header on the wire",
    before: api({ parameters: [referral("Referral")] }),
    after: api({ parameters: [referral("referral")] }),
    bump: "major",
    kinds: ["parameter-renamed"],
    says: "is now spelt `referral`",
  },
  {
    name: "request schema becomes a oneOf whose first member is the same object inline",
    seen: "the create-swap body, a named object, became oneOf [that object written inline, two new kinds of swap]",
    before: api({ request: { $ref: "#/components/schemas/SubmarineRequest" }, schemas: { SubmarineRequest: submarine } }),
    after: api({ request: { oneOf: [submarine, reverse, chain] }, schemas: { SubmarineRequest: submarine } }),
    bump: "minor",
    kinds: ["request-union-changed"],
    says: "every value of before still fits",
  },
  {
    name: "response oneOf [integer, number] becomes number",
    seen: "a fee field written as oneOf [integer, number] simplified to number: same values, same TypeScript type",
    before: api({ responses: { "200": { description: "Fees", ...json({ type: "object", properties: { fee: { oneOf: [{ type: "integer" }, { type: "number" }] } } }) } } }),
    after: api({ responses: { "200": { description: "Fees", ...json({ type: "object", properties: { fee: { type: "number" } } }) } } }),
    bump: "patch",
    kinds: ["response-union-rewritten"],
  },
  {
    name: "request union nested as a member of a larger union",
    seen: "oneOf [Submarine, Reverse] became oneOf [{ oneOf: [Submarine, Reverse] }, Chain]",
    before: api({
      request: { oneOf: [{ $ref: "#/components/schemas/Submarine" }, { $ref: "#/components/schemas/Reverse" }] },
      schemas: { Submarine: submarine, Reverse: reverse, Chain: chain },
    }),
    after: api({
      request: { oneOf: [{ oneOf: [{ $ref: "#/components/schemas/Submarine" }, { $ref: "#/components/schemas/Reverse" }] }, { $ref: "#/components/schemas/Chain" }] },
      schemas: { Submarine: submarine, Reverse: reverse, Chain: chain },
    }),
    bump: "minor",
    kinds: ["request-variant-added"],
  },
  {
    name: "success status 200 -> 201 with the same body",
    seen: "create-swap answered 201 Created instead of 200, body unchanged",
    before: api({}),
    after: api({ responses: { "201": { description: "Created", ...json({ $ref: "#/components/schemas/Swap" }) } } }),
    bump: "major",
    kinds: ["response-status-changed"],
    says: "now answers 201 where it answered 200",
  },
  {
    name: "success status 200 -> 201, the body's descriptions reworded with it",
    seen: "broadcasting a transaction answered 201 instead of 200, and its body's descriptions said ID for Id",
    before: api({ responses: { "200": { description: "The transaction", ...json(transaction("Id of the transaction")) } } }),
    after: api({ responses: { "201": { description: "The transaction, broadcast", ...json(transaction("ID of the transaction")) } } }),
    bump: "major",
    kinds: ["response-status-changed"],
    says: "now answers 201 where it answered 200",
  },
  {
    name: "a keyword 3.0 does not define inside a property, removed",
    seen: "`\"required\": true` written inside one property's schema was deleted; no type or check reads it there",
    before: api({ schemas: { Swap: { type: "object", required: ["id"], properties: { id: { type: "string", required: true } } } } }),
    after: api({}),
    bump: "patch",
    kinds: ["other-changed"],
    says: "what callers send and receive stays the same",
  },
  {
    name: "a server removed shifts the others' indexes",
    seen: "the testnet server was dropped from [mainnet, testnet, regtest]",
    before: api({ servers: servers("mainnet", "testnet", "regtest") }),
    after: api({ servers: servers("mainnet", "regtest") }),
    bump: "major",
    kinds: ["server-removed", "server-index-changed"],
    says: "clients that pick a server by index",
  },
  {
    name: "servers reordered",
    seen: "testnet listed before mainnet",
    before: api({ servers: servers("mainnet", "testnet") }),
    after: api({ servers: servers("testnet", "mainnet") }),
    bump: "major",
    kinds: ["server-index-changed"],
    says: "CLIENTS THAT PICK A SERVER BY INDEX NOW POINT AT ANOTHER SERVER",
  },
  {
    name: "OpenAPI 3.0: nullable written beside a $ref",
    seen: "`nullable: true` added next to a $ref (3.0 ignores it; so does the generated type)",
    before: api({ responses: { "200": { description: "Swap", ...json({ type: "object", properties: { swap: { $ref: "#/components/schemas/Swap" } } }) } } }),
    after: api({ responses: { "200": { description: "Swap", ...json({ type: "object", properties: { swap: { $ref: "#/components/schemas/Swap", nullable: true } } }) } } }),
    bump: "patch",
    kinds: ["ref-sibling-changed"],
    says: "OpenAPI 3.0 ignores keys beside a $ref",
  },
  {
    name: "BTCPay: an example that did not match its schema is fixed",
    seen: "Greenfield templates: an invoice example's amount corrected from a number to a decimal string",
    before: api({ responses: { "200": { description: "Swap", ...json({ $ref: "#/components/schemas/Swap" }) } }, schemas: { Swap: { type: "object", properties: { amount: { type: "string", format: "decimal", example: 5 } } } } }),
    after: api({ responses: { "200": { description: "Swap", ...json({ $ref: "#/components/schemas/Swap" }) } }, schemas: { Swap: { type: "object", properties: { amount: { type: "string", format: "decimal", example: "5.00" } } } } }),
    bump: "patch",
    kinds: ["example-changed"],
  },
  {
    name: "BTCPay: a new optional field in a response",
    seen: "Greenfield templates: a store setting gained an optional boolean",
    before: api({}),
    after: api({ schemas: { Swap: { type: "object", required: ["id"], properties: { id: { type: "string" }, archived: { type: "boolean" } } } } }),
    bump: "minor",
    kinds: ["response-field-added"],
  },
  {
    name: "BTCPay: an operation moved to a shorter route, keeping its operationId",
    seen: "Greenfield: store-scoped invoice routes became storeId-less ones (same operationIds)",
    before: {
      openapi: "3.0.3",
      info: { title: "Invoices", version: "1" },
      paths: { "/stores/{storeId}/invoices/{invoiceId}": { get: { operationId: "Invoices_GetInvoice", parameters: [{ name: "storeId", in: "path", required: true, schema: { type: "string" } }, { name: "invoiceId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "The invoice" } } } } },
    },
    after: {
      openapi: "3.0.3",
      info: { title: "Invoices", version: "1" },
      paths: { "/invoices/{invoiceId}": { get: { operationId: "Invoices_GetInvoice", parameters: [{ name: "invoiceId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "The invoice" } } } } },
    },
    bump: "major",
    kinds: ["operation-moved", "parameter-removed"],
    says: "moved from GET /stores/{storeId}/invoices/{invoiceId} to GET /invoices/{invoiceId}",
  },
];
