// Our hand-written UMA Auth spec against the upstream file it was written from (the copy in
// ../shared/providers/uma-auth/upstream/, which is reference material and never copied into the
// project). Runs the spec diff from upstream to ours and holds every difference a user would
// notice to the deliberate ones in specs/uma-auth/NOTES.md, so a new difference fails here.
// On demand: pnpm spec-diff ../shared/providers/uma-auth/upstream/uma-auth-api.yml specs/uma-auth/openapi.yaml
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diffSpecs, loadSpecFile } from "../src/spec-diff/index.js";

const UPSTREAM = fileURLToPath(new URL("../../../../shared/providers/uma-auth/upstream/uma-auth-api.yml", import.meta.url));
const OURS = fileURLToPath(new URL("../../../specs/uma-auth/openapi.yaml", import.meta.url));
const MANIFEST = fileURLToPath(new URL("../../../specs/uma-auth/manifest.json", import.meta.url));
const present = existsSync(UPSTREAM);
if (!present) console.warn(`upstream.test: ${UPSTREAM} is not here; the comparison of specs/uma-auth with its upstream is skipped`);

const POSTS = ["/invoice", "/payments/bolt11", "/quote/{payment_hash}", "/payments/lud16", "/payments/keysend"];
const MONEY = ["/payments/bolt11", "/quote/{payment_hash}", "/payments/lud16", "/payments/keysend"];
const NAMED = [
  "schemas/MakeInvoiceRequest", "schemas/PayInvoiceRequest", "schemas/PayInvoiceResponse", "schemas/GetBalanceResponse", "schemas/LookupUserResponse",
  "schemas/ExecuteQuoteRequest", "schemas/ExecuteQuoteResponse", "schemas/PayToAddressRequest", "schemas/PayToAddressResponse", "schemas/TlvRecord",
  "schemas/PayKeysendRequest", "schemas/PayKeysendResponse", "schemas/GetInfoResponse", "schemas/ListTransactionsResponse", "schemas/BudgetEstimateResponse",
  "responses/BadRequest", "responses/PaymentRejected", "responses/Unauthorized", "responses/InvoiceNotFound", "responses/ReceiverNotFound",
  "responses/RateLimited", "responses/InternalError",
];
const pathOf = (pointer: string) => decodeURIComponent(pointer.split("/")[2]!.replaceAll("~1", "/").replaceAll("~0", "~"));

describe.skipIf(!present)("specs/uma-auth against upstream uma-auth-api.yml", () => {
  it("the upstream copy is the one the manifest pins", () => {
    const pinned = (JSON.parse(readFileSync(MANIFEST, "utf8")) as { source: { upstream: { sha256: string } } }).source.upstream.sha256;
    expect(createHash("sha256").update(readFileSync(UPSTREAM)).digest("hex")).toBe(pinned);
  });

  it("differs only as NOTES.md says", () => {
    const noticed = diffSpecs(loadSpecFile(UPSTREAM), loadSpecFile(OURS)).changes.filter((c) => c.bump !== "patch");
    const byKind = (kind: string) => noticed.filter((c) => c.kind === kind);

    // Request bodies required on the five POSTs.
    expect(byKind("request-body-required").map((c) => pathOf(c.pointer)).sort()).toEqual([...POSTS].sort());
    // One server with the /umanwc/v1 base path.
    expect(byKind("server-changed").map((c) => c.pointer)).toEqual(["#/servers/0"]);
    // 401 and 500 on all twelve operations, nothing else added.
    const added = byKind("response-added").map((c) => c.pointer.split("/").pop());
    expect(added).toHaveLength(24);
    expect(new Set(added)).toEqual(new Set(["401", "500"]));
    // x-satbind-moves-funds on the four payment operations.
    expect(byKind("operation-behaviour-changed").map((c) => pathOf(c.pointer)).sort()).toEqual([...MONEY].sort());
    // Inline schemas and responses named as components.
    expect(byKind("component-added").map((c) => c.pointer.replace("#/components/", "")).sort()).toEqual([...NAMED].sort());
    // And nothing else a user would notice.
    const known = ["request-body-required", "server-changed", "response-added", "operation-behaviour-changed", "component-added"];
    expect(noticed.filter((c) => !known.includes(c.kind))).toEqual([]);
  });
});
