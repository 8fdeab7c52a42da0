// @satbind/btcpay: BTCPay Server's Greenfield API v1, typed, with webhook verification and exact amounts.
export { createBtcpayClient } from "./client.js";
export type { BtcpayClient, BtcpayClientOptions } from "./client.js";
export { greenfieldErrorDetails, validationProblems } from "./errors.js";
export type { GreenfieldValidationProblem } from "./errors.js";
export { verifyWebhookSignature, parseWebhookEvent, WebhookSignatureError, WEBHOOK_SIGNATURE_HEADER } from "./webhooks.js";
export type { BtcpayWebhookEvent, BtcpayWebhookEventType, BtcpayWebhookEvents, WebhookPaymentRequestEvent, WebhookPayoutEvent } from "./webhooks.js";
export { decimalToUnits, unitsToDecimal, btcToSats, btcToMsats, satsToBtc, msatsToBtc } from "./amounts.js";
export { operationTable, servers, serverUrls } from "./generated/api/operations.js";
export type { OperationId } from "./generated/api/operations.js";
export type * from "./generated/api/schema.js";
// Error classes, unwrap/errorOf and the amount and invoice helpers, without a second install.
export * from "@satbind/runtime";
