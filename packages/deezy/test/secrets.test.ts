// Deezy's secrets (the API token, secret_access_key in queries and bodies, secret_key in bodies)
// never reach an error, a log line or an inspected object, even when the server echoes them.
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { createDeezyClient, errorOf } from "../src/index.js";

const TOKEN = "tok_4f9a2c7e1b8d6a3f";
const ACCESS_KEY = "b3c6056d2845867fa7c8edcd2af94876e83c9c86ea15532f7665ecbf26e0f4ec";
const COLLECTION_KEY = "af94876b3c645867fa7c8edcd2056d28";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function logged() {
  const lines: string[] = [];
  const write = (message: string, fields?: unknown) => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { lines, logger: { debug: write, info: write, warn: write, error: write } };
}

describe("secrets stay out of errors and logs", () => {
  it("secret_access_key in the query and an echo of it in the answer", async () => {
    server.handle(({ res }) => json(res, 400, { message: `unknown key ${ACCESS_KEY}` }));
    const { lines, logger } = logged();
    const deezy = createDeezyClient({ baseUrl: server.url, apiToken: TOKEN, logger });
    const result = await deezy.GET("/v1/source/lookup", { params: { query: { secret_access_key: ACCESS_KEY } } });
    expect(server.requests[0]!.url).toContain(ACCESS_KEY); // it was sent
    const error = errorOf(result)!;
    for (const text of [error.message, error.url, JSON.stringify(error), inspect(error, { depth: 5 }), lines.join("\n")]) {
      expect(text).not.toContain(ACCESS_KEY);
      expect(text).not.toContain(TOKEN);
    }
    expect(error.url).toContain("secret_access_key=%5BREDACTED%5D");
  });

  it("secret_key and secret_access_key in request bodies", async () => {
    server.handle(({ res, request }) => json(res, 500, { message: "failed", echo: JSON.parse(request.body) }));
    const { lines, logger } = logged();
    const deezy = createDeezyClient({ baseUrl: server.url, apiToken: TOKEN, logger, maxRetries: 0 });
    const allowlist = await deezy.PUT("/v1/inscriptions/collections/allowlist", {
      body: { collection_id: "fa7c8edcd2af94876b3c6056d2845867", address: "bc1q", num_allowed: 2, secret_key: COLLECTION_KEY },
    });
    const source = await deezy.POST("/v1/source", { body: { lnurl_or_lnaddress: "danny@deezy.io", secret_access_key: ACCESS_KEY } });
    for (const error of [errorOf(allowlist)!, errorOf(source)!]) {
      const text = [JSON.stringify(error), inspect(error, { depth: 5 })].join("\n");
      expect(text).not.toContain(COLLECTION_KEY);
      expect(text).not.toContain(ACCESS_KEY);
      expect(text).toContain("[REDACTED]");
    }
    expect(lines.join("\n")).not.toMatch(new RegExp(`${COLLECTION_KEY}|${ACCESS_KEY}|${TOKEN}`));
  });

  it("the API token is sent as x-api-token and redacted from answers that echo it", async () => {
    server.handle(({ res }) => json(res, 401, { message: `token ${TOKEN} is not valid` }));
    const deezy = createDeezyClient({ baseUrl: server.url, apiToken: TOKEN });
    const result = await deezy.POST("/v1/bumper/address");
    expect(server.requests.at(-1)!.headers["x-api-token"]).toBe(TOKEN);
    expect(JSON.stringify(errorOf(result))).not.toContain(TOKEN);
    expect(errorOf(result)!.providerMessage).toBe("token [REDACTED] is not valid");
  });
});
