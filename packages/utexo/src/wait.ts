// Follow a Lightning receive or send request until it is final. Both versions have the same two
// lookups. The node answers `null` for an id it does not know, which ends the wait at once.
import { SatbindError, pollUntil, type PollOptions } from "@satbind/runtime";
import type { UtexoV1Client, UtexoV2Client } from "./client.js";
import type { components } from "./generated/v2/schema.js";

type ReceiveRequest = components["schemas"]["LightningReceiveRequest"];
type SendRequest = components["schemas"]["LightningSendRequest"];

/** An invoice that was paid, expired or failed. */
export type FinalReceiveRequest = ReceiveRequest & { status: "SETTLED" | "EXPIRED" | "FAILED" };
/** A payment that succeeded or failed. */
export type FinalSendRequest = SendRequest & { status: "SUCCEEDED" | "FAILED" };

/** `signal`, `timeoutMs` (default 5 minutes), `intervalMs` (500, growing by half) and `maxIntervalMs` (5000). */
export type WaitOptions = PollOptions;

type RequestKind = "receive" | "send";
const OPERATIONS = { receive: "getLightningReceiveRequest", send: "getLightningSendRequest" } as const;

/** The node has no receive or send request with this id (it answered null). */
export class RequestNotFoundError extends SatbindError {
  override name = "RequestNotFoundError";
  readonly kind: RequestKind;
  readonly requestId: string;

  constructor(kind: RequestKind, requestId: string, url: string) {
    super(`no ${kind} request with id ${requestId}`, { operationId: OPERATIONS[kind], method: "GET", url });
    this.kind = kind;
    this.requestId = requestId;
  }
}

/** The request was still open or pending when the wait's time ran out. It may still finish. */
export class RequestWaitTimeoutError extends SatbindError {
  override name = "RequestWaitTimeoutError";
  readonly kind: RequestKind;
  readonly requestId: string;
  readonly timeoutMs: number;
  /** The last state seen, if any answer came back. */
  readonly lastSeen: ReceiveRequest | SendRequest | undefined;
  /** The last failure while polling, if the last look failed. */
  readonly lastError: unknown;

  constructor(kind: RequestKind, requestId: string, url: string, timeoutMs: number, lastSeen: ReceiveRequest | SendRequest | undefined, lastError: unknown) {
    const state = lastSeen ? `still ${lastSeen.status}` : "not seen yet";
    super(`${kind} request ${requestId} was ${state} after ${timeoutMs} ms`, { operationId: OPERATIONS[kind], method: "GET", url }, lastError === undefined ? undefined : { cause: lastError });
    this.kind = kind;
    this.requestId = requestId;
    this.timeoutMs = timeoutMs;
    this.lastSeen = lastSeen;
    this.lastError = lastError;
  }
}

/**
 * Polls an invoice created with createLightningInvoice until it is SETTLED, EXPIRED or FAILED, and
 * returns it. Only SETTLED means paid: check `status`.
 */
export function waitForReceiveRequest(client: UtexoV1Client | UtexoV2Client, requestId: string, options: WaitOptions = {}): Promise<FinalReceiveRequest> {
  const api = client as UtexoV2Client;
  return waitFor<ReceiveRequest, FinalReceiveRequest>("receive", requestId, options, {
    look: (signal) => api.GET("/lightning/receive-request/{request_id}", { params: { path: { request_id: requestId } }, signal, throwOnError: true }),
    isFinal: (r): r is FinalReceiveRequest => r.status !== "OPEN",
  });
}

/**
 * Polls a payment until it is SUCCEEDED or FAILED, and returns it. A failed payment is returned,
 * not thrown: check `status`. Use the send request's `id`, or after an unknown outcome the
 * `paymentHash` from the error's `reconcile`.
 */
export function waitForSendRequest(client: UtexoV1Client | UtexoV2Client, requestId: string, options: WaitOptions = {}): Promise<FinalSendRequest> {
  const api = client as UtexoV2Client;
  return waitFor<SendRequest, FinalSendRequest>("send", requestId, options, {
    look: (signal) => api.GET("/lightning/send-request/{request_id}", { params: { path: { request_id: requestId } }, signal, throwOnError: true }),
    isFinal: (r): r is FinalSendRequest => r.status !== "PENDING",
  });
}

function waitFor<Seen extends ReceiveRequest | SendRequest, Final extends Seen>(
  kind: RequestKind,
  requestId: string,
  options: WaitOptions,
  lookup: { look(signal: AbortSignal): Promise<{ data?: Seen | null }>; isFinal(seen: Seen): seen is Final },
): Promise<Final> {
  if (typeof requestId !== "string" || requestId === "") throw new TypeError(`waitFor${kind === "receive" ? "Receive" : "Send"}Request needs the request's id`);
  const url = `/lightning/${kind}-request/${encodeURIComponent(requestId)}`;
  return pollUntil<Seen, Final>(
    {
      context: { operationId: OPERATIONS[kind], method: "GET", url },
      async look(signal) {
        const { data } = await lookup.look(signal);
        if (data === null || data === undefined) throw new RequestNotFoundError(kind, requestId, url);
        return data;
      },
      isFinal: lookup.isFinal,
      timedOut: (lastSeen, lastError, timeoutMs) => new RequestWaitTimeoutError(kind, requestId, url, timeoutMs, lastSeen, lastError),
    },
    options,
  );
}
