// The Lexe client as the reliability suite and the load run see it. No vitest import: the load
// run loads this module in a process of its own.
import { fileURLToPath } from "node:url";
import type { ClientLike, ReliabilitySubject } from "@satbind/reliability/load";
import { responseValidator } from "../src/generated/api/validate.js";
import * as pkg from "../src/index.js";

const CLIENT_CREDENTIALS = "eyJsZXhlX2F1dGhfdG9rZW4iOiJyZWxpYWJpbGl0eS1zdWl0ZS1jcmVkZW50aWFscyJ9";

export const subject: ReliabilitySubject = {
  name: "lexe",
  specFile: fileURLToPath(new URL("../../../specs/lexe/openapi.yaml", import.meta.url)),
  operationTable: pkg.operationTable,
  movesFunds: ["pay_invoice", "pay_offer", "pay", "pay_lnurl", "withdraw_lnurl", "open_channel", "close_channel"],
  createClient: (options) => pkg.createLexeClient({ clientCredentials: CLIENT_CREDENTIALS, ...options }) as unknown as ClientLike,
  secrets: [CLIENT_CREDENTIALS],
  responseValidator,
  errors: pkg,
};
