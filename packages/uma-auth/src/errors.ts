// Reads a VASP's error body. The UMA Auth spec says `{code, message}` with a NIP-47 code. UMA's own
// reference wallet (uma-test-wallet) answers the UMA SDK's `{status: "ERROR", reason, code}` instead,
// with its own codes (FORBIDDEN, INVALID_INPUT, REQUEST_NOT_FOUND...), and a bare `{error}` where it
// has not implemented something. Both are read, so `code` and the message survive either way.

export function umaErrorDetails(body: unknown): { code?: string | number; message?: string } {
  if (typeof body === "string") return body ? { message: body.slice(0, 200) } : {};
  if (body === null || typeof body !== "object") return {};
  const { code, message, reason, error } = body as Record<string, unknown>;
  const details: { code?: string | number; message?: string } = {};
  if (typeof code === "string" || typeof code === "number") details.code = code;
  // The spec's `message`, then the UMA SDK's `reason`, then a bare `{error}`.
  const text = [message, reason, error].find((m): m is string => typeof m === "string" && m !== "");
  if (text !== undefined) details.message = text;
  return details;
}
