// Reads the payment hash out of a BOLT11 invoice, so an ambiguous payment can be looked up by it.
// Only what reconciliation needs: bech32 checksum, then the `p` tagged field. No signature check.

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const SIGNATURE_WORDS = 104; // 65 bytes
const TIMESTAMP_WORDS = 7;
const PAYMENT_HASH_TAG = 1;

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const codes = [...hrp].map((c) => c.charCodeAt(0));
  return [...codes.map((c) => c >>> 5), 0, ...codes.map((c) => c & 31)];
}

/** The invoice's payment hash as 64 hex characters, or undefined when it is not a valid BOLT11 invoice. */
export function bolt11PaymentHash(invoice: string): string | undefined {
  const text = invoice.trim().toLowerCase().replace(/^lightning:/, "");
  const separator = text.lastIndexOf("1");
  if (!text.startsWith("ln") || separator < 3) return undefined;
  const hrp = text.slice(0, separator);
  const words = [...text.slice(separator + 1)].map((c) => CHARSET.indexOf(c));
  if (words.some((w) => w < 0) || words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS + 6) return undefined;
  if (polymod([...hrpExpand(hrp), ...words]) !== 1) return undefined;

  const data = words.slice(0, -6);
  const end = data.length - SIGNATURE_WORDS;
  for (let i = TIMESTAMP_WORDS; i + 3 <= end; ) {
    const tag = data[i]!;
    const length = data[i + 1]! * 32 + data[i + 2]!;
    if (tag === PAYMENT_HASH_TAG && length === 52) return wordsToHex(data.slice(i + 3, i + 3 + 52));
    i += 3 + length;
  }
  return undefined;
}

function wordsToHex(words: number[]): string {
  let bits = 0;
  let value = 0;
  let hex = "";
  for (const word of words) {
    value = (value << 5) | word;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      hex += ((value >>> bits) & 0xff).toString(16).padStart(2, "0");
    }
    value &= (1 << bits) - 1;
  }
  return hex;
}
