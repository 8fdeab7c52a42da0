// waitForPayment: poll GET /v2/node/payment until the payment is finalized. Transient failures
// (connection trouble, 5xx, 503 at capacity) are waited out until the deadline; answers that
// will not change by asking again (400, 401, 404) end the wait at once.
import { AbortError, AmbiguousOutcomeError, ApiError, NetworkError, NotFoundError, SatbindError, errorOf } from "@satbind/runtime";
import type { components } from "./generated/api/schema.js";
import type { LexeClient } from "./client.js";

type Payment = components["schemas"]["Payment"];

/** A payment that has reached its final state. */
export type FinalizedPayment = Payment & { status: "completed" | "failed" };

export interface WaitForPaymentOptions {
  /** Stops the wait; the promise rejects with AbortError. */
  signal?: AbortSignal;
  /** Give up after this long, in ms. Default 300000 (5 minutes). `Infinity` waits for as long as it takes. */
  timeoutMs?: number;
  /** Delay before the second look, in ms. Grows by half each time, up to `maxIntervalMs`. Default 500. */
  intervalMs?: number;
  /** Longest delay between looks, in ms. Default 5000. */
  maxIntervalMs?: number;
}

const OPERATION = { operationId: "get_payment", method: "GET" } as const;

/** The sidecar has no payment with this index (HTTP 404). */
export class PaymentNotFoundError extends NotFoundError {
  override name = "PaymentNotFoundError";
  readonly index: string;

  constructor(index: string, answer: ApiError) {
    super(answer, answer);
    this.index = index;
    this.message = `payment ${index} not found (HTTP 404${answer.code === undefined ? "" : `, code ${answer.code}`})`;
  }
}

/** The payment was still pending when the wait's time ran out. It may still complete. */
export class PaymentWaitTimeoutError extends SatbindError {
  override name = "PaymentWaitTimeoutError";
  readonly index: string;
  readonly timeoutMs: number;
  /** The last state seen, if any answer came back. */
  readonly lastSeen: Payment | undefined;
  /** The last failure while polling, if the last look failed. */
  readonly lastError: unknown;

  constructor(index: string, timeoutMs: number, lastSeen: Payment | undefined, lastError: unknown) {
    const state = lastSeen ? `still ${lastSeen.status} (${lastSeen.status_msg})` : "not seen yet";
    super(`payment ${index} was ${state} after ${timeoutMs} ms`, { ...OPERATION, url: `/v2/node/payment?index=${index}` }, lastError === undefined ? undefined : { cause: lastError });
    this.index = index;
    this.timeoutMs = timeoutMs;
    this.lastSeen = lastSeen;
    this.lastError = lastError;
  }
}

/**
 * Polls the payment with `index` until it is completed or failed, and returns it. A failed payment
 * is returned, not thrown: check `status`.
 *
 *   const payment = await waitForPayment(lexe, index, { timeoutMs: 60_000 });
 */
export async function waitForPayment(client: LexeClient, index: string, options: WaitForPaymentOptions = {}): Promise<FinalizedPayment> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  let interval = options.intervalMs ?? 500;
  const maxInterval = options.maxIntervalMs ?? 5_000;
  if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number of milliseconds or Infinity; got ${timeoutMs}`);
  for (const [name, value] of [["intervalMs", interval], ["maxIntervalMs", maxInterval]] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`${name} must be a positive number of milliseconds; got ${value}`);
  }
  if (typeof index !== "string" || index === "") throw new TypeError("waitForPayment needs the payment's index, as create_invoice or pay_invoice returned it");

  // One signal for both ways a wait ends early: the caller's signal and our deadline.
  const deadline = new AbortController();
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => deadline.abort(), timeoutMs) : undefined;
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let lastSeen: Payment | undefined;
  let lastError: unknown;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new AbortError({ ...OPERATION, url: `/v2/node/payment?index=${index}`, requestSent: false }, { cause: options.signal.reason });
      if (deadline.signal.aborted) throw new PaymentWaitTimeoutError(index, timeoutMs, lastSeen, lastError);
      try {
        const result = await client.GET("/v2/node/payment", { params: { query: { index } }, signal, throwOnError: false });
        if (result.data) {
          lastSeen = result.data;
          lastError = undefined;
          if (isFinal(result.data)) return result.data;
        } else {
          const error = errorOf(result) ?? new Error(`unexpected HTTP ${result.response.status} while waiting for payment ${index}`);
          if (error instanceof ApiError && error.status === 404) throw new PaymentNotFoundError(index, error);
          if (!(error instanceof ApiError) || error.status < 500) throw error;
          lastError = error;
        }
      } catch (error) {
        // Our deadline or the caller's signal cut a request short: the loop head says which.
        if (error instanceof AbortError && signal.aborted) continue;
        if (!(error instanceof NetworkError || error instanceof AmbiguousOutcomeError)) throw error;
        lastError = error;
      }
      await sleep(interval, signal);
      interval = Math.min(interval * 1.5, maxInterval);
    }
  } finally {
    clearTimeout(timer);
  }
}

function isFinal(payment: Payment): payment is FinalizedPayment {
  return payment.status === "completed" || payment.status === "failed";
}

/** Resolves after `ms`, or early (without throwing) when the signal fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
