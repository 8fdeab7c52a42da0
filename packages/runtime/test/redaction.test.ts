// Secrets must not show up anywhere a user might print: error messages, inspected or serialised
// errors, log lines, or the client object itself.
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hang, json, reset, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { createApiClient, errorOf, REDACTED, Redactor } from "../src/index.js";

interface paths {
  "/secret": { get: { parameters: { query: { secret_access_key: string; id: string } }; responses: { 200: { content: { "application/json": unknown } } } } };
  "/send": { post: { requestBody: { content: { "application/json": { secret_key: string; amount: number } } }; responses: { 200: { content: { "application/json": unknown } } } } };
}
const operations = {
  getSecret: { method: "GET", path: "/secret", retrySafe: true, movesFunds: false, auth: "required" },
  send: { method: "POST", path: "/send", retrySafe: false, movesFunds: true, auth: "required" },
} as const;

const BEARER = "eyJhbGciOiJFUzI1NiJ9.super-secret-jwt";
const HEADER_SECRETS = { "xpub-van": "tpubVANsecret123456", "master-fingerprint": "f00dbabe" };
const QUERY_SECRET = "sak_0123456789abcdef";
const BODY_SECRET = "sk_body_secret_987654";
const ALL = [BEARER, ...Object.values(HEADER_SECRETS), QUERY_SECRET, BODY_SECRET];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function expectClean(text: string) {
  for (const secret of ALL) expect(text).not.toContain(secret);
}

function makeClient(lines: string[], auth: "bearer" | "headers") {
  const logger = Object.fromEntries(
    (["debug", "info", "warn", "error"] as const).map((level) => [level, (m: string, d: unknown) => lines.push(`${level} ${m} ${JSON.stringify(d)} ${inspect(d)}`)]),
  );
  return createApiClient<paths>(
    {
      provider: "test",
      baseUrl: server.url,
      operations,
      auth: auth === "bearer" ? { type: "bearer", token: async () => BEARER } : { type: "headers", headers: HEADER_SECRETS },
      defaultTimeoutMs: 300,
      redact: { query: ["secret_access_key"], bodyKeys: ["secret_key"] },
      reconcile: (_id, { body }) => ({ sent: body }),
    },
    { logger, retry: { initialDelayMs: 1, maxDelayMs: 2 } },
  );
}

describe("redaction", () => {
  it("keeps every secret out of API errors, even when the server echoes them", async () => {
    server.handle(({ res, request }) =>
      json(res, 401, { code: "UNAUTHORIZED", message: `bad token ${request.headers.authorization} for ${request.url}`, echo: request.headers }),
    );
    const lines: string[] = [];
    const result = await makeClient(lines, "bearer").GET("/secret", { params: { query: { secret_access_key: QUERY_SECRET, id: "1" } } });
    const error = errorOf(result)!;
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(error.url).toContain(`secret_access_key=${encodeURIComponent(REDACTED)}`);
    for (const view of [error.message, String(error), error.stack ?? "", inspect(error, { depth: 10 }), JSON.stringify(error), ...lines]) expectClean(view);
    expect(error.providerMessage).toContain(REDACTED);
  });

  it("keeps secrets out of transport errors, their causes, reconcile data and logs", async () => {
    server.handle(({ res }) => reset(res));
    const lines: string[] = [];
    const client = makeClient(lines, "headers");
    const error = await client.POST("/send", { body: { secret_key: BODY_SECRET, amount: 5 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AmbiguousOutcomeError", reconcile: { sent: { secret_key: REDACTED, amount: 5 } } });
    expect(server.requests.at(-1)!.headers["xpub-van"]).toBe(HEADER_SECRETS["xpub-van"]);
    for (const view of [String(error), inspect(error, { depth: 10 }), JSON.stringify(error), ...lines]) expectClean(view);
    expect(lines.some((l) => l.startsWith("error satbind failed"))).toBe(true);
  });

  it("keeps secrets out of timeouts and of the inspected client", async () => {
    server.handle(() => hang());
    const lines: string[] = [];
    const client = makeClient(lines, "headers");
    const error = await client.GET("/secret", { params: { query: { secret_access_key: QUERY_SECRET, id: "2" } }, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TimeoutError" });
    for (const view of [String(error), inspect(error, { depth: 10 }), JSON.stringify(error), inspect(client, { depth: 10, showHidden: true }), ...lines]) expectClean(view);
  });

  it("redacts by name and by value", () => {
    const r = new Redactor({ headers: ["xpub-col"], query: ["key"], bodyKeys: ["secret_key"] });
    r.addSecret("Bearer abcdefgh1234");
    expect(r.headers({ Authorization: "Bearer abcdefgh1234", "XPUB-COL": "tpub", accept: "x abcdefgh1234" })).toEqual({
      authorization: REDACTED,
      "xpub-col": REDACTED,
      accept: `x ${REDACTED}`,
    });
    expect(r.url("https://u:p@h.example/x?key=1&other=2")).toBe(`https://${encodeURIComponent(REDACTED)}:${encodeURIComponent(REDACTED)}@h.example/x?key=${encodeURIComponent(REDACTED)}&other=2`);
    expect(r.value({ a: [{ secret_key: "s" }], b: "token abcdefgh1234" })).toEqual({ a: [{ secret_key: REDACTED }], b: `token ${REDACTED}` });
  });
});
