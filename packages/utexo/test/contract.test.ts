// Contract tests: all 29 operations (13 in v1, 16 in v2) through the client against Prism started
// from specs/utexo/v1.yaml and v2.yaml, each sent with the spec's own request examples. A 2xx
// proves the request matched the spec, the three wallet headers included; each documented error
// status proves the error mapping.
import { describe, expect, expectTypeOf, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { documentedResponses, exampleRequests, type ExampleRequest } from "@satbind/test-support/contract";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  UnprocessableEntityError,
  createUtexoClient,
  errorOf,
  unwrap,
  type UtexoClient,
  type UtexoVersion,
  type V2,
} from "../src/index.js";
import { operationTable as v1Table } from "../src/v1.js";
import { operationTable as v2Table } from "../src/v2.js";
import { specFiles } from "./global-setup.js";
import { KEYS } from "./keys.js";

const WALLET_HEADERS = ["xpub-van", "xpub-col", "master-fingerprint"] as const;

type Sent = Record<(typeof WALLET_HEADERS)[number], string | null>;
type Answer = { data?: unknown; error?: unknown; response: Response };

function client<V extends UtexoVersion>(version: V, sent: Sent[] = [], strip: readonly string[] = []): UtexoClient<V> {
  const fetch = (request: Request) => {
    for (const name of strip) request.headers.delete(name);
    sent.push(Object.fromEntries(WALLET_HEADERS.map((h) => [h, request.headers.get(h)])) as Sent);
    return globalThis.fetch(request);
  };
  return createUtexoClient({ version, baseUrl: mockUrl(version), keys: KEYS, maxRetries: 0, fetch });
}

function send(c: UtexoClient, request: ExampleRequest, headers: Record<string, string> = {}): Promise<Answer> {
  const init = { params: request.params, ...(request.body !== undefined && { body: request.body }), headers };
  // The example requests are untyped: any operation of either version.
  return (c.request as (method: string, path: string, init: unknown) => Promise<Answer>)(request.method.toLowerCase(), request.path, init);
}

const CLASSES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  428: ApiError,
  500: InternalServerError,
};

const TABLES = { v1: v1Table, v2: v2Table };
const COUNTS = { v1: 13, v2: 16 };

describe.each(["v1", "v2"] as const)("UTEXO %s", (version) => {
  const requests = new Map(exampleRequests(specFiles[version]).map((r) => [r.operationId, r]));
  const responses = documentedResponses(specFiles[version]);
  const successes = responses.filter((r) => r.status < 300);
  const failures = responses.filter((r) => r.status >= 400);
  const operationIds = [...requests.keys()];

  it(`has all ${COUNTS[version]} operations, each needing the wallet headers and documenting six error statuses`, () => {
    expect(requests.size).toBe(COUNTS[version]);
    expect(new Set(successes.map((r) => r.operationId)).size).toBe(COUNTS[version]);
    expect(Object.values(TABLES[version]).every((op) => op.auth === "required")).toBe(true);
    for (const id of operationIds) {
      expect(failures.filter((r) => r.operationId === id).map((r) => r.status)).toEqual([400, 404, 409, 422, 428, 500]);
    }
  });

  it.each(successes)("$operationId answers $status with the spec's example, the three wallet headers sent", async ({ operationId, status, example }) => {
    const sent: Sent[] = [];
    const result = await send(client(version, sent), requests.get(operationId)!);
    expect(result.response.headers.get("sl-violations")).toBeNull();
    expect(result.response.status).toBe(status);
    expect(result.data).toEqual(example);
    expect(sent).toEqual([{ "xpub-van": KEYS.xpubVan, "xpub-col": KEYS.xpubCol, "master-fingerprint": KEYS.masterFingerprint }]);
  });

  it.each(operationIds)("%s without the wallet headers: Prism refuses it", async (operationId) => {
    const result = await send(client(version, [], WALLET_HEADERS), requests.get(operationId)!);
    expect(result.response.status).toBe(401);
    expect(errorOf(result)).toBeInstanceOf(AuthenticationError);
  });

  it.each(WALLET_HEADERS)("a request missing only %s is refused too", async (header) => {
    const result = await send(client(version, [], [header]), requests.get("getBalance")!);
    expect(result.response.status).toBe(401);
  });

  it.each(failures)("$operationId $status surfaces as the right class, with UTEXO's code and message", async ({ operationId, status, example }) => {
    const result = await send(client(version), requests.get(operationId)!, { Prefer: `code=${status}` });
    expect(result.response.status).toBe(status);
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(CLASSES[status]!);
    expect(error).toMatchObject({ status, operationId, body: example });
    const body = example as { error?: string; message?: string; detail?: string };
    if (body.message) expect(error).toMatchObject({ code: body.error, providerMessage: body.message });
    else if (body.detail) expect(error.providerMessage).toBe(body.detail);
  });
});

describe("typed calls", () => {
  it("v2 balance, fee estimate and begin are typed from the spec", async () => {
    const c = client("v2");
    const balance = unwrap(await c.GET("/lightning/balance"));
    expectTypeOf(balance).toEqualTypeOf<V2.WalletBalanceResponse>();
    expect(balance.balance.vanilla.spendable).toBe(500000);

    const fee = unwrap(await c.POST("/lightning/fee-estimate", { body: { invoice: "lnbcrt1..." } }));
    expectTypeOf(fee).toEqualTypeOf<number>();
    expect(fee).toBe(50);

    const psbt = unwrap(await c.POST("/lightning/onchain-send-begin", { body: { address_or_rgbinvoice: "bcrt1q...", amount_sats: 1000, fee_rate: 2 } }));
    expectTypeOf(psbt).toEqualTypeOf<string>();
    expect(psbt).toMatch(/^cHNidP8/);
  });

  it("an unknown receive request is null, and typed so", async () => {
    const c = client("v2");
    const { data } = await c.GET("/lightning/receive-request/{request_id}", {
      params: { path: { request_id: "00000000-0000-0000-0000-000000000000" } },
      headers: { Prefer: "example=unknown" },
    });
    expectTypeOf(data).toEqualTypeOf<V2.LightningReceiveRequest | null | undefined>();
    expect(data).toBeNull();
  });

  it("v1 has the /wallet routes, v2 does not", async () => {
    const withdrawal = unwrap(await client("v1").GET("/wallet/withdraw/{withdrawal_id}", { params: { path: { withdrawal_id: "4334615b" } } }));
    expect(withdrawal.withdrawal_id).toBe("4334615b-6c53-4af5-a70a-8b5fc38614bf");
    // @ts-expect-error v2 has no /wallet routes
    const result = await client("v2").GET("/wallet/balance");
    expect(result.response.status).toBe(404);
  });

  it("Prism refuses a wrong type and a request missing a required field", async () => {
    const c = client("v2");
    // @ts-expect-error max_fee_sats is a whole number of sats
    const wrong = await c.POST("/lightning/pay-invoice-begin", { body: { invoice: "lnbcrt1...", max_fee_sats: "lots" } });
    expect(wrong.response.status).toBe(422);
    // @ts-expect-error invoice is required (max_fee_sats is not: the reference server defaults it)
    const missing = await c.POST("/lightning/pay-invoice-begin", { body: { max_fee_sats: 10 } });
    expect(missing.response.status).toBe(422);
  });
});

describe("createUtexoClient", () => {
  it("picks the node from the network", async () => {
    const seen: string[] = [];
    const fetch = async (request: Request) => (seen.push(request.url), Response.json({}));
    await createUtexoClient({ version: "v2", network: "mainnet", keys: KEYS, fetch }).GET("/lightning/balance");
    await createUtexoClient({ version: "v2", network: "testnet", keys: KEYS, fetch }).GET("/lightning/balance");
    await createUtexoClient({ version: "v1", network: "local", keys: KEYS, fetch }).GET("/wallet/balance");
    expect(seen).toEqual([
      "https://rgb-node.thunderstack.org/lightning/balance",
      "https://rgb-node.test.thunderstack.org/lightning/balance",
      "http://127.0.0.1:8000/wallet/balance",
    ]);
  });

  it("refuses to guess the version or the network", () => {
    expect(() => createUtexoClient({ network: "testnet", keys: KEYS } as never)).toThrow('version must be "v1" or "v2"; got undefined');
    expect(() => createUtexoClient({ version: "v2", keys: KEYS } as never)).toThrow('createUtexoClient needs network ("mainnet", "testnet" or "local") or baseUrl');
    expect(() => createUtexoClient({ version: "v2", network: "regtest" as never, keys: KEYS })).toThrow('network must be "mainnet", "testnet" or "local"; got "regtest"');
  });

  it("refuses keys that cannot be right, without echoing them", () => {
    const make = (keys: object) => () => createUtexoClient({ version: "v2", network: "testnet", keys: { ...KEYS, ...keys } });
    expect(() => createUtexoClient({ version: "v2", network: "testnet" } as never)).toThrow("needs keys: { xpubVan, xpubCol, masterFingerprint }");
    expect(make({ xpubCol: "" })).toThrow("keys.xpubCol must be a non-empty string");
    expect(make({ xpubVan: ` ${KEYS.xpubVan}\n` })).toThrow("keys.xpubVan has leading or trailing whitespace");
    const error = (() => {
      try {
        make({ masterFingerprint: "1f5bd7dfzz" })();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe("keys.masterFingerprint must be 8 hex digits (got 10 characters)");
    expect(make({ xpubVan: async () => KEYS.xpubVan })).not.toThrow();
  });
});
