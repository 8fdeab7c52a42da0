// waitForPayment: poll GET /v2/node/payment until the payment is finalized. Transient failures
// (connection trouble, 429, 5xx, 503 at capacity) are waited out until the deadline; answers that
// will not change by asking again (400, 401, 404) end the wait at once.
import { NotFoundError, SatbindError, errorOf, pollUntil, type ApiErrorFor, type PollOptions } from "@satbind/runtime";
import type { components } from "./generated/api/schema.js";
import type { LexeClient } from "./client.js";

type Payment = components["schemas"]["Payment"];
type ErrorResponse = components["schemas"]["ErrorResponse"];
type PaymentAccepted = components["schemas"]["PaymentAccepted"];

/** A payment that has reached its final state. */
export type FinalizedPayment = Payment & { status: "completed" | "failed" };

/**
 * What pay_invoice, pay_offer and pay answer: up to sidecar 0.4.10 only `{ index, created_at }`
 * (the payment was accepted), from 0.4.11 the payment itself.
 */
export type PaymentAnswer = PaymentAccepted | Payment;

/** Whether a pay answer is the payment itself (sidecar 0.4.11+) rather than only its index. */
export function isPayment(answer: PaymentAnswer): answer is Payment {
  return typeof (answer as Partial<Payment>).status === "string";
}

/** Whether a payment (or a pay answer) is completed or failed, so it will not change again. */
export function isFinalized(answer: PaymentAnswer): answer is FinalizedPayment {
  return isPayment(answer) && (answer.status === "completed" || answer.status === "failed");
}

/** `signal`, `timeoutMs` (default 5 minutes), `intervalMs` (500, growing by half) and `maxIntervalMs` (5000). */
export type WaitForPaymentOptions = PollOptions;

const OPERATION = { operationId: "get_payment", method: "GET" } as const;

/** The sidecar has no payment with this index (HTTP 404). `body` is Lexe's error body. */
export class PaymentNotFoundError extends NotFoundError {
  override name = "PaymentNotFoundError";
  declare readonly body: ErrorResponse;
  readonly index: string;

  constructor(index: string, answer: ApiErrorFor<404, ErrorResponse>) {
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
 * is returned, not thrown: check `status`. Give it the index, or what pay_invoice, pay_offer or pay
 * answered: a finished payment (sidecar 0.4.11+) comes back at once, without a request; an accepted
 * one (`{ index, created_at }`, up to 0.4.10) or a pending one is polled by its index.
 *
 *   const payment = await waitForPayment(lexe, index, { timeoutMs: 60_000 });
 *   const paid = await waitForPayment(lexe, unwrap(await lexe.POST("/v2/node/pay_offer", { body })));
 */
export async function waitForPayment(client: LexeClient, payment: string | PaymentAnswer, options: WaitForPaymentOptions = {}): Promise<FinalizedPayment> {
  const answer = typeof payment === "object" && payment !== null ? payment : undefined;
  if (answer && isFinalized(answer)) return answer;
  const index = answer ? answer.index : payment;
  if (typeof index !== "string" || index === "") {
    throw new TypeError("waitForPayment needs the payment's index, or the answer of create_invoice, pay_invoice, pay_offer or pay that carries it");
  }
  const context = { ...OPERATION, url: `/v2/node/payment?index=${index}` };
  return pollUntil<Payment, FinalizedPayment>(
    {
      context,
      async look(signal) {
        const result = await client.GET("/v2/node/payment", { params: { query: { index } }, signal, throwOnError: false });
        // A 2xx without a body is not the Payment the spec promises: an error that ends the wait.
        if (result.ok) {
          const { data, status } = result;
          return data ?? emptyAnswer(status, index);
        }
        if (result.status === 404) throw new PaymentNotFoundError(index, errorOf(result));
        throw errorOf(result);
      },
      isFinal: (payment): payment is FinalizedPayment => payment.status === "completed" || payment.status === "failed",
      timedOut: (lastSeen, lastError, timeoutMs) => new PaymentWaitTimeoutError(index, timeoutMs, lastSeen, lastError),
    },
    options,
  );
}

function emptyAnswer(status: number, index: string): never {
  throw new Error(`unexpected empty HTTP ${status} while waiting for payment ${index}`);
}
