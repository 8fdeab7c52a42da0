// What a call returns: the answer's body parsed as openapi-fetch would parse it (`data` for 2xx,
// `error` otherwise), made narrowable (`ok`, `status`), and the ApiError a failure stands for.
import { ApiError } from "./errors.js";
import type { OperationRef } from "./operations.js";
import type { Redactor } from "./redact.js";
import type { Answer } from "./transport.js";
import type { EmptyBody } from "./result.js";

export interface CallResult {
  data?: unknown;
  error?: unknown;
  response: Response;
  ok: boolean;
  status: number;
}

export type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

// A failure always has a truthy `error`, even without a body (issue 16): openapi-fetch alone gives
// undefined or "" there.
const EMPTY_BODY: EmptyBody = Object.freeze({ empty: true });

const text = (body: string | ArrayBuffer) => (typeof body === "string" ? body : new TextDecoder().decode(body));

/** Throws SyntaxError when a 2xx JSON body does not parse; the caller turns that into ResponseParseError. */
export function toResult({ response, body }: Answer, method: string, parseAs: ParseAs): CallResult {
  const { ok, status, headers } = response;
  const result: CallResult = { response, ok, status };
  // openapi-fetch's "no body" test; the headers are only worth reading when the body is empty.
  const empty = typeof body === "string" ? body === "" : body.byteLength === 0;
  if (status === 204 || method === "HEAD" || (empty && headers.get("content-length") === "0" && !headers.get("transfer-encoding")?.includes("chunked"))) {
    if (ok) result.data = undefined;
    else result.error = EMPTY_BODY;
  } else if (ok) {
    if (parseAs === "json") {
      const raw = text(body);
      result.data = raw ? JSON.parse(raw) : undefined;
    } else if (parseAs === "text") result.data = text(body);
    else if (parseAs === "arrayBuffer") result.data = body;
    else if (parseAs === "blob") result.data = new Blob([body], { type: headers.get("content-type") ?? "" });
    else result.data = new Response(body).body;
  } else {
    let error: unknown = text(body);
    try {
      error = JSON.parse(error as string);
    } catch {
      // Not JSON: the text as it is.
    }
    result.error = error === "" ? EMPTY_BODY : error;
  }
  return result;
}

const DEFAULT_REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-correlation-id"];

export interface ErrorSource {
  errorDetails?: ((body: unknown) => { code?: string | number | undefined; message?: string | undefined }) | undefined;
  requestIdHeaders?: readonly string[] | undefined;
}

export function toApiError(method: string, response: Response, body: unknown, operation: OperationRef | undefined, redactor: Redactor, source: ErrorSource): ApiError {
  const details = source.errorDetails?.(body) ?? defaultErrorDetails(body);
  const requestIdHeader = (source.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS).find((h) => response.headers.has(h));
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
