import { it } from "vitest";
import { exampleRequests } from "@satbind/tooling/contract";
import { mockUrl } from "@satbind/testing/vitest";
import { createBtcpayClient } from "../src/index.js";
import { specFile } from "./global-setup.js";
it("probe", async () => {
  const c = createBtcpayClient({ serverUrl: mockUrl("api"), apiKey: "probe-key-123456", maxRetries: 0 });
  const bad: string[] = [];
  for (const r of exampleRequests(specFile)) {
    let res: any;
    try { res = await (c.request as any)(r.method.toLowerCase(), r.path, { params: r.params, ...(r.body !== undefined && { body: r.body }) }); } catch (e) { bad.push(`${r.operationId} threw ${(e as Error).message.slice(0, 200)}`); continue; }
    if (res.response.status >= 300 || res.response.headers.get("sl-violations")) bad.push(`${r.operationId} ${res.response.status} ${res.response.headers.get("sl-violations")?.slice(0, 300)}`);
  }
  console.log(bad.length + "\n" + bad.join("\n"));
}, 120000);
