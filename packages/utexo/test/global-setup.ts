// Two mocks for the whole run, one per API version, each on its own spec (@satbind/testing: Prism
// on the spec, in vitest's main process), always stopped. Tests reach them with mockUrl("v1"), mockUrl("v2").
import { fileURLToPath } from "node:url";
import { mockGlobalSetup } from "@satbind/testing/vitest";
import { spec as v1 } from "../src/generated/v1/spec.js";
import { spec as v2 } from "../src/generated/v2/spec.js";

export const specFiles = {
  v1: fileURLToPath(new URL("../../../specs/utexo/v1.yaml", import.meta.url)),
  v2: fileURLToPath(new URL("../../../specs/utexo/v2.yaml", import.meta.url)),
} as const;

export default mockGlobalSetup({ v1, v2 });
