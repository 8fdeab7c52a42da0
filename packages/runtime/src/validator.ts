// The shape of a response validator, which a client takes as `validateResponses`. The validator
// itself (the spec's schemas, the checks and ResponseValidationError) lives behind the `validate`
// subpaths, so a client that does not check answers carries none of it.
import type { Logger } from "./logger.js";
import type { OperationRef, OperationTable } from "./operations.js";
import type { Redactor } from "./redact.js";

/** One 2xx answer to check. */
export interface CheckedAnswer {
  /** The client's operation table: which API the answer comes from. */
  operations: OperationTable;
  operation: OperationRef;
  method: string;
  /** The request URL, not yet redacted. */
  url: string;
  status: number;
  body: unknown;
  /** Scrubs secrets from what the error carries. */
  redactor: Redactor;
  logger: Logger | undefined;
}

/**
 * Checks a 2xx body against the spec and throws ResponseValidationError when it does not match.
 * Made by `createResponseValidator` (`@satbind/runtime/validate`); each provider exports its own as
 * `responseValidator` from `@satbind/<provider>/validate`.
 */
export type ResponseValidator = (answer: CheckedAnswer) => void;
