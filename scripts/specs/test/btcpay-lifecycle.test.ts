// A real third-party spec through the whole lifecycle, offline: BTCPay's Greenfield document
// (specs/btcpay/upstream, MIT) plus our overlays -> the spec -> validation, examples and types ->
// lint with only real findings. Run on a scratch copy, so nothing in the repository is touched.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "@satbind/codegen/bin/generate";
import { lintSpecs } from "../bin/specs-lint.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "satbind-btcpay-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyProvider(root: string, withOverlays: boolean): void {
  cpSync(join(repo, "specs/btcpay"), join(root, "specs/btcpay"), { recursive: true, filter: (src) => withOverlays || !src.includes("overlays") });
  rmSync(join(root, "specs/btcpay/openapi.yaml"));
  copyFileSync(join(repo, "redocly.yaml"), join(root, "redocly.yaml"));
  copyFileSync(join(repo, "LICENSE"), join(root, "LICENSE"));
  // The package as committed, without what generate writes: README and package.json hold its markers and fields.
  mkdirSync(join(root, "packages/btcpay"), { recursive: true });
  for (const file of ["README.md", "package.json"]) copyFileSync(join(repo, "packages/btcpay", file), join(root, "packages/btcpay", file));
}

const GENERATED = ["operations.ts", "responses.ts", "schema.ts", "spec.ts", "validate.ts"].map((f) => `packages/btcpay/src/generated/api/${f}`);

describe("BTCPay Greenfield, pristine upstream -> overlays -> generate -> lint, offline", () => {
  it("generates exactly the committed spec, validated and typed, and lint finds no error", async () => {
    const root = join(scratch, "with-overlays");
    copyProvider(root, true);
    const logs: string[] = [];
    const errors: string[] = [];
    expect(await generate({ root, providers: [], check: false, log: (l) => logs.push(l), error: (l) => errors.push(l) })).toBe(0);
    expect(errors).toEqual([]);
    expect(logs[0]).toBe("specs/btcpay/openapi.yaml: written from upstream + overlays");
    expect(logs[1]).toMatch(/^btcpay: \d+ files? updated$/);
    // The spec, the package's generated code, README table, package.json and LICENSE: all as committed.
    for (const file of ["specs/btcpay/openapi.yaml", ...GENERATED, "packages/btcpay/README.md", "packages/btcpay/package.json", "packages/btcpay/LICENSE"]) {
      expect(readFileSync(join(root, file), "utf8"), file).toBe(readFileSync(join(repo, file), "utf8"));
    }

    const out: string[] = [];
    const err: string[] = [];
    expect(lintSpecs({ root, providers: ["btcpay"], log: (l) => out.push(l), error: (l) => err.push(l) })).toBe(0);
    expect(err).toEqual([]);
    expect(out.at(-1)).toMatch(/^specs:lint: 1 spec, 0 errors, \d+ warnings$/);
    // Only findings about the document itself: no format noise.
    const rules = new Set(out.slice(0, -1).map((l) => /\[([a-z-]+)\] \(warning\)$/.exec(l)?.[1]));
    expect([...rules].sort()).toEqual(["no-ambiguous-paths", "no-illogical-composition-keywords", "spec-ref-siblings"]);
  }, 120_000);

  it("without the overlays, the upstream defects stop generation, each named", async () => {
    const root = join(scratch, "pristine");
    copyProvider(root, false);
    const errors: string[] = [];
    expect(await generate({ root, providers: [], check: false, log: () => {}, error: (l) => errors.push(l) })).toBe(1);
    expect(errors.filter((l) => l.includes('$ref "#/components/parameters/Subscriptions/Currency" does not resolve'))).toHaveLength(2);
    expect(errors.at(-1)).toMatch(/^generate: \d+ problems; nothing was written$/);
  }, 120_000);
});
