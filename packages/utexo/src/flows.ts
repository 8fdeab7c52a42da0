// The begin -> sign -> end flows. UTEXO never holds the wallet's private keys: a *-begin call
// answers a PSBT, the caller's signer signs it, and the *-end call spends. Nothing moves before the
// end call, so only a failure there can leave the outcome unknown. None of the three steps is
// retried: a new attempt is a new flow, started by the caller once they know where the last one is.
import {
  AbortError,
  AmbiguousOutcomeError,
  ApiError,
  NetworkError,
  ResponseValidationError,
  SatbindError,
  TimeoutError,
  bolt11PaymentHash,
  type ErrorContext,
} from "@satbind/runtime";
import type { UtexoV1Client, UtexoV2Client } from "./client.js";
import type { components as V1 } from "./generated/v1/schema.js";
import type { components as V2 } from "./generated/v2/schema.js";

export type FlowName = "payInvoice" | "withdraw" | "onchainSend";
export type FlowStep = "begin" | "sign" | "end";

/**
 * Signs a PSBT with the wallet's keys: base64 PSBT in, signed base64 PSBT out. It gets the flow's
 * AbortSignal; if it throws or is aborted, the end call is never made.
 */
export type SignPsbt = (psbtBase64: string, context: { flow: FlowName; signal: AbortSignal | undefined }) => string | Promise<string>;

export interface FlowOptions {
  /** Stops the flow. Before the end call is sent, nothing has moved. */
  signal?: AbortSignal;
  /** Per request (begin and end), in ms. Default: the client's. */
  timeoutMs?: number;
}

export interface PayInvoiceRequest {
  /** The BOLT11 invoice to pay. */
  invoice: string;
  /** The most you will pay in routing fees, in sats. */
  maxFeeSats: number;
}

/** Where to send on-chain: a bitcoin address with `amount_sats`, or an RGB invoice with `asset`. */
export type WithdrawRequest = V1["schemas"]["WithdrawFromUTEXORequestModel"];
export type OnchainSendRequest = V2["schemas"]["OnchainSendRequestModel"];
type LightningSendRequest = V2["schemas"]["LightningSendRequest"];
type OnchainSendResponse = V2["schemas"]["OnchainSendResponse"];

/**
 * What onchainSend returns: the node's answer as it came, plus `sendId`, the send's id whichever
 * name the node gave it (`send_id` on UTEXO's reference page and in its SDK, `withdrawal_id` on
 * its reference server). Follow the send with getOnchainSendStatus and that id.
 */
export type OnchainSendResult = OnchainSendResponse & { readonly sendId: string };

/**
 * The id of an on-chain send in an onchain-send-end or getOnchainSendStatus answer, under either
 * name: `send_id` or `withdrawal_id`. Undefined when the answer carries neither.
 */
export function onchainSendId(answer: OnchainSendResponse | V2["schemas"]["GetOnchainSendResponse"] | null | undefined): string | undefined {
  if (answer === null || typeof answer !== "object") return undefined;
  const { send_id: sendId, withdrawal_id: withdrawalId } = answer as { send_id?: unknown; withdrawal_id?: unknown };
  if (typeof sendId === "string" && sendId !== "") return sendId;
  if (typeof withdrawalId === "string" && withdrawalId !== "") return withdrawalId;
  return undefined;
}

/**
 * A flow stopped and nothing was spent: the begin call failed, the signer failed, the end call was
 * never sent, or the node refused it (4xx). It is safe to start the flow again. `cause` says why.
 */
export class PsbtFlowError extends SatbindError {
  override name = "PsbtFlowError";
  readonly flow: FlowName;
  readonly step: FlowStep;
  readonly fundsMoved = false as const;

  constructor(flow: FlowName, step: FlowStep, reason: string, context: ErrorContext, cause: unknown) {
    super(`${flow} failed at ${step}: ${reason}; nothing was spent`, context, cause === undefined ? undefined : { cause });
    this.flow = flow;
    this.step = step;
  }
}

/**
 * The end call may have spent: it timed out, the connection dropped after it was sent, or the
 * node failed (5xx) while handling it. Look the spend up with `reconcile` before starting again.
 */
export class PsbtFlowOutcomeUnknownError extends AmbiguousOutcomeError {
  override name = "PsbtFlowOutcomeUnknownError";
  readonly flow: FlowName;
  readonly step = "end" as const;

  constructor(flow: FlowName, reason: string, context: ErrorContext, reconcile: Record<string, unknown>, cause: unknown) {
    super(`${flow}: the end call ${reason}, so it may have spent; ${String(reconcile.check)}`, { ...context, movesFunds: true, reconcile }, { cause });
    this.flow = flow;
  }
}

/**
 * Pays a Lightning invoice: pay-invoice-begin, your signer, pay-invoice-end. Returns the send
 * request, usually still PENDING; `waitForSendRequest` follows it to SUCCEEDED or FAILED.
 */
export async function payInvoice(
  client: UtexoV1Client | UtexoV2Client,
  request: PayInvoiceRequest,
  signPsbt: SignPsbt,
  options: FlowOptions = {},
): Promise<LightningSendRequest> {
  const { invoice, maxFeeSats } = request ?? ({} as PayInvoiceRequest);
  if (typeof invoice !== "string" || invoice.length === 0) throw new TypeError("payInvoice needs request.invoice, a BOLT11 invoice");
  if (!Number.isSafeInteger(maxFeeSats) || maxFeeSats < 0) throw new TypeError(`request.maxFeeSats must be a whole number of sats, 0 or more; got ${String(maxFeeSats)}`);
  const paymentHash = paymentHashOf(invoice);
  // Both versions have these two routes with the same shapes.
  const api = client as UtexoV2Client;
  return runFlow<LightningSendRequest>({
    flow: "payInvoice",
    operationIds: { begin: "payLightningInvoiceBegin", end: "payLightningInvoiceEnd" },
    signPsbt,
    options,
    begin: (init) => api.POST("/lightning/pay-invoice-begin", { body: { invoice, max_fee_sats: maxFeeSats }, ...init }),
    end: (signed_psbt, init) => api.POST("/lightning/pay-invoice-end", { body: { signed_psbt }, ...init }),
    reconcile: () =>
      paymentHash
        ? { paymentHash, check: `look it up with GET /lightning/send-request/${paymentHash} (waitForSendRequest); null means it was never sent` }
        : { invoice, check: "look for it in the wallet's payments and balance before paying again" },
  });
}

/** v1: withdraws bitcoin or an asset from UTEXO to Bitcoin: withdraw-begin, your signer, withdraw-end. */
export async function withdraw(
  client: UtexoV1Client,
  request: WithdrawRequest,
  signPsbt: SignPsbt,
  options: FlowOptions = {},
): Promise<V1["schemas"]["WithdrawFromUTEXOResponse"]> {
  checkOnchainRequest("withdraw", request);
  return runFlow({
    flow: "withdraw",
    operationIds: { begin: "withdrawBegin", end: "withdrawEnd" },
    signPsbt,
    options,
    begin: (init) => client.POST("/wallet/withdraw-begin", { body: request, ...init }),
    end: (signed_psbt, init) => client.POST("/wallet/withdraw-end", { body: { signed_psbt }, ...init }),
    reconcile: (startedAt) => ({
      request,
      startedAt,
      check: "check the balance and on-chain history for this send before withdrawing again",
    }),
  });
}

/**
 * v2: sends bitcoin or an asset on-chain from UTEXO: onchain-send-begin, your signer,
 * onchain-send-end. Returns the node's answer with `sendId` added (see OnchainSendResult). An end
 * answer that names no id at all spent but cannot be followed: it throws ResponseValidationError
 * (`requestSent: true`, `movesFunds: true`), never an "outcome unknown" error.
 */
export async function onchainSend(
  client: UtexoV2Client,
  request: OnchainSendRequest,
  signPsbt: SignPsbt,
  options: FlowOptions = {},
): Promise<OnchainSendResult> {
  checkOnchainRequest("onchainSend", request);
  const answer = await runFlow<OnchainSendResponse>({
    flow: "onchainSend",
    operationIds: { begin: "onchainSendBegin", end: "onchainSendEnd" },
    signPsbt,
    options,
    begin: (init) => client.POST("/lightning/onchain-send-begin", { body: request, ...init }),
    end: (signed_psbt, init) => client.POST("/lightning/onchain-send-end", { body: { signed_psbt }, ...init }),
    reconcile: (startedAt) => ({
      request,
      startedAt,
      check: "check the balance and listOnchainTransfers for this send before sending again",
    }),
  });
  const sendId = onchainSendId(answer);
  if (sendId === undefined) {
    throw new ResponseValidationError({
      operationId: "onchainSendEnd",
      method: "POST",
      url: "/lightning/onchain-send-end",
      status: 200,
      movesFunds: true,
      problems: [{ pointer: "", message: "names no send id: neither send_id nor withdrawal_id is a non-empty string" }],
      body: undefined,
    });
  }
  return { ...answer, sendId };
}

// Every step throws on an error answer, so a step's result is always an ok one: `data` is typed.
type CallInit = { signal?: AbortSignal; timeoutMs?: number; throwOnError: true };
type Answer<T> = { ok: true; data: T };

interface FlowSpec<Result> {
  flow: FlowName;
  /** Named in errors raised without an HTTP error of their own (no PSBT, aborted before end). */
  operationIds: { begin: string; end: string };
  signPsbt: SignPsbt;
  options: FlowOptions;
  begin(init: CallInit): Promise<Answer<string>>;
  end(signedPsbt: string, init: CallInit): Promise<Answer<Result>>;
  /** What identifies the spend, for an end call whose outcome is unknown. */
  reconcile(startedAt: string): Record<string, unknown>;
}

async function runFlow<Result>(spec: FlowSpec<Result>): Promise<Result> {
  const { flow, signPsbt, options } = spec;
  if (typeof signPsbt !== "function") throw new TypeError(`${flow} needs a signPsbt function: (psbtBase64) => signed base64 PSBT`);
  const { signal } = options;
  const init: CallInit = { throwOnError: true, ...(signal && { signal }), ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) };
  // Where a step failed before or without an HTTP error of its own (the signer has none).
  const step = (operationId?: string): ErrorContext => ({ operationId, method: operationId ? "POST" : "", url: "" });
  const ids = spec.operationIds;

  // 1. begin: nothing is spent whatever happens here.
  let psbt: string;
  try {
    psbt = (await spec.begin(init)).data;
  } catch (error) {
    throw new PsbtFlowError(flow, "begin", describe(error), contextOf(error, step(ids.begin)), error);
  }
  if (typeof psbt !== "string" || psbt.length === 0) {
    throw new PsbtFlowError(flow, "begin", "the node answered no PSBT", step(ids.begin), undefined);
  }

  // 2. sign: the caller's keys, the caller's code.
  if (signal?.aborted) throw new PsbtFlowError(flow, "sign", "aborted before signing", step(), signal.reason);
  let signed: unknown;
  try {
    signed = await signPsbt(psbt, { flow, signal });
  } catch (error) {
    throw new PsbtFlowError(flow, "sign", "the signer threw (its error is the cause, kept out of this message in case it holds key material)", step(), error);
  }
  if (typeof signed !== "string" || signed.length === 0) {
    throw new PsbtFlowError(flow, "sign", `the signer returned ${signed === "" ? "an empty string" : typeof signed}, not a base64 PSBT`, step(), undefined);
  }

  // 3. end: from here on a failure may have spent.
  if (signal?.aborted) throw new PsbtFlowError(flow, "end", "aborted before the end call was sent", step(ids.end), signal.reason);
  const startedAt = new Date().toISOString();
  try {
    return (await spec.end(signed, init)).data;
  } catch (error) {
    const context = contextOf(error, step(ids.end));
    if (endNotSpent(error)) throw new PsbtFlowError(flow, "end", describe(error), context, error);
    throw new PsbtFlowOutcomeUnknownError(flow, unknownReason(error), context, spec.reconcile(startedAt), error);
  }
}

/** Failures of the end call that prove nothing was spent: never sent, or refused by the node. */
function endNotSpent(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof AbortError) return error.requestSent === false;
  return error instanceof ApiError && error.status < 500;
}

function unknownReason(error: unknown): string {
  if (error instanceof TimeoutError) return `timed out after ${error.timeoutMs} ms`;
  if (error instanceof AbortError) return "was aborted after it was sent";
  if (error instanceof ApiError) return `failed with HTTP ${error.status}`;
  if (error instanceof AmbiguousOutcomeError) return "lost its answer";
  return `failed after it was sent (${describe(error)})`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function contextOf(error: unknown, fallback: ErrorContext): ErrorContext {
  return error instanceof SatbindError ? { operationId: error.operationId ?? fallback.operationId, method: error.method, url: error.url } : fallback;
}

function paymentHashOf(invoice: string): string | undefined {
  try {
    return bolt11PaymentHash(invoice);
  } catch {
    return undefined; // not a BOLT11 invoice we can read; the node will say what is wrong with it
  }
}

function checkOnchainRequest(flow: FlowName, request: WithdrawRequest | undefined): void {
  if (request === null || typeof request !== "object") throw new TypeError(`${flow} needs a request: { address_or_rgbinvoice, fee_rate, amount_sats | asset }`);
  if (typeof request.address_or_rgbinvoice !== "string" || request.address_or_rgbinvoice.length === 0) throw new TypeError(`${flow}: request.address_or_rgbinvoice must be a bitcoin address or an RGB invoice`);
  if (!Number.isSafeInteger(request.fee_rate) || request.fee_rate <= 0) throw new TypeError(`${flow}: request.fee_rate must be a whole number of sat/vB, 1 or more; got ${String(request.fee_rate)}`);
  const toRgbInvoice = request.address_or_rgbinvoice.startsWith("rgb:");
  if (toRgbInvoice && request.asset === undefined) throw new TypeError(`${flow}: sending to an RGB invoice needs request.asset`);
  if (!toRgbInvoice && request.amount_sats === undefined) throw new TypeError(`${flow}: sending bitcoin needs request.amount_sats`);
  if (request.amount_sats !== undefined && (!Number.isSafeInteger(request.amount_sats) || request.amount_sats <= 0)) {
    throw new TypeError(`${flow}: request.amount_sats must be a whole number of sats, 1 or more; got ${String(request.amount_sats)}`);
  }
}
