// What a test told the mock about one operation: answers (`reply`, `replyOnce`) and faults
// (`fault`, `faultOnce`), checked against the spec when they are given, so a test cannot drift
// from the API. Once-queues are used first, in order; then the standing one, until reset.
import { MockBodyError, MockError } from "./errors.js";
import { checkFault, isHttpStatus, type Fault } from "./faults.js";
import { responseFor, type SpecOperation } from "./spec.js";
import type { FaultRequest, MockRequest, OperationId, Reply, ReplyArgs, ReplyOptions, StatusOf, UntypedOperations } from "./types.js";
import type { BodyCheck } from "./validate.js";

/** Answers and faults for one operation: `mock.on("pay_invoice")`. Every method returns it again, to chain. */
export interface OperationMock<Ops = UntypedOperations, Id extends OperationId<Ops> = OperationId<Ops>> {
  // The function forms come first: an arrow function gets its contextual type from the first
  // overload it is tried against, and keeps it.
  /** Compute each answer from the request (state a test keeps, echoing an id...). */
  reply(compute: (request: MockRequest<Ops, Id>) => Reply<Ops, Id> | Promise<Reply<Ops, Id>>): this;
  /** Answer this documented status and body from now on (until `mock.reset()`). */
  reply<Status extends StatusOf<Ops, Id>>(status: Status, ...args: ReplyArgs<Ops, Id, Status>): this;
  /** Answer once, before any standing `reply`; several are used in the order given. */
  replyOnce(compute: (request: MockRequest<Ops, Id>) => Reply<Ops, Id> | Promise<Reply<Ops, Id>>): this;
  replyOnce<Status extends StatusOf<Ops, Id>>(status: Status, ...args: ReplyArgs<Ops, Id, Status>): this;
  /** Inject this fault on every request from now on, or the fault a function picks per request (undefined: none). */
  fault(fault: Fault | ((request: FaultRequest<Ops, Id>) => Fault | undefined)): this;
  /** Inject this fault once, before any standing `fault`; several are used in the order given. */
  faultOnce(fault: Fault): this;
}

export type ComputeReply = (request: MockRequest) => unknown;
type ReplySource = { status: number; body: unknown; headers: Record<string, string> } | { compute: ComputeReply };
type FaultSource = Fault | ((request: FaultRequest) => Fault | undefined);

/** A checked answer, ready to send. */
export interface PlannedReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export class OperationState {
  private readonly replies: ReplySource[] = [];
  private standingReply: ReplySource | undefined;
  private readonly faults: Fault[] = [];
  private standingFault: FaultSource | undefined;

  constructor(
    readonly operation: SpecOperation,
    private readonly checkBody: BodyCheck,
  ) {}

  /** The builder a test holds. */
  builder(): OperationMock {
    const id = this.operation.operationId;
    const self = this;
    const builder: OperationMock = {
      reply(...args: unknown[]) {
        self.standingReply = self.source(`mock.on("${id}").reply`, args);
        return builder;
      },
      replyOnce(...args: unknown[]) {
        self.replies.push(self.source(`mock.on("${id}").replyOnce`, args));
        return builder;
      },
      fault(fault: unknown) {
        self.standingFault = typeof fault === "function" ? (fault as FaultSource) : checkFault(fault, `mock.on("${id}").fault`);
        return builder;
      },
      faultOnce(fault: unknown) {
        if (typeof fault === "function") throw new MockError(`mock.on("${id}").faultOnce: takes one fault object; to pick a fault per request, pass a function to fault()`);
        self.faults.push(checkFault(fault, `mock.on("${id}").faultOnce`));
        return builder;
      },
    } as OperationMock;
    return builder;
  }

  /** The fault for this request, if any: a queued one first, then the standing one. */
  takeFault(request: FaultRequest): Fault | undefined {
    const queued = this.faults.shift();
    if (queued) return queued;
    const standing = this.standingFault;
    if (typeof standing !== "function") return standing;
    const where = `the fault function of mock.on("${this.operation.operationId}")`;
    let picked: Fault | undefined;
    try {
      picked = standing(request);
    } catch (error) {
      throw new MockError(`${where} threw: ${(error as Error)?.message ?? String(error)}`);
    }
    return picked === undefined ? undefined : checkFault(picked, where);
  }

  /** The test's answer for this request, if it gave one; throws a MockError when a computed one breaks the spec. */
  async takeReply(request: MockRequest): Promise<PlannedReply | undefined> {
    const source = this.replies.shift() ?? this.standingReply;
    if (!source) return undefined;
    if (!("compute" in source)) return source;
    const where = `the reply function of mock.on("${this.operation.operationId}")`;
    let computed: unknown;
    try {
      computed = await source.compute(request);
    } catch (error) {
      throw new MockError(`${where} threw: ${(error as Error)?.message ?? String(error)}`);
    }
    if (typeof computed !== "object" || computed === null || !("status" in computed)) {
      throw new MockError(`${where} must return { status, body, headers? }; got ${computed === null ? "null" : typeof computed}`);
    }
    const { status, body, headers } = computed as { status: unknown; body?: unknown; headers?: unknown };
    return this.checkReply(where, status, body, headers);
  }

  private source(where: string, args: unknown[]): ReplySource {
    const [first, body, options] = args;
    if (typeof first === "function") {
      if (args.length > 1) throw new MockError(`${where}: a reply function takes no other arguments`);
      return { compute: first as ComputeReply };
    }
    return this.checkReply(where, first, body, (options as ReplyOptions | undefined)?.headers);
  }

  /** Status documented, body matching its schema, headers strings: or a MockError saying which is not. */
  checkReply(where: string, status: unknown, body: unknown, headers: unknown): PlannedReply {
    const { operationId, statuses } = this.operation;
    const documented = statuses.length > 0 ? statuses.join(", ") : this.operation.responses.map((r) => r.key).join(", ");
    if (!isHttpStatus(status)) throw new MockError(`${where}: status must be an HTTP status (a number from 100 to 599), got ${JSON.stringify(status)}; ${operationId} documents ${documented}`);
    const response = responseFor(this.operation, status);
    if (!response) throw new MockError(`${where}: ${operationId} does not document status ${status}; it documents ${documented}`);
    if (headers !== undefined && !(typeof headers === "object" && headers !== null && Object.values(headers).every((v) => typeof v === "string"))) {
      throw new MockError(`${where}: headers must be an object of strings`);
    }
    if (body !== undefined && !response.hasBody) throw new MockError(`${where}: ${operationId} ${status} has no body in the spec; leave the body out`);
    if (response.schemaPointer) {
      if (body === undefined) throw new MockError(`${where}: ${operationId} ${status} needs a body (the spec gives it a schema)`);
      const problem = this.checkBody(response.schemaPointer, body);
      if (problem) {
        throw new MockBodyError(`${where}: the body for ${status} does not match the spec at ${problem.pointer || "(the body itself)"}: ${problem.message}`, { operationId, status, pointer: problem.pointer });
      }
    }
    return { status, body, headers: { ...(headers as Record<string, string> | undefined) } };
  }
}
