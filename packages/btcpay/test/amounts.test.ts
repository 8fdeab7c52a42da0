import { describe, expect, it } from "vitest";
import { btcToMsats, btcToSats, decimalToUnits, msatsToBtc, satsToBtc, unitsToDecimal } from "../src/index.js";

describe("decimal amounts, exactly", () => {
  it("BTC strings to sats and msats, and back", () => {
    expect(btcToSats("0.00012345")).toBe(12_345n);
    expect(btcToSats("21000000")).toBe(2_100_000_000_000_000n);
    expect(btcToSats("1.10000000")).toBe(110_000_000n);
    expect(btcToMsats("0.00000000001")).toBe(1n);
    expect(satsToBtc(12_345n)).toBe("0.00012345");
    expect(satsToBtc(100_000_000)).toBe("1");
    expect(msatsToBtc(1n)).toBe("0.00000000001");
  });

  it("values a float would round keep every digit", () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; here it is 30000000 sats.
    expect(btcToSats("0.1") + btcToSats("0.2")).toBe(btcToSats("0.3"));
    expect(decimalToUnits("9007199254740993.01", 2)).toBe(900719925474099301n);
    expect(unitsToDecimal(900719925474099301n, 2)).toBe("9007199254740993.01");
  });

  it("fiat with its own decimals, and negatives (refunds, credits)", () => {
    expect(decimalToUnits("12.50", 2)).toBe(1250n);
    expect(decimalToUnits("-3.5", 2)).toBe(-350n);
    expect(unitsToDecimal(-350n, 2)).toBe("-3.5");
    expect(decimalToUnits("1000", 0)).toBe(1000n);
  });

  it("refuses to round anything away, and anything that is not a decimal string", () => {
    expect(() => btcToSats("0.000000001")).toThrow("has 9 decimal places; at most 8");
    expect(() => decimalToUnits("1e-8", 8)).toThrow('invalid amount "1e-8"');
    expect(() => decimalToUnits("1,5", 2)).toThrow("expected a decimal string");
    expect(() => decimalToUnits(1.5 as never, 2)).toThrow("decimal string");
    expect(() => unitsToDecimal(0.5, 2)).toThrow("safe integer");
    expect(() => decimalToUnits("1", -1)).toThrow("decimals must be");
  });
});
