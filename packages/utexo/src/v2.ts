// @satbind/utexo/v2: UTEXO API v2 (everything under /lightning), typed.
export { createUtexoClient } from "./client.js";
export type { UtexoV2Client as UtexoClient, UtexoClientOptions, UtexoKeys, UtexoNetwork } from "./client.js";
export { payInvoice, onchainSend, onchainSendId, PsbtFlowError, PsbtFlowOutcomeUnknownError } from "./flows.js";
export type { FlowName, FlowOptions, FlowStep, OnchainSendRequest, OnchainSendResult, PayInvoiceRequest, SignPsbt } from "./flows.js";
export { waitForReceiveRequest, waitForSendRequest, RequestNotFoundError, RequestWaitTimeoutError } from "./wait.js";
export type { FinalReceiveRequest, FinalSendRequest, WaitOptions } from "./wait.js";
export { operationTable, servers, serverUrls } from "./generated/v2/operations.js";
export type { OperationId } from "./generated/v2/operations.js";
export type * from "./generated/v2/schema.js";
// Error classes, unwrap/errorOf and the amount and invoice helpers, without a second install.
export * from "@satbind/runtime";
