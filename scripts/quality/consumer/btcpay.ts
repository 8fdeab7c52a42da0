// BTCPay's main flow: create an invoice and read its checkout link, pay a Lightning invoice from a
// store's node and reconcile when the outcome is unknown, look an invoice up narrowing on status,
// and take a webhook only once its signature checks out.
import {
  AmbiguousOutcomeError,
  btcToSats,
  createBtcpayClient,
  errorOf,
  parseWebhookEvent,
  unwrap,
  validationProblems,
  type InvoiceData,
} from "@satbind/btcpay";

const btcpay = createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: async () => "api-key" });
const storeId = "9CS5hRgKWqDzcDL8NAq4cTAcQRbCnAwNPoLbbbwTTcMX";

export async function checkout(amount: string): Promise<string | undefined> {
  const invoice = unwrap(await btcpay.POST("/api/v1/stores/{storeId}/invoices", { params: { path: { storeId } }, body: { amount, currency: "USD" } }));
  return invoice.checkoutLink;
}

export async function pay(bolt11: string): Promise<string | undefined> {
  try {
    const paid = await btcpay.POST("/api/v1/stores/{storeId}/lightning/{cryptoCode}/invoices/pay", {
      params: { path: { storeId, cryptoCode: "BTC" } },
      body: { BOLT11: bolt11 },
    });
    const problems = validationProblems(errorOf(paid));
    if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
    return paid.ok ? (paid.data?.paymentHash ?? undefined) : undefined;
  } catch (error) {
    if (error instanceof AmbiguousOutcomeError) return String(error.reconcile.paymentHash);
    throw error;
  }
}

export async function lookUp(invoiceId: string): Promise<InvoiceData | undefined> {
  const result = await btcpay.GET("/api/v1/invoices/{invoiceId}", { params: { path: { invoiceId } } });
  if (result.status === 404) return undefined;
  return unwrap(result);
}

export async function paidSats(invoice: InvoiceData): Promise<bigint> {
  return btcToSats(invoice.paidAmount ?? "0");
}

export async function onWebhook(rawBody: string, signature: string | null, secret: string): Promise<string | undefined> {
  const event = await parseWebhookEvent(rawBody, signature, secret);
  return event.type === "InvoiceSettled" ? event.invoiceId : undefined;
}

// @ts-expect-error not a path of this API
void btcpay.GET("/api/v1/nope");
// @ts-expect-error amounts are decimal strings
void btcpay.POST("/api/v1/stores/{storeId}/invoices", { params: { path: { storeId } }, body: { amount: 5 } });
// @ts-expect-error not an option
void btcpay.GET("/api/v1/health", { retries: 2 });
