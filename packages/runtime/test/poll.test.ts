// pollUntil on its own: what ends a wait (a final state, an error asking again cannot fix, the
// deadline, the caller's signal) and what it waits out. `look` here is the input, not a mock of
// anything: each test scripts the answers a real lookup could give.
import { describe, expect, it } from "vitest";
import { AbortError, AmbiguousOutcomeError, ApiError, BadRequestError, NetworkError, pollUntil, type Poller } from "../src/index.js";

const context = { operationId: "getThing", method: "GET", url: "/thing" };
const FAST = { intervalMs: 1, maxIntervalMs: 2 };
const apiError = (status: number) => ApiError.from(context, { status, code: undefined, providerMessage: undefined, body: {}, requestId: undefined, headers: {} });

function poller(answers: (string | Error)[]): Poller<string, "done"> & { looks: number } {
  const p = {
    looks: 0,
    context,
    async look() {
      const answer = answers[Math.min(p.looks++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    isFinal: (s: string): s is "done" => s === "done",
    timedOut: (lastSeen: string | undefined, lastError: unknown, timeoutMs: number) => Object.assign(new Error(`gave up after ${timeoutMs} ms`), { lastSeen, lastError }),
  };
  return p;
}

describe("pollUntil", () => {
  it("looks until the state is final", async () => {
    const p = poller(["pending", "pending", "done"]);
    expect(await pollUntil(p, FAST)).toBe("done");
    expect(p.looks).toBe(3);
  });

  it("waits out connection failures, lost answers, 429 and 5xx", async () => {
    const p = poller([new NetworkError("refused", context), new AmbiguousOutcomeError("lost", { ...context, movesFunds: false, reconcile: {} }), apiError(429), apiError(503), "done"]);
    expect(await pollUntil(p, FAST)).toBe("done");
    expect(p.looks).toBe(5);
  });

  it("stops at once on an error asking again cannot fix", async () => {
    const p = poller(["pending", apiError(400), "done"]);
    await expect(pollUntil(p, FAST)).rejects.toBeInstanceOf(BadRequestError);
    expect(p.looks).toBe(2);
  });

  it("at the deadline, throws the poller's error with the last state seen", async () => {
    const p = poller(["pending"]);
    await expect(pollUntil(p, { ...FAST, timeoutMs: 30 })).rejects.toMatchObject({ message: "gave up after 30 ms", lastSeen: "pending", lastError: undefined });
  });

  it("the caller's signal ends the wait with AbortError, nothing in flight", async () => {
    const controller = new AbortController();
    const p = poller(["pending"]);
    setTimeout(() => controller.abort(), 10);
    const error = await pollUntil(p, { ...FAST, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ requestSent: false, operationId: "getThing" });
  });

  it("refuses nonsense timings", async () => {
    await expect(pollUntil(poller(["done"]), { timeoutMs: 0 })).rejects.toThrow("timeoutMs must be a positive number");
    await expect(pollUntil(poller(["done"]), { intervalMs: Number.NaN })).rejects.toThrow("intervalMs must be a positive number");
  });
});
