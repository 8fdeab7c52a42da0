// Two Prism mocks for the whole run, one per API version, each started from its own spec and
// always stopped.
import { fileURLToPath } from "node:url";
import type {} from "vitest";
import { startPrism } from "@satbind/tooling/prism";

export const specFiles = {
  v1: fileURLToPath(new URL("../../../specs/utexo/v1.yaml", import.meta.url)),
  v2: fileURLToPath(new URL("../../../specs/utexo/v2.yaml", import.meta.url)),
} as const;

export default async function setup(project: { provide(key: "prismUrls", value: { v1: string; v2: string }): void }) {
  const [v1, v2] = await Promise.all([startPrism(specFiles.v1), startPrism(specFiles.v2)]);
  project.provide("prismUrls", { v1: v1.url, v2: v2.url });
  return async () => {
    await Promise.all([v1.stop(), v2.stop()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    prismUrls: { v1: string; v2: string };
  }
}
