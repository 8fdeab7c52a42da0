// BTCPay sends amounts as decimal strings ("0.00012345" BTC, "12.50" USD). These helpers turn them
// into whole units as bigint and back, exactly: no value ever passes through a float.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string to whole minor units: ("12.50", 2) -> 1250n, ("0.00012345", 8) -> 12345n.
 * Throws when the string is not a plain decimal, or has more significant decimals than `decimals`
 * (nothing is rounded away).
 */
export function decimalToUnits(amount: string, decimals: number): bigint {
  checkDecimals(decimals);
  if (typeof amount !== "string") throw new TypeError(`a BTCPay amount is a decimal string like "12.50"; got ${typeof amount} ${String(amount)}`);
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new TypeError(`invalid amount ${JSON.stringify(amount)}: expected a decimal string like "12.50"`);
  const [, sign, whole, fraction = ""] = match;
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > decimals) {
    throw new RangeError(`amount ${JSON.stringify(amount)} has ${significant.length} decimal places; at most ${decimals} fit whole units`);
  }
  const units = BigInt(whole!) * 10n ** BigInt(decimals) + BigInt(significant.padEnd(decimals, "0") || "0");
  return sign === "-" ? -units : units;
}

/** Whole minor units to a decimal string: (1250n, 2) -> "12.5"; trailing zeros dropped, whole values have none. */
export function unitsToDecimal(units: bigint | number, decimals: number): string {
  checkDecimals(decimals);
  if (typeof units === "number" && !Number.isSafeInteger(units)) throw new RangeError(`units must be a safe integer or a bigint; got ${units}`);
  if (typeof units !== "number" && typeof units !== "bigint") throw new TypeError(`units must be a bigint or a safe integer; got ${typeof units}`);
  const value = BigInt(units);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / scale}${fraction ? `.${fraction}` : ""}`;
}

/** "0.00012345" (BTC) -> 12345n sats. Throws below a sat (use btcToMsats for Lightning amounts). */
export function btcToSats(btc: string): bigint {
  return decimalToUnits(btc, 8);
}

/** "0.00000000001" (BTC) -> 1n msat: Lightning amounts go to the msat. */
export function btcToMsats(btc: string): bigint {
  return decimalToUnits(btc, 11);
}

/** 12345n sats -> "0.00012345" BTC. */
export function satsToBtc(sats: bigint | number): string {
  return unitsToDecimal(sats, 8);
}

/** 1n msat -> "0.00000000001" BTC. */
export function msatsToBtc(msats: bigint | number): string {
  return unitsToDecimal(msats, 11);
}

function checkDecimals(decimals: number): void {
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 30) throw new RangeError(`decimals must be a whole number from 0 to 30; got ${decimals}`);
}
