// Classifies the changes between two OpenAPI documents (3.0 or 3.1, any mix) by what they mean to
// someone using the generated SDK: major when their code or their assumptions can break, minor
// when something was added, patch when only documentation changed, none when nothing did.
//
// Direction decides most rules. What a caller SENDS (parameters, request bodies) may widen safely
// and breaks them when it narrows; what a caller READS (responses) may narrow safely and breaks
// them when it widens (a new enum value falls through an exhaustive switch, a field that may now
// be missing or null gets dereferenced). Webhooks turn this around: the caller reads the payload
// and writes the answer.
//
// Operations are compared one by one and every schema is followed through its $refs, so a change
// inside a shared component is reported once per place it is used, with the pointer it is reached
// by (through the operation), not at #/components. Documentation-only keys are compared separately
// on the raw documents, so a changed component description is reported once, where it is written.
//
// Decisions where the issue left a choice (each also noted where it is made):
// - Narrowing what callers read is minor, in every form: a removed response enum value, a
//   response type or format narrowed (number -> integer), a tightened response constraint. The
//   issue's "narrowed type or format = major" is applied to what callers send.
// - A removed error response (4xx/5xx/default) is minor; a removed 2xx response is major. A new
//   2xx response with a body is major (the SDK's `data` becomes a union); other new ones minor.
// - Servers are compared by index (the SDK exports them as a tuple): a URL replaced in its own
//   slot is minor (the default base URL moves; baseUrl is an option); a server removed, or one
//   that changed slot, is major, said loudly: clients picking a server by index point elsewhere.
// - A success status replaced by another with the same body (200 -> 201) is one change, major:
//   results narrow on the `status` literal, so `if (r.status === 200)` stops compiling.
// - Header parameters match case-insensitively (the wire), but a new spelling is major: the
//   generated `params.header` type is keyed by it.
// - Unions are compared by shape: a member that is the same schema inline or by $ref is kept, a
//   union nested in a union is flattened, and a rewrite admitting the same values is patch.
// - OpenAPI 3.0 ignores keys beside a $ref (its spec says so; openapi-typescript agrees): a change
//   to one is patch, whatever the key.
// - Deprecation, x-satbind-* behaviour flags, parameter serialisation and request defaults are
//   minor: nothing stops compiling, but what happens changes.
// - Components are exported from the SDK as named types: a removed one is major, a new one minor.
//   A change inside a component no operation uses is patch ("other-changed"), not none.
// - An operation whose path or method changed but kept its operationId is one "moved" (major).
import { toPointer, type JsonObject } from "@satbind/codegen/spec";


export type Bump = "major" | "minor" | "patch" | "none";
export interface SpecChange {
  kind: string;
  pointer: string;
  bump: Exclude<Bump, "none">;
  message: string;
}
export interface SpecDiff {
  bump: Bump;
  changes: SpecChange[];
}

export type Level = Exclude<Bump, "none">;
/** "in": the SDK user sends it (request); "out": the SDK user reads it (response). */
export type Dir = "in" | "out";

export const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

// ---------------------------------------------------------------------------------------------
// Shared plumbing

export interface Diff {
  oldDoc: JsonObject;
  newDoc: JsonObject;
  changes: SpecChange[];
}

export function report(d: Diff, bump: Level, kind: string, segs: readonly string[], message: string): void {
  d.changes.push({ kind, pointer: toPointer(segs), bump, message });
}

/** A narrowed input breaks callers who sent what is now refused; a narrowed output is safe. */
export const narrowing = (dir: Dir): Level => (dir === "in" ? "major" : "minor");
/** A widened input is safe; a widened output breaks callers who assumed the old range. */
export const widening = (dir: Dir): Level => (dir === "in" ? "minor" : "major");

export type Presence = "removed" | "added-required" | "added-optional" | "became-required" | "became-optional";

/** What a field, parameter or header appearing, disappearing or changing `required` does to a caller. */
export function presence(dir: Dir, event: Presence): Level {
  switch (event) {
    case "removed":
      return "major"; // callers send it (a type error now) or read it (undefined now)
    case "added-required":
    case "became-required":
      return dir === "in" ? "major" : "minor"; // every existing call lacks it / it is now always there
    case "added-optional":
      return "minor";
    case "became-optional":
      return dir === "in" ? "minor" : "major"; // callers assumed it present
  }
}

export function presenceWords(dir: Dir, event: Presence): string {
  switch (event) {
    case "removed":
      return "was removed";
    case "added-required":
      return dir === "in" ? "was added as required" : "was added";
    case "added-optional":
      return dir === "in" ? "was added (optional)" : "was added";
    case "became-required":
      return dir === "in" ? "became required" : "is now always present";
    case "became-optional":
      return dir === "in" ? "became optional" : "became optional (callers may find it missing)";
  }
}



/** Extensions the SDK's runtime acts on; every other x- key is documentation. */
export const BEHAVIOURAL_EXTENSIONS = new Set(["x-satbind-moves-funds", "x-satbind-retry-safe"]);

// ---------------------------------------------------------------------------------------------
// Documentation: compared on the raw documents, each change once where it is written

export const DOC_KEYS = new Set(["description", "summary", "title", "example", "examples", "externalDocs", "$comment", "xml", "tags", "bearerFormat"]);
export const ROOT_DOC_KEYS = new Set(["info", "tags", "externalDocs", "openapi", "jsonSchemaDialect"]);
/** Keys whose value maps names to objects: its keys are names (a property called "description"), not keywords. */
export const NAME_MAPS = new Set([
  "paths", "webhooks", "callbacks", "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "responses",
  "content", "headers", "links", "encoding", "variables", "securitySchemes", "schemas", "parameters", "requestBodies", "pathItems",
]);
/** Keys whose values are data or names, never documentation. */
export const NOT_DOCS = new Set(["security", "required", "enum", "const", "default", "type", "mapping", "scopes"]);

export function isDocKey(key: string): boolean {
  return DOC_KEYS.has(key) || (key.startsWith("x-") && !BEHAVIOURAL_EXTENSIONS.has(key));
}
