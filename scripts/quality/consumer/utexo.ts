// UTEXO's main flows: the begin -> sign PSBT -> end payments on v2 and a v1 withdrawal, narrowing
// its lookup on status.
import { createUtexoClient, errorOf, payInvoice, PsbtFlowOutcomeUnknownError, type V2 } from "@satbind/utexo";
import { withdraw, type GetWithdrawalResponse } from "@satbind/utexo/v1";
import { onchainSend, waitForSendRequest, type LightningSendRequest } from "@satbind/utexo/v2";
import { responseValidator as v2Validator } from "@satbind/utexo/v2/validate";

const keys = { xpubVan: "tpub...", xpubCol: "tpub...", masterFingerprint: async () => "1f5bd7df" };
const v1 = createUtexoClient({ version: "v1", network: "testnet", keys });
const v2 = createUtexoClient({ version: "v2", network: "local", keys });
declare const sign: (psbt: string) => Promise<string>;

export async function pay(invoice: string): Promise<LightningSendRequest> {
  try {
    return await payInvoice(v2, { invoice, maxFeeSats: 100 }, sign);
  } catch (error) {
    if (error instanceof PsbtFlowOutcomeUnknownError) return waitForSendRequest(v2, String(error.reconcile.paymentHash));
    throw error;
  }
}

export async function withdrawal(id: string): Promise<GetWithdrawalResponse | undefined> {
  const result = await v1.GET("/wallet/withdraw/{withdrawal_id}", { params: { path: { withdrawal_id: id } } });
  if (result.ok) return result.data;
  // UTEXO's three error shapes: the RGB library's, an unknown wallet's, the web framework's.
  if (result.status === 404) return undefined;
  if (result.status === 428) throw new Error(`sync the wallet first: ${result.error.message}`);
  throw errorOf(result);
}

export const balance = async (): Promise<V2.WalletBalanceResponse | undefined> => (await v2.GET("/lightning/balance")).data;
void withdraw(v1, { address_or_rgbinvoice: "tb1q...", amount_sats: 1000, fee_rate: 2 }, sign);
void onchainSend(v2, { address_or_rgbinvoice: "tb1q...", amount_sats: 1000, fee_rate: 2 }, sign);

// @ts-expect-error withdraw is a v1 flow
void withdraw(v2, { address_or_rgbinvoice: "tb1q...", amount_sats: 1000, fee_rate: 2 }, sign);
// @ts-expect-error v2 has no /wallet routes
void v2.GET("/wallet/balance");
// @ts-expect-error no such network
createUtexoClient({ version: "v2", network: "regtest", keys });
// @ts-expect-error signal, not abortSignal
void v2.GET("/lightning/balance", { abortSignal: new AbortController().signal });

// Each API version has its own response validator.
export const checkedV2 = createUtexoClient({ version: "v2", network: "local", keys, validateResponses: v2Validator });
