export { createApiClient, unwrap, errorOf, isErrorOf } from "./client.js";
export type { CallDefaults, CommonClientOptions, ProviderConfig } from "./client.js";
export type {
  ApiClient,
  ApiErrorFor,
  ApiResult,
  CallError,
  CallInit,
  CallMethod,
  CallOptions,
  DataOf,
  EmptyBody,
  ErrorOf,
  Failure,
  FailureStatus,
  HttpMethod,
  OperationAt,
  PathsWith,
  ResultFor,
  Success,
  SuccessStatus,
  UndocumentedFailure,
  UndocumentedSuccess,
  UnknownBody,
} from "./result.js";
export type { AuthConfig, Secret } from "./auth.js";
export {
  SatbindError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PaymentRequiredError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  NetworkError,
  AmbiguousOutcomeError,
  TimeoutError,
  AbortError,
  ResponseParseError,
  ResponseValidationError,
} from "./errors.js";
export type { ErrorContext, ApiErrorDetails } from "./errors.js";
export type { Logger } from "./logger.js";
export { serverUrl } from "./operations.js";
export type { OperationRef, OperationSpec, OperationTable, ServerEntry, ServerList, ServerVariable } from "./operations.js";
export { Redactor, REDACTED } from "./redact.js";
export type { RedactOptions } from "./redact.js";
export type { RetryPolicy } from "./transport.js";
export { satsToMsats, msatsToSats } from "./amounts.js";
export { bolt11PaymentHash } from "./bolt11.js";
export { pollUntil } from "./poll.js";
export type { PollOptions, Poller } from "./poll.js";
export type { JsonSchema, ResponseSchemas, ValidationProblem } from "./validate.js";
export type { CheckedAnswer, ResponseValidator } from "./validator.js";
