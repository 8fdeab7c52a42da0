// Greenfield's error bodies. Business failures (HTTP 400, 403, 404...) are `{ code, message }` with a
// stable code; validation failures (HTTP 422) are a list of `{ path, message }`, one per bad field.

export interface GreenfieldValidationProblem {
  /** The JSON path of the field the server refused, e.g. "amount". */
  path: string;
  message: string;
}

export function greenfieldErrorDetails(body: unknown): { code?: string; message?: string } {
  if (Array.isArray(body)) {
    const problems = validationList(body);
    return problems.length === 0 ? {} : { code: "validation", message: problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ") };
  }
  if (typeof body === "string") return body ? { message: body.slice(0, 200) } : {};
  if (body === null || typeof body !== "object") return {};
  const { code, message } = body as Record<string, unknown>;
  const details: { code?: string; message?: string } = {};
  if (typeof code === "string" && code !== "") details.code = code;
  if (typeof message === "string" && message !== "") details.message = message;
  return details;
}

/**
 * The fields the server refused, from an error's body (`errorOf(result)` or a thrown ApiError): a
 * 422's list, or the same list under 400 where an operation documents it so. Empty for any other error.
 */
export function validationProblems(error: { body?: unknown } | undefined): GreenfieldValidationProblem[] {
  return Array.isArray(error?.body) ? validationList(error.body) : [];
}

function validationList(list: unknown[]): GreenfieldValidationProblem[] {
  return list.flatMap((item) => {
    if (item === null || typeof item !== "object") return [];
    const { path, message } = item as Record<string, unknown>;
    return typeof message === "string" ? [{ path: typeof path === "string" ? path : "", message }] : [];
  });
}
