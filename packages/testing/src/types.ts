// What the compiler knows about a mock: the operations of its spec, each operation's documented
// statuses and the body of each status, read from the provider package's generated types. A spec
// given as a path or a plain document is untyped: any operationId, any status, any body (all
// still checked against the spec at run time).

/** A provider package's `spec` (`@satbind/lexe/spec`): the document, tagged with its operation types. */
export interface TypedSpec<Operations> {
  readonly openapi: string;
  /** Never set at run time; the compiler reads the spec's operation types from it. */
  readonly "~operations"?: Operations;
}

/** The operations of a spec the compiler knows nothing about. */
export interface UntypedOperations {
  [operationId: string]: {
    requestBody?: { content: { "application/json": unknown } };
    responses: { [status: number]: { content: { "application/json": unknown } } };
  };
}

/** The operations a spec argument carries (untyped for paths and plain documents). */
export type OperationsOf<Spec> = Spec extends { readonly "~operations"?: infer Ops } ? (unknown extends Ops ? UntypedOperations : NonNullable<Ops>) : UntypedOperations;

export type OperationId<Ops> = Extract<keyof Ops, string>;

type ResponsesOf<Ops, Id> = Id extends keyof Ops ? (Ops[Id] extends { responses: infer R } ? R : never) : never;

/** The statuses an operation documents, as numbers (200 | 404 ...). */
export type StatusOf<Ops, Id> = Extract<keyof ResponsesOf<Ops, Id>, number>;

/** The JSON body of one documented status; `undefined` when the spec gives that status no body. */
export type BodyOf<Ops, Id, Status> = Status extends keyof ResponsesOf<Ops, Id>
  ? ResponsesOf<Ops, Id>[Status] extends { content: infer Content }
    ? JsonOf<Content>
    : undefined
  : never;

type JsonOf<Content> = Content extends { "application/json": infer Body } ? Body : Content extends { [type: string]: infer Body } ? Body : unknown;

/** The JSON request body an operation takes (undefined when it takes none). */
export type RequestBodyOf<Ops, Id> = Id extends keyof Ops
  ? Ops[Id] extends { requestBody: { content: infer Content } }
    ? JsonOf<Content>
    : Ops[Id] extends { requestBody?: infer Body }
      ? [NonNullable<Body>] extends [never]
        ? undefined
        : NonNullable<Body> extends { content: infer Content }
          ? JsonOf<Content> | undefined
          : undefined
      : undefined
  : never;

/** Options for one answer. */
export interface ReplyOptions {
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** `body` is required unless the status has no body in the spec. */
export type ReplyArgs<Ops, Id, Status> = undefined extends BodyOf<Ops, Id, Status>
  ? [body?: BodyOf<Ops, Id, Status>, options?: ReplyOptions]
  : [body: BodyOf<Ops, Id, Status>, options?: ReplyOptions];

/** An answer computed by a reply function: one documented status with that status's body. */
export type Reply<Ops, Id> = {
  [Status in StatusOf<Ops, Id>]: undefined extends BodyOf<Ops, Id, Status>
    ? { status: Status; body?: BodyOf<Ops, Id, Status>; headers?: Record<string, string> }
    : { status: Status; body: BodyOf<Ops, Id, Status>; headers?: Record<string, string> };
}[StatusOf<Ops, Id>];

/** A request as a reply function sees it: already validated by Prism against the spec. */
export interface MockRequest<Ops = UntypedOperations, Id extends OperationId<Ops> = OperationId<Ops>> {
  operationId: Id;
  /** Upper case: "GET", "POST"... */
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The path template's parameters, as strings: `{ payment_hash: "ab12..." }`. */
  pathParams: Record<string, string>;
  /** Query parameters, as strings (a repeated one as an array). */
  query: Record<string, string | string[]>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The parsed JSON body; it passed the spec's request schema. */
  body: RequestBodyOf<Ops, Id>;
}

/** What a fault function sees: the request line and headers (faults are chosen before the body is read). */
export type FaultRequest<Ops = UntypedOperations, Id extends OperationId<Ops> = OperationId<Ops>> = Omit<MockRequest<Ops, Id>, "body">;
