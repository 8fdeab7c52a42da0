// Lexe's decimal amount strings to and from msats, exactly.
import { describe, expect, it } from "vitest";
import { lexeAmountToMsats, msatsToLexeAmount } from "../src/index.js";

describe("lexeAmountToMsats", () => {
  it.each([
    ["57505.107", 57_505_107n],
    ["57203.107", 57_203_107n],
    ["134736", 134_736_000n],
    ["0.03", 30n],
    ["0.3", 300n],
    ["442478.190", 442_478_190n],
    ["0", 0n],
    ["0.001", 1n],
    // Beyond 2^53 msats: a float would round here, bigint does not.
    ["9007199254740.993", 9_007_199_254_740_993n],
    ["18446744073709551.615", 18_446_744_073_709_551_615n],
  ])("%s sats is %s msats", (amount, msats) => {
    expect(lexeAmountToMsats(amount)).toBe(msats);
  });

  it.each(["1e3", "-1", "1.2345", "", " 1", "1 ", "1.", ".5", "0x10", "1,000", "NaN", "+1"])("refuses %j with a message that quotes it", (amount) => {
    expect(() => lexeAmountToMsats(amount)).toThrow(new TypeError(`invalid Lexe amount ${JSON.stringify(amount)}: expected sats as a decimal string with at most 3 decimal places, like "57505.107"`));
  });

  it("refuses amounts above the sidecar's maximum", () => {
    expect(() => lexeAmountToMsats("18446744073709551.616")).toThrow(RangeError);
    expect(() => lexeAmountToMsats("18446744073709551.616")).toThrow("above the maximum of 18446744073709551.615 sats");
  });

  it("refuses numbers: they may already have been rounded", () => {
    expect(() => lexeAmountToMsats(1000 as unknown as string)).toThrow('a Lexe amount must be a string like "57505.107"; got number 1000');
  });
});

describe("msatsToLexeAmount", () => {
  it.each([
    [57_505_107n, "57505.107"],
    [134_736_000n, "134736"],
    [30n, "0.03"],
    [300n, "0.3"],
    [442_478_190n, "442478.19"],
    [0n, "0"],
    [1n, "0.001"],
    [18_446_744_073_709_551_615n, "18446744073709551.615"],
    [1_000_000, "1000"],
  ])("%s msats is %s sats", (msats, amount) => {
    expect(msatsToLexeAmount(msats)).toBe(amount);
  });

  it("round-trips every amount it writes", () => {
    for (const msats of [0n, 1n, 999n, 1000n, 1001n, 123_456_789n, 2n ** 60n + 7n]) {
      expect(lexeAmountToMsats(msatsToLexeAmount(msats))).toBe(msats);
    }
  });

  it("refuses what the sidecar would refuse", () => {
    expect(() => msatsToLexeAmount(-1n)).toThrow("a Lexe amount cannot be negative; got -1 msats");
    expect(() => msatsToLexeAmount(2n ** 64n)).toThrow("a Lexe amount is at most 18446744073709551615 msats");
    expect(() => msatsToLexeAmount(0.5)).toThrow("msats must be a safe integer or a bigint; got 0.5");
    expect(() => msatsToLexeAmount(2 ** 53)).toThrow(RangeError);
  });
});
