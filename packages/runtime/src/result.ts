// The types of a satbind client and of what its calls return. openapi-fetch's `{ data, error,
// response }` stays as it is; every result also has `ok` and a literal `status`, so narrowing on
// either types `data` or `error` exactly. Types only: nothing here exists at runtime.
import type { Middleware, ParamsOption, ParseAs, RequestBodyOption, RequestOptions } from "openapi-fetch";
import type {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "./errors.js";

// Written out rather than computed: a literal union costs the type checker nothing to build.
type Status2xx =
  | 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 209 | 210 | 211 | 212 | 213 | 214 | 215 | 216 | 217 | 218 | 219
  | 220 | 221 | 222 | 223 | 224 | 225 | 226 | 227 | 228 | 229 | 230 | 231 | 232 | 233 | 234 | 235 | 236 | 237 | 238 | 239
  | 240 | 241 | 242 | 243 | 244 | 245 | 246 | 247 | 248 | 249 | 250 | 251 | 252 | 253 | 254 | 255 | 256 | 257 | 258 | 259
  | 260 | 261 | 262 | 263 | 264 | 265 | 266 | 267 | 268 | 269 | 270 | 271 | 272 | 273 | 274 | 275 | 276 | 277 | 278 | 279
  | 280 | 281 | 282 | 283 | 284 | 285 | 286 | 287 | 288 | 289 | 290 | 291 | 292 | 293 | 294 | 295 | 296 | 297 | 298 | 299;
type Status3xx =
  | 300 | 301 | 302 | 303 | 304 | 305 | 306 | 307 | 308 | 309 | 310 | 311 | 312 | 313 | 314 | 315 | 316 | 317 | 318 | 319
  | 320 | 321 | 322 | 323 | 324 | 325 | 326 | 327 | 328 | 329 | 330 | 331 | 332 | 333 | 334 | 335 | 336 | 337 | 338 | 339
  | 340 | 341 | 342 | 343 | 344 | 345 | 346 | 347 | 348 | 349 | 350 | 351 | 352 | 353 | 354 | 355 | 356 | 357 | 358 | 359
  | 360 | 361 | 362 | 363 | 364 | 365 | 366 | 367 | 368 | 369 | 370 | 371 | 372 | 373 | 374 | 375 | 376 | 377 | 378 | 379
  | 380 | 381 | 382 | 383 | 384 | 385 | 386 | 387 | 388 | 389 | 390 | 391 | 392 | 393 | 394 | 395 | 396 | 397 | 398 | 399;
type Status4xx =
  | 400 | 401 | 402 | 403 | 404 | 405 | 406 | 407 | 408 | 409 | 410 | 411 | 412 | 413 | 414 | 415 | 416 | 417 | 418 | 419
  | 420 | 421 | 422 | 423 | 424 | 425 | 426 | 427 | 428 | 429 | 430 | 431 | 432 | 433 | 434 | 435 | 436 | 437 | 438 | 439
  | 440 | 441 | 442 | 443 | 444 | 445 | 446 | 447 | 448 | 449 | 450 | 451 | 452 | 453 | 454 | 455 | 456 | 457 | 458 | 459
  | 460 | 461 | 462 | 463 | 464 | 465 | 466 | 467 | 468 | 469 | 470 | 471 | 472 | 473 | 474 | 475 | 476 | 477 | 478 | 479
  | 480 | 481 | 482 | 483 | 484 | 485 | 486 | 487 | 488 | 489 | 490 | 491 | 492 | 493 | 494 | 495 | 496 | 497 | 498 | 499;
type Status5xx =
  | 500 | 501 | 502 | 503 | 504 | 505 | 506 | 507 | 508 | 509 | 510 | 511 | 512 | 513 | 514 | 515 | 516 | 517 | 518 | 519
  | 520 | 521 | 522 | 523 | 524 | 525 | 526 | 527 | 528 | 529 | 530 | 531 | 532 | 533 | 534 | 535 | 536 | 537 | 538 | 539
  | 540 | 541 | 542 | 543 | 544 | 545 | 546 | 547 | 548 | 549 | 550 | 551 | 552 | 553 | 554 | 555 | 556 | 557 | 558 | 559
  | 560 | 561 | 562 | 563 | 564 | 565 | 566 | 567 | 568 | 569 | 570 | 571 | 572 | 573 | 574 | 575 | 576 | 577 | 578 | 579
  | 580 | 581 | 582 | 583 | 584 | 585 | 586 | 587 | 588 | 589 | 590 | 591 | 592 | 593 | 594 | 595 | 596 | 597 | 598 | 599;

/** The statuses of an ok answer, 200 to 299. */
export type SuccessStatus = Status2xx;
/**
 * The statuses of an answer that is not ok: 300 to 599. (A fetch Response never carries 1xx, and a
 * 3xx only with `redirect: "manual"`.)
 */
export type FailureStatus = Status3xx | Status4xx | Status5xx;

interface RangeStatuses {
  "2XX": Status2xx;
  "3XX": Status3xx;
  "4XX": Status4xx;
  "5XX": Status5xx;
}

/**
 * What `error` holds when an answer that is not ok had no body, so that `if (result.error)` still
 * sees the failure (openapi-fetch alone gives `undefined` or `""` there).
 */
export interface EmptyBody {
  readonly empty: true;
}

/** An ok answer with a status the spec documents, `data` typed as that status's body. */
export interface Success<Status, Data> {
  ok: true;
  status: Status;
  data: Data;
  error?: never;
  response: Response;
}

/** An answer with an error status the spec documents, `error` typed as that status's body. */
export interface Failure<Status, Body> {
  ok: false;
  status: Status;
  data?: never;
  error: Body;
  response: Response;
}

/**
 * An ok answer with a 2xx status the spec does not list. Its body passes through typed as the
 * spec's 2xx body (satbind does not check bodies unless asked to validate).
 */
export interface UndocumentedSuccess<Documented extends PropertyKey, Data> {
  ok: true;
  status: Uncovered<SuccessStatus, Documented>;
  data: Data;
  error?: never;
  response: Response;
}

/**
 * A body the spec does not describe: any JSON value, text, or EmptyBody. `unknown` less
 * `undefined` (a failure always has an `error`), written so because TypeScript does not narrow a
 * union through an `unknown` property, and `if (result.error)` has to.
 */
export type UnknownBody = {} | null;

/** An answer with an error status the spec does not list (a proxy's 502, say): its body is not typed. */
export interface UndocumentedFailure<Documented extends PropertyKey> {
  ok: false;
  status: Uncovered<FailureStatus, Documented>;
  data?: never;
  error: UnknownBody;
  response: Response;
}

/** The statuses a spec's response keys cover: each number, each range, and `default` (every failure). */
type Covered<Keys extends PropertyKey> =
  | Extract<Keys, number>
  | ("default" extends Keys ? FailureStatus : never)
  | RangeStatuses[Extract<Keys, keyof RangeStatuses>];

/**
 * `All` less the statuses the keys cover. The check on `Keys` keeps it unresolved until the keys
 * are known: a 300-member union distributed over a type parameter would cost 300 instantiations
 * wherever the type is merely declared.
 */
type Uncovered<All, Keys extends PropertyKey> = [Keys] extends [never] ? All : Exclude<All, Covered<Keys>>;

/** The statuses one response key stands for, less those listed on their own. */
type KeyStatuses<Keys extends PropertyKey, Key> = Key extends number
  ? Key
  : Key extends keyof RangeStatuses
    ? Exclude<RangeStatuses[Key], Extract<Keys, number>>
    : Key extends "default"
      ? Uncovered<FailureStatus, Exclude<Keys, "default">>
      : never;

/** A response object's body type: the union of its media types, or none. */
type BodyOf<Response> = Response extends { content: infer Content } ? Content[keyof Content] : undefined;

/** What `parseAs` makes of an ok body. */
interface ParsedAs<Json> {
  json: Json;
  text: string;
  blob: Blob;
  arrayBuffer: ArrayBuffer;
  stream: ReadableStream<Uint8Array> | null;
}

type ResponsesOf<Operation> = Operation extends { responses: infer Responses } ? Responses : {};

type MemberOf<Responses, Key extends keyof Responses, As extends ParseAs> = [KeyStatuses<keyof Responses, Key>] extends [never]
  ? never
  : [KeyStatuses<keyof Responses, Key>] extends [SuccessStatus]
    ? Success<KeyStatuses<keyof Responses, Key>, ParsedAs<BodyOf<Responses[Key]>>[As]>
    : Failure<KeyStatuses<keyof Responses, Key>, BodyOf<Responses[Key]> extends undefined ? EmptyBody : BodyOf<Responses[Key]>>;

type SuccessBodies<Responses> = {
  [Key in keyof Responses]: [KeyStatuses<keyof Responses, Key>] extends [SuccessStatus] ? BodyOf<Responses[Key]> : never;
}[keyof Responses];

/**
 * Everything a call of `Operation` can return: one member per documented status, plus the
 * statuses the spec does not list. Narrow on `ok`, `status`, `data` or `error`.
 */
export type ApiResult<Operation, As extends ParseAs = "json"> = ResultOf<ResponsesOf<Operation>, As>;

type ResultOf<Responses, As extends ParseAs> =
  | { [Key in keyof Responses]-?: MemberOf<Responses, Key, As> }[keyof Responses]
  | ("2XX" extends keyof Responses ? never : UndocumentedSuccess<keyof Responses, ParsedAs<SuccessBodies<Responses>>[As]>)
  | ("default" extends keyof Responses ? never : UndocumentedFailure<keyof Responses>);

/** satbind's own per-call options, next to openapi-fetch's. */
export interface CallOptions<Throw extends boolean = boolean> {
  /** This call's per-attempt timeout, in milliseconds (wins over the client's). */
  timeoutMs?: number;
  /** Further attempts if the operation is safe to repeat (never for ones that move funds). */
  maxRetries?: number;
  /** Throw the ApiError instead of returning `{ error }`. With `true`, the result type has only ok members. */
  throwOnError?: Throw;
  /** Check this call's 2xx JSON body against the spec. */
  validateResponses?: boolean;
  /** Cancels the call, including a wait between retries. */
  signal?: AbortSignal | null;
}

/**
 * A call's second argument: openapi-fetch's (params, body, headers, parseAs, fetch, middleware,
 * serializers, baseUrl and RequestInit's fields) plus satbind's, and nothing else, so a misspelt
 * option does not compile.
 */
export type CallInit<Operation, As extends ParseAs = ParseAs, Throw extends boolean = boolean> = RequestOptions<Operation> &
  Omit<RequestInit, "body" | "headers" | "signal"> &
  CallOptions<Throw> & { parseAs?: As };

/** The init argument is required when the operation has a required parameter or body. */
type InitArgs<Operation, As extends ParseAs, Throw extends boolean> = {} extends ParamsOption<Operation> & RequestBodyOption<Operation>
  ? [init?: CallInit<Operation, As, Throw>]
  : [init: CallInit<Operation, As, Throw>];

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** The paths of `Paths` that have `Method`. */
export type PathsWith<Paths, Method extends HttpMethod> = {
  [Path in keyof Paths]: Paths[Path] extends { [M in Method]: unknown } ? Path : never;
}[keyof Paths];

/** The operation at `Paths[Path][Method]`. */
export type OperationAt<Paths, Path extends keyof Paths, Method extends HttpMethod> = Paths[Path][Method & keyof Paths[Path]];

/** With `throwOnError: true` a failure throws, so only ok answers come back. */
type Returned<Result, Throw extends boolean> = [Throw] extends [true] ? Extract<Result, { ok: true }> : Result;

export type CallMethod<Paths, Method extends HttpMethod> = <Path extends PathsWith<Paths, Method>, As extends ParseAs = "json", Throw extends boolean = false>(
  path: Path,
  ...init: InitArgs<OperationAt<Paths, Path, Method>, As, Throw>
) => Promise<Returned<ApiResult<OperationAt<Paths, Path, Method>, As>, Throw>>;

/** Type-only key: no value exists at runtime. */
declare const pathsKey: unique symbol;

/** A satbind client: openapi-fetch's methods, with narrowable results and checked options. */
export interface ApiClient<Paths> {
  /**
   * The spec's paths, for the type checker only (never set): generic methods alone would let a
   * client of one API pass where another's is expected.
   */
  readonly [pathsKey]?: Paths;
  GET: CallMethod<Paths, "get">;
  PUT: CallMethod<Paths, "put">;
  POST: CallMethod<Paths, "post">;
  DELETE: CallMethod<Paths, "delete">;
  OPTIONS: CallMethod<Paths, "options">;
  HEAD: CallMethod<Paths, "head">;
  PATCH: CallMethod<Paths, "patch">;
  TRACE: CallMethod<Paths, "trace">;
  /** Any method by name: `client.request("get", "/path", init)`. */
  request<Method extends HttpMethod, Path extends PathsWith<Paths, Method>, As extends ParseAs = "json", Throw extends boolean = false>(
    method: Method,
    path: Path,
    ...init: InitArgs<OperationAt<Paths, Path, Method>, As, Throw>
  ): Promise<Returned<ApiResult<OperationAt<Paths, Path, Method>, As>, Throw>>;
  /** Adds openapi-fetch middleware. */
  use(...middleware: Middleware[]): void;
  /** Removes middleware added with `use`. */
  eject(...middleware: Middleware[]): void;
}

/** The error class satbind raises for a status. */
type ErrorClassFor<Status extends number> = [Status] extends [400]
  ? BadRequestError
  : [Status] extends [401]
    ? AuthenticationError
    : [Status] extends [402]
      ? PaymentRequiredError
      : [Status] extends [403]
        ? PermissionDeniedError
        : [Status] extends [404]
          ? NotFoundError
          : [Status] extends [409]
            ? ConflictError
            : [Status] extends [422]
              ? UnprocessableEntityError
              : [Status] extends [429]
                ? RateLimitError
                : [Status] extends [Status5xx]
                  ? InternalServerError
                  : ApiError;

/** The ApiError of a failed call with this status and body: the class for the status, `body` typed. */
export type ApiErrorFor<Status extends number, Body> = ErrorClassFor<Status> & { readonly status: Status; readonly body: Body };

/** What `errorOf(result)` returns: the typed ApiError of each failure member, `undefined` for ok ones. */
export type ErrorOf<Result> = Result extends { ok: false; status: infer Status extends number; error: infer Body }
  ? ApiErrorFor<Status, Body>
  : Result extends { ok: true }
    ? undefined
    : ApiError | undefined;

/**
 * The typed ApiError of a failed call of `Operation` (what `isErrorOf` narrows a caught error to).
 * The check on `Operation` defers the work to real operations (declaring it would cost 10,000
 * instantiations otherwise).
 */
export type CallError<Operation> = [Operation] extends [never] ? never : NonNullable<ErrorOf<Extract<ApiResult<Operation>, { ok: false }>>>;

/** What `unwrap(result)` returns: the body of the ok members. */
export type DataOf<Result> = Result extends { data: infer Data; error?: never } ? Data : never;

/** The result type of one call, by client, method and path: `ResultFor<LexeClient, "get", "/v2/node/payment">`. */
export type ResultFor<Client, Method extends HttpMethod, Path> = Client extends ApiClient<infer Paths>
  ? Path extends keyof Paths
    ? ApiResult<OperationAt<Paths, Path, Method>>
    : never
  : never;
