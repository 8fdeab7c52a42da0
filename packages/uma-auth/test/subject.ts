// The UMA Auth client as the reliability suite and the load run see it. No vitest import: the load
// run loads this module in a process of its own.
import { fileURLToPath } from "node:url";
import type { ClientLike, ReliabilitySubject } from "@satbind/reliability/load";
import { responseValidator } from "../src/generated/api/validate.js";
import * as pkg from "../src/index.js";

const TOKEN = "eyJhbGciOiJFUzI1NiJ9.uma-reliability-connection-token.c2lnbmF0dXJl";

export const subject: ReliabilitySubject = {
  name: "uma-auth",
  specFile: fileURLToPath(new URL("../../../specs/uma-auth/openapi.yaml", import.meta.url)),
  operationTable: pkg.operationTable,
  movesFunds: ["pay_invoice", "execute_quote", "pay_to_lud16_address", "pay_keysend"],
  createClient: (options) => pkg.createUmaAuthClient({ token: TOKEN, ...options }) as unknown as ClientLike,
  secrets: [TOKEN],
  responseValidator,
  errors: pkg,
};
