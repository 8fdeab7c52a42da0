// createApiClient: an openapi-fetch client with satbind's policy. Same methods, same
// `{ data, error, response }` results, plus `ok` and `status` to narrow on (types in result.ts); per
// call you may also pass `timeoutMs`, `maxRetries`, `throwOnError` and `validateResponses`.
import openapiFetch, { type Middleware } from "openapi-fetch";
import { authHeaderNames, authMiddleware, type AuthConfig, type Secret } from "./auth.js";
import { ApiError, ResponseParseError, ResponseValidationError } from "./errors.js";
import type { Logger } from "./logger.js";
import { indexOperations, type OperationRef, type OperationTable } from "./operations.js";
import { Redactor, type RedactOptions } from "./redact.js";
import type { ApiClient, CallError, DataOf, EmptyBody, ErrorOf, HttpMethod, OperationAt, PathsWith } from "./result.js";
import { sendWithPolicy, type CallContext, type RetryPolicy } from "./transport.js";
import type { ResponseSchemas, validateResponse } from "./validate.js";

/** What every satbind client factory accepts, whatever the provider. */
export interface CommonClientOptions {
  /** Overrides the provider's default server. */
  baseUrl?: string;
  /** Per attempt, in milliseconds. Per call: `{ timeoutMs }` in the call's options. */
  timeoutMs?: number;
  /** Further attempts for operations that are safe to repeat (never for ones that move funds). Default 2. */
  maxRetries?: number;
  /** Throw ApiError for non-2xx answers instead of returning `{ error }`. */
  throwOnError?: boolean;
  /** A fetch implementation (default: globalThis.fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  logger?: Logger;
  /** Backoff tuning. */
  retry?: RetryPolicy;
  /** openapi-fetch middleware to run on every request. */
  middleware?: Middleware[];
  /**
   * Check every 2xx JSON body against the spec and throw ResponseValidationError (with the JSON
   * pointer of the first problem) when it does not match. Off by default: bodies pass through
   * typed as the spec says. The schemas load on the first checked call.
   */
  validateResponses?: boolean;
}

export interface ProviderConfig {
  /** Short provider name, e.g. "uma-auth". */
  provider: string;
  baseUrl: string;
  operations: OperationTable;
  auth?: AuthConfig | undefined;
  /**
   * Without `auth`, an operation whose spec requires credentials is refused before it is sent,
   * with this hint on what to pass (e.g. "your API token: createXClient({ apiToken })").
   */
  missingAuthHint?: string;
  /** Default per-attempt timeout for this provider. */
  defaultTimeoutMs: number;
  /** Longer defaults for operations the server is known to hold open (by operationId). The caller's timeoutMs still wins. */
  operationTimeoutsMs?: Readonly<Record<string, number>>;
  redact?: RedactOptions;
  /** Reads the provider's error code and message from an error body. */
  errorDetails?: (body: unknown) => { code?: string | number | undefined; message?: string | undefined };
  /** What identifies a money-moving call, for AmbiguousOutcomeError.reconcile. */
  reconcile?: (operationId: string, request: { params: unknown; body: unknown; startedAt: number }) => Record<string, unknown>;
  /** Header that carries the server's request id. */
  requestIdHeaders?: readonly string[];
  /** Loads the spec's response schemas, for validateResponses (a dynamic import, so clients that never validate never load them). */
  responseSchemas?: () => Promise<ResponseSchemas>;
}

// openapi-fetch's CommonJS build only has `exports.default`; under Node's CJS interop our CJS build
// receives the module object as the default import, so take its `default` when that happens.
const createClient = (typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default);

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
const DEFAULT_REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-correlation-id"];
const errorsByResponse = new WeakMap<Response, ApiError>();

export function createApiClient<Paths extends {}>(config: ProviderConfig, options: CommonClientOptions = {}): ApiClient<Paths> {
  const redactor = new Redactor({
    ...config.redact,
    headers: [...(config.redact?.headers ?? []), ...(config.auth ? authHeaderNames(config.auth) : [])],
  });
  for (const secret of staticSecrets(config.auth)) redactor.addSecret(secret);

  positive(options.timeoutMs, "timeoutMs");
  whole(options.maxRetries, "maxRetries");
  const operations = indexOperations(config.operations);
  const findOperation = (method: string, schemaPath: string): OperationRef | undefined =>
    operations.get(`${method.toUpperCase()} ${schemaPath}`);
  const transportFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const retry: Required<RetryPolicy> = { initialDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000, ...options.retry };
  if (options.validateResponses && !config.responseSchemas) throw new TypeError(`validateResponses: the ${config.provider} client has no response schemas`);
  // The schemas and the validator load on the first checked call: clients that never validate
  // never download either (a separate chunk in ESM bundles).
  let validator: Promise<[ResponseSchemas, typeof validateResponse]> | undefined;

  const base = createClient<Paths>({ baseUrl: options.baseUrl ?? config.baseUrl, headers: options.headers ?? {} });
  if (config.auth) base.use(authMiddleware(config.auth, { findOperation, redactor }));
  else base.use(refuseWithoutAuth(findOperation, config.missingAuthHint ?? "credentials"));
  if (options.middleware?.length) base.use(...options.middleware);

  async function call(method: (typeof METHODS)[number], path: string, init: Record<string, unknown> = {}) {
    const { timeoutMs, maxRetries, throwOnError, validateResponses, ...rest } = init;
    const operation = findOperation(method, path);
    const startedAt = Date.now();
    redactor.learnFromRequest((rest.params as { query?: unknown } | undefined)?.query, rest.body);
    const callContext: CallContext = {
      operation,
      timeoutMs:
        positive(timeoutMs, "timeoutMs") ??
        options.timeoutMs ??
        (operation && config.operationTimeoutsMs?.[operation.operationId]) ??
        config.defaultTimeoutMs,
      maxRetries: whole(maxRetries, "maxRetries") ?? options.maxRetries ?? 2,
      retry,
      fetch: typeof rest.fetch === "function" ? (rest.fetch as CallContext["fetch"]) : transportFetch,
      redactor,
      logger: options.logger,
      signal: rest.signal instanceof AbortSignal ? rest.signal : undefined,
      reconcile: () => redactor.value(config.reconcile?.(operation?.operationId ?? "", { params: rest.params, body: rest.body, startedAt }) ?? {}),
    };
    let result: { data?: unknown; error?: unknown; response: Response };
    try {
      // The transport has already read the body (inside the timeout). For JSON, parse those bytes
      // rather than have openapi-fetch read them a second time through a stream.
      const parseBytes = rest.parseAs === undefined || rest.parseAs === "json";
      result = await (base.request as (m: string, p: string, i: unknown) => Promise<typeof result>)(method, path, {
        ...rest,
        ...(parseBytes && { parseAs: "stream" }),
        fetch: (request: Request) => sendWithPolicy(request, callContext),
      });
      if (parseBytes && result.response.ok && result.data !== undefined) {
        const last = callContext.lastResponse;
        // A user middleware may have answered with a response of its own: read that one instead.
        const text =
          last?.response === result.response ? new TextDecoder().decode(last.body) : await new Response(result.data as ReadableStream | null).text();
        result = { ...result, data: text ? JSON.parse(text) : undefined };
      }
    } catch (error) {
      const last = callContext.lastResponse;
      if (error instanceof SyntaxError && last) {
        const text = new TextDecoder().decode(last.body);
        throw new ResponseParseError(
          {
            operationId: operation?.operationId,
            method,
            url: redactor.url(last.url),
            status: last.status,
            contentType: last.contentType,
            bodySnippet: redactor.text(text.slice(0, 200)),
          },
          { cause: error },
        );
      }
      throw error;
    }
    if (result.response.ok && (validateResponses ?? options.validateResponses) && operation && config.responseSchemas) {
      validator ??= Promise.all([config.responseSchemas(), import("./validate.js").then((m) => m.validateResponse)]);
      const [schemas, validate] = await validator;
      const problems = validate(schemas, operation.operationId, result.response.status, result.data);
      if (problems?.length) {
        const error = new ResponseValidationError({
          operationId: operation.operationId,
          method,
          url: redactor.url(result.response.url),
          status: result.response.status,
          movesFunds: operation.movesFunds,
          problems: problems.map((p) => ({ pointer: redactor.text(p.pointer), message: redactor.text(p.message) })),
          body: redactor.value(result.data),
        });
        options.logger?.warn?.("satbind response does not match the spec", { operationId: error.operationId, method, url: error.url, status: error.status, pointer: error.pointer });
        throw error;
      }
    }
    result = narrowable(result);
    if (!result.response.ok) {
      const apiError = toApiError(method, result.response, result.error, operation, redactor, config);
      errorsByResponse.set(result.response, apiError);
      if (operation) errorOrigins.set(apiError, { table: config.operations, operationId: operation.operationId });
      options.logger?.warn?.("satbind api error", { operationId: apiError.operationId, method: apiError.method, url: apiError.url, status: apiError.status, code: apiError.code, requestId: apiError.requestId });
      if (throwOnError ?? options.throwOnError) throw apiError;
    }
    return result;
  }

  const client = { ...base } as Record<string, unknown>;
  for (const method of METHODS) client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  client.request = (method: string, path: string, init?: Record<string, unknown>) =>
    call(method.toUpperCase() as (typeof METHODS)[number], path, init);
  clientTables.set(client, { table: config.operations, findOperation });
  return client as unknown as ApiClient<Paths>;
}

/**
 * The data of a successful call, or throws the call's ApiError.
 * `const info = unwrap(await client.GET("/info"))`
 */
export function unwrap<Result extends AnyResult>(result: Result): DataOf<Result> {
  if (result.response.ok && result.error === undefined) return result.data as DataOf<Result>;
  throw errorFor(result);
}

/**
 * The ApiError of a failed call, with status, provider code and request id, `undefined` for an ok
 * one. Narrow on `status` (or `instanceof NotFoundError`) and `body` is typed as that status's body.
 */
export function errorOf<Result extends AnyResult>(result: Result): ErrorOf<Result> {
  return (result.response.ok ? undefined : errorFor(result)) as ErrorOf<Result>;
}

type AnyResult = { data?: unknown; error?: unknown; response: Response };

function errorFor(result: AnyResult): ApiError {
  return (
    errorsByResponse.get(result.response) ??
    ApiError.from(
      { operationId: undefined, method: "?", url: result.response.url },
      { status: result.response.status, code: undefined, providerMessage: undefined, body: result.error, requestId: undefined, headers: {} },
    )
  );
}

// Which operation of which API an ApiError answered, for isErrorOf: errors and clients are matched
// by the generated operation table (one per API), so any client of that API recognises them.
const errorOrigins = new WeakMap<ApiError, { table: OperationTable; operationId: string }>();
const clientTables = new WeakMap<object, { table: OperationTable; findOperation: (method: string, schemaPath: string) => OperationRef | undefined }>();

/**
 * Whether a caught error is the ApiError of this client's `method path` call, and if so types it as
 * `errorOf` would: for errors thrown with `throwOnError` or by `unwrap`, where there is no result.
 * `if (isErrorOf(error, lexe, "GET", "/v2/node/payment") && error.status === 404) error.body.code`
 */
export function isErrorOf<Paths, Method extends Uppercase<HttpMethod>, Path extends PathsWith<Paths, Lowercase<Method>>>(
  error: unknown,
  client: ApiClient<Paths>,
  method: Method,
  path: Path,
): error is CallError<OperationAt<Paths, Path, Lowercase<Method>>> {
  const origin = error instanceof ApiError ? errorOrigins.get(error) : undefined;
  const api = clientTables.get(client);
  return !!origin && !!api && origin.table === api.table && origin.operationId === api.findOperation(method, String(path))?.operationId;
}

// What makes a result narrowable (issue 16): `ok` and `status` on every result, and an `error` that
// is never falsy on a failure, even when the answer had no body (openapi-fetch gives undefined or "").
const EMPTY_BODY: EmptyBody = Object.freeze({ empty: true });

function narrowable<R extends { data?: unknown; error?: unknown; response: Response }>(result: R): R & { ok: boolean; status: number } {
  const { response } = result;
  const empty = !response.ok && (result.error === undefined || result.error === "");
  return { ...result, ...(empty && { error: EMPTY_BODY }), ok: response.ok, status: response.status };
}

function toApiError(method: string, response: Response, body: unknown, operation: OperationRef | undefined, redactor: Redactor, config: ProviderConfig): ApiError {
  const details = config.errorDetails?.(body) ?? defaultErrorDetails(body);
  const requestIdHeader = (config.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS).find((h) => response.headers.has(h));
  return ApiError.from(
    { operationId: operation?.operationId, method, url: redactor.url(response.url) },
    {
      status: response.status,
      code: details.code,
      providerMessage: details.message === undefined ? undefined : redactor.text(details.message),
      body: redactor.value(body),
      requestId: requestIdHeader ? response.headers.get(requestIdHeader) ?? undefined : undefined,
      headers: redactor.headers(response.headers),
    },
  );
}

/** Common error body shapes: {code, message}, {code, msg}, {error, message}, {detail}. */
function defaultErrorDetails(body: unknown): { code?: string | number; message?: string } {
  if (typeof body === "string") return body ? { message: body.slice(0, 200) } : {};
  if (body === null || typeof body !== "object") return {};
  const b = body as Record<string, unknown>;
  const code = typeof b.code === "string" || typeof b.code === "number" ? b.code : typeof b.error === "string" ? b.error : undefined;
  const message = [b.message, b.msg, b.detail, b.error].find((m): m is string => typeof m === "string");
  return { ...(code !== undefined && { code }), ...(message !== undefined && { message }) };
}

/** No credentials configured: an operation that requires them would only earn a 401, so it is not sent. */
function refuseWithoutAuth(findOperation: (method: string, schemaPath: string) => OperationRef | undefined, hint: string): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      const operation = findOperation(request.method, schemaPath);
      if (operation?.auth === "required") throw new TypeError(`${operation.operationId} needs ${hint}`);
      return undefined;
    },
  };
}

function staticSecrets(auth: AuthConfig | undefined): string[] {
  if (!auth) return [];
  const values: Secret[] = auth.type === "bearer" ? [auth.token] : auth.type === "header" ? [auth.value] : Object.values(auth.headers);
  return values.filter((v): v is string => typeof v === "string");
}

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) throw new TypeError(`${name} must be a positive number of milliseconds; got ${String(value)}`);
  return value;
}

function whole(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a whole number >= 0; got ${String(value)}`);
  return value;
}
