// BOLT11 invoices the simulator issues: bech32 `lnbcrt<amount>1...` with the tagged fields a
// wallet reads (p payment hash, s payment secret, d description, x expiry, c final CLTV delta) and
// a real secp256k1 signature by the issuing node's key, recoverable as a decoder expects.
import { createHash, createHmac } from "node:crypto";
import * as secp from "@noble/secp256k1";
import { bech32 } from "bech32";

// noble's synchronous signing needs these two; set only when the host has not set its own.
secp.hashes.sha256 ??= (message: Uint8Array) => new Uint8Array(createHash("sha256").update(message).digest());
secp.hashes.hmacSha256 ??= (key: Uint8Array, message: Uint8Array) => new Uint8Array(createHmac("sha256", key).update(message).digest());

/** BOLT11 invoices are far longer than bech32's 90-character address limit. */
const MAX_LENGTH = 4096;
const TAG = { paymentHash: 1, secret: 16, description: 13, expiry: 6, minFinalCltv: 24 } as const;
/** Regtest: the network a simulator's invoices are for, so none can be paid on a real one. */
const PREFIX = "lnbcrt";

export interface InvoiceFields {
  /** Milli-satoshis; undefined for an amountless invoice. */
  amountMsat: number | undefined;
  paymentHash: Uint8Array;
  paymentSecret: Uint8Array;
  description: string;
  /** Unix seconds. */
  timestamp: number;
  expirySecs: number;
  minFinalCltv?: number;
}

export function sha256(bytes: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

/** The invoice text, signed with `nodeKey` (32 bytes). */
export function encodeInvoice(fields: InvoiceFields, nodeKey: Uint8Array): string {
  const hrp = PREFIX + amountPart(fields.amountMsat);
  const words: number[] = [...uintWords(fields.timestamp, 7)];
  tagged(words, TAG.paymentHash, bech32.toWords(fields.paymentHash));
  tagged(words, TAG.secret, bech32.toWords(fields.paymentSecret));
  tagged(words, TAG.description, bech32.toWords(new TextEncoder().encode(fields.description)));
  tagged(words, TAG.expiry, uintWords(fields.expirySecs));
  tagged(words, TAG.minFinalCltv, uintWords(fields.minFinalCltv ?? 18));
  // The signed message: the hrp's bytes, then the data words as bytes (zero-padded to a byte).
  const message = new Uint8Array([...new TextEncoder().encode(hrp), ...wordsToBytes(words)]);
  const recovered = secp.sign(sha256(message), nodeKey, { prehash: false, format: "recovered", extraEntropy: false });
  // noble puts the recovery id first; BOLT11 wants r || s || recovery id.
  const signature = new Uint8Array([...recovered.slice(1), recovered[0]!]);
  return bech32.encode(hrp, [...words, ...bech32.toWords(signature)], MAX_LENGTH);
}

/** The compressed public key of a node key, hex. */
export function nodePublicKey(nodeKey: Uint8Array): string {
  return Buffer.from(secp.getPublicKey(nodeKey, true)).toString("hex");
}

/** A valid secp256k1 secret key made from any 32 bytes (rehashed in the rare case they are not). */
export function nodeKeyFrom(seedBytes: Uint8Array): Uint8Array {
  let key = seedBytes;
  while (!secp.utils.isValidSecretKey(key)) key = sha256(key);
  return key;
}

/** The amount as BOLT11 writes it: the largest unit that divides it exactly. */
function amountPart(msat: number | undefined): string {
  if (msat === undefined) return "";
  if (!Number.isSafeInteger(msat) || msat <= 0) throw new RangeError(`an invoice amount must be a whole number of msats above 0, got ${msat}`);
  if (msat % 100_000_000 === 0) return `${msat / 100_000_000}m`;
  if (msat % 100_000 === 0) return `${msat / 100_000}u`;
  if (msat % 100 === 0) return `${msat / 100}n`;
  return `${msat * 10}p`;
}

function tagged(words: number[], tag: number, data: number[]): void {
  if (data.length >= 1024) throw new RangeError("a BOLT11 tagged field holds at most 1023 words; shorten the description");
  words.push(tag, data.length >> 5, data.length & 31, ...data);
}

/** A whole number as big-endian 5-bit words: exactly `count` of them, or as few as it needs. */
function uintWords(value: number, count?: number): number[] {
  const words: number[] = [];
  let rest = value;
  while (rest > 0) {
    words.unshift(rest % 32);
    rest = Math.floor(rest / 32);
  }
  if (count !== undefined) {
    if (words.length > count) throw new RangeError(`${value} does not fit in ${count} words`);
    while (words.length < count) words.unshift(0);
  }
  return words.length === 0 ? [0] : words;
}

/** 5-bit words to bytes, the last byte zero-padded (how BOLT11 signs; bech32's fromWords refuses the padding). */
function wordsToBytes(words: number[]): Uint8Array {
  const bytes: number[] = [];
  let value = 0;
  let bits = 0;
  for (const word of words) {
    value = (value << 5) | word;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) bytes.push((value << (8 - bits)) & 0xff);
  return new Uint8Array(bytes);
}

/** What the simulator reads back from any invoice: enough to pay it. Undefined when it is not BOLT11. */
export function decodeInvoice(invoice: string): { paymentHash: string; amountMsat: number | undefined; timestamp: number; expirySecs: number } | undefined {
  const decoded = bech32.decodeUnsafe(invoice.trim().toLowerCase().replace(/^lightning:/, ""), MAX_LENGTH);
  if (!decoded || !decoded.prefix.startsWith("ln") || decoded.words.length < 7 + 104) return undefined;
  const hrp = decoded.prefix;
  const data = decoded.words.slice(0, -104);
  const timestamp = data.slice(0, 7).reduce((n, w) => n * 32 + w, 0);
  let paymentHash: string | undefined;
  let expirySecs = 3600;
  for (let i = 7; i + 3 <= data.length; ) {
    const tag = data[i]!;
    const length = data[i + 1]! * 32 + data[i + 2]!;
    const field = data.slice(i + 3, i + 3 + length);
    if (tag === TAG.paymentHash && length === 52) paymentHash = Buffer.from(wordsToBytes(field).slice(0, 32)).toString("hex");
    if (tag === TAG.expiry) expirySecs = field.reduce((n, w) => n * 32 + w, 0);
    i += 3 + length;
  }
  if (!paymentHash) return undefined;
  return { paymentHash, amountMsat: amountOf(hrp), timestamp, expirySecs };
}

function amountOf(hrp: string): number | undefined {
  const match = /^ln[a-z]+?(\d+)([munp]?)$/.exec(hrp);
  if (!match) return undefined;
  const value = Number(match[1]);
  const perUnit = { m: 100_000_000, u: 100_000, n: 100, p: 0.1, "": 100_000_000_000 }[match[2] as "m" | "u" | "n" | "p" | ""];
  return Math.round(value * perUnit);
}
