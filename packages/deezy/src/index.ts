// @satbind/deezy: Deezy's API (swaps, LSP channels, earn, autobalance, inscriptions, boost, fee bumper, webai), typed.
export { createDeezyClient } from "./client.js";
export type { DeezyClient, DeezyClientOptions, DeezyNetwork } from "./client.js";
export { swapFee, SwapNotPossibleError } from "./fees.js";
export type { SwapFee } from "./fees.js";
export { webai, WebaiPaymentError } from "./webai.js";
export type { WebaiAnswer, WebaiCall, WebaiOptions } from "./webai.js";
export { operationTable, servers, serverUrls } from "./generated/api/operations.js";
export type { OperationId } from "./generated/api/operations.js";
export type * from "./generated/api/schema.js";
// Error classes, unwrap/errorOf and the amount and invoice helpers, without a second install.
export * from "@satbind/runtime";
