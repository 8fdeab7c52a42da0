// One Prism mock for the whole run, started from this package's own spec and always stopped.
import { fileURLToPath } from "node:url";
import type {} from "vitest";
import { prismGlobalSetup } from "@satbind/tooling/prism";

export const specFile = fileURLToPath(new URL("../../../specs/uma-auth/openapi.yaml", import.meta.url));

export default prismGlobalSetup(specFile);

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}
