// The webai 402 flow against a real local HTTP server playing Deezy: ask, pay once, ask again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json, reset, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { AuthenticationError, WebaiPaymentError, createDeezyClient, errorOf, webai, type DeezyClient } from "../src/index.js";

const INVOICE = "lnbc100n1p5qz7z2dq58skjqnr90pjjq4r9wd6qpp5u8uw073l8dp7ked0ujyhegwxx6yxx6aq5ganqyt3pepnk5dm87dqcqpcsp5nrs44f3upgxysnylrrpyrxs96mgazjjstuykyew74zv0najzkdeq9qyysgqxqyz5vqnp4q0w73a6xytxxrhuuvqnqjckemyhv6avveuftl64zzm5878vq3zr4jrzjqv22wafr68wtchd4vzq7mj7zf2uzpv67xsaxcemfzak7wp7p0r29wz5ecsqq2pgqqcqqqqqqqqqqhwqqfqrpeeq5xdys8vcfcark45w992h6j5nhajc62wet0q25ggxjwhtcfn8c3qx30fqzq8mqxfdtks57zw25zp0z2kl9yrfwkkthxclawxpfcqtdcpfu";
const COMPLETION = { id: "chatcmpl-123", object: "chat.completion", created: 1677652288, choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }] };
const REQUEST = { provider: "openai", api_path: "v1/chat/completions", data: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] } };

let server: TestServer;
let deezy: DeezyClient;
let paid: string[];
const payInvoice = async (invoice: string) => void paid.push(invoice);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  paid = [];
  deezy = createDeezyClient({ baseUrl: server.url, maxRetries: 3, retry: { initialDelayMs: 1, maxDelayMs: 2 } });
});

/** Deezy as documented: 402 with an invoice until the request carries it, then the answer. */
function deezyWebai(afterPaying: (res: Parameters<typeof json>[0]) => void = (res) => json(res, 200, COMPLETION)) {
  server.handle(({ request, res }) => {
    if (request.headers["bolt11-auth"] === INVOICE) return afterPaying(res);
    return json(res, 402, { message: "Payment required" }, { "bolt11-auth": INVOICE });
  });
}

const bodies = () => server.requests.map((r) => JSON.parse(r.body) as { request_id: string });

describe("webai", () => {
  it("asks, pays the invoice once, asks again with the same request_id and the invoice", async () => {
    deezyWebai();
    const answer = await webai(deezy, REQUEST, { payInvoice });
    expect(answer).toEqual(COMPLETION);
    expect(paid).toEqual([INVOICE]);
    expect(server.requests.map((r) => r.headers["bolt11-auth"])).toEqual([undefined, INVOICE]);
    const [first, second] = bodies();
    expect(first).toEqual({ ...REQUEST, request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(second).toEqual(first);
  });

  it("keeps a request_id you give it", async () => {
    deezyWebai();
    await webai(deezy, { ...REQUEST, request_id: "123456789abcdefg" }, { payInvoice });
    expect(bodies().map((b) => b.request_id)).toEqual(["123456789abcdefg", "123456789abcdefg"]);
  });

  it("a 402 again after paying is an error, and nothing is paid twice", async () => {
    deezyWebai((res) => json(res, 402, { message: "Payment required" }, { "bolt11-auth": "lnbc1another" }));
    const error = (await webai(deezy, REQUEST, { payInvoice }).catch((e: unknown) => e)) as WebaiPaymentError;
    expect(error).toBeInstanceOf(WebaiPaymentError);
    expect(error).toMatchObject({ paid: true, invoice: INVOICE, requestId: bodies()[0]!.request_id });
    expect(error.message).toMatch(/asked for payment again after the invoice was paid; not paying twice/);
    expect(paid).toEqual([INVOICE]);
    expect(server.requests).toHaveLength(2);
  });

  it("a lost answer after paying is not resent on its own; paidInvoice resumes without paying", async () => {
    deezyWebai((res) => reset(res));
    const error = (await webai(deezy, REQUEST, { payInvoice }).catch((e: unknown) => e)) as WebaiPaymentError;
    expect(error).toMatchObject({ name: "WebaiPaymentError", paid: true, invoice: INVOICE });
    expect(server.requests).toHaveLength(2);

    deezyWebai();
    server.requests.length = 0;
    const answer = await webai(deezy, { ...REQUEST, request_id: error.requestId }, { payInvoice, paidInvoice: error.invoice! });
    expect(answer).toEqual(COMPLETION);
    expect(paid).toEqual([INVOICE]);
    expect(server.requests.map((r) => r.headers["bolt11-auth"])).toEqual([INVOICE]);
  });

  it("a wallet that fails to pay stops the flow, with what is needed to resume", async () => {
    deezyWebai();
    const error = (await webai(deezy, REQUEST, { payInvoice: async () => Promise.reject(new Error("no route")) }).catch((e: unknown) => e)) as WebaiPaymentError;
    expect(error).toMatchObject({ paid: "unknown", invoice: INVOICE });
    expect(error.message).toMatch(/^payInvoice failed for webai request .*: no route/);
    expect(server.requests).toHaveLength(1);
  });

  it("a 402 without an invoice pays nothing", async () => {
    server.handle(({ res }) => json(res, 402, { message: "Payment required" }));
    const error = await webai(deezy, REQUEST, { payInvoice }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "WebaiPaymentError", paid: false, invoice: undefined });
    expect(paid).toEqual([]);
  });

  it("any other answer to the first call is its ApiError, and nothing is paid", async () => {
    server.handle(({ res }) => json(res, 401, { message: "bad token" }));
    await expect(webai(deezy, REQUEST, { payInvoice })).rejects.toBeInstanceOf(AuthenticationError);
    expect(paid).toEqual([]);
  });

  it("the bolt11-auth invoice, a payment token once paid, is redacted from errors", async () => {
    deezyWebai();
    const result = await deezy.POST("/v1/webai", { body: { ...REQUEST, request_id: "r1" } });
    expect(result.response.status).toBe(402);
    const error = errorOf(result)!;
    expect(error.headers["bolt11-auth"]).toBe("[REDACTED]");
    expect(JSON.stringify(error)).not.toContain(INVOICE);
  });
});
