// Ten consecutive real versions of one BTCPay template (the invoices one), replayed through the
// diff, each pair's bump checked against the one we judged it deserves. The versions are read from
// a local git mirror of btcpayserver/btcpayserver named by SATBIND_BTCPAY_MIRROR (a git directory);
// none of that history is committed here. Each version is the whole merged document at the
// reference commit with only the invoices template swapped for the older one, so a pair differs by
// exactly what that template's commit changed. The same merge at the reference commit is checked to
// be the pinned copy in specs/btcpay.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diffSpecs, type Bump } from "../src/spec-diff/index.js";
import { deepMerge } from "@satbind/codegen/upstream";

const MIRROR = process.env.SATBIND_BTCPAY_MIRROR;
const REFERENCE = "03345c2886a5"; // the commit specs/btcpay/upstream/greenfield-v1.json was merged from
const DIR = "BTCPayServer/wwwroot/swagger/v1/";
const TEMPLATE = `${DIR}swagger.template.invoices.json`;
const BASE = `${DIR}swagger.template.json`;
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Key order does not matter to a document's meaning. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
}

/** Commit (as git abbreviates it) -> the bump its change to the invoices template deserves, and why. */
const EXPECTED: [commit: string, bump: Bump, why: string][] = [
  ["7db510b5c", "major", "invoice metadata's receiptData narrowed from any value to an object: callers sending another value break"],
  ["c48370576", "minor", "invoices gained paidAmount"],
  ["b445f32b6", "minor", "a new operation (refund trigger data) and its schema"],
  ["1d3cb7573", "patch", "a description removed"],
  ["2ba0a8842", "minor", "an optional includePaymentMethods parameter, and paymentMethods in the list's answer"],
  ["ad6fa344c", "major", "invoice operations moved to storeId-less routes, keeping their operationIds"],
  ["d4da8916a", "major", "refund's payoutMethodId replaced by a payoutMethods list"],
  ["76e089aee", "minor", "an optional includePaymentMethods parameter on get invoice"],
  ["4eaae5bd9", "minor", "an optional comment on invoices"],
  ["5664bd412", "major", "the comment removed again"],
];

const usable = MIRROR !== undefined && existsSync(MIRROR);
const skipNote = usable ? "" : " (skipped: set SATBIND_BTCPAY_MIRROR to a git directory of github.com/btcpayserver/btcpayserver)";

describe("BTCPay's real invoices template history", () => {
  it.skipIf(!usable)(`ten consecutive versions, each change with the bump it deserves${skipNote}`, () => {
    const git = (...args: string[]) => execFileSync("git", ["--git-dir", MIRROR!, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
    // The base template first, then the others: the order BTCPay's server merges them in.
    const all = git("ls-tree", "--name-only", REFERENCE, DIR).split("\n").filter((f) => /swagger\.template.*\.json$/.test(f)).sort();
    const templates = [BASE, ...all.filter((f) => f !== BASE)];
    const atReference = new Map(templates.map((f) => [f, JSON.parse(git("show", `${REFERENCE}:${f}`)) as unknown]));
    const documentAt = (commit: string) => templates.map((f) => (f === TEMPLATE ? (JSON.parse(git("show", `${commit}:${f}`)) as unknown) : atReference.get(f))).reduce((a, b) => deepMerge(a, b));
    const commits = git("log", "--format=%h", "--abbrev=9", `-${EXPECTED.length + 1}`, REFERENCE, "--", TEMPLATE).trim().split("\n").reverse();
    expect(commits.slice(1)).toEqual(EXPECTED.map(([commit]) => commit));

    // The pinned copy in specs/btcpay is this merge at the reference commit (BTCPay's server also
    // sorts the tags by name and sets servers to its own address).
    const merged = documentAt(REFERENCE) as { tags: { name: string }[]; servers?: unknown };
    const pinned = JSON.parse(readFileSync(join(repo, "specs/btcpay/upstream/greenfield-v1.json"), "utf8")) as typeof merged;
    const comparable = (d: typeof merged) => canonical({ ...d, tags: [...d.tags].sort((a, b) => a.name.localeCompare(b.name)), servers: undefined });
    expect(comparable(merged)).toEqual(comparable(pinned));

    const got: [string, Bump][] = [];
    let before = documentAt(commits[0]!);
    for (const commit of commits.slice(1)) {
      const after = documentAt(commit);
      got.push([commit, diffSpecs(before, after).bump]);
      before = after;
    }
    expect(got).toEqual(EXPECTED.map(([commit, bump]) => [commit, bump]));
  }, 120_000);
});
