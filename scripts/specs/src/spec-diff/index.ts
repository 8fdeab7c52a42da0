// The entry point of the spec diff: diffSpecs runs every comparison (rules.ts says what each bump
// means and why), releaseBump applies semver's 0.x convention, loadSpecFile reads a spec for it.
import { formatProblem, isObject, loadSource } from "@satbind/codegen/spec";
import { catchAll, compareComponents, walkDocs } from "./document.js";
import { compareGlobalSecurity, compareOperations, compareSecuritySchemes, compareServers } from "./operations.js";
import { type Bump, type Diff, RANK, type SpecDiff } from "./rules.js";

export type { Bump, SpecChange, SpecDiff } from "./rules.js";

/** Compares two parsed OpenAPI documents (3.0 or 3.1, any mix). `pointer` is a JSON pointer into the NEW document (or the old one for removals), e.g. "#/paths/~1pay/post/requestBody/content/application~1json/schema/properties/amount". */
export function diffSpecs(oldDoc: unknown, newDoc: unknown): SpecDiff {
  if (!isObject(oldDoc) || !isObject(newDoc)) throw new TypeError("diffSpecs: both documents must be parsed OpenAPI objects");
  const d: Diff = { oldDoc, newDoc, changes: [] };
  compareGlobalSecurity(d);
  compareSecuritySchemes(d);
  compareServers(d);
  compareOperations(d);
  compareComponents(d);
  walkDocs(d, oldDoc, newDoc, [], false);
  catchAll(d);

  const seen = new Set<string>();
  const changes = d.changes
    .filter((c) => {
      const key = `${c.kind}\0${c.pointer}\0${c.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => RANK[b.bump] - RANK[a.bump]);
  const bump = changes.reduce<Bump>((top, c) => (RANK[c.bump] > RANK[top] ? c.bump : top), "none");
  return { bump, changes };
}

/** semver's 0.x convention: below 1.0.0 a breaking change bumps the minor. Returns the bump to release and, when it was lowered, a sentence saying so (e.g. "@satbind/x is below 1.0.0 (0.3.1): a major change is released as a minor bump, as semver's 0.x convention does"). */
export function releaseBump(bump: Bump, packageVersion: string, packageName?: string): { bump: Bump; note?: string } {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(packageVersion.trim());
  if (!match) throw new Error(`"${packageVersion}" is not a semver version (expected e.g. 1.2.3)`);
  // Only the major is lowered, as the issue asks; minor and patch keep their meaning below 1.0.0.
  if (bump !== "major" || Number(match[1]) > 0) return { bump };
  const who = packageName ?? "The package";
  return { bump: "minor", note: `${who} is below 1.0.0 (${packageVersion}): a major change is released as a minor bump, as semver's 0.x convention does` };
}

/** Loads a YAML or JSON spec file into a plain object; throws an Error with a one-line message naming the file on failure. */
export function loadSpecFile(file: string): unknown {
  let loaded: ReturnType<typeof loadSource>;
  try {
    loaded = loadSource(file);
  } catch (err) {
    throw new Error(`${file}: cannot be read: ${firstLine((err as Error).message)}`);
  }
  if (!loaded.ok) {
    const [first, ...more] = loaded.problems;
    throw new Error(`${first ? formatProblem(first) : `${file}: cannot be parsed`}${more.length > 0 ? ` (and ${more.length} more)` : ""}`);
  }
  const data = loaded.source.data;
  if (!isObject(data)) throw new Error(`${file}: not an OpenAPI document (expected an object at the top level)`);
  if (typeof data.openapi !== "string" || !/^3\.[01]\.\d+/.test(data.openapi)) {
    const found = data.swagger !== undefined ? `swagger: ${String(data.swagger)}` : `openapi: ${JSON.stringify(data.openapi ?? null)}`;
    throw new Error(`${file}: not an OpenAPI 3.0 or 3.1 document (${found})`);
  }
  return data;
}

export function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}
