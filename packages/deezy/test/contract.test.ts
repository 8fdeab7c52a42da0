// Contract tests: all 25 operations through the client against Prism started from
// specs/deezy/openapi.yaml, each sent with the spec's own request examples. A 2xx proves the
// request matched the spec (Prism validates it, the API token included); each documented error
// status proves the error mapping.
import { describe, expect, expectTypeOf, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { documentedResponses, exampleRequests, type ExampleRequest } from "@satbind/test-support/contract";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  PaymentRequiredError,
  createDeezyClient,
  errorOf,
  operationTable,
  swapFee,
  unwrap,
  type CreateSwapResponse,
  type DeezyClient,
  type OperationId,
} from "../src/index.js";
import { specFile } from "./global-setup.js";

const TOKEN = "00000000000000000000000000000000";

function client(options: Partial<Parameters<typeof createDeezyClient>[0]> = {}): DeezyClient {
  return createDeezyClient({ baseUrl: mockUrl("api"), apiToken: TOKEN, maxRetries: 0, ...options });
}

const requests = new Map(exampleRequests(specFile).map((r) => [r.operationId as OperationId, r]));
function send(c: DeezyClient, request: ExampleRequest, headers: Record<string, string> = {}) {
  const init = { params: request.params, ...(request.body !== undefined && { body: request.body }), headers };
  return c.request(request.method.toLowerCase() as "get", request.path as never, init as never) as Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const responses = documentedResponses(specFile);
const successes = responses.filter((r) => r.status < 300);
const failures = responses.filter((r) => r.status >= 400 && !(r.operationId === "webai" && r.status === 402));
const secured = Object.entries(operationTable).filter(([, op]) => op.auth === "required").map(([id]) => id).sort();

describe("all 25 operations", () => {
  it("covers the whole spec", () => {
    expect(requests.size).toBe(25);
    expect(new Set(successes.map((r) => r.operationId)).size).toBe(25);
    expect(secured).toEqual(["create_bumper_address", "create_source_address", "create_swap", "lookup_source_swaps", "lookup_swap", "set_bumper_return_address"]);
  });

  it.each(successes)("$operationId answers $status with the spec's example, the token sent only if needed", async ({ operationId, status, example }) => {
    const sentToken: (string | null)[] = [];
    const c = client({ middleware: [{ onRequest: ({ request }) => void sentToken.push(request.headers.get("x-api-token")) }] });
    const result = await send(c, requests.get(operationId as OperationId)!);
    expect(result.response.headers.get("sl-violations")).toBeNull();
    expect(result.response.status).toBe(status);
    expect(result.data).toEqual(example);
    expect(sentToken).toEqual([secured.includes(operationId) ? TOKEN : null]);
  });
});

describe("the API token", () => {
  it.each(secured)("%s without the token: Prism answers 401", async (operationId) => {
    const c = client({ middleware: [{ onRequest: ({ request }) => void request.headers.delete("x-api-token") }] });
    const result = await send(c, requests.get(operationId as OperationId)!);
    expect(result.response.status).toBe(401);
    expect(errorOf(result)).toBeInstanceOf(AuthenticationError);
  });

  it("a client without a token refuses secured operations before sending anything", async () => {
    const sent: string[] = [];
    const c = createDeezyClient({ baseUrl: mockUrl("api"), maxRetries: 0, middleware: [{ onRequest: ({ request }) => void sent.push(request.url) }] });
    await expect(send(c, requests.get("create_swap")!)).rejects.toThrow("create_swap needs your Deezy API token: createDeezyClient({ apiToken })");
    expect((await send(c, requests.get("get_swap_info")!)).response.status).toBe(200);
    expect(sent).toHaveLength(1);
  });
});

const CLASSES: Record<number, typeof ApiError> = { 400: BadRequestError, 401: AuthenticationError, 402: PaymentRequiredError, 500: InternalServerError };

describe("every documented error status", () => {
  it.each(failures)("$operationId $status surfaces as the right class", async ({ operationId, status, example }) => {
    const result = await send(client(), requests.get(operationId as OperationId)!, { Prefer: `code=${status}` });
    expect(result.response.status).toBe(status);
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(CLASSES[status]!);
    expect(error).toMatchObject({ status, operationId, body: example });
  });

  it("webai's 402 carries the invoice in bolt11-auth", async () => {
    const request = requests.get("webai")!;
    const result = await send(client(), { ...request, params: {} }, { Prefer: "code=402" });
    expect(result.response.status).toBe(402);
    expect(result.response.headers.get("bolt11-auth")).toMatch(/^ln/);
  });
});

describe("typed calls", () => {
  it("swap info feeds the fee helper", async () => {
    const info = unwrap(await client().GET("/v1/swap/info"));
    expect(swapFee(info, 500_000, 2)).toEqual({ amountSats: 500_000, liquidityFeeSats: 1000, onChainFeeSats: 600, totalFeeSats: 1600 });
  });

  it("create_swap is typed from the spec", async () => {
    const { data } = await client().POST("/v1/swap", { body: { amount_sats: 500_000, on_chain_address: "tb1qrcdhlm0mk5lp4r3lx3sjgg2avryp76v2lul3qc", on_chain_sats_per_vbyte: 2 } });
    expectTypeOf(data).toEqualTypeOf<CreateSwapResponse | undefined>();
    expect(data?.fee_sats).toBe(600);
  });

  it("Prism refuses a wrong type", async () => {
    // @ts-expect-error amount_sats is an integer number of sats
    const result = await client().POST("/v1/swap", { body: { amount_sats: "lots", on_chain_address: "tb1q", on_chain_sats_per_vbyte: 2 } });
    expect(result.response.status).toBe(400);
  });
});

describe("createDeezyClient", () => {
  it("picks the host from the network", async () => {
    const seen: string[] = [];
    const fetch = async (request: Request) => (seen.push(request.url), Response.json({}));
    await createDeezyClient({ network: "mainnet", fetch }).GET("/v1/bumper/fee");
    await createDeezyClient({ network: "testnet", fetch }).GET("/v1/bumper/fee");
    expect(seen).toEqual(["https://api.deezy.io/v1/bumper/fee", "https://api-testnet.deezy.io/v1/bumper/fee"]);
  });

  it("refuses to guess the network", () => {
    expect(() => createDeezyClient({} as never)).toThrow('createDeezyClient needs network ("mainnet" or "testnet") or baseUrl');
    expect(() => createDeezyClient({ network: "signet" as never })).toThrow('network must be "mainnet" or "testnet"; got "signet"');
  });
});
