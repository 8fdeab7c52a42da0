// The state a simulation keeps, whatever the provider: a virtual clock, a PRNG for every id and
// key (seeded: the same run to run), the invoices issued (each with the preimage whose sha256 is
// its payment hash), the payments ledger and the server wallet's balances. Providers read and
// change it; the test changes it through the simulator (payInvoice, advance, failNextPayment).
import { randomBytes } from "node:crypto";
import { MockError } from "../errors.js";
import { decodeInvoice, encodeInvoice, nodeKeyFrom, nodePublicKey, sha256 } from "./bolt11.js";

/** Where a seeded simulator's clock starts: 2025-01-01T00:00:00Z. */
export const SEEDED_START_MS = Date.UTC(2025, 0, 1);

/** An invoice the simulator issued: the server's (to be paid by `sim.payInvoice`) or a counterparty's (for the client to pay). */
export interface SimInvoice {
  invoice: string;
  paymentHash: string;
  preimage: string;
  paymentSecret: string;
  /** undefined for an amountless invoice. */
  amountMsat: number | undefined;
  description: string;
  createdAt: number;
  expiresAt: number;
  issuer: "server" | "counterparty";
  /** When it was paid (virtual ms), and how much; undefined while unpaid. */
  paidAt?: number;
  paidMsat?: number;
}

export type InvoiceState = "open" | "paid" | "expired";

/** One payment that moved (or tried to move) money, in the order made. */
export interface LedgerEntry {
  /** A number in order of creation, from 1. */
  seq: number;
  paymentHash: string;
  /** inbound: into the server's wallet; outbound: out of it, sent by the client through the API. */
  direction: "inbound" | "outbound";
  amountMsat: number;
  feeMsat: number;
  status: "pending" | "completed" | "failed";
  /** Why it failed, when it did. */
  failure?: string;
  /** The operationId that made it, or "sim.payInvoice". */
  via: string;
  invoice: string | undefined;
  preimage: string;
  createdAt: number;
  updatedAt: number;
}

export interface CoreOptions {
  seed?: string | number;
  /** Where the virtual clock starts (ms since the epoch, or a Date). Default: now, or 2025-01-01 when seeded. */
  clock?: number | Date;
}

export class SimCore {
  readonly seeded: boolean;
  private readonly seed: string;
  private drawn = 0;
  private readonly startMs: number;
  private advancedMs = 0;
  readonly nodeKey: Uint8Array;
  readonly nodeId: string;
  private readonly counterpartyKey: Uint8Array;
  readonly invoices = new Map<string, SimInvoice>();
  readonly ledger: LedgerEntry[] = [];
  /** The server wallet's balances, msats. */
  lightningMsat = 1_000_000_000;
  onchainMsat = 500_000_000;
  private readonly failures: string[] = [];
  private listeners = new Set<() => void>();

  constructor(options: CoreOptions) {
    if (options.seed !== undefined && typeof options.seed !== "string" && !Number.isFinite(options.seed)) {
      throw new MockError(`createSimulator: seed must be a string or a number, got ${typeof options.seed}`);
    }
    this.seeded = options.seed !== undefined;
    this.seed = String(options.seed ?? "");
    const clock = options.clock instanceof Date ? options.clock.getTime() : options.clock;
    if (clock !== undefined && !Number.isFinite(clock)) throw new MockError(`createSimulator: clock must be a Date or ms since the epoch, got ${String(options.clock)}`);
    this.startMs = clock ?? (this.seeded ? SEEDED_START_MS : Date.now());
    this.nodeKey = nodeKeyFrom(this.bytes(32));
    this.nodeId = nodePublicKey(this.nodeKey);
    this.counterpartyKey = nodeKeyFrom(this.bytes(32));
  }

  /** Virtual ms since the epoch. */
  now(): number {
    return this.startMs + this.advancedMs;
  }

  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new MockError(`sim.advance: ms must be a number of milliseconds >= 0, got ${String(ms)}`);
    this.advancedMs += ms;
    this.changed();
  }

  /** `n` bytes: from the seed and a counter when seeded, else random. */
  bytes(n: number): Uint8Array {
    if (!this.seeded) return new Uint8Array(randomBytes(n));
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n; filled += 32) out.set(sha256(`satbind-simulator\0${this.seed}\0${this.drawn++}`).slice(0, n - filled), filled);
    return out;
  }

  hex(n: number): string {
    return Buffer.from(this.bytes(n)).toString("hex");
  }

  uuid(): string {
    const b = this.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = Buffer.from(b).toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A new invoice with a fresh preimage; its payment hash is sha256(preimage). */
  issueInvoice(issuer: SimInvoice["issuer"], terms: { amountMsat?: number | undefined; description?: string | undefined; expirySecs?: number | undefined }): SimInvoice {
    const preimage = this.bytes(32);
    const secret = this.bytes(32);
    const paymentHash = sha256(preimage);
    // BOLT11 times are whole seconds.
    const createdAt = Math.floor(this.now() / 1000) * 1000;
    const expirySecs = terms.expirySecs ?? 3600;
    const description = terms.description ?? "";
    const invoice = encodeInvoice(
      { amountMsat: terms.amountMsat, paymentHash, paymentSecret: secret, description, timestamp: createdAt / 1000, expirySecs },
      issuer === "server" ? this.nodeKey : this.counterpartyKey,
    );
    const issued: SimInvoice = {
      invoice,
      paymentHash: Buffer.from(paymentHash).toString("hex"),
      preimage: Buffer.from(preimage).toString("hex"),
      paymentSecret: Buffer.from(secret).toString("hex"),
      amountMsat: terms.amountMsat,
      description,
      createdAt,
      expiresAt: createdAt + expirySecs * 1000,
      issuer,
    };
    this.invoices.set(issued.paymentHash, issued);
    return issued;
  }

  stateOf(invoice: SimInvoice): InvoiceState {
    if (invoice.paidAt !== undefined) return "paid";
    return this.now() >= invoice.expiresAt ? "expired" : "open";
  }

  /** The issued invoice with this text or payment hash. */
  findInvoice(textOrHash: string): SimInvoice | undefined {
    const byHash = this.invoices.get(textOrHash.toLowerCase());
    if (byHash) return byHash;
    const decoded = decodeInvoice(textOrHash);
    return decoded ? this.invoices.get(decoded.paymentHash) : undefined;
  }

  /** The test's payer pays an invoice the server issued: an inbound payment. */
  payServerInvoice(text: string, amountMsat?: number): { paymentHash: string; preimage: string; amountMsat: number } {
    if (typeof text !== "string") throw new MockError("sim.payInvoice: pass the invoice text the server answered");
    const invoice = this.findInvoice(text);
    if (!invoice || invoice.issuer !== "server") throw new MockError(`sim.payInvoice: ${text.slice(0, 24)}... is not an invoice this simulator's server issued`);
    if (this.stateOf(invoice) === "expired") throw new MockError(`sim.payInvoice: the invoice ${invoice.paymentHash} expired at ${new Date(invoice.expiresAt).toISOString()}`);
    const amount = invoice.amountMsat ?? amountMsat;
    if (amount === undefined) throw new MockError("sim.payInvoice: the invoice has no amount; pass { amountMsat }");
    // A second payment of a paid invoice is recorded (assertNoDoublePayments names it), as a wallet that pays blindly would.
    invoice.paidAt ??= this.now();
    invoice.paidMsat ??= amount;
    this.lightningMsat += amount;
    this.record({ paymentHash: invoice.paymentHash, direction: "inbound", amountMsat: amount, feeMsat: 0, status: "completed", via: "sim.payInvoice", invoice: invoice.invoice, preimage: invoice.preimage });
    this.changed();
    return { paymentHash: invoice.paymentHash, preimage: invoice.preimage, amountMsat: amount };
  }

  /**
   * The client pays an invoice through the API: an outbound payment, completed unless the test
   * queued a failure, the invoice expired, or the balance is short. Undefined for text that is not
   * a BOLT11 invoice. `settle: false` leaves it pending (the caller completes it later).
   */
  payOutbound(text: string, via: string, options: { fallbackMsat?: number | undefined; settle?: boolean } = {}): LedgerEntry | undefined {
    const decoded = decodeInvoice(text);
    if (!decoded) return undefined;
    const known = this.invoices.get(decoded.paymentHash);
    const amountMsat = decoded.amountMsat ?? options.fallbackMsat ?? 0;
    const feeMsat = Math.max(1000, Math.ceil(amountMsat / 1000));
    // The preimage of an invoice from elsewhere cannot be known: a stand-in.
    const preimage = known?.preimage ?? this.hex(32);
    const expired = known ? this.stateOf(known) === "expired" : this.now() >= (decoded.timestamp + decoded.expirySecs) * 1000;
    const queued = this.failures.shift();
    const failure = queued ?? (expired ? "invoice expired" : amountMsat + feeMsat > this.lightningMsat ? "insufficient balance" : amountMsat <= 0 ? "no amount to pay" : undefined);
    const entry = this.record({ paymentHash: decoded.paymentHash, direction: "outbound", amountMsat, feeMsat: failure ? 0 : feeMsat, status: failure ? "failed" : "pending", via, invoice: text, preimage, ...(failure && { failure }) });
    if (!failure) {
      this.lightningMsat -= amountMsat + feeMsat;
      if (options.settle !== false) this.settle(entry);
    }
    this.changed();
    return entry;
  }

  /** A pending outbound payment completes. */
  settle(entry: LedgerEntry): void {
    if (entry.status !== "pending") return;
    entry.status = "completed";
    entry.updatedAt = this.now();
    const known = this.invoices.get(entry.paymentHash);
    if (known && known.issuer === "counterparty") {
      known.paidAt ??= this.now();
      known.paidMsat ??= entry.amountMsat;
    }
    this.changed();
  }

  /** Money leaving on-chain (a send, a swap payout). */
  spendOnchain(amountMsat: number): boolean {
    if (amountMsat > this.onchainMsat) return false;
    this.onchainMsat -= amountMsat;
    this.changed();
    return true;
  }

  failNextPayment(reason: string): void {
    this.failures.push(reason);
  }

  record(fields: Omit<LedgerEntry, "seq" | "createdAt" | "updatedAt">): LedgerEntry {
    const entry: LedgerEntry = { seq: this.ledger.length + 1, ...fields, createdAt: this.now(), updatedAt: this.now() };
    this.ledger.push(entry);
    return entry;
  }

  /** Payment hashes paid more than once in one direction (failed attempts do not count). */
  doublePayments(): { paymentHash: string; direction: string; payments: LedgerEntry[] }[] {
    const groups = new Map<string, LedgerEntry[]>();
    for (const entry of this.ledger) {
      if (entry.status === "failed") continue;
      const key = `${entry.direction} ${entry.paymentHash}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    return [...groups.entries()].filter(([, list]) => list.length > 1).map(([key, payments]) => ({ direction: key.split(" ")[0]!, paymentHash: key.split(" ")[1]!, payments }));
  }

  /** Calls `listener` after every change of state (a payment, a settlement, the clock). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Resolves when `ready()` is true (checked after each change), or with false after `timeoutMs` of real time. */
export function waitFor(core: SimCore, ready: () => boolean, timeoutMs: number, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  if (ready()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (value: boolean) => {
      clearTimeout(timer);
      timers.delete(timer);
      off();
      resolve(value);
    };
    const off = core.onChange(() => ready() && finish(true));
    const timer = setTimeout(() => finish(ready()), timeoutMs);
    timers.add(timer);
  });
}
