// The `format` values our example validator knows beyond JSON Schema's (which ajv-formats adds):
// OpenAPI's own, and the non-standard ones real upstream specs use. A known format is checked where
// we can say what it means and accepted where we cannot; an unknown one is accepted too, but listed
// once (unknownFormats) so specs:lint prints one warning per format instead of ajv's line per schema.
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { isObject } from "./spec.js";

// ajv-formats is CommonJS: under some loaders the default import is the module object.
export const addStandardFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

type Check = true | { type: "string" | "number"; validate: (value: never) => boolean };

const isInteger = (n: number) => Number.isInteger(n);

/** Format name -> how values of it are checked (true: accepted as is, the format only documents). */
export const EXTRA_FORMATS: Record<string, Check> = {
  // OpenAPI 3.x data types.
  int32: { type: "number", validate: (n: number) => isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: "number", validate: isInteger },
  float: true,
  double: true,
  byte: true,
  binary: true,
  password: true,
  // A decimal number written as a string ("12.50"), as BTCPay writes amounts; numbers pass unchecked.
  decimal: { type: "string", validate: (s: string) => /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) },
  // Unix times and durations in seconds (BTCPay spells them several ways).
  "unix-time": { type: "number", validate: isInteger },
  "unix timestamp in seconds": { type: "number", validate: isInteger },
  seconds: true,
  // Durations and markup, BTCPay's spellings: they document the value, nothing to check.
  days: true,
  minutes: true,
  html: true,
  // BTCPay writes some formats as prose; each documents a string we do not check further.
  integer: true,
  keypath: true,
  BIP21: true,
  "{txid}:{outputIndex}": { type: "string", validate: (s: string) => /^[0-9a-fA-F]{64}:\d+$/.test(s) },
  "ISO 4217 Currency code(BTC, EUR, USD, etc)": true,
  "decimal or long (sats/byte)": true,
};

/** Registers EXTRA_FORMATS on an ajv instance (after ajv-formats), and every other format the document uses as accepted. */
export function registerFormats(ajv: Ajv, document: unknown): void {
  for (const [name, check] of Object.entries(EXTRA_FORMATS)) ajv.addFormat(name, check as Parameters<Ajv["addFormat"]>[1]);
  for (const name of unknownFormats(document, (n) => ajv.formats[n] !== undefined).keys()) ajv.addFormat(name, true);
}

/** Formats used in a document that `known` does not know, each with the pointers where it is used (example values skipped). */
export function unknownFormats(document: unknown, known: (name: string) => boolean): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${at}/${i}`));
    if (!isObject(node)) return;
    if (typeof node.format === "string" && !known(node.format) && !(node.format in EXTRA_FORMATS)) found.set(node.format, [...(found.get(node.format) ?? []), at]);
    for (const [key, value] of Object.entries(node)) {
      if (key === "example" || key === "examples" || key === "enum" || key === "const" || key === "default") continue;
      visit(value, `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    }
  };
  visit(document, "#");
  return found;
}


let standard: Ajv | undefined;
/** A format JSON Schema (ajv-formats) or EXTRA_FORMATS defines. */
export function isKnownFormat(name: string): boolean {
  if (name in EXTRA_FORMATS) return true;
  if (standard === undefined) addStandardFormats((standard = new Ajv({ strict: false })));
  return standard.formats[name] !== undefined;
}
