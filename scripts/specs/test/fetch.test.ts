// specs:fetch against a real HTTP server on loopback and a scratch repository: every way a download
// or an upstream document can be wrong gives one line naming the provider and leaves specs/ exactly
// as it was; the command line. Good upstreams are in fetch-upstream.test.ts.
import { beforeEach, describe, expect, it } from "vitest";
import { closedPort, hang, json, reset, truncated } from "@satbind/test-support/test-server";
import { main } from "../bin/specs-fetch.js";
import { UPSTREAM_JSON, UPSTREAM_V2, FIX_OVERLAY, sha256, short, scratch, logs, errors, send, writeProvider, fetched, handWritten, read, PRISTINE, regen, regenerate, run, expectFailure, useFetchScratch } from "./fetch-harness.js";

useFetchScratch();

describe("download failures: one line, bounded retries, nothing written", () => {
  beforeEach(() => writeProvider("shop", fetched(), { "openapi.yaml": "openapi: 3.1.0\n# our last good copy\n" }));

  it("connection refused: retried, then given up", async () => {
    const port = await closedPort();
    writeProvider("shop", { ...fetched(), url: `http://127.0.0.1:${port}/openapi.json` });
    await expectFailure("shop", "shop: download failed after 3 attempts: connection refused");
  });

  it("a 5xx, then success: retried and written", async () => {
    scratch.server.handle((x) => (x.index === 1 ? json(x.res, 503, { error: "busy" }) : send(x.res, UPSTREAM_JSON)));
    expect(await run(["shop"])).toBe(0);
    expect(scratch.server.requests).toHaveLength(2);
    expect(errors).toEqual([]);
    expect(logs).toEqual([`shop: wrote ${PRISTINE} (sha256 ${short(sha256(UPSTREAM_JSON))})`, regen()]);
    expect(read(PRISTINE)).toBe(UPSTREAM_JSON);
  });

  it("a 429, then success: retried", async () => {
    scratch.server.handle((x) => (x.index === 1 ? json(x.res, 429, { error: "slow down" }) : send(x.res, UPSTREAM_JSON)));
    expect(await run(["shop"])).toBe(0);
    expect(scratch.server.requests).toHaveLength(2);
  });

  it("a 5xx every time: gives up after 1 + retries attempts", async () => {
    scratch.server.handle((x) => json(x.res, 503, { error: "down" }));
    await expectFailure("shop", "shop: download failed after 3 attempts: HTTP 503");
    expect(scratch.server.requests).toHaveLength(3);
    expect(scratch.server.requests.every((r) => r.method === "GET" && r.url === "/openapi.json")).toBe(true);
  });

  it("a 404 is not retried", async () => {
    scratch.server.handle((x) => json(x.res, 404, { error: "moved" }));
    await expectFailure("shop", "shop: download failed: HTTP 404");
    expect(scratch.server.requests).toHaveLength(1);
  });

  it("a server that never answers: timed out, each attempt", async () => {
    scratch.server.handle(() => hang());
    await expectFailure("shop", "shop: download failed after 2 attempts: timed out after 200 ms", { timeoutMs: 200, retries: 1 });
    expect(scratch.server.requests).toHaveLength(2);
  });

  it("a body that stalls half-way: the timeout covers the body too", async () => {
    scratch.server.handle((x) => truncated(x.res, UPSTREAM_JSON.slice(0, 100), "hang"));
    await expectFailure("shop", "shop: download failed: timed out after 200 ms", { timeoutMs: 200, retries: 0 });
    expect(scratch.server.requests).toHaveLength(1);
  });

  it("a truncated body (Content-Length larger than what arrives, then a reset)", async () => {
    const part = UPSTREAM_JSON.slice(0, 120);
    scratch.server.handle((x) => truncated(x.res, part, "reset"));
    await expectFailure("shop", "shop: download failed after 3 attempts: truncated: got 120 of 240 bytes");
    expect(scratch.server.requests).toHaveLength(3);
  });

  it("a reset before any answer counts as a connection error and is retried", async () => {
    scratch.server.handle((x) => (x.index === 1 ? reset(x.res) : send(x.res, UPSTREAM_JSON)));
    expect(await run(["shop"])).toBe(0);
    expect(errors).toEqual([]);
    expect(scratch.server.requests).toHaveLength(2);
  });
});

describe("bad upstream documents: one line, nothing written", () => {
  /** Pins whatever the server will send, so the failure is about the content, not the hash. */
  function serve(text: string): void {
    scratch.server.handle((x) => send(x.res, text));
    writeProvider("shop", fetched(sha256(text)), { "openapi.yaml": "openapi: 3.1.0\n# our last good copy\n" });
  }

  it("a sha256 mismatch", async () => {
    writeProvider("shop", fetched(sha256("what we pinned")), { "openapi.yaml": "openapi: 3.1.0\n" });
    await expectFailure("shop", `shop: sha256 mismatch: pinned ${short(sha256("what we pinned"))}, got ${short(sha256(UPSTREAM_JSON))} (run with --update to accept)`);
    expect(scratch.server.requests).toHaveLength(1);
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
    expect(scratch.server.requests).toHaveLength(0);
  });

  it("an overlay of the wrong shape: every problem, still one line", async () => {
    writeProvider("shop", fetched(), { "openapi.yaml": "openapi: 3.1.0\n", "overlays/10-fix.yaml": "overlay: 1.0.0\ninfo: { title: t, version: '1' }\nactions:\n  - target: paths\n    remove: 'yes'\n" });
    await expectFailure(
      "shop",
      'shop: specs/shop/overlays/10-fix.yaml:4:13 #/actions/0/target: expected a JSONPath string starting with "$"; specs/shop/overlays/10-fix.yaml:5:13 #/actions/0/remove: expected true or false',
    );
    expect(scratch.server.requests).toHaveLength(0);
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
    const io = { root: scratch.root, log: (l: string) => logs.push(l), error: (l: string) => errors.push(l), retries: 0 };
    expect(await main(["shop", "--force"], io)).toBe(2);
    expect(errors).toEqual(["unknown option --force; usage: pnpm specs:fetch [provider...] [--update]"]);
    expect(await main(["nope"], io)).toBe(2);
    expect(errors.at(-1)).toBe("unknown provider nope: specs/ has shop");
    expect(await main(["shop", "--update"], io)).toBe(0);
    expect(logs).toEqual([`shop: wrote ${PRISTINE} (sha256 ${short(sha256(UPSTREAM_JSON))})`, regen()]);
  });

  it("main --update lists the changes as spec-diff classifies them", async () => {
    writeProvider("shop", fetched());
    const io = { root: scratch.root, log: (l: string) => logs.push(l), error: (l: string) => errors.push(l), retries: 0 };
    expect(await main(["shop"], io)).toBe(0);
    regenerate("shop");
    scratch.server.handle((x) => send(x.res, UPSTREAM_V2));
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
