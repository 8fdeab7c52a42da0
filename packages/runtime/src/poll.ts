// pollUntil: look at something again and again until it reaches a final state. Trouble that asking
// again can fix (connection failures, lost answers, 429 and 5xx) is waited out until the deadline;
// any other error ends the wait at once, as does the caller's AbortSignal.
import { AbortError, AmbiguousOutcomeError, ApiError, NetworkError, type ErrorContext } from "./errors.js";

export interface PollOptions {
  /** Stops the wait; the promise rejects with AbortError. */
  signal?: AbortSignal;
  /** Give up after this long, in ms. Default 300000 (5 minutes). `Infinity` waits for as long as it takes. */
  timeoutMs?: number;
  /** Delay before the second look, in ms. Grows by half each time, up to `maxIntervalMs`. Default 500. */
  intervalMs?: number;
  /** Longest delay between looks, in ms. Default 5000. */
  maxIntervalMs?: number;
}

export interface Poller<Seen, Final extends Seen> {
  /** One look. Gets a signal that fires at the deadline or when the caller aborts; pass it on. */
  look(signal: AbortSignal): Promise<Seen>;
  isFinal(seen: Seen): seen is Final;
  /** The error to throw when time runs out, given the last state seen and the last failure. */
  timedOut(lastSeen: Seen | undefined, lastError: unknown, timeoutMs: number): Error;
  /** Names the operation in the AbortError thrown when the caller aborts. */
  context: ErrorContext;
}

export async function pollUntil<Seen, Final extends Seen>(poller: Poller<Seen, Final>, options: PollOptions = {}): Promise<Final> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  let interval = options.intervalMs ?? 500;
  const maxInterval = options.maxIntervalMs ?? 5_000;
  if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number of milliseconds or Infinity; got ${timeoutMs}`);
  for (const [name, value] of [["intervalMs", interval], ["maxIntervalMs", maxInterval]] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`${name} must be a positive number of milliseconds; got ${value}`);
  }

  // One signal for both ways a wait ends early: the caller's signal and our deadline.
  const deadline = new AbortController();
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => deadline.abort(), timeoutMs) : undefined;
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let lastSeen: Seen | undefined;
  let lastError: unknown;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new AbortError({ ...poller.context, requestSent: false }, { cause: options.signal.reason });
      if (deadline.signal.aborted) throw poller.timedOut(lastSeen, lastError, timeoutMs);
      try {
        const seen = await poller.look(signal);
        lastSeen = seen;
        lastError = undefined;
        if (poller.isFinal(seen)) return seen;
      } catch (error) {
        // Our deadline or the caller's signal cut a look short: the loop head says which.
        if (error instanceof AbortError && signal.aborted) continue;
        if (!isTransient(error)) throw error;
        lastError = error;
      }
      await sleep(interval, signal);
      interval = Math.min(interval * 1.5, maxInterval);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Failures that a later look may not have. */
function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError || error instanceof AmbiguousOutcomeError) return true;
  return error instanceof ApiError && (error.status >= 500 || error.status === 429);
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
