// Lexe's main flow: pay an invoice and wait until the payment is final.
import { createLexeClient, waitForPayment, AmbiguousOutcomeError, type FinalizedPayment, type WebhookPayload } from "@satbind/lexe";

const lexe = createLexeClient({ clientCredentials: async () => "credentials" });

export const credit = (event: WebhookPayload): [string, string | null] => [event.user_pk, event.amount];

export async function pay(invoice: string): Promise<FinalizedPayment | string> {
  try {
    const { data } = await lexe.POST("/v2/node/pay_invoice", { body: { invoice } });
    return data ? waitForPayment(lexe, data.index) : "refused";
  } catch (error) {
    if (error instanceof AmbiguousOutcomeError) return String(error.reconcile.index);
    throw error;
  }
}

// @ts-expect-error not a path of this API
void lexe.GET("/v2/node/nope");
// @ts-expect-error amounts are decimal strings
void lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 60, amount: 1000 } });
