// @satbind/utexo: UTEXO API v1 and v2, typed, with the begin -> sign PSBT -> end flows.
// The version-specific types live in the V1 and V2 namespaces (and in @satbind/utexo/v1 and /v2).
export { createUtexoClient } from "./client.js";
export type { UtexoClient, UtexoClientOptions, UtexoKeys, UtexoNetwork, UtexoV1Client, UtexoV2Client, UtexoVersion } from "./client.js";
export { payInvoice, withdraw, onchainSend, onchainSendId, PsbtFlowError, PsbtFlowOutcomeUnknownError } from "./flows.js";
export type { FlowName, FlowOptions, FlowStep, OnchainSendRequest, OnchainSendResult, PayInvoiceRequest, SignPsbt, WithdrawRequest } from "./flows.js";
export { waitForReceiveRequest, waitForSendRequest, RequestNotFoundError, RequestWaitTimeoutError } from "./wait.js";
export type { FinalReceiveRequest, FinalSendRequest, WaitOptions } from "./wait.js";
export type * as V1 from "./generated/v1/schema.js";
export type * as V2 from "./generated/v2/schema.js";
// Error classes, unwrap/errorOf and the amount and invoice helpers, without a second install.
export * from "@satbind/runtime";
