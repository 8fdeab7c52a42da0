// UMA Auth's main flow: create an invoice, pay one, reconcile when the outcome is unknown, and look
// an invoice up, narrowing on status (or, in throwing mode, with isErrorOf).
import { createUmaAuthClient, isErrorOf, unwrap, AmbiguousOutcomeError, type Transaction } from "@satbind/uma-auth";

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

export async function lookUp(paymentHash: string): Promise<Transaction | undefined> {
  const result = await uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: paymentHash } } });
  if (result.status === 404 && result.error.code === "NOT_FOUND") return undefined;
  return unwrap(result);
}

export async function lookUpOrThrow(paymentHash: string): Promise<Transaction | undefined> {
  try {
    return (await uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: paymentHash } }, throwOnError: true })).data;
  } catch (error) {
    if (isErrorOf(error, uma, "GET", "/invoices/{payment_hash}") && error.status === 404 && error.body.code === "NOT_FOUND") return undefined;
    throw error;
  }
}

// @ts-expect-error not a path of this API
void uma.GET("/nope");
// @ts-expect-error amount is required
void uma.POST("/invoice", { body: {} });
// @ts-expect-error not an option
void uma.GET("/info", { retries: 2 });
