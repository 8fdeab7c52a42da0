// The swap fee, computed the way Deezy's API reference defines it, in whole sats:
//   total = amount_sats * liquidity_fee_ppm / 1_000_000 + on_chain_sats_per_vbyte * on_chain_bytes_estimate
// The liquidity part is rounded up, so the estimate never promises less than Deezy may charge;
// the fee_sats in POST /v1/swap's answer is what you actually pay.
import type { components } from "./generated/api/schema.js";

/** The fields of GET /v1/swap/info's answer this needs. */
export type SwapInfo = Pick<
  components["schemas"]["SwapInfo"],
  "liquidity_fee_ppm" | "on_chain_bytes_estimate" | "max_swap_amount_sats" | "min_swap_amount_sats" | "available"
>;

export interface SwapFee {
  amountSats: number;
  /** amount_sats * liquidity_fee_ppm / 1e6, rounded up. */
  liquidityFeeSats: number;
  /** on_chain_sats_per_vbyte * on_chain_bytes_estimate. */
  onChainFeeSats: number;
  totalFeeSats: number;
}

/** Deezy cannot take this swap now: unavailable, or the amount is outside its limits. */
export class SwapNotPossibleError extends RangeError {
  override name = "SwapNotPossibleError";
}

export function swapFee(info: SwapInfo, amountSats: number, onChainSatsPerVbyte: number): SwapFee {
  wholeSats(amountSats, "amountSats");
  wholeSats(onChainSatsPerVbyte, "onChainSatsPerVbyte");
  for (const key of ["liquidity_fee_ppm", "on_chain_bytes_estimate", "min_swap_amount_sats", "max_swap_amount_sats"] as const) {
    wholeSats(info[key], `swap info ${key}`);
  }
  if (!info.available) throw new SwapNotPossibleError("Deezy's swap service is not available right now (swap info says available: false)");
  if (amountSats < info.min_swap_amount_sats || amountSats > info.max_swap_amount_sats) {
    throw new SwapNotPossibleError(`amountSats ${amountSats} is outside Deezy's swap limits: ${info.min_swap_amount_sats} to ${info.max_swap_amount_sats} sats`);
  }
  if (onChainSatsPerVbyte === 0) throw new RangeError("onChainSatsPerVbyte must be at least 1 sat/vbyte");
  // bigint: amount * ppm can pass 2^53 for large swaps at high rates.
  const liquidity = (BigInt(amountSats) * BigInt(info.liquidity_fee_ppm) + 999_999n) / 1_000_000n;
  const liquidityFeeSats = Number(liquidity);
  const onChainFeeSats = onChainSatsPerVbyte * info.on_chain_bytes_estimate;
  return { amountSats, liquidityFeeSats, onChainFeeSats, totalFeeSats: liquidityFeeSats + onChainFeeSats };
}

function wholeSats(value: unknown, name: string): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a whole number >= 0; got ${typeof value === "number" ? value : JSON.stringify(value)}`);
  }
}
