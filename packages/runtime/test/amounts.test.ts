import { describe, expect, it } from "vitest";
import { msatsToSats, satsToMsats } from "../src/index.js";

describe("amounts", () => {
  it("converts sats to msats exactly, beyond 2^53 msats", () => {
    expect(satsToMsats(1)).toBe(1000n);
    expect(satsToMsats(2_100_000_000_000_000)).toBe(2_100_000_000_000_000_000n);
    expect(() => satsToMsats(1.5)).toThrow("sats must be a safe integer; got 1.5");
  });

  it("converts msats to sats, refusing to drop a remainder unless asked", () => {
    expect(msatsToSats(21_000n)).toBe(21n);
    expect(() => msatsToSats(1_500)).toThrow("1500 msats is not a whole number of sats (remainder 500)");
    expect(msatsToSats(1_500, "down")).toBe(1n);
    expect(msatsToSats(1_500, "up")).toBe(2n);
    expect(() => msatsToSats(2 ** 60)).toThrow(RangeError);
  });
});
