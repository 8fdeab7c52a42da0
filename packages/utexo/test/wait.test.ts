// waitForReceiveRequest and waitForSendRequest against a real local HTTP server playing a node:
// open -> settled, pending -> succeeded or failed, null for an unknown id, 5xx and dropped
// connections waited out, a 400 that ends the wait, the deadline and abort.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { json, reset, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import {
  AbortError,
  BadRequestError,
  RequestNotFoundError,
  RequestWaitTimeoutError,
  createUtexoClient,
  waitForReceiveRequest,
  waitForSendRequest,
  type V2,
} from "../src/index.js";
import { KEYS } from "./keys.js";

const ID = "a743ed8d-2003-4c51-aa59-2faf07fb245c";
const receive = (status: V2.LightningReceiveRequest["status"]): V2.LightningReceiveRequest => ({
  id: ID, invoice: "lnbcrt100u1...", status, payment_type: "BTC", amount_sats: 10000, asset: null, created_at: "2026-01-07T08:18:14Z",
});
const send = (status: V2.LightningSendRequest["status"]): V2.LightningSendRequest => ({
  id: ID, status, payment_type: "BTC", amount_sats: 5000, asset: null, fee_sats: status === "PENDING" ? null : 2, created_at: "2026-01-08T16:46:02Z",
});
const FAST = { intervalMs: 5, maxIntervalMs: 20 };

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const client = (version: "v1" | "v2" = "v2") => createUtexoClient({ version, baseUrl: server.url, keys: KEYS, retry: { initialDelayMs: 1, maxDelayMs: 5 } });

/** Answers each look with the next step, repeating the last. */
function plays(...steps: ((res: Parameters<typeof json>[0]) => void)[]) {
  let seen = 0;
  server.handle(({ res }) => steps[Math.min(seen++, steps.length - 1)]!(res));
}
const answer = (body: unknown, status = 200) => (res: Parameters<typeof json>[0]) => json(res, status, body);

describe("waitForReceiveRequest", () => {
  it.each(["v1", "v2"] as const)("OPEN, OPEN, SETTLED on %s: returns the settled invoice", async (version) => {
    plays(answer(receive("OPEN")), answer(receive("OPEN")), answer(receive("SETTLED")));
    const result = await waitForReceiveRequest(client(version), ID, FAST);
    expect(result.status).toBe("SETTLED");
    expect(server.requests.map((r) => r.url)).toEqual(Array(3).fill(`/lightning/receive-request/${ID}`));
  });

  it("an expired invoice is returned, not thrown", async () => {
    plays(answer(receive("EXPIRED")));
    expect((await waitForReceiveRequest(client(), ID, FAST)).status).toBe("EXPIRED");
  });

  it("null (an id the node does not know) ends the wait at once", async () => {
    plays(answer(null));
    await expect(waitForReceiveRequest(client(), ID, FAST)).rejects.toThrow(RequestNotFoundError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("waitForSendRequest", () => {
  it("PENDING then SUCCEEDED", async () => {
    plays(answer(send("PENDING")), answer(send("SUCCEEDED")));
    expect(await waitForSendRequest(client(), ID, FAST)).toMatchObject({ status: "SUCCEEDED", fee_sats: 2 });
  });

  it("a failed payment is returned, not thrown", async () => {
    plays(answer(send("PENDING")), answer(send("FAILED")));
    expect((await waitForSendRequest(client(), ID, FAST)).status).toBe("FAILED");
  });

  it("waits out a 500 and a dropped connection", async () => {
    plays(answer(send("PENDING")), answer({ error: "InternalServerError", message: "boom" }, 500), reset, answer(send("SUCCEEDED")));
    const c = createUtexoClient({ version: "v2", baseUrl: server.url, keys: KEYS, maxRetries: 0 });
    expect((await waitForSendRequest(c, ID, FAST)).status).toBe("SUCCEEDED");
    expect(server.requests).toHaveLength(4);
  });

  it("a 400 ends the wait with the node's error", async () => {
    plays(answer(send("PENDING")), answer({ detail: "Wallet not initialized" }, 400));
    const error = await waitForSendRequest(client(), ID, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ providerMessage: "Wallet not initialized" });
  });

  it("the deadline: RequestWaitTimeoutError with the last state seen", async () => {
    plays(answer(send("PENDING")));
    const error = (await waitForSendRequest(client(), ID, { ...FAST, timeoutMs: 100 }).catch((e: unknown) => e)) as RequestWaitTimeoutError;
    expect(error).toBeInstanceOf(RequestWaitTimeoutError);
    expect(error).toMatchObject({ kind: "send", requestId: ID, timeoutMs: 100, lastSeen: send("PENDING") });
    expect(error.message).toBe(`send request ${ID} was still PENDING after 100 ms`);
    expect(server.requests.length).toBeGreaterThan(1);
  });

  it("abort stops the wait", async () => {
    plays(answer(send("PENDING")));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(waitForSendRequest(client(), ID, { ...FAST, signal: controller.signal })).rejects.toThrow(AbortError);
  });

  it("needs an id", () => {
    expect(() => waitForSendRequest(client(), "")).toThrow("waitForSendRequest needs the request's id");
  });
});
