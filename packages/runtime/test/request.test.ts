// The call path builds URLs, headers and bodies itself (request.ts) instead of through openapi-fetch's
// client; these check it gives exactly what openapi-fetch's own serializers give, over every style
// they support, and that the client sends it that way.
import { createFinalURL, createQuerySerializer, defaultBodySerializer, defaultPathSerializer, mergeHeaders as openapiMergeHeaders } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { createApiClient } from "../src/index.js";
import { buildUrl, defaultQuery, fillPath, mergeHeaders, querySerializer, serializeBody } from "../src/request.js";

const values: Record<string, unknown>[] = [
  { id: "a b/c?d" },
  { id: 42, flag: true },
  { ids: ["x", "y z", "ü"] },
  { filter: { status: "pending", "a b": "c/d" } },
  { empty: [], none: null, missing: undefined, zero: 0, blank: "" },
  { mixed: ["1", "2"], obj: { k: "v" }, plain: "p&q=r" },
];

const styles = [
  undefined,
  {},
  { allowReserved: true },
  { array: { style: "form", explode: false } },
  { array: { style: "spaceDelimited", explode: false } },
  { array: { style: "pipeDelimited", explode: false } },
  { object: { style: "form", explode: false } },
  { object: { style: "form", explode: true } },
  { object: { style: "deepObject", explode: false } },
  { array: { style: "form", explode: false }, object: { style: "form", explode: false }, allowReserved: true },
] as const;

describe("query strings match openapi-fetch's", () => {
  it.each(styles.flatMap((style) => values.map((query) => [JSON.stringify(style), style, query] as const)))("%s %j", (_, style, query) => {
    const ours = style === undefined ? defaultQuery : querySerializer(style as never);
    expect(ours(query)).toBe(createQuerySerializer(style as never)(query));
  });
});

describe("path parameters match openapi-fetch's", () => {
  const templates = ["/items/{id}", "/items/{id*}", "/items/{.id}", "/items/{.id*}", "/items/{;id}", "/items/{;id*}", "/a/{id}/b/{other}"];
  const pathValues = [{ id: "a b" }, { id: 7 }, { id: ["x", "y"] }, { id: { k: "v", l: "w x" } }, { other: "o" }, {}];
  it.each(templates.flatMap((t) => pathValues.map((v) => [t, v] as const)))("%s %j", (template, value) => {
    expect(fillPath(template, value)).toBe(defaultPathSerializer(template, value));
  });

  it("whole URLs, base and query included", () => {
    const params = { path: { id: "a/b" }, query: { q: ["1", "2"], f: { x: "y" } } };
    expect(buildUrl("https://api.example/v1", "/items/{id}", params, defaultQuery)).toBe(
      createFinalURL("/items/{id}", { baseUrl: "https://api.example/v1", params, querySerializer: createQuerySerializer(), pathSerializer: defaultPathSerializer }),
    );
  });
});

describe("headers and bodies match openapi-fetch's", () => {
  it("merges headers case-insensitively; null removes, arrays append", () => {
    const sets = [{ "X-One": "1", Accept: "text/plain" }, new Headers({ "x-two": "2" }), { accept: null, "x-list": ["a", "b"] }, { "X-One": "one" }];
    const ours = sets.reduce<Record<string, string>>((into, set) => mergeHeaders(into, set), {});
    expect(ours).toEqual(Object.fromEntries(openapiMergeHeaders(...(sets as never[])).entries()));
  });

  it.each([[{ a: 1, b: ["x"] }, {}], [{ a: "1", b: "2" }, { "content-type": "application/x-www-form-urlencoded" }]])("body %j with %j", (body, headers) => {
    expect(serializeBody(body, headers)).toBe((defaultBodySerializer as (body: unknown, headers: unknown) => unknown)(body, headers));
  });
});

describe("what the client sends", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  interface paths {
    "/items/{id}": { post: { parameters: { path: { id: string }; query?: { tags?: string[] } }; requestBody: { content: { "application/json": { name: string } } }; responses: { 200: { content: { "application/json": { ok: boolean } } } } } };
  }
  const client = (headers?: Record<string, string>) =>
    createApiClient<paths>(
      { provider: "test", baseUrl: `${server.url}/`, operations: { create: { method: "POST", path: "/items/{id}", retrySafe: false, movesFunds: false, auth: "optional" } }, auth: { type: "header", name: "X-Api-Token", value: "tok_abcdef" }, defaultTimeoutMs: 2_000 },
      headers ? { headers } : {},
    );

  it("sends the method, URL, JSON body and merged headers openapi-fetch would, with credentials on top", async () => {
    server.handle(({ res }) => json(res, 200, { ok: true }));
    const { data } = await client({ "X-Client": "c", "x-api-token": "not this one" }).POST("/items/{id}", {
      params: { path: { id: "a b" }, query: { tags: ["x", "y"] } },
      body: { name: "n" },
      headers: { "x-call": "1", "X-Client": null } as never,
    });
    expect(data).toEqual({ ok: true });
    const [seen] = server.requests;
    expect(seen!.method).toBe("POST");
    expect(seen!.url).toBe("/items/a%20b?tags=x&tags=y");
    expect(seen!.body).toBe('{"name":"n"}');
    expect(seen!.headers).toMatchObject({ "content-type": "application/json", "x-call": "1", "x-api-token": "tok_abcdef" });
    expect(seen!.headers["x-client"]).toBeUndefined();
  });

  it("keeps a content type the caller set, and sends form bodies form-encoded", async () => {
    server.handle(({ res }) => json(res, 200, { ok: true }));
    await client().POST("/items/{id}", { params: { path: { id: "1" } }, body: { name: "n m" }, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(server.requests[0]!.body).toBe("name=n+m");
    expect(server.requests[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("uses the call's own serializers and base URL", async () => {
    server.handle(({ res }) => json(res, 200, { ok: true }));
    await client().POST("/items/{id}", {
      baseUrl: `${server.url}/v9/`,
      params: { path: { id: "1" }, query: { tags: ["x", "y"] } },
      body: { name: "n" },
      querySerializer: { array: { style: "pipeDelimited", explode: false } },
      bodySerializer: (body: unknown) => `custom:${JSON.stringify(body)}`,
    });
    expect(server.requests[0]!.url).toBe("/v9/items/1?tags=x|y");
    expect(server.requests[0]!.body).toBe('custom:{"name":"n"}');
  });
});
