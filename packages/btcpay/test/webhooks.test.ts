// Webhook signatures against a delivery signed outside our code: the vector below was signed with
// Python's hmac module, and the others with node:crypto, so a mistake in our Web Crypto path cannot
// agree with itself.
import { createHmac } from "node:crypto";
import { describe, expect, expectTypeOf, it } from "vitest";
import { WebhookSignatureError, parseWebhookEvent, verifyWebhookSignature, type BtcpayWebhookEvent, type WebhookInvoiceSettledEvent } from "../src/index.js";

const SECRET = "3aW7tq9YbJkRZsXe2ufN8QeWbFy";
const BODY =
  '{"deliveryId":"Kxb4ByC3ds1dRGXA7LMJbS","webhookId":"Rw3AfkY6Zy3E6NMdKt9ZQ1","originalDeliveryId":"Kxb4ByC3ds1dRGXA7LMJbS","isRedelivery":false,"type":"InvoiceSettled","timestamp":1733560000,"storeId":"9CS5hRgKWqDzcDL8NAq4cTAcQRbCnAwNPoLbbbwTTcMX","invoiceId":"QEGuLWpVQrFh3ZTjRwAMKB","metadata":{"orderId":"order-42"},"manuallyMarked":false,"overPaid":false}';
/** hmac.new(SECRET, BODY, sha256).hexdigest(), by Python. */
const SIGNATURE = "sha256=6bfc49dcc86de6334cf9a9331047582fa1b607f0154d4cfbdd07813ef237895a";

const sign = (body: string | Uint8Array, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("verifyWebhookSignature", () => {
  it("a delivery signed with the webhook's secret verifies, as a string, bytes or an ArrayBuffer", async () => {
    const bytes = new TextEncoder().encode(BODY);
    expect(sign(BODY)).toBe(SIGNATURE);
    expect(await verifyWebhookSignature(BODY, SIGNATURE, SECRET)).toBe(true);
    expect(await verifyWebhookSignature(bytes, SIGNATURE, SECRET)).toBe(true);
    expect(await verifyWebhookSignature(bytes.buffer.slice(0), SIGNATURE, SECRET)).toBe(true);
  });

  it("non-ASCII bodies are signed over their UTF-8 bytes", async () => {
    const body = '{"type":"InvoiceCreated","metadata":{"itemDesc":"Café ☕ — 2×"}}';
    expect(await verifyWebhookSignature(body, sign(Buffer.from(body, "utf8")), SECRET)).toBe(true);
  });

  it("a tampered body does not verify", async () => {
    expect(await verifyWebhookSignature(BODY.replace('"overPaid":false', '"overPaid":true'), SIGNATURE, SECRET)).toBe(false);
    expect(await verifyWebhookSignature(BODY + " ", SIGNATURE, SECRET)).toBe(false);
    // Re-serialised JSON is another body: verify the bytes received, never JSON.stringify(parsed).
    expect(await verifyWebhookSignature(JSON.stringify(JSON.parse(BODY), null, 1), SIGNATURE, SECRET)).toBe(false);
  });

  it("a tampered signature does not verify", async () => {
    const flipped = SIGNATURE.slice(0, -1) + (SIGNATURE.endsWith("a") ? "b" : "a");
    expect(await verifyWebhookSignature(BODY, flipped, SECRET)).toBe(false);
    expect(await verifyWebhookSignature(BODY, sign(BODY, "another webhook's secret"), SECRET)).toBe(false);
  });

  it("another secret does not verify", async () => {
    expect(await verifyWebhookSignature(BODY, SIGNATURE, SECRET + "x")).toBe(false);
  });

  it.each([
    ["no header", undefined],
    ["a null header", null],
    ["an empty header", ""],
    ["the hex without its prefix", SIGNATURE.slice("sha256=".length)],
    ["another algorithm", SIGNATURE.replace("sha256=", "sha1=")],
    ["a short digest", SIGNATURE.slice(0, -2)],
    ["a long digest", SIGNATURE + "00"],
    ["non-hex digits", SIGNATURE.slice(0, -1) + "z"],
    ["two signatures", `${SIGNATURE},${SIGNATURE}`],
  ])("%s is false, not an error", async (_, header) => {
    expect(await verifyWebhookSignature(BODY, header, SECRET)).toBe(false);
  });

  it("surrounding spaces and upper-case hex are accepted", async () => {
    expect(await verifyWebhookSignature(BODY, ` ${SIGNATURE.toUpperCase().replace("SHA256=", "sha256=")} `, SECRET)).toBe(true);
  });

  it("a missing secret or a parsed body is a programming error, said clearly", async () => {
    await expect(verifyWebhookSignature(BODY, SIGNATURE, "")).rejects.toThrow("needs the webhook's secret");
    await expect(verifyWebhookSignature(JSON.parse(BODY) as never, SIGNATURE, SECRET)).rejects.toThrow("raw body as received");
  });
});

describe("parseWebhookEvent", () => {
  it("verifies, then gives the event to narrow on its type", async () => {
    const event = await parseWebhookEvent(BODY, SIGNATURE, SECRET);
    expectTypeOf(event).toEqualTypeOf<BtcpayWebhookEvent>();
    if (event.type !== "InvoiceSettled") throw new Error(`expected InvoiceSettled, got ${event.type}`);
    expectTypeOf(event.overPaid).toEqualTypeOf<WebhookInvoiceSettledEvent["overPaid"]>();
    expect([event.invoiceId, event.overPaid, event.metadata]).toEqual(["QEGuLWpVQrFh3ZTjRwAMKB", false, { orderId: "order-42" }]);
  });

  it("a bad signature throws WebhookSignatureError, saying which way it is bad", async () => {
    await expect(parseWebhookEvent(BODY + " ", SIGNATURE, SECRET)).rejects.toThrow(new WebhookSignatureError("BTCPay-Sig does not match the body and the webhook's secret"));
    await expect(parseWebhookEvent(BODY, "md5=abc", SECRET)).rejects.toThrow('BTCPay-Sig must be "sha256=" and 64 hex digits; got "md5=abc"');
    await expect(parseWebhookEvent(BODY, undefined, SECRET)).rejects.toThrow("got no header");
  });

  it("a signed body that is not an event is refused", async () => {
    await expect(parseWebhookEvent("[1,2]", sign("[1,2]"), SECRET)).rejects.toThrow("a JSON object with a string `type`");
  });
});
