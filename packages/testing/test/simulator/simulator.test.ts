// createSimulator on the providers' own spec files, over plain HTTP: which simulation a spec gets,
// the invoices it issues (decoded and signature-checked by the `bolt11` package), determinism,
// the commit-then faults, overrides, the clock and bad input.
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import bolt11 from "bolt11";
import { describe, expect, it, vi } from "vitest";
import { MockError, createSimulator, type Simulator } from "../../src/index.js";
import { shopFile } from "../fixtures/shop.js";
import { raw } from "../helpers.js";

// The first simulator of a spec builds Prism's engine and the validators: seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const specFile = (path: string) => fileURLToPath(new URL(`../../../../specs/${path}`, import.meta.url));
const SPECS = { lexe: specFile("lexe/openapi.yaml"), uma: specFile("uma-auth/openapi.yaml"), utexo: specFile("utexo/v2.yaml"), utexoV1: specFile("utexo/v1.yaml"), deezy: specFile("deezy/openapi.yaml") };
const REGTEST = { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] };
const sha256 = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");

/** One request on a connection of its own (no pool: a determinism run reuses the previous run's port). */
async function call(sim: Simulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const result = await raw(sim.url + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (result.ended !== "complete") throw new Error(`no complete answer: ${result.ended}`);
  const header = (name: string) => String(result.headers[name] ?? "");
  return { status: result.status!, text: result.body, json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : undefined, headers: { get: header } };
}

describe("createSimulator", () => {
  it("picks the simulation by the spec's operations", async () => {
    const provider = async (file: string) => {
      const sim = await createSimulator(file);
      await sim.close();
      return sim.provider;
    };
    expect(await Promise.all([provider(SPECS.lexe), provider(SPECS.uma), provider(SPECS.utexo), provider(SPECS.deezy)])).toEqual(["lexe", "uma-auth", "utexo-v2", "deezy"]);
    await expect(createSimulator(SPECS.utexoV1)).rejects.toThrow(/^createSimulator: no simulation for UTEXO API v1.*; there are simulations of Lexe, UMA Auth, UTEXO v2 and Deezy \(use createMock for others\)$/);
    await expect(createSimulator(shopFile["3.1"])).rejects.toBeInstanceOf(MockError);
  });

  it("refuses a bad seed or clock, and a bad advance", async () => {
    await expect(createSimulator(SPECS.lexe, { seed: {} as unknown as string })).rejects.toThrow("createSimulator: seed must be a string or a number, got object");
    await expect(createSimulator(SPECS.lexe, { clock: Number.NaN })).rejects.toThrow("createSimulator: clock must be a Date or ms since the epoch, got NaN");
    const sim = await createSimulator(SPECS.lexe);
    try {
      expect(() => sim.advance(-1)).toThrow("sim.advance: ms must be a number of milliseconds >= 0, got -1");
      expect(() => sim.on("health").faultOnce({ kind: "commit-then-reset" })).toThrow(
        'sim.on("health").faultOnce: commit-then-reset applies to the operations the simulator answers (node_info, create_invoice, pay_invoice, pay, get_payment, wait_for_payment, list_payments, updated_payments); health is answered by the mock',
      );
      expect(() => sim.payInvoice("lnbcrt1nope")).toThrow("sim.payInvoice: lnbcrt1nope... is not an invoice this simulator's server issued");
      // Another node's invoice is for your code to pay, not for the simulator's payer.
      expect(() => sim.payInvoice(sim.invoice({ amountSats: 1 }))).toThrow(/is not an invoice this simulator's server issued/);
    } finally {
      await sim.close();
    }
  });
});

describe("invoices", () => {
  it("are BOLT11 that the bolt11 package decodes: signed by the server's node key, hash = sha256(preimage)", async () => {
    const sim = await createSimulator(SPECS.lexe, { seed: "bolt11" });
    try {
      const created = (await call(sim, "POST", "/v2/node/create_invoice", { expiration_secs: 900, amount: "1234.567", description: "Order 42" })).json!;
      const decoded = bolt11.decode(created.invoice as string, REGTEST);
      const node = (await call(sim, "GET", "/v2/node/node_info")).json!;
      expect(decoded.payeeNodeKey).toBe(sim.nodeId);
      expect(decoded.payeeNodeKey).toBe(node.node_pk);
      expect(decoded.millisatoshis).toBe("1234567");
      expect(decoded.timestamp).toBe(Date.UTC(2025, 0, 1) / 1000);
      const tags = Object.fromEntries(decoded.tags.map((t) => [t.tagName, t.data]));
      expect(tags).toEqual({ payment_hash: created.payment_hash, payment_secret: created.payment_secret, description: "Order 42", expire_time: 900, min_final_cltv_expiry: 18 });
      const { preimage } = sim.payInvoice(created.invoice as string);
      expect(sha256(preimage)).toBe(created.payment_hash);
    } finally {
      await sim.close();
    }
  });

  it("write every amount in the largest unit that holds it exactly, or none", async () => {
    const sim = await createSimulator(SPECS.uma);
    try {
      for (const amountSats of [0.001, 0.1, 1, 21, 1000, 100_000, 2_100_000_000]) {
        const invoice = sim.invoice({ amountSats, expirySecs: 60 });
        expect(bolt11.decode(invoice, REGTEST).millisatoshis).toBe(String(Math.round(amountSats * 1000)));
        expect(bolt11.decode(invoice, REGTEST).payeeNodeKey).toMatch(/^0[23][0-9a-f]{64}$/);
      }
      const amountless = bolt11.decode(sim.invoice(), REGTEST);
      expect([amountless.millisatoshis, amountless.satoshis]).toEqual([null, null]);
    } finally {
      await sim.close();
    }
  });

  it("differ run to run without a seed", async () => {
    const [a, b] = await Promise.all([createSimulator(SPECS.lexe), createSimulator(SPECS.lexe)]);
    try {
      expect(a.invoice({ amountSats: 1 })).not.toBe(b.invoice({ amountSats: 1 }));
      expect(a.nodeId).not.toBe(b.nodeId);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("determinism: the same seed gives byte-identical journals and answers", () => {
  type Script = (sim: Simulator) => Promise<string[]>;
  const scripts: Record<string, [string, Script]> = {
    lexe: [
      SPECS.lexe,
      async (sim) => {
        const created = await call(sim, "POST", "/v2/node/create_invoice", { expiration_secs: 60, amount: "5" });
        sim.payInvoice(created.json!.invoice as string);
        sim.advance(1_500);
        const paid = await call(sim, "POST", "/v2/node/pay_invoice", { invoice: sim.invoice({ amountSats: 2 }) });
        return [created.text, paid.text, (await call(sim, "GET", "/v2/node/updated_payments")).text];
      },
    ],
    uma: [
      SPECS.uma,
      async (sim) => {
        const made = await call(sim, "POST", "/invoice", { amount: 21_000 }, { authorization: "Bearer t" });
        sim.payInvoice(made.json!.invoice as string);
        const paid = await call(sim, "POST", "/payments/bolt11", { invoice: sim.invoice({ amountSats: 3 }) }, { authorization: "Bearer t" });
        return [made.text, paid.text, (await call(sim, "GET", "/transactions?unpaid=true", undefined, { authorization: "Bearer t" })).text];
      },
    ],
    utexo: [
      SPECS.utexo,
      async (sim) => {
        const keys = { "xpub-van": "tpubVan", "xpub-col": "tpubCol", "master-fingerprint": "1f5bd7df" };
        const psbt = (await call(sim, "POST", "/lightning/onchain-send-begin", { address_or_rgbinvoice: "bcrt1q", amount_sats: 1_000, fee_rate: 1 }, keys)).json as unknown as string;
        const signed = Buffer.concat([Buffer.from(psbt, "base64"), Buffer.from("sig")]).toString("base64");
        const sent = await call(sim, "POST", "/lightning/onchain-send-end", { signed_psbt: signed }, keys);
        return [psbt, sent.text, (await call(sim, "GET", "/lightning/listtransactions", undefined, keys)).text];
      },
    ],
    deezy: [
      SPECS.deezy,
      async (sim) => {
        const first = await call(sim, "POST", "/v1/webai", { request_id: "r", provider: "openai", api_path: "v1/chat/completions", data: {} });
        sim.payInvoice(first.headers.get("bolt11-auth")!);
        const second = await call(sim, "POST", "/v1/webai", { request_id: "r", provider: "openai", api_path: "v1/chat/completions", data: {} }, { "bolt11-auth": first.headers.get("bolt11-auth")! });
        return [first.headers.get("bolt11-auth")!, second.text];
      },
    ],
  };

  it.each(Object.keys(scripts))("%s", async (name) => {
    const [file, script] = scripts[name]!;
    const run = async (port: number) => {
      const sim = await createSimulator(file, { seed: 42, port });
      const answers = await script(sim);
      const journal = JSON.stringify(sim.calls());
      const result = { journal, answers, payments: JSON.stringify(sim.payments()), port: sim.port, stats: sim.stats() };
      await sim.close();
      return result;
    };
    const first = await run(0);
    // The Host header names the port: the second run uses the first one's.
    const second = await run(first.port);
    expect(second.journal).toBe(first.journal);
    expect(second.answers).toEqual(first.answers);
    expect(second.payments).toBe(first.payments);
    expect(first.stats.answers).toBeGreaterThan(0);
    expect(first.stats).toEqual({ answers: first.stats.answers, validated: first.stats.answers, invalid: 0 });
  });
});

describe("faults and overrides", () => {
  it("a standing commit-then-reset applies to every call until another fault or reset() replaces it; each call commits", async () => {
    const sim = await createSimulator(SPECS.lexe, { seed: 1 });
    try {
      sim.on("pay_invoice").fault({ kind: "commit-then-reset" });
      await expect(call(sim, "POST", "/v2/node/pay_invoice", { invoice: sim.invoice({ amountSats: 1 }) })).rejects.toThrow();
      await expect(call(sim, "POST", "/v2/node/pay_invoice", { invoice: sim.invoice({ amountSats: 1 }) })).rejects.toThrow();
      sim.on("pay_invoice").fault({ kind: "status", status: 503 });
      expect((await call(sim, "POST", "/v2/node/pay_invoice", { invoice: sim.invoice({ amountSats: 1 }) })).status).toBe(503);
      expect(sim.calls("pay_invoice").map((c) => c.fault)).toEqual(["commit-then-reset", "commit-then-reset", "status"]);
      // reset() clears faults and the journal, not the simulated state.
      sim.reset();
      expect((await call(sim, "POST", "/v2/node/pay_invoice", { invoice: sim.invoice({ amountSats: 1 }) })).status).toBe(200);
      // The 503 came before the simulator acted: three payments, not four.
      expect(sim.payments().map((p) => p.status)).toEqual(["completed", "completed", "completed"]);
    } finally {
      await sim.close();
    }
  });

  it("the test's reply wins over the simulation, which then does not act", async () => {
    const sim = await createSimulator(SPECS.uma, { seed: 1 });
    try {
      sim.on("pay_invoice").replyOnce(400, { code: "QUOTA_EXCEEDED", message: "budget used up" });
      const refused = await call(sim, "POST", "/payments/bolt11", { invoice: sim.invoice({ amountSats: 1 }) }, { authorization: "Bearer t" });
      expect([refused.status, refused.json!.code]).toEqual([400, "QUOTA_EXCEEDED"]);
      expect(sim.payments()).toEqual([]);
      expect(sim.stats().answers).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it("a clock option sets where time starts; advance moves it", async () => {
    const sim = await createSimulator(SPECS.uma, { clock: new Date("2030-01-01T00:00:00Z") });
    try {
      const made = (await call(sim, "POST", "/invoice", { amount: 1000, expiry: 60 }, { authorization: "Bearer t" })).json!;
      expect(made.created_at).toBe(Date.UTC(2030, 0, 1) / 1000);
      sim.advance(60_000);
      expect(sim.now()).toBe(Date.UTC(2030, 0, 1, 0, 1));
      expect(() => sim.payInvoice(made.invoice as string)).toThrow("expired at 2030-01-01T00:01:00.000Z");
    } finally {
      await sim.close();
    }
  });
});
