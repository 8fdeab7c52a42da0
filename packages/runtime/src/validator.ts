// The shape of a response validator, which a client takes as `validateResponses`. The validator
// itself (and the spec's schemas it reads) lives behind the `validate` subpaths, so a client that
// does not check answers carries none of it.
import type { OperationTable } from "./operations.js";
import type { ValidationProblem } from "./validate.js";

/** One 2xx answer to check. */
export interface CheckedAnswer {
  /** The client's operation table: which API the answer comes from. */
  operations: OperationTable;
  operationId: string;
  status: number;
  body: unknown;
}

/**
 * Checks a 2xx body against the spec: the problems found (none: an empty list or undefined).
 * Made by `createResponseValidator` (`@satbind/runtime/validate`); each provider exports its own as
 * `responseValidator` from `@satbind/<provider>/validate`.
 */
export type ResponseValidator = (answer: CheckedAnswer) => ValidationProblem[] | undefined;
