// The UTEXO v1 and v2 clients as the reliability suite and the load run see them. No vitest
// import: the load run loads this module in a process of its own.
import { fileURLToPath } from "node:url";
import type { ClientLike, ReliabilitySubject } from "@satbind/reliability/load";
import * as pkg from "../src/index.js";
import { responseValidator as v1Validator } from "../src/generated/v1/validate.js";
import { responseValidator as v2Validator } from "../src/generated/v2/validate.js";
import { operationTable as v1OperationTable } from "../src/v1.js";
import { operationTable as v2OperationTable } from "../src/v2.js";
import { KEYS } from "./keys.js";

function subjectFor(version: "v1" | "v2", operationTable: ReliabilitySubject["operationTable"], movesFunds: string[]): ReliabilitySubject {
  return {
    name: `utexo-${version}`,
    specFile: fileURLToPath(new URL(`../../../specs/utexo/${version}.yaml`, import.meta.url)),
    operationTable,
    movesFunds,
    createClient: (options) => pkg.createUtexoClient({ version, keys: KEYS, ...options }) as unknown as ClientLike,
    secrets: Object.values(KEYS),
    responseValidator: version === "v1" ? v1Validator : v2Validator,
    errors: pkg,
  };
}

export const v1Subject = subjectFor("v1", v1OperationTable, ["settle", "payLightningInvoiceEnd", "withdrawEnd"]);
export const v2Subject = subjectFor("v2", v2OperationTable, ["payLightningInvoiceEnd", "settle", "onchainSendEnd"]);
