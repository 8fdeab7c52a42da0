// Renders everything the generator owns for one provider, in memory. Nothing here touches disk
// except reading the spec, the package's README and package.json.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import type { Manifest } from "./manifest.js";
import { operationRows, serverEntries, type OperationRow } from "./operations.js";
import { exampleProblems } from "./examples.js";
import { renderResponsesModule } from "./responses.js";
import { renderSpecModule } from "./spec-module.js";
import { loadAndValidateSpec, type SpecProblem, type ValidSpec } from "./spec.js";

/** Path relative to the repository root -> file contents. */
export type RenderedFiles = Map<string, string>;

export type RenderResult =
  | { ok: true; files: RenderedFiles; generatedDir: string }
  | { ok: false; problems: SpecProblem[] };

const README_START = "<!-- generated:operations:start -->";
const README_END = "<!-- generated:operations:end -->";

export async function renderProvider(root: string, manifest: Manifest): Promise<RenderResult> {
  const packageDir = join("packages", manifest.provider);
  const generatedDir = join(packageDir, "src", "generated");
  const files: RenderedFiles = new Map();
  const problems: SpecProblem[] = [];
  const tables: { id: string; rows: OperationRow[] }[] = [];

  for (const [id, specFile] of Object.entries(manifest.specs)) {
    const file = join(manifest.dir, specFile);
    const result = loadAndValidateSpec(file);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const badExamples = exampleProblems(result.spec);
    if (badExamples.length > 0) {
      problems.push(...badExamples);
      continue;
    }
    const source = relative(root, file);
    const header = generatedHeader(source, readFileSync(file));
    let types: string;
    try {
      types = await renderTypes(result.spec);
    } catch (err) {
      problems.push({ file, pointer: "", message: `openapi-typescript failed: ${(err as Error).message.split("\n")[0]}` });
      continue;
    }
    const rows = operationRows(result.spec);
    tables.push({ id, rows });
    files.set(join(generatedDir, id, "schema.ts"), header + types);
    files.set(join(generatedDir, id, "operations.ts"), header + renderOperationsModule(result.spec, rows));
    files.set(join(generatedDir, id, "responses.ts"), header + renderResponsesModule(result.spec));
    files.set(join(generatedDir, id, "spec.ts"), header + renderSpecModule(result.spec, source.split("\\").join("/")));
    files.set(join(generatedDir, id, "validate.ts"), header + renderValidateModule(result.spec));
  }

  const readmeFile = join(packageDir, "README.md");
  const readme = readIfExists(join(root, readmeFile));
  if (readme === undefined || !readme.includes(README_START) || !readme.includes(README_END)) {
    problems.push({
      file: join(root, readmeFile),
      pointer: "",
      message: `README needs the markers ${README_START} and ${README_END} where the operation table goes`,
    });
  }
  const packageJsonFile = join(packageDir, "package.json");
  const packageJsonText = readIfExists(join(root, packageJsonFile));
  if (packageJsonText === undefined) {
    problems.push({ file: join(root, packageJsonFile), pointer: "", message: "package.json not found: create the package first" });
  }
  if (problems.length > 0) return { ok: false, problems };

  files.set(readmeFile, replaceBetween(readme!, README_START, README_END, renderOperationTables(tables)));
  files.set(packageJsonFile, renderPackageJson(JSON.parse(packageJsonText!) as Record<string, unknown>, manifest));
  const license = readIfExists(join(root, "LICENSE"));
  // A fetched spec ships in the package (its types and ./spec): its publisher's licence travels with it.
  const upstreamLicense = manifest.source.kind === "fetched" ? readIfExists(join(manifest.dir, "upstream", "LICENSE")) : undefined;
  if (license !== undefined) {
    const notice = upstreamLicense === undefined ? "" : `\n---\n\nThe API description this package is generated from (specs/${manifest.provider}/upstream) is its publisher's, under this licence:\n\n${upstreamLicense}`;
    files.set(join(packageDir, "LICENSE"), license + notice);
  }
  return { ok: true, files, generatedDir };
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/**
 * A spec-only provider (no package yet): its specs must load and validate, their examples match, and
 * openapi-typescript must turn them into types, exactly as for a package; nothing is rendered to disk.
 */
export async function checkSpecOnly(manifest: Manifest): Promise<SpecProblem[]> {
  const problems: SpecProblem[] = [];
  for (const specFile of Object.values(manifest.specs)) {
    const file = join(manifest.dir, specFile);
    const result = loadAndValidateSpec(file);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    problems.push(...exampleProblems(result.spec));
    try {
      await renderTypes(result.spec);
    } catch (err) {
      problems.push({ file, pointer: "", message: `openapi-typescript failed: ${(err as Error).message.split("\n")[0]}` });
    }
  }
  return problems;
}

function generatedHeader(source: string, content: Buffer): string {
  const sha = createHash("sha256").update(content).digest("hex");
  return [
    `// Generated by scripts/codegen (pnpm generate) from ${source.split("\\").join("/")} (sha256 ${sha.slice(0, 16)}).`,
    "// Do not edit: change the spec and run `pnpm generate`.",
    "",
    "",
  ].join("\n");
}

async function renderTypes(spec: ValidSpec): Promise<string> {
  const ast = await openapiTS(pathToFileURL(spec.file), {
    silent: true,
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    // An object schema without properties accepts any properties, so its type must too.
    emptyObjectsUnknown: true,
    // A default says what the server assumes when a field is left out, so the field stays optional.
    defaultNonNullable: false,
  });
  return astToString(ast);
}

function renderOperationsModule(spec: ValidSpec, rows: OperationRow[]): string {
  const info = spec.document.info as { title?: string; version?: string } | undefined;
  const table = rows.map(
    (r) => `  ${key(r.operationId)}: { method: "${r.method}", path: ${JSON.stringify(r.path)}, retrySafe: ${r.retrySafe}, movesFunds: ${r.movesFunds}, auth: "${r.auth}" },`,
  );
  return [
    'import type { OperationTable, ServerList } from "@satbind/runtime";',
    "",
    `/** ${info?.title ?? "API"} ${info?.version ?? ""}: every operation, how it is sent and whether it may be retried. */`,
    "export const operationTable = {",
    ...table,
    "} as const satisfies OperationTable;",
    "",
    "/** The spec's servers; the first is the default. */",
    `export const servers = ${JSON.stringify(serverEntries(spec), null, 2)} as const satisfies ServerList;`,
    "",
    "/** The servers' URLs alone: what a client needs, without the descriptions in its bundle. */",
    `export const serverUrls = ${JSON.stringify(serverEntries(spec).map((s) => s.url))} as const;`,
    "",
    "export type OperationId = keyof typeof operationTable;",
    "",
  ].join("\n");
}

/**
 * The `validate` subpath: the response validator for this spec, which a client takes as
 * `validateResponses`. Its own entry point, so the schemas reach only the bundles that import it.
 */
function renderValidateModule(spec: ValidSpec): string {
  const info = spec.document.info as { title?: string } | undefined;
  return [
    'import { createResponseValidator, type ResponseValidator } from "@satbind/runtime/validate";',
    'import { operationTable } from "./operations.js";',
    'import { responseSchemas } from "./responses.js";',
    "",
    `/** Checks ${info?.title ?? "this API"}'s 2xx answers against the spec: \`createXClient({ validateResponses: responseValidator })\`. */`,
    "export const responseValidator: ResponseValidator = createResponseValidator(operationTable, responseSchemas);",
    "",
  ].join("\n");
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function renderOperationTables(tables: { id: string; rows: OperationRow[] }[]): string {
  const sections = tables.map(({ id, rows }) => {
    // A permission column only where the spec names scopes (BTCPay's API-key permissions), so a
    // user can make a key with exactly what they call; other tables stay as they were.
    const scoped = rows.some((r) => r.permissions.length > 0);
    const lines = [
      `| Operation | Method | Path | What it does |${scoped ? " Permission |" : ""} Retried on failure |`,
      `| --- | --- | --- | --- |${scoped ? " --- |" : ""} --- |`,
      ...rows.map(
        (r) =>
          `| \`${r.operationId}\` | ${r.method} | \`${r.path}\` | ${escapeCell(r.summary)} |${scoped ? ` ${permissionCell(r)} |` : ""} ${
            r.movesFunds ? "never: moves funds" : r.retrySafe ? "yes" : "no"
          } |`,
      ),
    ];
    return tables.length > 1 ? [`#### ${id}`, "", ...lines].join("\n") : lines.join("\n");
  });
  return "\n" + sections.join("\n\n") + "\n";
}

function permissionCell(row: OperationRow): string {
  if (row.auth === "none") return "none (no credentials)";
  if (row.permissions.length === 0) return "any valid credentials";
  return row.permissions.map((p) => p.split(" + ").map((s) => `\`${s}\``).join(" + ")).join(" or ");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

function replaceBetween(text: string, start: string, end: string, body: string): string {
  const from = text.indexOf(start) + start.length;
  const to = text.indexOf(end);
  return text.slice(0, from) + body + text.slice(to);
}

/** The package.json fields the generator owns. The version, dependencies and anything else stay as they are. */
function renderPackageJson(current: Record<string, unknown>, manifest: Manifest): string {
  const entryIds = Object.keys(manifest.specs).length > 1 ? Object.keys(manifest.specs) : [];
  const entry = (name: string) => ({
    import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
    require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
  });
  // Each spec as data (`./spec`, or `./<id>/spec` beside several entry points), for @satbind/testing;
  // built from src/generated/<id>/spec.ts, so it lands in dist/generated/<id>/spec.*.
  // Beside each spec, its response validator (`./validate`, or `./<id>/validate`), for validateResponses.
  const specEntries = Object.keys(manifest.specs).flatMap((id) =>
    ["spec", "validate"].map((name) => ({ subpath: entryIds.length > 0 ? `${id}/${name}` : name, dist: `generated/${id}/${name}` })),
  );
  const typesPaths = [...entryIds.map((id) => [id, [`./dist/${id}.d.ts`]]), ...specEntries.map((s) => [s.subpath, [`./dist/${s.dist}.d.ts`]])];
  const owned: Record<string, unknown> = {
    name: manifest.packageName,
    version: current.version ?? "0.0.0",
    description: manifest.description,
    keywords: ["bitcoin", "lightning", "openapi", "sdk", ...manifest.keywords],
    license: "MIT",
    repository: { type: "git", url: "git+https://github.com/satbind/satbind.git", directory: `packages/${manifest.provider}` },
    type: "module",
    sideEffects: false,
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: Object.fromEntries([
      [".", entry("index")],
      ...entryIds.map((id) => [`./${id}`, entry(id)]),
      ...specEntries.map((s) => [`./${s.subpath}`, entry(s.dist)]),
      ["./package.json", "./package.json"],
    ]),
    // TypeScript's old node10 resolution ignores "exports"; this lets it find the subpath types.
    typesVersions: { "*": Object.fromEntries(typesPaths) },
    files: ["dist", "README.md", "CHANGELOG.md", "LICENSE"],
    engines: { node: ">=20" },
    publishConfig: { access: "public" },
    scripts: {
      generate: `tsx ../../scripts/codegen/bin/generate.ts ${manifest.provider}`,
      build: "tsup",
      typecheck: "tsc --noEmit",
      test: "vitest run",
    },
    tsup: {
      entry: ["src/index.ts", ...entryIds.map((id) => `src/${id}.ts`), ...specEntries.map((s) => `src/${s.dist}.ts`)],
      format: ["esm", "cjs"],
      // The entry points share one copy of the package's code in CommonJS too, so an error class
      // imported from one entry is the class another entry throws, and the operation table the
      // validator checks against is the one the client was made with.
      splitting: true,
      dts: true,
      clean: true,
      target: "es2022",
    },
  };
  const rest = Object.fromEntries(Object.entries(current).filter(([key]) => !(key in owned)));
  return JSON.stringify({ ...owned, ...rest }, null, 2) + "\n";
}
