// What the specs:fetch tests share: an upstream document and overlays, a scratch repository and a
// loopback server per test (useFetchScratch registers them), and helpers to write providers, run
// specs:fetch, and regenerate a fetched spec as pnpm generate does.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeEach, expect } from "vitest";
import { readManifest } from "@satbind/codegen/manifest";
import { buildFetchedSpec } from "@satbind/codegen/upstream";
import { startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { specsFetch, type DescribeChanges } from "../bin/specs-fetch.js";

export const UPSTREAM = {
  openapi: "3.1.0",
  info: { title: "Shop", version: "1.0", description: "A long description that must stay on one line however long it gets, because lineWidth is 0 and nothing is folded." },
  paths: {
    "/items/{id}": {
      get: { operationId: "getItem", responses: { "200": { description: "ok" } } },
      delete: { operationId: "deleteItem", deprecated: true, responses: { "204": { description: "gone" } } },
    },
    "/pay": { post: { operationId: "pay", responses: { "200": { description: "ok" } } } },
  },
  components: { schemas: { Amount: { type: "integer", minimum: 0, maximum: 18446744073709551615n } } },
};
// JSON.stringify cannot write a BigInt; the upstream text carries the exact u64 bound.
export const UPSTREAM_JSON = JSON.stringify(UPSTREAM, (_k, v: unknown) => (typeof v === "bigint" ? `@@${v}@@` : v)).replace(/"@@(\d+)@@"/g, "$1");
export const UPSTREAM_V2 = UPSTREAM_JSON.replace('"/pay"', '"/pay/v2"');

export const FIX_OVERLAY = `overlay: 1.0.0
info: { title: Shop fixes, version: "1" }
actions:
  - target: $.paths.*[?(@.deprecated == true)]
    description: Deprecated upstream; we do not ship it.
    remove: true
  - target: $.paths['/pay'].post
    update: { x-satbind-moves-funds: true, summary: Pay }
`;
export const TAG_OVERLAY = `overlay: 1.0.0
info: { title: Tags, version: "1" }
actions:
  - target: $.paths.*.*
    update: { tags: [shop] }
`;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
export const short = (hash: string) => `${hash.slice(0, 8)}…`;

/** The scratch repository and the loopback server of the test running now. */
export const scratch = { root: "", server: undefined as unknown as TestServer };
export const logs: string[] = [];
export const errors: string[] = [];

/** Call once at the top of a test file: a fresh scratch repository and server for each test. */
export function useFetchScratch(): void {
  beforeEach(async () => {
  scratch.root = mkdtempSync(join(tmpdir(), "satbind-fetch-"));
  logs.length = 0;
  errors.length = 0;
  scratch.server = await startTestServer((x) => send(x.res, UPSTREAM_JSON));
  });
  afterEach(async () => {
    await scratch.server.close();
    rmSync(scratch.root, { recursive: true, force: true });
  });
}

export function send(res: ServerResponse, text: string, status = 200): void {
  res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** specs/<name>/ with a manifest for the given source, plus any other files (spec, overlays). */
export function writeProvider(name: string, source: object, files: Record<string, string> = {}, specFile = "openapi.yaml"): void {
  const dir = join(scratch.root, "specs", name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  const manifest = { package: `@satbind/${name}`, description: `${name} client`, source, specs: { api: specFile } };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
}

export const fetched = (hash = sha256(UPSTREAM_JSON), path = "/openapi.json") => ({ kind: "fetched", url: `${scratch.server.url}${path}`, sha256: hash });
export const handWritten = (hash = sha256(UPSTREAM_JSON)) => ({ kind: "hand-written", upstream: { url: `${scratch.server.url}/openapi.json`, sha256: hash } });

/** Every file under specs/ and its bytes: proves a failed run changed nothing and left no temp file. */
export function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(scratch.root, full)] = readFileSync(full).toString("base64");
    }
  };
  walk(join(scratch.root, "specs"));
  return out;
}

export const read = (file: string) => readFileSync(join(scratch.root, file), "utf8");
export const PRISTINE = "specs/shop/upstream/openapi.json";
export const regen = (provider = "shop") => `  run pnpm generate ${provider} to write specs/${provider}/openapi.yaml from upstream + overlays`;

/** What pnpm generate does first for a fetched spec, offline: pristine upstream + overlays -> the spec file. */
export function regenerate(provider: string): string {
  const read = readManifest(join(scratch.root, "specs"), provider, { allowMissingFetchedSpec: true });
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join("; "));
  const built = buildFetchedSpec(scratch.root, read.manifest);
  if (!built.ok) throw new Error(built.problems.map((p) => p.message).join("; "));
  writeFileSync(built.spec.specFile, built.spec.text);
  return built.spec.text;
}
export const mtime = (file: string) => statSync(join(scratch.root, file)).mtimeMs;

export const run = (providers: string[] = [], options: { update?: boolean; timeoutMs?: number; retries?: number; describeChanges?: DescribeChanges } = {}) =>
  specsFetch({
    root: scratch.root,
    providers,
    update: options.update ?? false,
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 2,
    backoffMs: 5,
    ...(options.describeChanges && { describeChanges: options.describeChanges }),
    log: (l) => logs.push(l),
    error: (l) => errors.push(l),
  });

/** Runs specs:fetch for one provider that must fail: exactly one error line, nothing logged, specs/ untouched. */
export async function expectFailure(provider: string, line: string, options: Parameters<typeof run>[1] = {}): Promise<void> {
  logs.length = 0;
  errors.length = 0;
  const before = snapshot();
  expect(await run([provider], options)).toBe(1);
  expect(errors).toEqual([line]);
  expect(logs).toEqual([]);
  expect(snapshot()).toEqual(before);
}
