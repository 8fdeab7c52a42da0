// One Prism mock for the whole run, started from this package's own spec and always stopped.
import { fileURLToPath } from "node:url";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { startPrism } from "@satbind/tooling/prism";

export const specFile = fileURLToPath(new URL("../../../specs/lexe/openapi.yaml", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const prism = await startPrism(specFile);
  project.provide("prismUrl", prism.url);
  return () => prism.stop();
}
