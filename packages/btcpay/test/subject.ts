// The BTCPay client as the reliability suite and the load run see it. No vitest import: the load
// run loads this module in a process of its own.
import { fileURLToPath } from "node:url";
import type { ClientLike, ReliabilitySubject } from "@satbind/reliability/load";
import { responseValidator } from "../src/generated/api/validate.js";
import * as pkg from "../src/index.js";

const API_KEY = "b7c1f0e2a9d84c36reliabilitykey5e8d";

export const subject: ReliabilitySubject = {
  name: "btcpay",
  specFile: fileURLToPath(new URL("../../../specs/btcpay/openapi.yaml", import.meta.url)),
  operationTable: pkg.operationTable,
  // Written out by hand, from specs/btcpay/NOTES.md: the table must say the same.
  movesFunds: [
    "StoreLightningNodeApi_PayInvoice",
    "InternalLightningNodeApi_PayInvoice",
    "StoreLightningNodeApi_OpenChannel",
    "InternalLightningNodeApi_OpenChannel",
    "StoreOnChainWallets_CreateOnChainTransaction",
    "StoreOnChainWallets_BroadcastOnChainTransaction",
    "Invoices_Refund",
    "PullPayments_CreatePullPayment",
    "PullPayments_CreatePayout",
    "Payouts_CreatePayoutThroughStore",
    "PullPayments_ApprovePayout",
    "PullPayments_MarkPayout",
    "PullPayments_MarkPayoutPaid",
    "PullPayments_LinkBoltcard",
    "UpdateCredit",
    "ProceedPlanCheckout",
  ],
  exclude: { Invoice_Checkout: "the checkout page a buyer's browser opens: HTML, read with parseAs: \"text\" (test/contract.test.ts)" },
  createClient: (options) => pkg.createBtcpayClient({ serverUrl: "http://127.0.0.1:9", apiKey: API_KEY, ...options }) as unknown as ClientLike,
  secrets: [API_KEY],
  responseValidator,
  errors: pkg,
};
