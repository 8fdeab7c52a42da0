// Lexe amounts are decimal strings of sats with up to three decimals ("57505.107"). These helpers
// convert them to and from whole msats as bigint, so no value ever passes through a float.

const AMOUNT = /^(\d+)(?:\.(\d{1,3}))?$/;
/** The sidecar's ceiling: u64::MAX msats. */
const MAX_MSATS = 18_446_744_073_709_551_615n;

/** "57505.107" -> 57505107n (msats). Throws on anything that is not a Lexe amount string. */
export function lexeAmountToMsats(amount: string): bigint {
  if (typeof amount !== "string") throw new TypeError(`a Lexe amount must be a string like "57505.107"; got ${describe(amount)}`);
  const match = AMOUNT.exec(amount);
  if (!match) {
    throw new TypeError(`invalid Lexe amount ${JSON.stringify(amount)}: expected sats as a decimal string with at most 3 decimal places, like "57505.107"`);
  }
  const msats = BigInt(match[1]!) * 1000n + BigInt((match[2] ?? "").padEnd(3, "0"));
  if (msats > MAX_MSATS) throw new RangeError(`invalid Lexe amount ${JSON.stringify(amount)}: above the maximum of 18446744073709551.615 sats`);
  return msats;
}

/** 57505107n (msats) -> "57505.107"; whole sats have no decimals ("1000"). */
export function msatsToLexeAmount(msats: bigint | number): string {
  if (typeof msats === "number" && !Number.isSafeInteger(msats)) throw new RangeError(`msats must be a safe integer or a bigint; got ${msats}`);
  if (typeof msats !== "number" && typeof msats !== "bigint") throw new TypeError(`msats must be a bigint or a safe integer; got ${describe(msats)}`);
  const value = BigInt(msats);
  if (value < 0n) throw new RangeError(`a Lexe amount cannot be negative; got ${value} msats`);
  if (value > MAX_MSATS) throw new RangeError(`a Lexe amount is at most ${MAX_MSATS} msats; got ${value}`);
  const sats = value / 1000n;
  const fraction = (value % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return fraction ? `${sats}.${fraction}` : `${sats}`;
}

function describe(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : `${typeof value} ${JSON.stringify(value)}`;
}
