// openapi-fetch middleware, run as openapi-fetch runs it: onRequest in order before the call (it
// may replace the Request or answer with a Response), onError and onResponse in reverse order
// after it. Retries happen inside, so middleware sees each call once. Calls without middleware
// never come here and never build a Request.
import type { Middleware } from "openapi-fetch";
import type { Answer } from "./transport.js";

export interface MiddlewareCall {
  schemaPath: string;
  params: unknown;
  options: Readonly<Record<string, unknown>>;
}

export function checkMiddleware(middleware: readonly (Middleware | undefined)[]): Middleware[] {
  const valid: Middleware[] = [];
  for (const m of middleware) {
    if (!m) continue;
    if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
      throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");
    }
    valid.push(m);
  }
  return valid;
}

/**
 * Runs `send` between the middleware's hooks. `send` gets the Request onRequest left (and reads the
 * body inside its timeout); a Response from middleware is read here.
 */
export async function withMiddleware(
  middleware: readonly Middleware[],
  first: Request,
  call: MiddlewareCall,
  send: (request: Request) => Promise<Answer>,
  asText: boolean,
): Promise<Answer> {
  const id = Math.random().toString(36).slice(2, 11);
  let request = first;
  let response: Response | undefined;
  let answer: Answer | undefined;
  let passed: Response | undefined;
  for (const m of middleware) {
    const result = await m.onRequest?.({ request, id, ...call } as never);
    if (!result) continue;
    if (result instanceof Request) request = result;
    else if (result instanceof Response) {
      response = result;
      break;
    } else throw new Error("onRequest: must return new Request() or Response() when modifying the request");
  }
  if (!response) {
    try {
      answer = await send(request);
      // Middleware may read the body: give it a copy of what was read.
      response = passed = copy(answer);
    } catch (error) {
      let failure: unknown = error;
      for (let i = middleware.length - 1; i >= 0; i--) {
        const result = await middleware[i]!.onError?.({ request, error: failure, id, ...call } as never);
        if (!result) continue;
        if (result instanceof Response) {
          failure = undefined;
          response = result;
          break;
        }
        if (result instanceof Error) failure = result;
        else throw new Error("onError: must return new Response() or instance of Error");
      }
      if (failure) throw failure;
    }
    for (let i = middleware.length - 1; i >= 0; i--) {
      const result = await middleware[i]!.onResponse?.({ request, response: response!, id, ...call } as never);
      if (!result) continue;
      if (!(result instanceof Response)) throw new Error("onResponse: must return new Response() when modifying the response");
      response = result;
    }
  }
  if (answer && response === passed) return answer;
  return { response: response!, body: await (asText ? response!.text() : response!.arrayBuffer()) };
}

function copy(answer: Answer): Response {
  const { response } = answer;
  const out = new Response(NO_BODY.has(response.status) ? null : answer.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(out, "url", { value: response.url });
  return out;
}

const NO_BODY = new Set([101, 204, 205, 304]);
