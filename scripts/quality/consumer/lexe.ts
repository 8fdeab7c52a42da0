// Lexe's main flow: pay an invoice, narrow the answer on its status, and wait until the payment is final.
import { createLexeClient, errorOf, unwrap, waitForPayment, AmbiguousOutcomeError, type FinalizedPayment, type Payment, type WebhookPayload } from "@satbind/lexe";
import { responseValidator } from "@satbind/lexe/validate";

const lexe = createLexeClient({ clientCredentials: async () => "credentials" });

export const credit = (event: WebhookPayload): [string, string | null] => [event.user_pk, event.amount];

export async function pay(invoice: string): Promise<FinalizedPayment | string> {
  try {
    const result = await lexe.POST("/v2/node/pay_invoice", { body: { invoice }, timeoutMs: 30_000 });
    if (result.ok) return waitForPayment(lexe, result.data);
    switch (result.status) {
      case 400:
        return `refused (Lexe code ${result.error.code}): ${result.error.msg}`;
      case 503:
        return "the sidecar is at capacity; nothing was sent";
      default:
        throw errorOf(result);
    }
  } catch (error) {
    if (error instanceof AmbiguousOutcomeError) return String(error.reconcile.index);
    throw error;
  }
}

export async function lookUp(index: string): Promise<Payment | "not found"> {
  const result = await lexe.GET("/v2/node/payment", { params: { query: { index } } });
  if (result.status === 404) return "not found";
  return unwrap(result);
}

// @ts-expect-error not a path of this API
void lexe.GET("/v2/node/nope");
// @ts-expect-error amounts are decimal strings
void lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 60, amount: 1000 } });
// @ts-expect-error timeoutMs, not timeoutMS: a misspelt option does not compile
void lexe.POST("/v2/node/pay_invoice", { body: { invoice: "lnbc1..." }, timeoutMS: 30_000 });

// Response validation is imported from its own subpath, so only a program that checks carries it.
export const checked = createLexeClient({ validateResponses: responseValidator });
