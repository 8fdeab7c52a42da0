// The Deezy client as the reliability suite and the load run see it. No vitest import: the load
// run loads this module in a process of its own.
import { fileURLToPath } from "node:url";
import type { ClientLike, ReliabilitySubject } from "@satbind/reliability/load";
import { responseValidator } from "../src/generated/api/validate.js";
import * as pkg from "../src/index.js";

const API_TOKEN = "dzy_reliability_api_token_5f1c0e9a";

export const subject: ReliabilitySubject = {
  name: "deezy",
  specFile: fileURLToPath(new URL("../../../specs/deezy/openapi.yaml", import.meta.url)),
  operationTable: pkg.operationTable,
  movesFunds: [
    "create_swap", "request_lsp_channel", "earn_close_channel", "fund_autobalance", "refund_autobalance",
    "mint_from_collection", "mint_custom_inscription", "buy_ordinal", "boost_utxo", "webai",
  ],
  createClient: (options) => pkg.createDeezyClient({ apiToken: API_TOKEN, ...options }) as unknown as ClientLike,
  secrets: [API_TOKEN],
  secretFields: ["secret_access_key", "secret_key"],
  responseValidator,
  errors: pkg,
};
