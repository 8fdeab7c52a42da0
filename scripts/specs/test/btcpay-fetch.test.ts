// BTCPay's refresh, end to end on a scratch repository: `pnpm specs:fetch btcpay --update` against a
// local HTTP copy of a newer Greenfield document re-pins it and prints spec-diff's lines for the real
// 195-operation spec (our overlays still applied), then generate writes the spec and
// `pnpm specs:changeset` writes the changeset a reviewer reads.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { main as specsFetchMain } from "../bin/specs-fetch.js";
import { specsChangeset } from "../bin/specs-changeset.js";
import { readManifest } from "@satbind/codegen/manifest";
import { buildFetchedSpec } from "@satbind/codegen/upstream";
import { sha256, short } from "./fetch-harness.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PRISTINE = "specs/btcpay/upstream/greenfield-v1.json";
const current = readFileSync(join(repo, PRISTINE), "utf8");

/** A newer BTCPay, as a release might change it: an optional request field and a response field. */
function newerUpstream(): string {
  const doc = JSON.parse(current) as { components: { schemas: Record<string, { allOf: { properties: Record<string, unknown> }[] }> } };
  doc.components.schemas.CreateInvoiceRequest!.allOf[1]!.properties.externalReference = { type: "string", nullable: true, description: "Your own reference for the invoice" };
  doc.components.schemas.InvoiceData!.allOf[1]!.properties.receiptLink = { type: "string", description: "The link to the invoice's receipt" };
  return JSON.stringify(doc, null, 1);
}

let root: string;
let server: TestServer;
const newer = newerUpstream();
const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "satbind-btcpay-fetch-"));
  server = await startTestServer((x) => {
    x.res.writeHead(200, { "content-type": "application/json" });
    x.res.end(newer);
  });
  cpSync(join(repo, "specs/btcpay"), join(root, "specs/btcpay"), { recursive: true });
  mkdirSync(join(root, "packages/btcpay"), { recursive: true });
  copyFileSync(join(repo, "packages/btcpay/package.json"), join(root, "packages/btcpay/package.json"));
  // The real manifest has no url (BTCPay's merged document is made by a server); here it names the local copy.
  const manifest = JSON.parse(readFileSync(join(root, "specs/btcpay/manifest.json"), "utf8")) as { source: Record<string, unknown> };
  manifest.source = { kind: "fetched", url: `${server.url}/swagger/v1/swagger.json`, file: "upstream/greenfield-v1.json", sha256: sha256(current) };
  writeFileSync(join(root, "specs/btcpay/manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.org");
  git("config", "user.name", "test");
  git("add", "-A");
  git("commit", "-qm", "btcpay as committed");
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe("pnpm specs:fetch btcpay --update, then pnpm specs:changeset", () => {
  it("without --update the newer document is refused, naming both hashes", async () => {
    const errors: string[] = [];
    expect(await specsFetchMain(["btcpay"], { root, log: () => {}, error: (l) => errors.push(l) })).toBe(1);
    expect(errors).toEqual([`btcpay: sha256 mismatch: pinned ${short(sha256(current))}, got ${short(sha256(newer))} (run with --update to accept)`]);
  });

  it("--update re-pins, keeps the new document pristine and prints the diff of the spec we generate", async () => {
    const logs: string[] = [];
    const errors: string[] = [];
    expect(await specsFetchMain(["btcpay", "--update"], { root, log: (l) => logs.push(l), error: (l) => errors.push(l) })).toBe(0);
    expect(errors).toEqual([]);
    expect(logs[0]).toBe(`btcpay: sha256 ${short(sha256(current))} -> ${short(sha256(newer))}; wrote specs/btcpay/manifest.json, ${PRISTINE}`);
    const diff = logs.slice(1, -1).map((l) => l.trim());
    // spec-diff's lines: the request field once, the response field on every operation answering an invoice.
    expect(diff.at(-1)).toBe("bump: minor");
    expect(diff.filter((l) => l.includes("externalReference"))).toEqual([
      expect.stringMatching(/^minor +request field `externalReference` of POST \/api\/v1\/stores\/\{storeId\}\/invoices was added \(optional\)  #\/paths\//),
    ]);
    const receipt = diff.filter((l) => l.includes("receiptLink"));
    expect(receipt.map((l) => /of (\w+ \S+) was added/.exec(l)?.[1]).sort()).toEqual([
      "GET /api/v1/invoices/{invoiceId}",
      "GET /api/v1/stores/{storeId}/invoices",
      "POST /api/v1/invoices/{invoiceId}/status",
      "POST /api/v1/invoices/{invoiceId}/unarchive",
      "POST /api/v1/payment-requests/{paymentRequestId}/pay",
      "POST /api/v1/stores/{storeId}/invoices",
      "PUT /api/v1/invoices/{invoiceId}",
    ]);
    expect(receipt.every((l) => l.startsWith("minor"))).toBe(true);
    expect(diff).toHaveLength(1 + receipt.length + 1);
    expect(logs.at(-1)).toBe("  run pnpm generate btcpay to write specs/btcpay/openapi.yaml from upstream + overlays");
    expect(readFileSync(join(root, PRISTINE), "utf8")).toBe(newer);
  });

  it("the spec regenerates offline with our overlays, and the changeset says what changed for users", () => {
    const spec = regenerateIn(root);
    expect(spec).toContain("externalReference");
    expect(spec).toContain("x-satbind-moves-funds: true");
    const out: string[] = [];
    const err: string[] = [];
    expect(specsChangeset({ root, since: "main", log: (l) => out.push(l), error: (l) => err.push(l) })).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([expect.stringMatching(/^btcpay: wrote \.changeset\/spec-btcpay-[0-9a-f]{8}\.md \(minor; \d+ changes?\)$/)]);
    const file = readdirSync(join(root, ".changeset")).find((f) => f.startsWith("spec-btcpay-"))!;
    const text = readFileSync(join(root, ".changeset", file), "utf8");
    expect(text.startsWith('---\n"@satbind/btcpay": minor\n---\n\nSpec update (specs/btcpay/openapi.yaml, compared with main).\n')).toBe(true);
    expect(text).toContain("externalReference");
    expect(text).toContain("receiptLink");
  });
});

/** What pnpm generate does first for a fetched spec, offline: pristine upstream + overlays -> the spec file. */
function regenerateIn(dir: string): string {
  const read = readManifest(join(dir, "specs"), "btcpay", { allowMissingFetchedSpec: true });
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join("; "));
  const built = buildFetchedSpec(dir, read.manifest);
  if (!built.ok) throw new Error(built.problems.map((p) => p.message).join("; "));
  writeFileSync(built.spec.specFile, built.spec.text);
  return built.spec.text;
}
