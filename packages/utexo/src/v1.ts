// @satbind/utexo/v1: UTEXO API v1 (wallet routes under /wallet, Lightning under /lightning), typed.
export { createUtexoClient } from "./client.js";
export type { UtexoV1Client as UtexoClient, UtexoClientOptions, UtexoKeys, UtexoNetwork } from "./client.js";
export { payInvoice, withdraw, PsbtFlowError, PsbtFlowOutcomeUnknownError } from "./flows.js";
export type { FlowName, FlowOptions, FlowStep, PayInvoiceRequest, SignPsbt, WithdrawRequest } from "./flows.js";
export { waitForReceiveRequest, waitForSendRequest, RequestNotFoundError, RequestWaitTimeoutError } from "./wait.js";
export type { FinalReceiveRequest, FinalSendRequest, WaitOptions } from "./wait.js";
export { operationTable, servers, serverUrls } from "./generated/v1/operations.js";
export type { OperationId } from "./generated/v1/operations.js";
export type * from "./generated/v1/schema.js";
// Error classes, unwrap/errorOf and the amount and invoice helpers, without a second install.
export * from "@satbind/runtime";
