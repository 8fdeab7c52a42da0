// One error family for every satbind client. Everything stored on an error has already been
// through the client's Redactor: errors can be logged, inspected and serialised as they are.

export interface ErrorContext {
  /** The spec's operationId, when the call matched one. */
  operationId: string | undefined;
  method: string;
  /** The request URL, secret query parameters redacted. */
  url: string;
}

// Fields are `declare`d and set in constructors: a class field would be emitted twice over in a
// bundle (once declared, once assigned).
export class SatbindError extends Error {
  override name = "SatbindError";
  declare readonly operationId: string | undefined;
  declare readonly method: string;
  declare readonly url: string;

  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super(message, options);
    this.operationId = context.operationId;
    this.method = context.method;
    this.url = context.url;
  }

  toJSON(): Record<string, unknown> {
    const { stack: _stack, cause: _cause, ...fields } = { ...this } as Record<string, unknown>;
    return { name: this.name, message: this.message, ...fields };
  }
}

/** How a message names the call: its operationId, else method and URL. */
export const subject = (context: ErrorContext) => context.operationId ?? `${context.method} ${context.url}`;
export const MAY_HAVE_MOVED = "; it may have been processed, reconcile before retrying";

export interface ApiErrorDetails {
  status: number;
  /** The provider's own error code, when its error body has one. */
  code: string | number | undefined;
  /** The provider's own error message, when its error body has one. */
  providerMessage: string | undefined;
  body: unknown;
  requestId: string | undefined;
  headers: Record<string, string>;
}

/**
 * The server answered with a non-2xx status. Subclasses by status make `instanceof` checks read well.
 * The classes are not generic (`instanceof` on a generic class gives `any` type arguments): `body`
 * is `unknown` here, and typed per status on what `errorOf(result)` returns.
 */
export class ApiError extends SatbindError {
  override name = "ApiError";
  /** The server answered, so it saw the request. */
  readonly requestSent = true as const;
  declare readonly status: number;
  declare readonly code: string | number | undefined;
  declare readonly providerMessage: string | undefined;
  /** The parsed error body (JSON when it parses, text otherwise, EmptyBody when there was none). */
  declare readonly body: unknown;
  declare readonly requestId: string | undefined;
  /** Response headers, secret ones redacted. */
  declare readonly headers: Record<string, string>;

  constructor(context: ErrorContext, details: ApiErrorDetails) {
    const what = subject(context);
    const code = details.code === undefined ? "" : ` ${details.code}`;
    const said = details.providerMessage ? `: ${details.providerMessage}` : "";
    super(`${what} failed with HTTP ${details.status}${code}${said}`, context);
    this.status = details.status;
    this.code = details.code;
    this.providerMessage = details.providerMessage;
    this.body = details.body;
    this.requestId = details.requestId;
    this.headers = details.headers;
  }

  static from(context: ErrorContext, details: ApiErrorDetails): ApiError {
    const ErrorClass = STATUS_CLASSES[details.status] ?? (details.status >= 500 ? InternalServerError : ApiError);
    return new ErrorClass(context, details);
  }
}

// `declare` narrows the type without a class field that would overwrite the value at runtime.
export class BadRequestError extends ApiError { override name = "BadRequestError"; declare readonly status: 400; }
export class AuthenticationError extends ApiError { override name = "AuthenticationError"; declare readonly status: 401; }
export class PaymentRequiredError extends ApiError { override name = "PaymentRequiredError"; declare readonly status: 402; }
export class PermissionDeniedError extends ApiError { override name = "PermissionDeniedError"; declare readonly status: 403; }
export class NotFoundError extends ApiError { override name = "NotFoundError"; declare readonly status: 404; }
export class ConflictError extends ApiError { override name = "ConflictError"; declare readonly status: 409; }
export class UnprocessableEntityError extends ApiError { override name = "UnprocessableEntityError"; declare readonly status: 422; }
export class RateLimitError extends ApiError { override name = "RateLimitError"; declare readonly status: 429; }
/** Any 5xx without a class of its own. */
export class InternalServerError extends ApiError { override name = "InternalServerError"; }

const STATUS_CLASSES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The request never left this machine (refused connection, DNS failure, TLS failure). Safe to send again. */
export class NetworkError extends SatbindError {
  override name = "NetworkError";
  readonly requestSent = false as const;
}

/**
 * The request may have reached the server and been processed, but no answer came back
 * (connection lost, timeout). For an operation that moves funds, look the payment up before
 * trying again: `reconcile` holds what this call sent that identifies it.
 */
export class AmbiguousOutcomeError extends SatbindError {
  override name = "AmbiguousOutcomeError";
  readonly requestSent = "unknown" as const;
  declare readonly movesFunds: boolean;
  declare readonly reconcile: Record<string, unknown>;

  constructor(message: string, context: ErrorContext & { movesFunds: boolean; reconcile: Record<string, unknown> }, options?: { cause?: unknown }) {
    super(message, context, options);
    this.movesFunds = context.movesFunds;
    this.reconcile = context.reconcile;
  }
}

/** No complete answer within the time limit. The request may have been processed, hence the parent class. */
export class TimeoutError extends AmbiguousOutcomeError {
  override name = "TimeoutError";
  declare readonly timeoutMs: number;

  constructor(context: ErrorContext & { movesFunds: boolean; reconcile: Record<string, unknown>; timeoutMs: number }) {
    const what = subject(context);
    super(`${what} timed out after ${context.timeoutMs} ms${context.movesFunds ? MAY_HAVE_MOVED : ""}`, context);
    this.timeoutMs = context.timeoutMs;
  }
}

/**
 * The caller's AbortSignal fired. `requestSent` says whether the request had left; when it had
 * ("unknown") and the operation moves funds, `reconcile` says what to look up before trying again.
 */
export class AbortError extends SatbindError {
  override name = "AbortError";
  declare readonly requestSent: false | "unknown";
  declare readonly movesFunds: boolean;
  declare readonly reconcile: Record<string, unknown>;

  constructor(context: ErrorContext & { requestSent: false | "unknown"; movesFunds?: boolean; reconcile?: Record<string, unknown> }, options?: { cause?: unknown }) {
    const what = subject(context);
    const mayHaveMoved = context.requestSent === "unknown" && context.movesFunds ? MAY_HAVE_MOVED : "";
    super(`${what} was aborted by the caller${context.requestSent === false ? " before it was sent" : ""}${mayHaveMoved}`, context, options);
    this.requestSent = context.requestSent;
    this.movesFunds = context.movesFunds ?? false;
    this.reconcile = context.reconcile ?? {};
  }
}

/** A 2xx answer whose body is not the JSON the spec promises. The server did answer: for an operation that moves funds, it went through. */
export class ResponseParseError extends SatbindError {
  override name = "ResponseParseError";
  readonly requestSent = true as const;
  declare readonly status: number;
  declare readonly contentType: string | undefined;
  /** The first 200 characters of the body, secrets scrubbed. */
  declare readonly bodySnippet: string;

  constructor(context: ErrorContext & { status: number; contentType: string | undefined; bodySnippet: string }, options?: { cause?: unknown }) {
    const what = subject(context);
    super(`${what} answered HTTP ${context.status} with a body that is not valid JSON (content-type ${context.contentType ?? "none"})`, context, options);
    this.status = context.status;
    this.contentType = context.contentType;
    this.bodySnippet = context.bodySnippet;
  }
}

/**
 * With `validateResponses`, a 2xx answer whose JSON does not match the spec's schema. The server
 * did accept the call: for an operation that moves funds, it went through, so do not send it again.
 * `pointer` is where in the body the first problem is ("" is the whole body); no value from the
 * body is copied into the message.
 */
export class ResponseValidationError extends SatbindError {
  override name = "ResponseValidationError";
  readonly requestSent = true as const;
  declare readonly status: number;
  declare readonly movesFunds: boolean;
  /** JSON pointer of the first problem. */
  declare readonly pointer: string;
  /** Up to 20 problems, each a pointer and what is wrong there. */
  declare readonly problems: readonly { pointer: string; message: string }[];
  /** The parsed body, secrets scrubbed. */
  declare readonly body: unknown;

  constructor(context: ErrorContext & { status: number; movesFunds: boolean; problems: { pointer: string; message: string }[]; body: unknown }) {
    const what = subject(context);
    const first = context.problems[0] ?? { pointer: "", message: "does not match" };
    const more = context.problems.length > 1 ? ` (and ${context.problems.length - 1} more)` : "";
    const accepted = context.movesFunds ? "; the server accepted the call, do not send it again" : "";
    super(`${what} answered HTTP ${context.status} with a body that does not match the spec: ${first.pointer || "(the whole body)"} ${first.message}${more}${accepted}`, context);
    this.status = context.status;
    this.movesFunds = context.movesFunds;
    this.pointer = first.pointer;
    this.problems = context.problems;
    this.body = context.body;
  }
}
