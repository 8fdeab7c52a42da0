// Deezy's main flows: quote and create a swap, and a paid AI call.
import { createDeezyClient, swapFee, unwrap, webai, WebaiPaymentError, type CreateSwapResponse, type SwapFee } from "@satbind/deezy";

const deezy = createDeezyClient({ network: "testnet", apiToken: async () => "token" });

export async function quote(amountSats: number): Promise<SwapFee> {
  return swapFee(unwrap(await deezy.GET("/v1/swap/info")), amountSats, 2);
}

export async function swap(address: string): Promise<CreateSwapResponse | undefined> {
  return (await deezy.POST("/v1/swap", { body: { amount_sats: 500000, on_chain_address: address, on_chain_sats_per_vbyte: 2 } })).data;
}

export async function ask(payInvoice: (invoice: string) => Promise<void>): Promise<unknown> {
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
