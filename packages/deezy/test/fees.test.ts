// The swap fee helper against the page's formula and its limits.
import { describe, expect, it } from "vitest";
import { SwapNotPossibleError, swapFee, type SwapInfo } from "../src/index.js";

// The reference page's sample answer of GET /v1/swap/info.
const INFO: SwapInfo = { liquidity_fee_ppm: 2000, on_chain_bytes_estimate: 300, max_swap_amount_sats: 100_000_000, min_swap_amount_sats: 100_000, available: true };

describe("swapFee", () => {
  it("is amount * ppm / 1e6 plus sats/vbyte * bytes, in whole sats", () => {
    // 1,000,000 * 2000 / 1e6 = 2000; 5 * 300 = 1500
    expect(swapFee(INFO, 1_000_000, 5)).toEqual({ amountSats: 1_000_000, liquidityFeeSats: 2000, onChainFeeSats: 1500, totalFeeSats: 3500 });
  });

  it("rounds the liquidity part up, never down", () => {
    // 123,457 * 2000 / 1e6 = 246.914 -> 247
    expect(swapFee(INFO, 123_457, 1)).toMatchObject({ liquidityFeeSats: 247, onChainFeeSats: 300, totalFeeSats: 547 });
    // exact values are not rounded
    expect(swapFee(INFO, 150_000, 1).liquidityFeeSats).toBe(300);
  });

  it("stays exact where amount * ppm passes 2^53", () => {
    const info = { ...INFO, liquidity_fee_ppm: 999_999, max_swap_amount_sats: 2_100_000_000_000_000 };
    // 2.1e15 * 999,999 / 1e6 = 2,099,997,900,000,000 exactly
    expect(swapFee(info, 2_100_000_000_000_000, 1).liquidityFeeSats).toBe(2_099_997_900_000_000);
  });

  it("accepts the limits themselves", () => {
    expect(swapFee(INFO, 100_000, 1).totalFeeSats).toBe(500);
    expect(swapFee(INFO, 100_000_000, 1).totalFeeSats).toBe(200_300);
  });

  it("refuses amounts outside Deezy's limits, naming them", () => {
    expect(() => swapFee(INFO, 99_999, 1)).toThrow(new SwapNotPossibleError("amountSats 99999 is outside Deezy's swap limits: 100000 to 100000000 sats"));
    expect(() => swapFee(INFO, 100_000_001, 1)).toThrow(SwapNotPossibleError);
  });

  it("refuses when the service is unavailable", () => {
    expect(() => swapFee({ ...INFO, available: false }, 1_000_000, 1)).toThrow("Deezy's swap service is not available right now");
  });

  it("refuses fractions and nonsense", () => {
    expect(() => swapFee(INFO, 1_000_000.5, 1)).toThrow("amountSats must be a whole number >= 0; got 1000000.5");
    expect(() => swapFee(INFO, 1_000_000, 2.5)).toThrow("onChainSatsPerVbyte must be a whole number");
    expect(() => swapFee(INFO, 1_000_000, 0)).toThrow("onChainSatsPerVbyte must be at least 1");
    expect(() => swapFee({ ...INFO, liquidity_fee_ppm: -1 }, 1_000_000, 1)).toThrow("swap info liquidity_fee_ppm must be a whole number");
  });
});
