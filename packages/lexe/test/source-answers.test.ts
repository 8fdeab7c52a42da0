// What real sidecars answer (test/fixtures/source-answers.ts, written from lexe-public's source),
// checked against our spec with our validator and run through the client and its helpers against a
// real local HTTP server; the new request fields sent to Prism; and wait_for_payment's timeouts.
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { schemaValidator } from "@satbind/codegen/examples";
import { hang, json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import {
  InternalServerError,
  TimeoutError,
  WAIT_FOR_PAYMENT_MARGIN_MS,
  createLexeClient,
  errorOf,
  isFinalized,
  isPayment,
  unwrap,
  waitForPayment,
  type LexeClient,
  type PayOfferResponse,
  type Payment,
  type PaymentAccepted,
  type WebhookPayload,
} from "../src/index.js";
import { responseValidator } from "../src/generated/api/validate.js";
import { offerPaymentPending, payAccepted, payOfferAccepted, payOfferFinished, waitTimedOut, webhookFinalized } from "./fixtures/source-answers.js";
import { PAGE_INVOICE_TO_PAY } from "./fixtures/reference-page.js";
import { specFile } from "./global-setup.js";

const validate = schemaValidator(specFile);
const OFFER = "lno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzrcgqgn3qzsyvfkx26qkyypvr5hfx60h9w9k934lt8s2n6zc0wwtgqlulw7dythr83dqx8tzumg";
const responseSchema = (path: string, method = "post") => `#/paths/${path.replaceAll("/", "~1")}/${method}/responses/200/content/application~1json/schema`;

let server: TestServer;
let lexe: LexeClient;
beforeEach(async () => {
  server = await startTestServer();
  // Every answer is checked against the spec on its way through the client.
  lexe = createLexeClient({ baseUrl: server.url, validateResponses: responseValidator, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
});
afterEach(() => server.close());

/** Answers each route from a table; GET /v2/node/payment plays its states in turn, repeating the last. */
function sidecar(routes: Record<string, unknown>, paymentStates: unknown[] = []) {
  let seen = 0;
  server.handle(({ request, res }) => {
    const path = request.url.split("?")[0]!;
    if (path === "/v2/node/payment" && paymentStates.length > 0) return json(res, 200, paymentStates[Math.min(seen++, paymentStates.length - 1)]);
    if (path in routes) return json(res, 200, routes[path]);
    json(res, 400, { code: 7, msg: `Rejection: Client requested a non-existent endpoint: ${request.method} ${path}` });
  });
}

describe("pay_offer and pay answer in two shapes", () => {
  it("the 0.4.4 to 0.4.10 answers and the 0.4.11+ payment all match the spec", () => {
    expect(validate(responseSchema("/v2/node/pay_offer"), payOfferAccepted)).toBeUndefined();
    expect(validate(responseSchema("/v2/node/pay_offer"), payOfferFinished)).toBeUndefined();
    expect(validate(responseSchema("/v2/node/pay"), payAccepted)).toBeUndefined();
    expect(validate("#/components/schemas/Payment", offerPaymentPending)).toBeUndefined();
    // Not just anything passes: an accepted answer without its index does not.
    expect(validate(responseSchema("/v2/node/pay_offer"), { created_at: 1763700000000 })).toMatchObject({ at: expect.any(String) });
  });

  it("an older sidecar's pay_offer answer passes the client's validation, and waitForPayment follows its index", async () => {
    sidecar({ "/v2/node/pay_offer": payOfferAccepted }, [offerPaymentPending, payOfferFinished]);
    const sent = unwrap(await lexe.POST("/v2/node/pay_offer", { body: { offer: OFFER, amount: "2100", note: "Podcast tip", payer_note: "Thanks" } }));
    expectTypeOf(sent).toEqualTypeOf<PayOfferResponse>();
    expect(sent).toEqual(payOfferAccepted);
    expect(isPayment(sent)).toBe(false);

    const paid = await waitForPayment(lexe, sent, { intervalMs: 5 });
    expect(paid).toEqual(payOfferFinished);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /v2/node/pay_offer",
      `GET /v2/node/payment?index=${payOfferAccepted.index}`,
      `GET /v2/node/payment?index=${payOfferAccepted.index}`,
    ]);
    // The 0.4.4 and 0.4.5 note fields went out as given.
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ offer: OFFER, amount: "2100", note: "Podcast tip", payer_note: "Thanks" });
  });

  it("a newer sidecar's finished payment is returned by waitForPayment without another request", async () => {
    sidecar({ "/v2/node/pay_offer": payOfferFinished });
    const sent = unwrap(await lexe.POST("/v2/node/pay_offer", { body: { offer: OFFER, amount: "2100" } }));
    expect(isPayment(sent) && isFinalized(sent)).toBe(true);
    const paid = await waitForPayment(lexe, sent);
    expect(paid).toBe(sent);
    expect(server.requests).toHaveLength(1);
  });

  it("pay on 0.4.7 to 0.4.10: the accepted answer, followed to the end by its index", async () => {
    const completed = { ...payOfferFinished, index: payAccepted.index, rail: "invoice", kind: "invoice", offer_id: null, hash: payAccepted.index.slice(-64) };
    sidecar({ "/v2/node/pay": payAccepted }, [completed]);
    const sent = unwrap(await lexe.POST("/v2/node/pay", { body: { payable: PAGE_INVOICE_TO_PAY } }));
    expect(sent).toEqual(payAccepted);
    const paid = await waitForPayment(lexe, sent, { intervalMs: 5 });
    expect(paid.index).toBe(payAccepted.index);
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
  });

  it("a pending payment answer (an on-chain send on 0.4.11+) is polled like an accepted one", async () => {
    sidecar({}, [payOfferFinished]);
    const paid = await waitForPayment(lexe, offerPaymentPending as Payment, { intervalMs: 5 });
    expect(paid.status).toBe("completed");
    expect(server.requests).toHaveLength(1);
  });

  it("the type guards narrow the union", async () => {
    const answer = payOfferAccepted as PayOfferResponse;
    if (isPayment(answer)) expectTypeOf(answer).toEqualTypeOf<Payment>();
    else expectTypeOf(answer).toEqualTypeOf<PaymentAccepted>();
    expect(isFinalized(offerPaymentPending as Payment)).toBe(false);
    await expect(waitForPayment(lexe, { created_at: 1 } as unknown as PaymentAccepted)).rejects.toThrow("waitForPayment needs the payment's index");
  });
});

describe("the 0.4.9+ webhook", () => {
  it("a delivery with type and timestamp matches WebhookPayload, and is already a finished payment", async () => {
    // The sidecar's side: POST the body to the app's webhook URL, as it does.
    server.handle(({ res }) => json(res, 200, {}));
    await fetch(`${server.url}/lexe-webhook`, { method: "POST", headers: { "content-type": "application/json", "webhook-id": `pf-${webhookFinalized.index}` }, body: JSON.stringify(webhookFinalized) });
    // The app's side: what arrived, checked against the spec and handed to the helper.
    const delivered = JSON.parse(server.requests[0]!.body) as WebhookPayload;
    expect(validate("#/components/schemas/WebhookPayload", delivered)).toBeUndefined();
    expect(validate("#/components/schemas/WebhookPayload", { ...delivered, type: "payment.created" })).toMatchObject({ at: "/type" });
    expect(delivered.type).toBe("payment.finalized");
    expect(new Date(delivered.timestamp!).getTime()).toBe(delivered.finalized_at);
    const settled = await waitForPayment(lexe, delivered);
    expect(settled.status).toBe("completed");
    expect(server.requests).toHaveLength(1); // the helper asked the sidecar nothing
  });

  it("a payload from 0.4.1 to 0.4.8, without type and timestamp, still matches", () => {
    const { type: _type, timestamp: _timestamp, ...older } = webhookFinalized;
    expect(validate("#/components/schemas/WebhookPayload", older)).toBeUndefined();
  });
});

describe("wait_for_payment", () => {
  const INDEX = payAccepted.index;
  /** The timeout and retry budget the transport applied to each attempt, from its log events. */
  function applied() {
    const events: Record<string, unknown>[] = [];
    const logger = { debug: (message: string, fields: Record<string, unknown>) => void (message === "satbind request" && events.push(fields)) };
    return { events, logger };
  }

  it("with timeout_secs, the call's timeout follows it plus a margin, even over the client's own", async () => {
    sidecar({ "/v2/node/wait_for_payment": payOfferFinished });
    const { events, logger } = applied();
    const client = createLexeClient({ baseUrl: server.url, logger, timeoutMs: 5_000 });
    await client.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 90 } } });
    await client.request("get", "/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 0 } } });
    await client.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 90 } }, timeoutMs: 1_000 });
    await client.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX } } });
    expect(events.map((e) => e.timeoutMs)).toEqual([90_000 + WAIT_FOR_PAYMENT_MARGIN_MS, WAIT_FOR_PAYMENT_MARGIN_MS, 1_000, 5_000]);
    expect(server.requests.map((r) => r.url)).toEqual([
      `/v2/node/wait_for_payment?index=${INDEX}&timeout_secs=90`,
      `/v2/node/wait_for_payment?index=${INDEX}&timeout_secs=0`,
      `/v2/node/wait_for_payment?index=${INDEX}&timeout_secs=90`,
      `/v2/node/wait_for_payment?index=${INDEX}`,
    ]);
  });

  it("without timeout_secs the sidecar may wait for ever, but the call ends at the client's timeout", async () => {
    server.handle(() => hang());
    const started = performance.now();
    const error = await createLexeClient({ baseUrl: server.url, timeoutMs: 300, maxRetries: 0 })
      .GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300, movesFunds: false });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("the sidecar's own timeout (500, code 100) comes back once: a retry would wait the whole time again", async () => {
    server.handle(({ res }) => json(res, 500, waitTimedOut));
    const client = createLexeClient({ baseUrl: server.url, maxRetries: 3, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
    const result = await client.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 60 } } });
    expect(server.requests).toHaveLength(1);
    const error = errorOf(result);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, code: 100, providerMessage: waitTimedOut.msg, operationId: "wait_for_payment" });
    expect(validate("#/paths/~1v2~1node~1wait_for_payment/get/responses/500/content/application~1json/schema", waitTimedOut)).toBeUndefined();
  });

  it("a call's own maxRetries still wins, and so do reads without timeout_secs", async () => {
    server.handle(({ res, index }) => (index < 3 ? json(res, 503, { code: 8, msg: "Service is at capacity; retry later" }) : json(res, 200, payOfferFinished)));
    const client = createLexeClient({ baseUrl: server.url, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
    const withSecs = await client.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 5 } }, maxRetries: 2 });
    expect([withSecs.response.status, server.requests.length]).toEqual([200, 3]);
    server.requests.length = 0;
    server.handle(({ res, index }) => (index < 2 ? json(res, 503, { code: 8, msg: "Service is at capacity; retry later" }) : json(res, 200, payOfferFinished)));
    const without = await client.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX } } });
    expect([without.response.status, server.requests.length]).toEqual([200, 2]);
  });

  it("refuses a timeout_secs it cannot honour, before sending anything", async () => {
    await expect(lexe.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: -1 } } })).rejects.toThrow(
      "wait_for_payment: timeout_secs must be a whole number of seconds, 0 or more; got -1",
    );
    await expect(lexe.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 1.5 } } })).rejects.toThrow(TypeError);
    await expect(lexe.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 3_000_000 } } })).rejects.toThrow(
      "wait_for_payment: timeout_secs can be at most 2147463 (the longest a timer can wait); got 3000000",
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("new request fields, as Prism sees them", () => {
  const prism = () => createLexeClient({ baseUrl: mockUrl("api"), maxRetries: 0 });

  it("create_invoice takes partner fees (sidecar 0.4.5+)", async () => {
    const body = { expiration_secs: 3600, amount: "1000", partner_pk: "5e0c8c0e2a4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f", partner_prop_fee: 10_000, partner_base_fee: "2" };
    const result = await prism().POST("/v2/node/create_invoice", { body });
    expect(result.response.headers.get("sl-violations")).toBeNull();
    expect(result.response.status).toBe(200);
  });

  it("refuses a proportional fee above 1000000 ppm and a base fee that is not an amount", async () => {
    for (const fees of [{ partner_prop_fee: 1_000_001 }, { partner_base_fee: "2.0001" }]) {
      const result = await prism().POST("/v2/node/create_invoice", { body: { expiration_secs: 60, amount: "1000", ...fees } });
      expect(result.response.status).toBe(400);
      expect(result.response.headers.get("sl-violations")).toMatch(/partner_/);
    }
  });

  it("pay_offer takes the 0.4.4/0.4.5 note names, and wait_for_payment a timeout_secs of 0 with no upper limit", async () => {
    const paid = await prism().POST("/v2/node/pay_offer", { body: { offer: OFFER, amount: "2100", note: "Podcast tip", payer_note: "Thanks" } });
    expect([paid.response.status, paid.response.headers.get("sl-violations")]).toEqual([200, null]);
    for (const timeout_secs of [0, 172_800]) {
      const waited = await prism().GET("/v2/node/wait_for_payment", { params: { query: { index: payAccepted.index, timeout_secs } } });
      expect([waited.response.status, waited.response.headers.get("sl-violations")]).toEqual([200, null]);
    }
  });
});
