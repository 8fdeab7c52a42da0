// specs:changeset on what issue 17's real spec changes showed: a change inside a schema that many
// operations share is listed once with the operations it reaches, not once per operation (which
// pushed the other changes under "and N more"); and a second run after a further spec edit
// replaces the file the first run wrote instead of adding a second one that lists it all again.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { specsChangeset } from "../bin/specs-changeset.js";

const op = (id: string) => `
    get:
      operationId: ${id}
      summary: ${id}
      responses:
        "200":
          description: The payment.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Payment" }`;

const SPEC = `openapi: 3.1.0
info: { title: Wallet, version: "1.0" }
paths:
  /payment:${op("getPayment")}
  /latest:${op("latestPayment")}
  /oldest:${op("oldestPayment")}
components:
  schemas:
    Payment:
      type: object
      required: [status]
      properties:
        status: { type: string, enum: [pending, done], description: Where it is. }
`;

let root: string;
const out: string[] = [];
const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" });
const run = () => specsChangeset({ root, since: "main", log: (l) => out.push(l), error: (l) => out.push(`error: ${l}`) });
const edit = (spec: string) => writeFileSync(join(root, "specs/wallet/openapi.yaml"), spec);
const files = () => readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md")).sort();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "satbind-changeset-grouping-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.org");
  git("config", "user.name", "test");
  mkdirSync(join(root, "specs/wallet"), { recursive: true });
  mkdirSync(join(root, "packages/wallet"), { recursive: true });
  mkdirSync(join(root, ".changeset"), { recursive: true });
  writeFileSync(join(root, "specs/wallet/manifest.json"), JSON.stringify({ package: "@satbind/wallet", description: "wallet", source: { kind: "hand-written" }, specs: { api: "openapi.yaml" } }));
  writeFileSync(join(root, "packages/wallet/package.json"), JSON.stringify({ name: "@satbind/wallet", version: "1.0.0" }));
  writeFileSync(join(root, ".changeset/spec-wallet-0released.md"), '---\n"@satbind/wallet": patch\n---\n\nAn earlier change, already on main.\n');
  edit(SPEC);
  git("add", "-A");
  git("commit", "-qm", "start");
  out.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it("one line per change to a shared schema, naming every operation it reaches", () => {
  edit(SPEC.replace("enum: [pending, done]", "enum: [pending, done, refunded]"));
  expect(run()).toBe(0);
  const text = readFileSync(join(root, ".changeset", files().find((f) => f !== "spec-wallet-0released.md")!), "utf8");
  expect(text).toContain('- response field `status` gained enum value "refunded" (in GET /payment, GET /latest, GET /oldest)\n');
  expect(text.match(/^- /gm)).toHaveLength(1);
});

it("a change that reaches one operation keeps its own words", () => {
  edit(SPEC.replace('  /oldest:', '  /oldest:\n    parameters: [{ name: limit, in: query, schema: { type: integer } }]'));
  run();
  const text = readFileSync(join(root, ".changeset", files().find((f) => f !== "spec-wallet-0released.md")!), "utf8");
  expect(text).toContain("- query parameter `limit` of GET /oldest was added");
});

it("a run after a further edit replaces the file the last run wrote, and leaves files from main alone", () => {
  edit(SPEC.replace("description: Where it is.", "description: Where the payment is."));
  run();
  const first = files();
  expect(first).toHaveLength(2);
  edit(SPEC.replace("description: Where it is.", "description: Where the payment is now.").replace("enum: [pending, done]", "enum: [pending, done, refunded]"));
  run();
  const second = files();
  expect(second).toHaveLength(2);
  expect(second).toContain("spec-wallet-0released.md");
  expect(second).not.toEqual(first);
  const replaced = first.find((f) => f !== "spec-wallet-0released.md")!;
  expect(out).toContain(`wallet: removed .changeset/${replaced}, which the new file replaces`);
  expect(readFileSync(join(root, ".changeset", second.find((f) => f !== "spec-wallet-0released.md")!), "utf8")).toMatch(/^---\n"@satbind\/wallet": major\n---/);
});

it("a run that finds its file already there keeps it, words added by hand included", () => {
  edit(SPEC.replace("enum: [pending, done]", "enum: [pending, done, refunded]"));
  run();
  const name = files().find((f) => f !== "spec-wallet-0released.md")!;
  const edited = `${readFileSync(join(root, ".changeset", name), "utf8")}\nRefunds now show up as \`refunded\`.\n`;
  writeFileSync(join(root, ".changeset", name), edited);
  out.length = 0;
  expect(run()).toBe(0);
  expect(readFileSync(join(root, ".changeset", name), "utf8")).toBe(edited);
  expect(out).toEqual([`wallet: .changeset/${name} already describes this spec; kept as it is`]);
});
