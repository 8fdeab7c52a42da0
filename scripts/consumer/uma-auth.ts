// UMA Auth's main flow: create an invoice, pay one, and reconcile when the outcome is unknown.
import { createUmaAuthClient, unwrap, AmbiguousOutcomeError, type Transaction } from "@satbind/uma-auth";

const uma = createUmaAuthClient({ vaspHost: "vasp.example", token: async () => "jwt" });

export async function receive(amountMsats: number): Promise<Transaction> {
  return unwrap(await uma.POST("/invoice", { body: { amount: amountMsats } }));
}

export async function pay(invoice: string): Promise<string | undefined> {
  try {
    return (await uma.POST("/payments/bolt11", { body: { invoice } })).data?.preimage;
  } catch (error) {
    if (error instanceof AmbiguousOutcomeError) return String(error.reconcile.paymentHash);
    throw error;
  }
}

// @ts-expect-error not a path of this API
void uma.GET("/nope");
// @ts-expect-error amount is required
void uma.POST("/invoice", { body: {} });
