// The UTEXO v1 and v2 clients as the reliability suite and the load run see them. No vitest
// import: the load run loads this module in a process of its own.
import { fileURLToPath } from "node:url";
import type { ClientLike, ReliabilitySubject } from "@satbind/tooling/load";
import * as pkg from "../src/index.js";
import { operationTable as v1OperationTable } from "../src/v1.js";
import { operationTable as v2OperationTable } from "../src/v2.js";
import { KEYS } from "./keys.js";

const specFile = (version: string) => fileURLToPath(new URL(`../../../specs/utexo/${version}.yaml`, import.meta.url));

export const v1Subject: ReliabilitySubject = {
  name: "utexo-v1",
  specFile: specFile("v1"),
  operationTable: v1OperationTable,
  movesFunds: ["settle", "payLightningInvoiceEnd", "withdrawEnd"],
  createClient: (options) => pkg.createUtexoClient({ version: "v1", keys: KEYS, ...options }) as unknown as ClientLike,
  secrets: Object.values(KEYS),
  errors: pkg,
};

export const v2Subject: ReliabilitySubject = {
  name: "utexo-v2",
  specFile: specFile("v2"),
  operationTable: v2OperationTable,
  movesFunds: ["payLightningInvoiceEnd", "settle", "onchainSendEnd"],
  createClient: (options) => pkg.createUtexoClient({ version: "v2", keys: KEYS, ...options }) as unknown as ClientLike,
  secrets: Object.values(KEYS),
  errors: pkg,
};
