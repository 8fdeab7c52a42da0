// What UTEXO's reference server answers (test/fixtures/reference-server.ts, written from RGB-Node's
// source), checked against our v2 spec with our validator and run through the client and the
// onchainSend flow against a real local HTTP server; the two operations the reference server adds,
// and pay-invoice-begin without max_fee_sats, sent to Prism.
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { schemaValidator } from "@satbind/codegen/examples";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import {
  PsbtFlowOutcomeUnknownError,
  ResponseValidationError,
  createUtexoClient,
  onchainSend,
  onchainSendId,
  unwrap,
  type OnchainSendResult,
  type V2,
} from "../src/index.js";
import { responseValidator } from "../src/generated/v2/validate.js";
import { listTransactions, onchainSendEndAnswer, onchainSendStatus, unusedAddresses } from "./fixtures/reference-server.js";
import { specFiles } from "./global-setup.js";
import { KEYS } from "./keys.js";

const validate = schemaValidator(specFiles.v2);
const answerSchema = (path: string, method: string) => `#/paths/${path.replaceAll("/", "~1")}/${method}/responses/200/content/application~1json/schema`;
const UNSIGNED = "cHNidP8BAHECAAAAAQ==";
const SIGNED = "cHNidP8BAHECAAAAAQ==c2lnbmVk";
const SEND = { address_or_rgbinvoice: "bcrt1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", amount_sats: 100_000, fee_rate: 2 };
const sign = async () => SIGNED;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

/** The client checks every answer against the v2 spec on its way through. */
const client = () => createUtexoClient({ version: "v2", baseUrl: server.url, keys: KEYS, validateResponses: responseValidator, maxRetries: 0 });

/** Plays a node: the begin answers a PSBT, each other path its fixture. */
function node(routes: Record<string, unknown>) {
  server.handle(({ request, res }) => {
    const path = request.url.split("?")[0]!;
    if (path.endsWith("-begin")) return json(res, 200, UNSIGNED);
    if (path in routes) return json(res, 200, routes[path]);
    json(res, 404, { detail: "Not Found" });
  });
}

describe("the reference server's answers match the v2 spec", () => {
  it("onchain-send-end and the status lookup with withdrawal_id; the other two routes", () => {
    expect(validate(answerSchema("/lightning/onchain-send-end", "post"), onchainSendEndAnswer)).toBeUndefined();
    expect(validate(answerSchema("/onchain-send/{send_id}", "get"), onchainSendStatus)).toBeUndefined();
    expect(validate(answerSchema("/lightning/unused-addresses", "get"), unusedAddresses)).toBeUndefined();
    expect(validate(answerSchema("/lightning/listtransactions", "get"), listTransactions)).toBeUndefined();
  });

  it("and an answer with neither id does not", () => {
    const { withdrawal_id: _id, ...noId } = onchainSendStatus;
    expect(validate(answerSchema("/onchain-send/{send_id}", "get"), noId)).toBeDefined();
    expect(validate(answerSchema("/lightning/onchain-send-end", "post"), { status: "REQUESTED" })).toBeDefined();
  });
});

describe("onchainSend with either id", () => {
  it("the reference server's withdrawal_id: the flow passes validation and surfaces it as sendId, which finds the send", async () => {
    node({ "/lightning/onchain-send-end": onchainSendEndAnswer, [`/onchain-send/${onchainSendEndAnswer.withdrawal_id}`]: onchainSendStatus });
    const utexo = client();
    const sent = await onchainSend(utexo, SEND, sign);
    expectTypeOf(sent).toEqualTypeOf<OnchainSendResult>();
    expect(sent).toEqual({ ...onchainSendEndAnswer, sendId: onchainSendEndAnswer.withdrawal_id });

    const status = unwrap(await utexo.GET("/onchain-send/{send_id}", { params: { path: { send_id: sent.sendId } } }));
    expectTypeOf(status).toEqualTypeOf<V2.GetOnchainSendResponse>();
    expect(onchainSendId(status)).toBe(sent.sendId);
    expect(status.status).toBe("CLOSING_CHANNELS");
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /lightning/onchain-send-begin",
      "POST /lightning/onchain-send-end",
      `GET /onchain-send/${onchainSendEndAnswer.withdrawal_id}`,
    ]);
  });

  it("the reference page's send_id, as before", async () => {
    node({ "/lightning/onchain-send-end": { send_id: "s-1", txid: null } });
    const sent = await onchainSend(client(), SEND, sign);
    expect(sent.sendId).toBe("s-1");
    expect(onchainSendId(sent)).toBe("s-1");
  });

  it("an end answer with no id at all spent, but cannot be followed: ResponseValidationError, never 'outcome unknown'", async () => {
    node({ "/lightning/onchain-send-end": { status: "REQUESTED" } });
    // Without validateResponses the answer reaches the flow, which still needs an id.
    const utexo = createUtexoClient({ version: "v2", baseUrl: server.url, keys: KEYS, maxRetries: 0 });
    const error = await onchainSend(utexo, SEND, sign).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).not.toBeInstanceOf(PsbtFlowOutcomeUnknownError);
    expect(error).toMatchObject({ requestSent: true, movesFunds: true, operationId: "onchainSendEnd", status: 200 });
    expect((error as Error).message).toContain("do not send it again");
    expect(server.requests.filter((r) => r.url.endsWith("-end"))).toHaveLength(1);
  });
});

describe("the two operations from the reference server", () => {
  it("getUnusedDepositAddresses and listTransactions, through the client", async () => {
    node({ "/lightning/unused-addresses": unusedAddresses, "/lightning/listtransactions": listTransactions });
    const utexo = client();
    const addresses = unwrap(await utexo.GET("/lightning/unused-addresses"));
    expectTypeOf(addresses).toEqualTypeOf<V2.UnusedDepositAddressesResponse>();
    expect(addresses.addresses[0]!.btc_address).toBe(unusedAddresses.addresses[0]!.btc_address);
    const transactions = unwrap(await utexo.GET("/lightning/listtransactions"));
    expectTypeOf(transactions).toEqualTypeOf<V2.ListTransactionsResponse>();
    expect(transactions.transactions.map((t) => t.transaction_type)).toEqual(["User", "CreateUtxos"]);
  });

  it("Prism serves both from the spec, and takes pay-invoice-begin without max_fee_sats", async () => {
    const prism = createUtexoClient({ version: "v2", baseUrl: mockUrl("v2"), keys: KEYS, maxRetries: 0 });
    for (const path of ["/lightning/unused-addresses", "/lightning/listtransactions"] as const) {
      const result = await prism.GET(path);
      expect([result.response.status, result.response.headers.get("sl-violations")]).toEqual([200, null]);
    }
    const begun = await prism.POST("/lightning/pay-invoice-begin", { body: { invoice: "lnbcrt1..." } });
    expect([begun.response.status, begun.response.headers.get("sl-violations")]).toEqual([200, null]);
  });
});
