// Deezy's main flows: quote and create a swap (narrowing its answer on status), and a paid AI call.
import { createDeezyClient, errorOf, swapFee, unwrap, webai, WebaiPaymentError, type CreateSwapResponse, type SwapFee, type WebaiAnswer } from "@satbind/deezy";

const deezy = createDeezyClient({ network: "testnet", apiToken: async () => "token" });

export async function quote(amountSats: number): Promise<SwapFee> {
  return swapFee(unwrap(await deezy.GET("/v1/swap/info")), amountSats, 2);
}

export async function swap(address: string): Promise<CreateSwapResponse | string> {
  const result = await deezy.POST("/v1/swap", { body: { amount_sats: 500000, on_chain_address: address, on_chain_sats_per_vbyte: 2 } });
  if (result.ok) return result.data;
  if (result.status === 400) return `refused: ${result.error.message ?? result.error.error ?? "no reason given"}`;
  throw errorOf(result);
}

export async function ask(payInvoice: (invoice: string) => Promise<void>): Promise<WebaiAnswer | string | undefined> {
  try {
    return await webai(deezy, { provider: "openai", api_path: "v1/chat/completions", data: { model: "gpt-4o-mini" } }, { payInvoice });
  } catch (error) {
    if (error instanceof WebaiPaymentError && error.paid === true) return error.invoice;
    throw error;
  }
}

// @ts-expect-error not a path of this API
void deezy.GET("/v1/nope");
// @ts-expect-error no such network
createDeezyClient({ network: "signet" });
// @ts-expect-error maxRetries, not maxRetry
void deezy.GET("/v1/swap/info", { maxRetry: 0 });
