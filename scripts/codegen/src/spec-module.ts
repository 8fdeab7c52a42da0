// The module src/generated/<spec>/spec.ts: the spec's OpenAPI document as data, for
// `createMock(spec)` in @satbind/testing. It is its own entry point (`@satbind/<p>/spec`), so
// importing the client never loads it.
//
// The document is written as plain JSON (a readable diff) into a value typed `unknown`, then cast:
// the compiler never builds a literal type of the whole document, and users' editors see one small
// interface. The `~operations` member exists only for the compiler: it ties the data to the
// spec's generated `operations` type, which is how a mock knows each operation's statuses and bodies.
import type { ValidSpec } from "./spec.js";

export function renderSpecModule(spec: ValidSpec, source: string): string {
  const info = spec.document.info as { title?: string; version?: string } | undefined;
  const title = `${info?.title ?? "API"} ${info?.version ?? ""}`.trim();
  const json = JSON.stringify(spec.document, null, 2);
  if (json.includes('"__proto__"')) throw new Error(`${source}: a key named __proto__ cannot be written as an object literal`);
  return [
    'import type { operations } from "./schema.js";',
    "",
    `/** ${title} (${source}) as data, typed for @satbind/testing. */`,
    "export interface OpenApiSpec {",
    "  readonly openapi: string;",
    "  readonly info: { readonly title: string; readonly version: string };",
    "  readonly paths: { readonly [path: string]: unknown };",
    "  readonly [member: string]: unknown;",
    "  /** Never set at run time: the spec's operation types, read by `createMock(spec)`. */",
    '  readonly "~operations"?: operations;',
    "}",
    "",
    `const document: unknown = ${json};`,
    "",
    `/** ${title}, the whole OpenAPI document. Pass it to \`createMock\` from @satbind/testing. */`,
    "export const spec = document as OpenApiSpec;",
    "",
  ].join("\n");
}
