/**
 * Where a client reports what it does. `console` fits. Every message comes with a details object
 * (operationId, method, redacted url, attempt, status, duration...) that never holds a secret.
 */
export interface Logger {
  debug?(message: string, details: Record<string, unknown>): void;
  info?(message: string, details: Record<string, unknown>): void;
  warn?(message: string, details: Record<string, unknown>): void;
  error?(message: string, details: Record<string, unknown>): void;
}
