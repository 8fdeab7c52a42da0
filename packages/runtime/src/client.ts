// createApiClient: a client with openapi-fetch's methods and `{ data, error, response }` results,
// plus `ok` and `status` to narrow on (types in result.ts) and satbind's policy. Per call you may
// also pass `timeoutMs`, `maxRetries`, `throwOnError` and `validateResponses`.
//
// The call path is our own (request.ts builds what openapi-fetch would send, answer.ts parses what
// it would return, middleware.ts runs its middleware): what can be worked out once per client is,
// and a call without middleware or a fetch of the caller's goes out as fetch(url, init).
import type { Middleware } from "openapi-fetch";
import { toApiError, toResult, type CallResult, type ParseAs } from "./answer.js";
import { authHeaderNames, fixedAuthHeaders, resolveAuthHeaders, type AuthConfig } from "./auth.js";
import { ApiError, ResponseParseError } from "./errors.js";
import type { Logger } from "./logger.js";
import { checkMiddleware, withMiddleware } from "./middleware.js";
import { indexOperations, type OperationRef, type OperationTable } from "./operations.js";
import { Redactor, type RedactOptions } from "./redact.js";
import { buildUrl, defaultQuery, mergeHeaders, querySerializer, serializeBody, type HeaderRecord, type QueryStyle } from "./request.js";
import type { ApiClient, CallError, DataOf, ErrorOf, HttpMethod, OperationAt, PathsWith } from "./result.js";
import { sendWithPolicy, type Answer, type CallContext, type Outgoing, type RetryPolicy } from "./transport.js";
import type { ResponseValidator } from "./validator.js";

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
   * typed as the spec says. Pass the provider's validator, so only clients that check load the
   * schemas: `import { responseValidator } from "@satbind/<provider>/validate"`, then
   * `validateResponses: responseValidator`.
   */
  validateResponses?: ResponseValidator;
}

/** What a provider may set for one call before the caller's own options, which still win. */
export interface CallDefaults {
  timeoutMs?: number;
  maxRetries?: number;
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
  /**
   * Per-operation defaults (e.g. longer timeouts for operations the server holds open), given the
   * call's options. They rank above the client's options and below the call's own. May throw to
   * refuse the call's options (the call's promise rejects with that error).
   */
  callDefaults?: (operation: OperationRef, init: Readonly<Record<string, unknown>>) => CallDefaults | undefined;
  redact?: RedactOptions;
  /** Reads the provider's error code and message from an error body. */
  errorDetails?: (body: unknown) => { code?: string | number | undefined; message?: string | undefined };
  /** What identifies a money-moving call, for AmbiguousOutcomeError.reconcile. */
  reconcile?: (operationId: string, request: { params: unknown; body: unknown; startedAt: number }) => Record<string, unknown>;
  /** Header that carries the server's request id. */
  requestIdHeaders?: readonly string[];
  /** Where this client's response validator is imported from, for error messages. Default `@satbind/<provider>/validate`. */
  validatorModule?: string;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
const errorsByResponse = new WeakMap<Response, ApiError>();

type Params = { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: unknown } | undefined;
type Serializer = (value: never, ...rest: never[]) => unknown;

export function createApiClient<Paths extends {}>(config: ProviderConfig, options: CommonClientOptions = {}): ApiClient<Paths> {
  const { auth, operations: table, provider } = config;
  const redactor = new Redactor({
    ...config.redact,
    headers: [...(config.redact?.headers ?? []), ...(auth ? authHeaderNames(auth) : [])],
  });
  positive(options.timeoutMs, "timeoutMs");
  whole(options.maxRetries, "maxRetries");
  const validateHint = `import { responseValidator } from "${config.validatorModule ?? `@satbind/${provider}/validate`}" and pass validateResponses: responseValidator`;
  if (options.validateResponses !== undefined && typeof options.validateResponses !== "function") {
    throw new TypeError(`validateResponses takes the provider's validator, not ${String(options.validateResponses)}: ${validateHint}`);
  }
  const byMethod = indexOperations(table);
  const findOperation = (method: string, schemaPath: string): OperationRef | undefined => byMethod[method.toUpperCase()]?.get(schemaPath);
  const retry: Required<RetryPolicy> = { initialDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000, ...options.retry };
  const baseUrl = trimSlash(options.baseUrl ?? config.baseUrl);
  const baseHeaders = mergeHeaders({}, options.headers);
  const middleware = checkMiddleware(options.middleware ?? []);
  // Credentials that are plain strings are the same for every call: resolved (and learnt by the
  // redactor) once here, not per request.
  const fixedAuth = auth && fixedAuthHeaders(auth);
  if (fixedAuth) for (const value of Object.values(fixedAuth)) redactor.addSecret(value);

  async function call(method: (typeof METHODS)[number], path: string, init: Record<string, unknown> = {}): Promise<CallResult> {
    const {
      timeoutMs, maxRetries, throwOnError, validateResponses, params, body, headers, parseAs = "json", querySerializer: query, bodySerializer,
      pathSerializer, baseUrl: callBaseUrl, fetch: callFetch, middleware: callMiddleware, signal, Request: RequestClass, ...rest
    } = init as Record<string, unknown> & { params?: Params; parseAs?: ParseAs; signal?: AbortSignal | null; Request?: typeof Request };
    const operation = findOperation(method, path);
    if (!auth && operation?.auth === "required") throw new TypeError(`${operation.operationId} needs ${config.missingAuthHint ?? "credentials"}`);
    if (validateResponses === true && !options.validateResponses) throw new TypeError(`validateResponses: this client has no validator; ${validateHint}`);
    const defaults = operation && config.callDefaults?.(operation, init);
    const startedAt = Date.now();
    redactor.learnFromRequest(params?.query, body);

    const sentHeaders: HeaderRecord = mergeHeaders(mergeHeaders({ ...baseHeaders }, headers), params?.header);
    let sentBody: BodyInit | undefined;
    if (body !== undefined) {
      sentBody = bodySerializer ? ((bodySerializer as Serializer)(body as never, new Headers(sentHeaders) as never) as BodyInit) : serializeBody(body, sentHeaders);
      if (sentBody !== undefined && !(sentBody instanceof FormData)) sentHeaders["content-type"] ??= "application/json";
    }
    if (auth && operation?.auth !== "none") Object.assign(sentHeaders, fixedAuth ?? (await resolveAuthHeaders(auth, redactor)));
    const serialize = typeof query === "function" ? (query as (q: Record<string, unknown>) => string) : query ? querySerializer(query as QueryStyle) : defaultQuery;
    const url = buildUrl(callBaseUrl ? trimSlash(callBaseUrl as string) : baseUrl, path, params, serialize, pathSerializer as ((url: string, values: Record<string, unknown>) => string) | undefined);
    const out: Outgoing = { url, init: { ...rest, method, headers: sentHeaders, body: sentBody ?? null } };

    const context: CallContext = {
      operation,
      timeoutMs: positive(timeoutMs, "timeoutMs") ?? defaults?.timeoutMs ?? options.timeoutMs ?? config.defaultTimeoutMs,
      maxRetries: whole(maxRetries, "maxRetries") ?? defaults?.maxRetries ?? options.maxRetries ?? 2,
      retry,
      fetch: (callFetch ?? options.fetch) as CallContext["fetch"],
      redactor,
      logger: options.logger,
      signal: signal ?? undefined,
      reconcile: () => redactor.value(config.reconcile?.(operation?.operationId ?? "", { params, body, startedAt }) ?? {}),
      asText: parseAs === "json" || parseAs === "text",
    };
    const allMiddleware = Array.isArray(callMiddleware) && callMiddleware.length > 0 ? [...middleware, ...checkMiddleware(callMiddleware)] : middleware;
    let answer: Answer | undefined;
    let result: CallResult;
    try {
      if (allMiddleware.length > 0 || sentBody instanceof ReadableStream) {
        // Middleware reads and edits a Request; a stream body needs one to be copied for retries.
        const first = new (RequestClass ?? Request)(url, out.init);
        const settings = Object.freeze({ baseUrl: callBaseUrl ?? baseUrl, fetch: context.fetch ?? globalThis.fetch, parseAs, querySerializer: serialize, bodySerializer, pathSerializer });
        const send = (request: Request) => sendWithPolicy({ ...out, request }, context);
        answer = allMiddleware.length > 0 ? await withMiddleware(allMiddleware, first, { schemaPath: path, params: params ?? {}, options: settings }, send, context.asText) : await send(first);
      } else answer = await sendWithPolicy(out, context);
      result = toResult(answer, method, parseAs);
    } catch (error) {
      if (error instanceof SyntaxError && answer) {
        const text = typeof answer.body === "string" ? answer.body : new TextDecoder().decode(answer.body);
        const { response } = answer;
        throw new ResponseParseError(
          {
            operationId: operation?.operationId,
            method,
            url: redactor.url(response.url || url),
            status: response.status,
            contentType: response.headers.get("content-type") ?? undefined,
            bodySnippet: redactor.text(text.slice(0, 200)),
          },
          { cause: error },
        );
      }
      throw error;
    }
    const { response } = result;
    if (result.ok && operation && validateResponses !== false) {
      options.validateResponses?.({ operations: table, operation, method, url: response.url || url, status: result.status, body: result.data, redactor, logger: options.logger });
    }
    if (!result.ok) {
      const apiError = toApiError(method, response, result.error, operation, redactor, config);
      errorsByResponse.set(response, apiError);
      if (operation) errorOrigins.set(apiError, { table, operationId: operation.operationId });
      options.logger?.warn?.("satbind api error", { operationId: apiError.operationId, method: apiError.method, url: apiError.url, status: apiError.status, code: apiError.code, requestId: apiError.requestId });
      if (throwOnError ?? options.throwOnError) throw apiError;
    }
    return result;
  }

  const client: Record<string, unknown> = {
    request: (method: string, path: string, init?: Record<string, unknown>) => call(method.toUpperCase() as (typeof METHODS)[number], path, init),
    use: (...added: Middleware[]) => void middleware.push(...checkMiddleware(added)),
    eject: (...removed: Middleware[]) => {
      for (const m of removed) {
        const i = middleware.indexOf(m);
        if (i !== -1) middleware.splice(i, 1);
      }
    },
  };
  for (const method of METHODS) client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  clientTables.set(client, { table, findOperation });
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

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
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
