// specs:fetch against a real HTTP server on loopback and a scratch repository: every way a download
// or an upstream document can be wrong gives one line naming the provider and leaves specs/ exactly
// as it was; a good upstream is kept pristine (generate overlays it offline), and a hand-written spec
// is never written.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchSpec, writeFetchedSpec } from "../lib/fetch-spec.js";
import { readManifest } from "../lib/manifest.js";
import { buildFetchedSpec } from "../lib/upstream.js";
import { closedPort, hang, json, reset, startTestServer, truncated, type TestServer } from "../lib/test-server.js";
import { main, specsFetch, type DescribeChanges } from "../specs-fetch.js";

const UPSTREAM = {
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
const UPSTREAM_JSON = JSON.stringify(UPSTREAM, (_k, v: unknown) => (typeof v === "bigint" ? `@@${v}@@` : v)).replace(/"@@(\d+)@@"/g, "$1");
const UPSTREAM_V2 = UPSTREAM_JSON.replace('"/pay"', '"/pay/v2"');

const FIX_OVERLAY = `overlay: 1.0.0
info: { title: Shop fixes, version: "1" }
actions:
  - target: $.paths.*[?(@.deprecated == true)]
    description: Deprecated upstream; we do not ship it.
    remove: true
  - target: $.paths['/pay'].post
    update: { x-satbind-moves-funds: true, summary: Pay }
`;
const TAG_OVERLAY = `overlay: 1.0.0
info: { title: Tags, version: "1" }
actions:
  - target: $.paths.*.*
    update: { tags: [shop] }
`;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const short = (hash: string) => `${hash.slice(0, 8)}…`;

let root: string;
let server: TestServer;
const logs: string[] = [];
const errors: string[] = [];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "satbind-fetch-"));
  logs.length = 0;
  errors.length = 0;
  server = await startTestServer((x) => send(x.res, UPSTREAM_JSON));
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function send(res: ServerResponse, text: string, status = 200): void {
  res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** specs/<name>/ with a manifest for the given source, plus any other files (spec, overlays). */
function writeProvider(name: string, source: object, files: Record<string, string> = {}, specFile = "openapi.yaml"): void {
  const dir = join(root, "specs", name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  const manifest = { package: `@satbind/${name}`, description: `${name} client`, source, specs: { api: specFile } };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
}

const fetched = (hash = sha256(UPSTREAM_JSON), path = "/openapi.json") => ({ kind: "fetched", url: `${server.url}${path}`, sha256: hash });
const handWritten = (hash = sha256(UPSTREAM_JSON)) => ({ kind: "hand-written", upstream: { url: `${server.url}/openapi.json`, sha256: hash } });

/** Every file under specs/ and its bytes: proves a failed run changed nothing and left no temp file. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full)] = readFileSync(full).toString("base64");
    }
  };
  walk(join(root, "specs"));
  return out;
}

const read = (file: string) => readFileSync(join(root, file), "utf8");
const PRISTINE = "specs/shop/upstream/openapi.json";
const regen = (provider = "shop") => `  run pnpm generate ${provider} to write specs/${provider}/openapi.yaml from upstream + overlays`;

/** What pnpm generate does first for a fetched spec, offline: pristine upstream + overlays -> the spec file. */
function regenerate(provider: string): string {
  const read = readManifest(join(root, "specs"), provider, { allowMissingFetchedSpec: true });
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join("; "));
  const built = buildFetchedSpec(root, read.manifest);
  if (!built.ok) throw new Error(built.problems.map((p) => p.message).join("; "));
  writeFileSync(built.spec.specFile, built.spec.text);
  return built.spec.text;
}
const mtime = (file: string) => statSync(join(root, file)).mtimeMs;

const run = (providers: string[] = [], options: { update?: boolean; timeoutMs?: number; retries?: number; describeChanges?: DescribeChanges } = {}) =>
  specsFetch({
    root,
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
async function expectFailure(provider: string, line: string, options: Parameters<typeof run>[1] = {}): Promise<void> {
  logs.length = 0;
  errors.length = 0;
  const before = snapshot();
  expect(await run([provider], options)).toBe(1);
  expect(errors).toEqual([line]);
  expect(logs).toEqual([]);
  expect(snapshot()).toEqual(before);
}

describe("download failures: one line, bounded retries, nothing written", () => {
  beforeEach(() => writeProvider("shop", fetched(), { "openapi.yaml": "openapi: 3.1.0\n# our last good copy\n" }));

  it("connection refused: retried, then given up", async () => {
    const port = await closedPort();
    writeProvider("shop", { ...fetched(), url: `http://127.0.0.1:${port}/openapi.json` });
    await expectFailure("shop", "shop: download failed after 3 attempts: connection refused");
  });

  it("a 5xx, then success: retried and written", async () => {
    server.handle((x) => (x.index === 1 ? json(x.res, 503, { error: "busy" }) : send(x.res, UPSTREAM_JSON)));
    expect(await run(["shop"])).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(errors).toEqual([]);
    expect(logs).toEqual([`shop: wrote ${PRISTINE} (sha256 ${short(sha256(UPSTREAM_JSON))})`, regen()]);
    expect(read(PRISTINE)).toBe(UPSTREAM_JSON);
  });

  it("a 429, then success: retried", async () => {
    server.handle((x) => (x.index === 1 ? json(x.res, 429, { error: "slow down" }) : send(x.res, UPSTREAM_JSON)));
    expect(await run(["shop"])).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it("a 5xx every time: gives up after 1 + retries attempts", async () => {
    server.handle((x) => json(x.res, 503, { error: "down" }));
    await expectFailure("shop", "shop: download failed after 3 attempts: HTTP 503");
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.method === "GET" && r.url === "/openapi.json")).toBe(true);
  });

  it("a 404 is not retried", async () => {
    server.handle((x) => json(x.res, 404, { error: "moved" }));
    await expectFailure("shop", "shop: download failed: HTTP 404");
    expect(server.requests).toHaveLength(1);
  });

  it("a server that never answers: timed out, each attempt", async () => {
    server.handle(() => hang());
    await expectFailure("shop", "shop: download failed after 2 attempts: timed out after 200 ms", { timeoutMs: 200, retries: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it("a body that stalls half-way: the timeout covers the body too", async () => {
    server.handle((x) => truncated(x.res, UPSTREAM_JSON.slice(0, 100), "hang"));
    await expectFailure("shop", "shop: download failed: timed out after 200 ms", { timeoutMs: 200, retries: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it("a truncated body (Content-Length larger than what arrives, then a reset)", async () => {
    const part = UPSTREAM_JSON.slice(0, 120);
    server.handle((x) => truncated(x.res, part, "reset"));
    await expectFailure("shop", "shop: download failed after 3 attempts: truncated: got 120 of 240 bytes");
    expect(server.requests).toHaveLength(3);
  });

  it("a reset before any answer counts as a connection error and is retried", async () => {
    server.handle((x) => (x.index === 1 ? reset(x.res) : send(x.res, UPSTREAM_JSON)));
    expect(await run(["shop"])).toBe(0);
    expect(errors).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("bad upstream documents: one line, nothing written", () => {
  /** Pins whatever the server will send, so the failure is about the content, not the hash. */
  function serve(text: string): void {
    server.handle((x) => send(x.res, text));
    writeProvider("shop", fetched(sha256(text)), { "openapi.yaml": "openapi: 3.1.0\n# our last good copy\n" });
  }

  it("a sha256 mismatch", async () => {
    writeProvider("shop", fetched(sha256("what we pinned")), { "openapi.yaml": "openapi: 3.1.0\n" });
    await expectFailure("shop", `shop: sha256 mismatch: pinned ${short(sha256("what we pinned"))}, got ${short(sha256(UPSTREAM_JSON))} (run with --update to accept)`);
    expect(server.requests).toHaveLength(1);
  });

  it("a body that is neither YAML nor JSON", async () => {
    serve('{"openapi": "3.1.0", "paths": {');
    await expectFailure("shop", "shop: not YAML or JSON: Expected property name or '}' at line 1, column 32");
    serve("openapi: 3.1.0\npaths:\n  /a: [unclosed\n");
    await expectFailure("shop", "shop: not YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 4, column 1");
  });

  it("an HTML page instead of the raw file", async () => {
    serve("<!DOCTYPE html>\n<html><body>Sign in</body></html>\n");
    await expectFailure("shop", "shop: not YAML or JSON: the body is HTML or XML (does the url name a web page rather than the raw file?)");
  });

  it.each([
    ["a Swagger 2.0 document", { swagger: "2.0", info: { title: "x", version: "1" }, paths: {} }, "Swagger 2.0 (expected openapi 3.0.x or 3.1.x)"],
    ["a random object", { hello: "world" }, 'no "openapi" field'],
    ["an OpenAPI version we do not read", { openapi: "4.0.0", paths: {} }, "unsupported version 4.0.0 (expected openapi 3.0.x or 3.1.x)"],
    ["no paths", { openapi: "3.1.0", info: { title: "x", version: "1" }, webhooks: {} }, 'no "paths" object'],
    ["a list", [1, 2], "expected an object at the top level, got an array"],
  ])("JSON that is not OpenAPI: %s", async (_name, body, reason) => {
    serve(JSON.stringify(body));
    await expectFailure("shop", `shop: not an OpenAPI document: ${reason}`);
  });
});

describe("overlay failures: one line naming the overlay, the action and the target", () => {
  it("a target that selects nothing: the upstream changed under the fix", async () => {
    writeProvider("shop", fetched(), {
      "openapi.yaml": "openapi: 3.1.0\n",
      "overlays/10-fix.yaml": FIX_OVERLAY,
      "overlays/20-gone.yaml": "overlay: 1.0.0\ninfo: { title: t, version: '1' }\nactions:\n  - target: $.info\n    update: { x-a: 1 }\n  - target: $.paths['/refund'].post\n    update: { summary: Refund }\n",
    });
    await expectFailure(
      "shop",
      "shop: specs/shop/overlays/20-gone.yaml:6:13 #/actions/1/target: target $.paths['/refund'].post selects nothing; the upstream changed and this fix no longer applies",
    );
  });

  it("a broken overlay file fails before anything is downloaded", async () => {
    writeProvider("shop", fetched(), { "openapi.yaml": "openapi: 3.1.0\n", "overlays/10-fix.yaml": "overlay: 1.0.0\nactions: [unclosed\n" });
    await expectFailure("shop", "shop: specs/shop/overlays/10-fix.yaml:3:1 #: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]");
    expect(server.requests).toHaveLength(0);
  });

  it("an overlay of the wrong shape: every problem, still one line", async () => {
    writeProvider("shop", fetched(), { "openapi.yaml": "openapi: 3.1.0\n", "overlays/10-fix.yaml": "overlay: 1.0.0\ninfo: { title: t, version: '1' }\nactions:\n  - target: paths\n    remove: 'yes'\n" });
    await expectFailure(
      "shop",
      'shop: specs/shop/overlays/10-fix.yaml:4:13 #/actions/0/target: expected a JSONPath string starting with "$"; specs/shop/overlays/10-fix.yaml:5:13 #/actions/0/remove: expected true or false',
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("good upstreams", () => {
  it("the upstream is kept byte for byte; generate overlays it in file-name order, offline", async () => {
    writeProvider("shop", fetched(), { "overlays/20-tags.yaml": TAG_OVERLAY, "overlays/10-fix.yaml": FIX_OVERLAY, "overlays/README.md": "not an overlay" });
    expect(await run(["shop"])).toBe(0);
    expect(errors).toEqual([]);
    expect(logs).toEqual([`shop: wrote ${PRISTINE} (sha256 ${short(sha256(UPSTREAM_JSON))})`, regen()]);
    expect(read(PRISTINE)).toBe(UPSTREAM_JSON);
    await server.close();
    const text = regenerate("shop");
    expect(text.split("\n").slice(0, 3)).toEqual([
      `# Generated by pnpm generate from ${PRISTINE} (sha256 ${short(sha256(UPSTREAM_JSON))})`,
      "# with specs/shop/overlays/10-fix.yaml, specs/shop/overlays/20-tags.yaml applied.",
      "# Do not edit: fix upstream problems with an overlay in the overlays/ directory beside this file.",
    ]);
    // Upstream key order, 2-space indentation, long lines unfolded, the u64 bound exact.
    expect(text).toContain("\ninfo:\n  title: Shop\n  version: \"1.0\"\n  description: A long description that must stay on one line however long it gets, because lineWidth is 0 and nothing is folded.\n");
    expect(text).toContain("maximum: 18446744073709551615\n");
    const doc = parse(text);
    expect(Object.keys(doc)).toEqual(["openapi", "info", "paths", "components"]);
    // 10-fix removed the deprecated operation and marked pay; 20-tags then saw only what was left.
    expect(doc.paths["/items/{id}"]).toEqual({ get: { operationId: "getItem", responses: { "200": { description: "ok" } }, tags: ["shop"] } });
    expect(doc.paths["/pay"].post).toEqual({ operationId: "pay", responses: { "200": { description: "ok" } }, "x-satbind-moves-funds": true, summary: "Pay", tags: ["shop"] });
    // The manifest is not touched when the pin holds.
    expect(JSON.parse(read("specs/shop/manifest.json")).source.sha256).toBe(sha256(UPSTREAM_JSON));
  });

  it("up to date: nothing written, mtimes unchanged", async () => {
    writeProvider("shop", fetched(), { "overlays/10-fix.yaml": FIX_OVERLAY });
    expect(await run(["shop"])).toBe(0);
    regenerate("shop");
    const before = snapshot();
    const times = [mtime(PRISTINE), mtime("specs/shop/openapi.yaml"), mtime("specs/shop/manifest.json")];
    logs.length = 0;
    expect(await run(["shop"])).toBe(0);
    expect(logs).toEqual([`shop: up to date (sha256 ${short(sha256(UPSTREAM_JSON))})`]);
    expect([mtime(PRISTINE), mtime("specs/shop/openapi.yaml"), mtime("specs/shop/manifest.json")]).toEqual(times);
    expect(snapshot()).toEqual(before);
    const result = await fetchSpec({ root, provider: "shop" });
    expect(result).toMatchObject({ changed: false, upToDate: true, specStale: false, previousSha256: sha256(UPSTREAM_JSON), sha256: sha256(UPSTREAM_JSON) });
    expect(writeFetchedSpec(result)).toEqual([]);
  });

  it("a hand edit of the pristine upstream is refused offline and put back by a fetch (fixes belong in overlays)", async () => {
    writeProvider("shop", fetched());
    await run(["shop"]);
    writeFileSync(join(root, PRISTINE), UPSTREAM_JSON.replace('"title":"Shop"', '"title":"Mine"'));
    expect(() => regenerate("shop")).toThrow(
      `sha256 ${short(sha256(UPSTREAM_JSON.replace('"title":"Shop"', '"title":"Mine"')))} does not match the pin ${short(sha256(UPSTREAM_JSON))} in manifest.json: the pristine upstream must not be edited (fix it with an overlay in overlays/); to accept a new upstream run pnpm specs:fetch shop --update`,
    );
    logs.length = 0;
    expect(await run(["shop"])).toBe(0);
    expect(logs).toEqual([`shop: wrote ${PRISTINE} (sha256 ${short(sha256(UPSTREAM_JSON))})`, regen()]);
    expect(read(PRISTINE)).toBe(UPSTREAM_JSON);
    // A hand edit of the generated spec is drift: specs:fetch says generate will put it back.
    regenerate("shop");
    writeFileSync(join(root, "specs/shop/openapi.yaml"), read("specs/shop/openapi.yaml").replace("title: Shop", "title: Mine"));
    logs.length = 0;
    expect(await run(["shop"])).toBe(0);
    expect(logs).toEqual([`shop: up to date (sha256 ${short(sha256(UPSTREAM_JSON))})`, regen()]);
  });

  it("--update re-pins the manifest, refreshes the pristine copy and says what the spec would change", async () => {
    writeProvider("shop", fetched(), { "overlays/10-fix.yaml": FIX_OVERLAY });
    await run(["shop"]);
    const oldText = regenerate("shop");
    server.handle((x) => send(x.res, UPSTREAM_V2));
    // The fix overlay targets /pay, which v2 renamed: even --update refuses, and writes nothing.
    const before = snapshot();
    expect(await run(["shop"], { update: true })).toBe(1);
    expect(errors).toEqual([
      "shop: specs/shop/overlays/10-fix.yaml:7:13 #/actions/1/target: target $.paths['/pay'].post selects nothing; the upstream changed and this fix no longer applies",
    ]);
    expect(snapshot()).toEqual(before);

    writeFileSync(join(root, "specs/shop/overlays/10-fix.yaml"), FIX_OVERLAY.replace("$.paths['/pay'].post", "$.paths['/pay/v2'].post"));
    logs.length = 0;
    errors.length = 0;
    const calls: [unknown, unknown][] = [];
    const describeChanges: DescribeChanges = (oldDoc, newDoc) => {
      calls.push([oldDoc, newDoc]);
      return ["removed POST /pay", "added POST /pay/v2"];
    };
    // Without --update the new upstream is refused.
    expect(await run(["shop"], { describeChanges })).toBe(1);
    expect(errors).toEqual([`shop: sha256 mismatch: pinned ${short(sha256(UPSTREAM_JSON))}, got ${short(sha256(UPSTREAM_V2))} (run with --update to accept)`]);
    errors.length = 0;
    expect(await run(["shop"], { update: true, describeChanges })).toBe(0);
    expect(errors).toEqual([]);
    expect(logs).toEqual([
      `shop: sha256 ${short(sha256(UPSTREAM_JSON))} -> ${short(sha256(UPSTREAM_V2))}; wrote specs/shop/manifest.json, ${PRISTINE}`,
      "  removed POST /pay",
      "  added POST /pay/v2",
      regen(),
    ]);
    const manifestText = read("specs/shop/manifest.json");
    expect(manifestText).toBe(
      JSON.stringify({ package: "@satbind/shop", description: "shop client", source: { kind: "fetched", url: `${server.url}/openapi.json`, sha256: sha256(UPSTREAM_V2) }, specs: { api: "openapi.yaml" } }, null, 2) + "\n",
    );
    expect(read(PRISTINE)).toBe(UPSTREAM_V2);
    // The spec file is generate's to write; specs:fetch left it alone.
    expect(read("specs/shop/openapi.yaml")).toBe(oldText);
    const newDoc = parse(regenerate("shop"));
    expect(Object.keys(newDoc.paths)).toEqual(["/items/{id}", "/pay/v2"]);
    // describeChanges saw the spec as it was on disk and as generate will make it.
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toEqual(parse(oldText));
    expect(calls[0]![1]).toEqual(newDoc);

    // And now it is the pin.
    logs.length = 0;
    expect(await run(["shop"])).toBe(0);
    expect(logs).toEqual([`shop: up to date (sha256 ${short(sha256(UPSTREAM_V2))})`]);
  });

  it("a hand-written spec with an upstream: checked, re-pinned with --update, but never written", async () => {
    const ours = "openapi: 3.1.0\ninfo: { title: Ours, version: '1' }\npaths:\n  /items/{id}:\n    get: { operationId: getItem, responses: { '200': { description: ok } } }\n";
    writeProvider("uma", handWritten(), { "openapi.yaml": ours });
    const before = snapshot();
    const times = [mtime("specs/uma/openapi.yaml"), mtime("specs/uma/manifest.json")];
    expect(await run(["uma"])).toBe(0);
    expect(logs).toEqual([`uma: up to date (sha256 ${short(sha256(UPSTREAM_JSON))})`]);
    expect(snapshot()).toEqual(before);
    expect([mtime("specs/uma/openapi.yaml"), mtime("specs/uma/manifest.json")]).toEqual(times);

    // fetchSpec hands back the upstream for comparing with ours, and has nowhere to write it.
    const result = await fetchSpec({ root, provider: "uma" });
    expect(result).toMatchObject({ kind: "hand-written", specFile: undefined, upToDate: true, parts: [] });
    expect(Object.keys(result.document.paths as object)).toEqual(["/items/{id}", "/pay"]);
    expect(result.current?.document).toEqual(parse(ours));

    server.handle((x) => send(x.res, UPSTREAM_V2));
    logs.length = 0;
    expect(await run(["uma"])).toBe(1);
    expect(errors).toEqual([`uma: sha256 mismatch: pinned ${short(sha256(UPSTREAM_JSON))}, got ${short(sha256(UPSTREAM_V2))} (run with --update to accept)`]);
    expect(snapshot()).toEqual(before);

    const describeChanges: DescribeChanges = (oldDoc, newDoc) => {
      const paths = (d: unknown) => Object.keys((d as { paths: object }).paths);
      return paths(newDoc).filter((p) => !paths(oldDoc).includes(p)).map((p) => `upstream has ${p}`);
    };
    expect(await run(["uma"], { update: true, describeChanges })).toBe(0);
    expect(logs).toEqual([
      `uma: upstream sha256 ${short(sha256(UPSTREAM_JSON))} -> ${short(sha256(UPSTREAM_V2))}; wrote specs/uma/manifest.json (the hand-written spec is not touched)`,
      "  upstream compared with specs/uma/openapi.yaml:",
      "    upstream has /pay/v2",
    ]);
    expect(read("specs/uma/openapi.yaml")).toBe(ours);
    expect(readdirSync(join(root, "specs/uma")).sort()).toEqual(["manifest.json", "openapi.yaml"]);
    expect(JSON.parse(read("specs/uma/manifest.json")).source).toEqual({ kind: "hand-written", upstream: { url: `${server.url}/openapi.json`, sha256: sha256(UPSTREAM_V2) } });
  });

  it("a write that fails half-way leaves the pristine copy and the manifest as they were", async () => {
    writeProvider("shop", fetched());
    await run(["shop"]);
    server.handle((x) => send(x.res, UPSTREAM_V2));
    // Something in the way of the pristine copy's temp file: the manifest's temp file is written first, then this fails.
    const blocker = join(root, `${PRISTINE}.satbind-tmp-${process.pid}`);
    mkdirSync(blocker);
    const before = snapshot();
    logs.length = 0;
    expect(await run(["shop"], { update: true })).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^shop: could not write: EISDIR: illegal operation on a directory/);
    expect(logs).toEqual([]);
    expect(snapshot()).toEqual(before);
    expect(readdirSync(join(root, "specs/shop/upstream")).sort()).toEqual(["openapi.json", "openapi.json.satbind-tmp-" + process.pid]);
    expect(readdirSync(join(root, "specs/shop")).sort()).toEqual(["manifest.json", "upstream"]);
    rmSync(blocker, { recursive: true });
  });

  it("a first fetch: neither the pristine copy nor the spec file exists yet", async () => {
    writeProvider("shop", fetched());
    expect(await run(["shop"])).toBe(0);
    expect(parse(regenerate("shop")).paths).toHaveProperty("/pay");
  });

  it("reads YAML upstreams too, and keeps their key order", async () => {
    const yamlText = "openapi: 3.0.3\ninfo:\n  version: '2'\n  title: Y\npaths:\n  /b: {}\n  /a: {}\nservers: [{ url: 'https://y.example' }]\n";
    server.handle((x) => send(x.res, yamlText));
    writeProvider("shop", fetched(sha256(yamlText), "/openapi.yaml"));
    expect(await run(["shop"])).toBe(0);
    expect(read("specs/shop/upstream/openapi.yaml")).toBe(yamlText);
    const text = regenerate("shop");
    expect(text.slice(text.indexOf("openapi:"))).toBe('openapi: 3.0.3\ninfo:\n  version: "2"\n  title: Y\npaths:\n  /b: {}\n  /a: {}\nservers:\n  - url: https://y.example\n');
  });

  it("YAML is never written into a .json file: refused with the file named, nothing written", async () => {
    const yamlText = "openapi: 3.0.3\ninfo: { version: '2', title: Y }\npaths: {}\n";
    server.handle((x) => send(x.res, yamlText));
    writeProvider("shop", fetched(sha256(yamlText)));
    await expectFailure(
      "shop",
      `shop: ${PRISTINE}: the upstream at ${server.url}/openapi.json is YAML, not JSON; name the file .yaml ("file" in manifest.json), so a .json file never holds YAML`,
    );
  });

  it("a spec file named .json is generated as JSON", async () => {
    writeProvider("shop", fetched(), {}, "openapi.json");
    await run(["shop"]);
    const text = regenerate("shop");
    expect(JSON.parse(read("specs/shop/openapi.json"))).toEqual(JSON.parse(text));
    expect(text).toContain('"maximum": 18446744073709551615');
  });

  it("several upstream files are kept apart and deep-merged in order by generate", async () => {
    const base = JSON.stringify({ openapi: "3.0.3", info: { title: "Merged", version: "1" }, paths: { "/a": { get: { operationId: "a", responses: { "200": { description: "a" } } } } } });
    const more = JSON.stringify({ paths: { "/b": { get: { operationId: "b", responses: { "200": { description: "b" } } } } }, info: { description: "From the second part." } });
    server.handle((x) => send(x.res, x.req.url === "/base.json" ? base : more));
    const part = (name: string, text: string) => ({ url: `${server.url}/${name}.json`, sha256: sha256(text), file: `upstream/parts/${name}.json` });
    writeProvider("shop", { kind: "fetched", merge: "deep", parts: [part("base", base), part("more", more)] });
    expect(await run(["shop"])).toBe(0);
    expect(logs[0]).toBe(`shop: wrote specs/shop/upstream/parts/base.json, specs/shop/upstream/parts/more.json (sha256 ${short(sha256(base))})`);
    const doc = parse(regenerate("shop"));
    expect(doc.info).toEqual({ title: "Merged", version: "1", description: "From the second part." });
    expect(Object.keys(doc.paths)).toEqual(["/a", "/b"]);
  });

  it("a copy pinned by hand (no url) is skipped by specs:fetch and still generates offline", async () => {
    const dir = join(root, "specs/shop/upstream");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "merged.json"), UPSTREAM_JSON);
    writeProvider("shop", { kind: "fetched", file: "upstream/merged.json", sha256: sha256(UPSTREAM_JSON), origin: "a merge the upstream makes at run time" });
    expect(await run(["shop"])).toBe(0);
    expect(logs).toEqual(["shop: upstream/merged.json (a merge the upstream makes at run time) has no url to fetch from, skipped"]);
    expect(server.requests).toHaveLength(0);
    expect(parse(regenerate("shop")).paths).toHaveProperty("/pay");
  });
});

describe("pnpm specs:fetch", () => {
  it("runs every provider with an upstream, one line each; a failure does not stop the others", async () => {
    writeProvider("alpha", fetched(sha256("stale pin")));
    writeProvider("beta", fetched());
    writeProvider("gamma", { kind: "hand-written" }, { "openapi.yaml": "openapi: 3.1.0\n" });
    writeProvider("uma", handWritten(), { "openapi.yaml": "openapi: 3.1.0\n" });
    expect(await run()).toBe(1);
    const hash = short(sha256(UPSTREAM_JSON));
    expect(errors).toEqual([`alpha: sha256 mismatch: pinned ${short(sha256("stale pin"))}, got ${hash} (run with --update to accept)`]);
    expect(logs).toEqual([`beta: wrote specs/beta/upstream/openapi.json (sha256 ${hash})`, regen("beta"), "gamma: no upstream in manifest, skipped", `uma: up to date (sha256 ${hash})`]);
  });

  it("a bad manifest is reported with the provider and does not stop the others", async () => {
    writeProvider("alpha", { kind: "fetched", url: "ftp://x.example/a.yaml", sha256: "abc" });
    writeProvider("beta", fetched());
    expect(await run()).toBe(1);
    expect(errors).toEqual([
      'alpha: specs/alpha/manifest.json:1:91 #/source/url: expected an http(s) url; got "ftp://x.example/a.yaml"',
      "alpha: specs/alpha/manifest.json:1:125 #/source/sha256: a fetched spec needs a pinned sha256 (64 hex digits)",
    ]);
    expect(logs).toHaveLength(2);
  });

  it("main: arguments, unknown providers and options", async () => {
    writeProvider("shop", fetched());
    const io = { root, log: (l: string) => logs.push(l), error: (l: string) => errors.push(l), retries: 0 };
    expect(await main(["shop", "--force"], io)).toBe(2);
    expect(errors).toEqual(["unknown option --force; usage: pnpm specs:fetch [provider...] [--update]"]);
    expect(await main(["nope"], io)).toBe(2);
    expect(errors.at(-1)).toBe("unknown provider nope: specs/ has shop");
    expect(await main(["shop", "--update"], io)).toBe(0);
    expect(logs).toEqual([`shop: wrote ${PRISTINE} (sha256 ${short(sha256(UPSTREAM_JSON))})`, regen()]);
  });

  it("main --update lists the changes as spec-diff classifies them", async () => {
    writeProvider("shop", fetched());
    const io = { root, log: (l: string) => logs.push(l), error: (l: string) => errors.push(l), retries: 0 };
    expect(await main(["shop"], io)).toBe(0);
    regenerate("shop");
    server.handle((x) => send(x.res, UPSTREAM_V2));
    logs.length = 0;
    expect(await main(["shop", "--update"], io)).toBe(0);
    expect(errors).toEqual([]);
    expect(logs).toEqual([
      `shop: sha256 ${short(sha256(UPSTREAM_JSON))} -> ${short(sha256(UPSTREAM_V2))}; wrote specs/shop/manifest.json, ${PRISTINE}`,
      "  major  operation pay moved from POST /pay to POST /pay/v2  #/paths/~1pay~1v2/post",
      "  bump: major",
      regen(),
    ]);
  });
});
