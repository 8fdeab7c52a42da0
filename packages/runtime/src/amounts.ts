// Unit-safe amount helpers. Wire amounts keep their units; these convert without float rounding.
// Sats always fit a JS number (21e14 < 2^53); msats above ~90,071 BTC do not, hence bigint.

const MSATS_PER_SAT = 1000n;

/** Sats (a safe integer or bigint) to msats as bigint. */
export function satsToMsats(sats: number | bigint): bigint {
  if (typeof sats === "number" && !Number.isSafeInteger(sats)) throw new RangeError(`sats must be a safe integer; got ${sats}`);
  return BigInt(sats) * MSATS_PER_SAT;
}

/**
 * Msats to sats. By default the amount must be a whole number of sats; pass `rounding` to accept
 * a remainder ("down" drops it, "up" rounds away from zero).
 */
export function msatsToSats(msats: number | bigint, rounding: "exact" | "down" | "up" = "exact"): bigint {
  if (typeof msats === "number" && !Number.isSafeInteger(msats)) throw new RangeError(`msats must be a safe integer or a bigint; got ${msats}`);
  const value = BigInt(msats);
  const remainder = value % MSATS_PER_SAT;
  if (remainder === 0n) return value / MSATS_PER_SAT;
  if (rounding === "exact") throw new RangeError(`${value} msats is not a whole number of sats (remainder ${remainder})`);
  const truncated = value / MSATS_PER_SAT;
  return rounding === "down" ? truncated : truncated + (value > 0n ? 1n : -1n);
}
