// Every request a mock received, in order, with Prism's verdict on it and what was answered; and
// coverage: per operation, the statuses the spec documents against those the mock answered.
import type { FaultKind } from "./faults.js";
import type { Violation } from "./prism.js";
import type { OperationId, UntypedOperations } from "./types.js";

export interface MockCall<Ops = UntypedOperations> {
  /** undefined when the request matched no operation (Prism answered 404 or 405). */
  operationId: OperationId<Ops> | undefined;
  /** Upper case. */
  method: string;
  /** The path as sent, without the query. */
  path: string;
  query: Record<string, string | string[]>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The parsed JSON body (text when it is not JSON); undefined when there was none or it was never read. */
  body: unknown;
  /** The status answered; undefined while pending, or when no answer went out (a reset, a hang). */
  status: number | undefined;
  /** Prism's verdict on the request; undefined only when a reset-before-body fault dropped it unread. */
  valid: boolean | undefined;
  /** What Prism found wrong with the request (warnings included; `valid` counts errors only). */
  violations: Violation[];
  /** The fault injected into this request, if any (a simulator's commit-then-* too). */
  fault: FaultKind | "commit-then-reset" | "commit-then-hang" | undefined;
  /** Set when the test's reply could not be used (a reply function that threw or broke the spec): the mock answered 500 instead. */
  error?: string;
  /** Milliseconds since the mock started, when the request's headers arrived. */
  receivedAt: number;
}

export interface CoverageRow<Ops = UntypedOperations> {
  operationId: OperationId<Ops>;
  /** The statuses the spec documents for it. */
  documented: number[];
  /** The statuses the mock answered it with (an injected 503 too). */
  seen: number[];
}

export function coverageOf<Ops>(operations: { operationId: string; statuses: number[] }[], calls: MockCall<Ops>[]): CoverageRow<Ops>[] {
  return operations.map(({ operationId, statuses }) => {
    const seen = new Set<number>();
    for (const call of calls) if (call.operationId === operationId && call.status !== undefined) seen.add(call.status);
    return { operationId: operationId as OperationId<Ops>, documented: [...statuses], seen: [...seen].sort((a, b) => a - b) };
  });
}

/**
 * Coverage as a table to print:
 *
 *   operation     documented            answered   not answered
 *   get_payment   200 400 401 404 500   200 404    400 401 500
 *   2 of 30 operations called; 3 of 140 documented statuses answered
 */
export function formatCoverage<Ops>(rows: CoverageRow<Ops>[]): string {
  const table = [["operation", "documented", "answered", "not answered"]];
  let answered = 0;
  let documented = 0;
  for (const row of rows) {
    const missing = row.documented.filter((s) => !row.seen.includes(s));
    answered += row.documented.length - missing.length;
    documented += row.documented.length;
    table.push([row.operationId, row.documented.join(" "), row.seen.join(" ") || "-", missing.join(" ") || "-"]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const lines = table.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
  const called = rows.filter((r) => r.seen.length > 0).length;
  lines.push(`${called} of ${rows.length} operations called; ${answered} of ${documented} documented statuses answered`);
  return lines.join("\n");
}
