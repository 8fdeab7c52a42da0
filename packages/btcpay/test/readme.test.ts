// checkout.test.ts: your BTCPay code against a mock of a BTCPay Server. Run it with vitest.
import { afterAll, afterEach, expect, it } from "vitest";
import { createMock } from "@satbind/testing";
import { spec } from "@satbind/btcpay/spec";
import { AmbiguousOutcomeError, createBtcpayClient, parseWebhookEvent, unwrap } from "@satbind/btcpay";

// A real server on 127.0.0.1, answering from BTCPay's spec; every request is checked against it.
const mock = await createMock(spec);
const btcpay = createBtcpayClient({ serverUrl: mock.url, apiKey: "test-api-key" });
afterEach(() => mock.reset());
afterAll(() => mock.close());

const STORE = "9CS5hRgKWqDzcDL8NAq4cTAcQRbCnAwNPoLbbbwTTcMX";
const INVOICE =
  "lnbc2500n1pn04jcqpp5dc8ddxehr2nra5tvsrdeu9nry4zaq3mv38ve4muwc5h623v4tu3ssp5qw8hgetpjwf96nhgvn22ewxdac2d25uwc5hgqncupf05lq5l2azsdpdfaexgetjyq3ngv3hxyazqarhdusxvmrpwss8w6rfw3jhxxqrrsscqzys9qypqsqu7p58pk9472pvhns0xmc4havanvw257zedkhk5sssz7f4ew9tc0y5h474cewccsmadlu2pscs6pdugnt30tf79s6565ap9khu9teqwgp7ajfz4";

// Your app's code under test: a checkout that sends the buyer to BTCPay's page.
async function checkout(orderId: string, amount: string) {
  const invoice = unwrap(
    await btcpay.POST("/api/v1/stores/{storeId}/invoices", {
      params: { path: { storeId: STORE } },
      body: { amount, currency: "USD", metadata: { orderId } },
    }),
  );
  return { invoiceId: invoice.id, redirectTo: invoice.checkoutLink };
}

it("a checkout creates an invoice and sends the buyer to its page", async () => {
  mock.on("Invoices_CreateInvoice").replyOnce(200, { id: "QEGuLWpVQrFh3ZTjRwAMKB", checkoutLink: "https://pay.shop.example/i/QEGuLWpVQrFh3ZTjRwAMKB" });

  expect(await checkout("order-42", "19.99")).toEqual({ invoiceId: "QEGuLWpVQrFh3ZTjRwAMKB", redirectTo: "https://pay.shop.example/i/QEGuLWpVQrFh3ZTjRwAMKB" });
  expect(mock.calls("Invoices_CreateInvoice")[0]!.body).toMatchObject({ amount: "19.99", metadata: { orderId: "order-42" } });
});

it("a payment whose answer is lost is sent once, and says how to find it", async () => {
  mock.on("StoreLightningNodeApi_PayInvoice").fault({ kind: "reset-after-body" });

  const error = await btcpay
    .POST("/api/v1/stores/{storeId}/lightning/{cryptoCode}/invoices/pay", { params: { path: { storeId: STORE, cryptoCode: "BTC" } }, body: { BOLT11: INVOICE } })
    .catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AmbiguousOutcomeError);
  // Look it up with StoreLightningNodeApi_GetPayment (by payment hash) before paying again.
  const { reconcile } = error as AmbiguousOutcomeError;
  expect(reconcile).toMatchObject({ paymentHash: "6e0ed69b371aa63ed16c80db9e16632545d0476c89d99aef8ec52fa545955f23", lookUpWith: "StoreLightningNodeApi_GetPayment" });
  expect(mock.calls("StoreLightningNodeApi_PayInvoice")).toHaveLength(1);
});

it("a webhook is trusted only once its signature checks out", async () => {
  const secret = "webhook-secret-from-btcpay";
  const body = JSON.stringify({ type: "InvoiceSettled", invoiceId: "QEGuLWpVQrFh3ZTjRwAMKB", storeId: STORE, overPaid: false });
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  const signature = "sha256=" + Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");

  const event = await parseWebhookEvent(body, signature, secret);
  expect(event.type === "InvoiceSettled" && event.invoiceId).toBe("QEGuLWpVQrFh3ZTjRwAMKB");
  await expect(parseWebhookEvent(body, signature, "another-secret")).rejects.toThrow("BTCPay-Sig does not match");
});
