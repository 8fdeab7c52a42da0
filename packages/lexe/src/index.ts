// @satbind/lexe: the Lexe SDK sidecar's local REST API, typed, with payment-safe helpers.
export { createLexeClient, WAIT_FOR_PAYMENT_MARGIN_MS } from "./client.js";
export type { LexeClient, LexeClientOptions } from "./client.js";
export { lexeAmountToMsats, msatsToLexeAmount } from "./amounts.js";
export { waitForPayment, isPayment, isFinalized, PaymentNotFoundError, PaymentWaitTimeoutError } from "./wait.js";
export type { FinalizedPayment, PaymentAnswer, WaitForPaymentOptions } from "./wait.js";
export { operationTable, servers, serverUrls } from "./generated/api/operations.js";
export type { OperationId } from "./generated/api/operations.js";
export type * from "./generated/api/schema.js";
// Error classes, unwrap/errorOf and the amount and invoice helpers, without a second install.
export * from "@satbind/runtime";
