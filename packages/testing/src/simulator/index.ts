// createSimulator(spec): the mock (same server, overrides, faults, journal, coverage) with state
// behind the money flows of the provider the spec is: invoices that get paid, payments that move
// balances, lookups that see both. Every answer it builds is checked against the spec before it is
// sent (the mock's hook seam does it), and counted.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MockError } from "../errors.js";
import type { Fault } from "../faults.js";
import { startMock, type HookReply, type Mock, type MockOptions, type SpecInput } from "../mock.js";
import type { OperationMock } from "../overrides.js";
import { loadSpec } from "../spec.js";
import type { FaultRequest, MockRequest, OperationId, OperationsOf, UntypedOperations } from "../types.js";
import { SimCore, type LedgerEntry } from "./core.js";
import { deezySimulation } from "./deezy.js";
import { lexeSimulation } from "./lexe.js";
import { umaSimulation } from "./uma.js";
import { utexoSimulation } from "./utexo.js";
import type { Simulation, SimulationContext } from "./types.js";

export type { LedgerEntry } from "./core.js";

export interface SimulatorOptions extends MockOptions {
  /** Makes every id, key, hash, invoice and timestamp the same run to run. */
  seed?: string | number;
  /** Where the virtual clock starts (a Date or ms since the epoch). Default: now, or 2025-01-01T00:00:00Z when seeded. */
  clock?: number | Date;
}

/** The mock's faults, plus two the simulator adds: the payment is made, then its answer is dropped or stalled. */
export type SimulatorFault = Fault | { kind: "commit-then-reset" } | { kind: "commit-then-hang" };

/** `sim.on(operationId)`: as the mock's, with the commit-then faults. */
export interface SimulatorOperation<Ops = UntypedOperations, Id extends OperationId<Ops> = OperationId<Ops>> extends Omit<OperationMock<Ops, Id>, "fault" | "faultOnce"> {
  /** A fault on every request from now on (a function picking one per request takes the mock's faults only). */
  fault(fault: SimulatorFault | ((request: FaultRequest<Ops, Id>) => Fault | undefined)): this;
  faultOnce(fault: SimulatorFault): this;
}

export type SimulatedProvider = "lexe" | "uma-auth" | "utexo-v2" | "deezy";

export interface SimulatorStats {
  /** Answers the simulator built. */
  answers: number;
  /** Of those, how many matched the spec (the rest were sent as a 500 naming the mismatch). */
  validated: number;
  invalid: number;
}

export interface Simulator<Ops = UntypedOperations> extends Omit<Mock<Ops>, "on"> {
  readonly provider: SimulatedProvider;
  /** The server's Lightning node id (compressed public key, hex): its invoices are signed with this key. */
  readonly nodeId: string;
  on<Id extends OperationId<Ops>>(operationId: Id): SimulatorOperation<Ops, Id>;
  /** Someone pays an invoice the server issued (create_invoice, make_invoice, a 402...). Returns its preimage. */
  payInvoice(invoice: string, options?: { amountMsat?: number }): { paymentHash: string; preimage: string; amountMsat: number };
  /** An invoice from another node, for your code to pay through the API; the simulator knows its preimage. */
  invoice(terms?: { amountSats?: number; description?: string; expirySecs?: number }): string;
  /** The next payment your code makes through the API fails with this reason. */
  failNextPayment(reason?: string): void;
  /** Moves the virtual clock on: invoices expire, timestamps move. */
  advance(ms: number): void;
  /** The virtual clock, ms since the epoch. */
  now(): number;
  /** Every payment so far, in order: inbound (`payInvoice`) and outbound (your code's). */
  payments(): readonly LedgerEntry[];
  /** Throws naming every invoice that was paid more than once. */
  assertNoDoublePayments(): void;
  stats(): SimulatorStats;
}

interface Candidate {
  provider: SimulatedProvider;
  operations: string[];
  make: (context: SimulationContext) => Simulation;
}

// Picked by the operations the spec has: each provider's money flow operations are its own.
const CANDIDATES: Candidate[] = [
  { provider: "lexe", operations: ["create_invoice", "pay_invoice", "get_payment", "wait_for_payment"], make: lexeSimulation },
  { provider: "uma-auth", operations: ["make_invoice", "lookup_invoice", "pay_invoice"], make: umaSimulation },
  { provider: "utexo-v2", operations: ["payLightningInvoiceBegin", "payLightningInvoiceEnd", "onchainSendBegin", "onchainSendEnd"], make: utexoSimulation },
  { provider: "deezy", operations: ["webai", "create_swap", "lookup_swap"], make: deezySimulation },
];

let reportsWritten = 0;

/**
 * Starts a stateful simulator of a provider's money flows (Lexe, UMA Auth, UTEXO v2, Deezy) on the
 * mock server of its spec. Operations without a simulation answer as the mock does (Prism).
 */
export async function createSimulator<const Spec extends SpecInput>(spec: Spec, options: SimulatorOptions = {}): Promise<Simulator<OperationsOf<Spec>>> {
  const loaded = loadSpec(spec);
  const candidate = CANDIDATES.find((c) => c.operations.every((id) => loaded.operations.has(id)));
  if (!candidate) throw new MockError(`createSimulator: no simulation for ${loaded.title}; there are simulations of Lexe, UMA Auth, UTEXO v2 and Deezy (use createMock for others)`);
  const { seed, clock, ...mockOptions } = options;
  const core = new SimCore({ ...(seed !== undefined && { seed }), ...(clock !== undefined && { clock }) });
  const timers = new Set<NodeJS.Timeout>();
  const simulation = candidate.make({ core, timers });
  const commitFaults = new Map<string, { queued: ("reset" | "hang")[]; standing: "reset" | "hang" | undefined }>();
  const stats: SimulatorStats = { answers: 0, validated: 0, invalid: 0 };
  let reported = false;

  const commitFaultFor = (operationId: string) => {
    const faults = commitFaults.get(operationId);
    return faults ? (faults.queued.shift() ?? faults.standing) : undefined;
  };
  const mock = await startMock(spec, mockOptions, {
    now: () => core.now(),
    answer: async (request: MockRequest): Promise<HookReply | undefined> => {
      const reply = await simulation.answer(request);
      if (!reply) return undefined;
      stats.answers++;
      const then = commitFaultFor(request.operationId);
      return { status: reply.status, body: reply.body, headers: reply.headers ?? {}, ...(then && { then }) };
    },
    checked: (_operationId, problem) => {
      if (problem === undefined) stats.validated++;
      else stats.invalid++;
    },
  });

  const on = (operationId: string): SimulatorOperation => {
    const inner = mock.on(operationId);
    const faults = () => {
      let entry = commitFaults.get(operationId);
      if (!entry) commitFaults.set(operationId, (entry = { queued: [], standing: undefined }));
      return entry;
    };
    const commitKind = (fault: unknown, method: string) => {
      const kind = (fault as { kind?: unknown } | null)?.kind;
      const then = kind === "commit-then-reset" ? "reset" : kind === "commit-then-hang" ? "hang" : undefined;
      // Prism answers the other operations: nothing would commit, and the fault would never fire.
      if (then && !simulation.operations.includes(operationId)) {
        throw new MockError(`sim.on("${operationId}").${method}: ${String(kind)} applies to the operations the simulator answers (${simulation.operations.join(", ")}); ${operationId} is answered by the mock`);
      }
      return then;
    };
    const builder: SimulatorOperation = {
      reply: ((...args: Parameters<OperationMock["reply"]>) => (inner.reply(...args), builder)) as SimulatorOperation["reply"],
      replyOnce: ((...args: Parameters<OperationMock["replyOnce"]>) => (inner.replyOnce(...args), builder)) as SimulatorOperation["replyOnce"],
      fault(fault) {
        const kind = commitKind(fault, "fault");
        faults().standing = kind;
        // A standing commit fault replaces the mock's standing fault, and the other way round.
        inner.fault(kind ? () => undefined : (fault as Fault));
        return builder;
      },
      faultOnce(fault) {
        const kind = commitKind(fault, "faultOnce");
        if (kind) faults().queued.push(kind);
        else inner.faultOnce(fault as Fault);
        return builder;
      },
    };
    return builder;
  };

  const api: Simulator = {
    ...mock,
    provider: candidate.provider,
    nodeId: core.nodeId,
    on: on as Simulator["on"],
    reset: () => {
      mock.reset();
      commitFaults.clear();
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await mock.close();
      // Safe to call twice; counted once.
      if (!reported) writeReport(candidate.provider, stats);
      reported = true;
    },
    payInvoice: (invoice, payOptions) => core.payServerInvoice(invoice, payOptions?.amountMsat),
    invoice: (terms = {}) => {
      const amountMsat = terms.amountSats === undefined ? undefined : Math.round(terms.amountSats * 1000);
      return core.issueInvoice("counterparty", { amountMsat, description: terms.description, expirySecs: terms.expirySecs }).invoice;
    },
    failNextPayment: (reason = "no route found") => core.failNextPayment(reason),
    advance: (ms) => core.advance(ms),
    now: () => core.now(),
    payments: () => core.ledger.map((entry) => ({ ...entry })),
    assertNoDoublePayments: () => {
      const doubles = core.doublePayments();
      if (doubles.length === 0) return;
      const lines = doubles.map((d) => `${d.paymentHash} paid ${d.payments.length} times (${d.direction}, via ${d.payments.map((p) => p.via).join(", ")})`);
      throw new MockError(`sim.assertNoDoublePayments: ${lines.join("; ")}`);
    },
    stats: () => ({ ...stats }),
  };
  return api as unknown as Simulator<OperationsOf<Spec>>;
}

/**
 * With SATBIND_SIMULATOR_REPORT set to a folder, each simulator writes its answer counts there when
 * closed (satbind's own test summary adds them up). Nothing is written otherwise.
 */
function writeReport(provider: string, stats: SimulatorStats): void {
  const dir = process.env.SATBIND_SIMULATOR_REPORT;
  if (!dir) return;
  const file = join(dir, `.simulator-${process.pid}-${++reportsWritten}.json`);
  writeFileSync(file, JSON.stringify({ provider, ...stats }));
}
