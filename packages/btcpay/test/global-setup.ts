// One mock of this package's own spec for the whole run (@satbind/testing: Prism on the spec, in
// vitest's main process), always stopped. Tests reach it with mockUrl("api").
import { fileURLToPath } from "node:url";
import { mockGlobalSetup } from "@satbind/testing/vitest";
import { spec } from "../src/generated/api/spec.js";

export const specFile = fileURLToPath(new URL("../../../specs/btcpay/openapi.yaml", import.meta.url));

export default mockGlobalSetup({ api: spec });
