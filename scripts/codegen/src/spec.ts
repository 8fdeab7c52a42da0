// Loads an OpenAPI document and checks what the generator relies on. Every problem becomes one
// SpecProblem (file, line, JSON pointer, message) so the caller can print one line per problem.
import { readFileSync, existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from "yaml";

export type JsonObject = { [key: string]: unknown };

export interface SpecProblem {
  file: string;
  line?: number;
  column?: number;
  pointer: string;
  message: string;
}

export function formatProblem(p: SpecProblem, root = process.cwd()): string {
  const where = p.line === undefined ? rel(p.file, root) : `${rel(p.file, root)}:${p.line}:${p.column ?? 1}`;
  return `${where} ${p.pointer || "#"}: ${p.message}`;
}

function rel(file: string, root: string): string {
  const r = relative(root, file);
  return r.startsWith("..") ? file : r;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A parsed source file and the means to find where a JSON pointer sits in it. */
export interface SourceFile {
  file: string;
  data: unknown;
  lineOf(pointer: string): { line: number; column: number } | undefined;
}

export type LoadResult = { ok: true; source: SourceFile } | { ok: false; problems: SpecProblem[] };

export function loadSource(file: string): LoadResult {
  if (!existsSync(file)) {
    return { ok: false, problems: [{ file, pointer: "", message: "file not found" }] };
  }
  const text = readFileSync(file, "utf8");
  const lineCounter = new LineCounter();
  const isJson = file.endsWith(".json");
  if (isJson) {
    // YAML would accept some invalid JSON (comments, unquoted keys); JSON files get JSON's rules.
    try {
      JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      const at = /position (\d+)/.exec(message);
      const pos = at ? lineColumn(text, Number(at[1])) : undefined;
      return {
        ok: false,
        problems: [{ file, ...pos, pointer: "", message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}` }],
      };
    }
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, pointer: "", message: `invalid YAML: ${firstLine(e.message)}` };
      }),
    };
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  return {
    ok: true,
    source: {
      file,
      data,
      lineOf(pointer) {
        const node = nodeAt(doc.contents, parsePointer(pointer));
        if (!node?.range) return undefined;
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      },
    },
  };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** The node a pointer names: a scalar value itself, or the key of an object or list (where a reader looks). */
function nodeAt(node: unknown, segments: string[]): YamlNode | undefined {
  let current = node as YamlNode | null | undefined;
  let keyNode: YamlNode | undefined;
  for (const segment of segments) {
    if (isMap(current)) {
      const pair = current.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
      if (!pair) return keyNode;
      keyNode = (pair.key as YamlNode) ?? keyNode;
      current = pair.value as YamlNode;
    } else if (isSeq(current)) {
      current = current.items[Number(segment)] as YamlNode;
    } else {
      return keyNode;
    }
  }
  if (isMap(current) || isSeq(current)) return keyNode ?? current;
  return current ?? keyNode;
}

export function parsePointer(pointer: string): string[] {
  const body = pointer.startsWith("#") ? pointer.slice(1) : pointer;
  if (body === "" || body === "/") return body === "/" ? [""] : [];
  return body
    .slice(1)
    .split("/")
    .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function toPointer(segments: readonly (string | number)[]): string {
  return "#" + segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function getAt(data: unknown, segments: readonly string[]): unknown {
  let current = data;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as JsonObject)[segment];
  }
  return current;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface OperationInfo {
  operationId: string;
  method: HttpMethod;
  path: string;
  pointer: string;
  operation: JsonObject;
}

export interface ValidSpec {
  file: string;
  document: JsonObject;
  version: "3.0" | "3.1";
  operations: OperationInfo[];
}

export type ValidateResult = { ok: true; spec: ValidSpec } | { ok: false; problems: SpecProblem[] };

/** Loads a spec file and checks: version, paths, operationIds (present, unique), and that every $ref resolves. */
export function loadAndValidateSpec(file: string): ValidateResult {
  const loaded = loadSource(file);
  if (!loaded.ok) return loaded;
  const { source } = loaded;
  const problems: SpecProblem[] = [];
  const report = (src: SourceFile, pointer: string, message: string) =>
    problems.push({ file: src.file, ...src.lineOf(pointer), pointer, message });

  const document = source.data;
  if (!isObject(document)) {
    report(source, "", "not an OpenAPI document: expected an object at the top level");
    return { ok: false, problems };
  }
  let version: "3.0" | "3.1" | undefined;
  if (typeof document.swagger === "string") {
    report(source, "#/swagger", `unsupported OpenAPI version "swagger: ${document.swagger}" (expected openapi 3.0.x or 3.1.x)`);
  } else if (document.openapi === undefined) {
    report(source, "", 'missing "openapi" version field (expected 3.0.x or 3.1.x)');
  } else {
    const match = /^3\.([01])\.\d+$/.exec(String(document.openapi));
    if (match) version = match[1] === "0" ? "3.0" : "3.1";
    else report(source, "#/openapi", `unsupported OpenAPI version "${String(document.openapi)}" (expected 3.0.x or 3.1.x)`);
  }

  const operations: OperationInfo[] = [];
  const paths = document.paths;
  if (paths === undefined) {
    report(source, "", 'missing "paths" object');
  } else if (!isObject(paths)) {
    report(source, "#/paths", '"paths" must be an object');
  } else {
    const seen = new Map<string, string>();
    for (const [path, item] of Object.entries(paths)) {
      const itemPointer = toPointer(["paths", path]);
      if (!path.startsWith("/")) report(source, itemPointer, `path "${path}" must start with "/"`);
      if (!isObject(item)) {
        report(source, itemPointer, "path item must be an object");
        continue;
      }
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (operation === undefined) continue;
        const pointer = toPointer(["paths", path, method]);
        if (!isObject(operation)) {
          report(source, pointer, "operation must be an object");
          continue;
        }
        const id = operation.operationId;
        if (id === undefined) {
          // An upstream spec is not ours to edit: the fix is an overlay action, spelt out here.
          const target = `$.paths['${path}'].${method}`;
          report(source, pointer, `missing operationId on ${method.toUpperCase()} ${path}; add one with an overlay action in specs/<provider>/overlays/: { target: "${target}", update: { operationId: ${suggestOperationId(method, path)} } }`);
          continue;
        }
        if (typeof id !== "string" || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id)) {
          report(source, pointer + "/operationId", `operationId ${JSON.stringify(id)} is not a usable name (letters, digits, _ . -)`);
          continue;
        }
        const first = seen.get(id);
        if (first) {
          report(source, pointer + "/operationId", `duplicate operationId "${id}" (first used at ${first})`);
          continue;
        }
        seen.set(id, pointer);
        operations.push({ operationId: id, method, path, pointer, operation });
      }
    }
  }

  checkRefs(source, problems);
  if (problems.length > 0 || !version) return { ok: false, problems };
  return { ok: true, spec: { file, document, version, operations } };
}

/** Every $ref must resolve: local pointers in the same file, or relative files (which are checked too). */
function checkRefs(root: SourceFile, problems: SpecProblem[]): void {
  const sources = new Map<string, SourceFile | null>([[resolve(root.file), root]]);
  const queue: SourceFile[] = [root];
  while (queue.length > 0) {
    const source = queue.shift()!;
    walk(source.data, [], (ref, at) => {
      const pointer = toPointer([...at, "$ref"]);
      const fail = (message: string) => problems.push({ file: source.file, ...source.lineOf(pointer), pointer, message });
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
        fail(`$ref "${ref}" points outside the repository; only local and relative file references are supported`);
        return;
      }
      const [filePart, fragment = ""] = ref.split("#", 2) as [string, string?];
      let target: SourceFile | null | undefined = source;
      if (filePart !== "") {
        const targetFile = resolve(dirname(source.file), filePart);
        target = sources.get(targetFile);
        if (target === undefined) {
          if (!existsSync(targetFile)) {
            fail(`$ref "${ref}" cannot be resolved: ${filePart} not found`);
            return;
          }
          const loaded = loadSource(targetFile);
          target = loaded.ok ? loaded.source : null;
          // A file that does not parse is reported once, by its own parse problems.
          if (!loaded.ok) problems.push(...loaded.problems);
          else queue.push(loaded.source);
          sources.set(targetFile, target);
        }
        if (target === null) return;
      }
      if (getAt(target.data, parsePointer(fragment)) === undefined) {
        fail(`$ref "${ref}" does not resolve: nothing at #${fragment} in ${filePart || "this file"}`);
      }
    });
  }
}

function walk(value: unknown, at: string[], onRef: (ref: string, at: string[]) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...at, String(i)], onRef));
  } else if (isObject(value)) {
    if (typeof value.$ref === "string") onRef(value.$ref, at);
    const inExampleObject = at.length >= 2 && at[at.length - 2] === "examples";
    for (const [key, child] of Object.entries(value)) {
      // Example payloads are data: a "$ref" key inside one is not a reference.
      if (key === "example" || (key === "examples" && Array.isArray(child)) || (inExampleObject && key === "value")) continue;
      walk(child, [...at, key], onRef);
    }
  }
}

/** A name for an operation without one: the method and the path's words, e.g. GET /items/{id} -> getItemsId. */
export function suggestOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}
