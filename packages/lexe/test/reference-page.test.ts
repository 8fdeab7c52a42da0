// The curl examples of Lexe's REST API reference page, replayed: each request through the client
// to Prism (which validates it against the spec), each answer from a local server back through the
// client, and each answer checked against the spec's schema and found among the spec's examples.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { documentedResponses } from "@satbind/test-support/contract";
import { schemaValidator } from "@satbind/codegen/examples";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { createLexeClient, errorOf, NotFoundError, type LexeClient } from "../src/index.js";
import { pageExamples, type PageExample } from "./fixtures/reference-page.js";
import { specFile } from "./global-setup.js";

const validate = schemaValidator(specFile);
const documented = documentedResponses(specFile);

function send(client: LexeClient, example: PageExample) {
  const init = { ...(example.query && { params: { query: example.query } }), ...(example.body && { body: example.body }) };
  return client.request(example.method.toLowerCase() as "get", example.path as never, init as never) as Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

function responseSchema(example: PageExample): string {
  const path = example.path.replaceAll("/", "~1");
  return `#/paths/${path}/${example.method.toLowerCase()}/responses/${example.status}/content/application~1json/schema`;
}

describe("the page's requests, sent to Prism", () => {
  it.each(pageExamples)("$name: Prism accepts the request", async (example) => {
    const result = await send(createLexeClient({ baseUrl: mockUrl("api"), maxRetries: 0 }), example);
    expect(result.response.headers.get("sl-violations")).toBeNull();
    expect(result.response.status).toBe(200);
  });
});

describe("the page's answers, through the client", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it.each(pageExamples)("$name: parses as documented and matches the spec's schema", async (example) => {
    server.handle(({ res }) => json(res, example.status, example.response));
    const result = await send(createLexeClient({ baseUrl: server.url, maxRetries: 0 }), example);
    expect(result.response.status).toBe(example.status);
    expect(validate(responseSchema(example), example.response)).toBeUndefined();
    if (example.status === 200) {
      expect(result.data).toEqual(example.response);
    } else {
      expect(result.error).toEqual(example.response);
      expect(errorOf(result)).toBeInstanceOf(NotFoundError);
      expect(errorOf(result)).toMatchObject({ code: 107, providerMessage: "Payment not found" });
    }
  });

  it.each(pageExamples)("$name: is one of the spec's examples", (example) => {
    const examples = documented.filter((d) => d.path === example.path && d.method === example.method && d.status === example.status).flatMap((d) => d.examples);
    expect(examples).toContainEqual(example.response);
  });

  it("the schema check can fail: a page answer with a float amount is refused", () => {
    const nodeInfo = pageExamples.find((e) => e.name === "node_info")!;
    const bad = { ...(nodeInfo.response as object), balance: 134736.5 };
    expect(validate(responseSchema(nodeInfo), bad)).toMatchObject({ at: "/balance" });
  });
});

// The fixtures above are transcribed from the page; when the page itself is at hand, hold them to it.
const PAGE = fileURLToPath(new URL("../../../../shared/providers/lexe/docs-rest-api-reference.txt", import.meta.url));
const havePage = existsSync(PAGE);
describe.skipIf(!havePage)(havePage ? "the fixtures match the reference page" : "the fixtures match the reference page (skipped: ../shared/providers/lexe is not on this machine)", () => {
  const text = havePage ? readFileSync(PAGE, "utf8") : "";
  /** Every JSON object printed on the page: lines from "{" to the next line that is just "}". */
  const blocks = [...text.matchAll(/^\{$[\s\S]*?^\}$/gm)].map((m) => JSON.parse(m[0]) as unknown);
  const bodies = [...text.matchAll(/--data '([^']*)'/g)].map((m) => JSON.parse(m[1]!) as unknown);

  it("every answer on the page is a fixture, and every fixture is on the page", () => {
    expect(blocks).toHaveLength(pageExamples.length);
    expect(pageExamples.map((e) => e.response)).toEqual(expect.arrayContaining(blocks));
    expect(blocks).toEqual(expect.arrayContaining(pageExamples.map((e) => e.response)));
  });

  it("every request body on the page is a fixture", () => {
    expect(pageExamples.filter((e) => e.body).map((e) => e.body)).toEqual(bodies);
  });

  it("every payment lookup on the page is a fixture", () => {
    const indexes = [...text.matchAll(/payment\?index=([0-9a-z_-]+)'/g)].map((m) => m[1]);
    expect(pageExamples.filter((e) => e.query).map((e) => e.query!.index)).toEqual(indexes);
  });
});
