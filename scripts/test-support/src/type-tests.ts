// Types for the packages' type tests (test/*.test-d.ts): find `any` wherever a user reads a
// result, an error body or a reconcile record. Type-only: nothing here runs. Tooling does not
// depend on @satbind/runtime, so each test maps its operations to results with its own imports:
//
//   type Calls = { [P in keyof paths]: { [M in keyof paths[P]]: Called<ApiResult<paths[P][M]>, ErrorOf<ApiResult<paths[P][M]>>> } };
//   expectTypeOf<NoLeaks<AnyLeaks<Calls>>>().toEqualTypeOf<never>();

/** true when T is `any` (the only type that `1 & T` leaves assignable from 0). */
export type IsAny<T> = 0 extends 1 & T ? true : false;

type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8];

/**
 * Where `any` hides inside T, as paths (".payments[].amount"); `never` when nowhere. Follows
 * objects and arrays up to 8 levels down, which covers every body in our specs.
 */
export type AnyPaths<T, Path extends string = "", Level extends number = 8> =
  IsAny<T> extends true
    ? Path extends "" ? "(the whole value)" : Path
    : [Level] extends [never]
      ? never
      : T extends readonly (infer Item)[]
        ? AnyPaths<Item, `${Path}[]`, Depth[Level]>
        : T extends object
          ? { [Key in keyof T & string]-?: AnyPaths<T[Key], `${Path}.${Key}`, Depth[Level]> }[keyof T & string]
          : never;

/** One operation's result union and what `errorOf` gives for it. */
export interface Called<Result, Error> {
  result: Result;
  error: Error;
}

// Member by member: `unknown` in one member (an undocumented status) would swallow the others in a union.
type MemberLeaks<Member> = Member extends unknown
  ? | AnyPaths<Member[keyof Member & "data"], "data">
    | AnyPaths<Member[keyof Member & "error"], "error">
    | (IsAny<Member[keyof Member & "status"]> extends true ? "status" : never)
  : never;

type ErrorLeaks<Error> = Error extends unknown
  ? AnyPaths<Error[keyof Error & "body"], "errorOf(result).body"> | (IsAny<Error[keyof Error & "status"]> extends true ? "errorOf(result).status" : never)
  : never;

type CallLeaks<Call> = Call extends Called<infer Result, infer Error>
  ? IsAny<Result> extends true
    ? "the whole result"
    : MemberLeaks<Result> | ErrorLeaks<Error>
  : never;

/**
 * Every place in every operation where a user would read `any`, as
 * "get /v2/node/payment: data.amount"; `never` when there is none.
 */
export type AnyLeaks<Calls> = {
  [Path in keyof Calls & string]: {
    [Method in keyof Calls[Path] & string]: CallLeaks<Calls[Path][Method]> extends infer Leak extends string ? `${Method} ${Path}: ${Leak}` : never;
  }[keyof Calls[Path] & string];
}[keyof Calls & string];

/**
 * Passes `never` through; anything else is a compile error that quotes each leak
 * (`Type '"get /v2/node/payment: error.data"' does not satisfy the constraint 'never'`).
 */
export type NoLeaks<Leaks extends never> = Leaks;
