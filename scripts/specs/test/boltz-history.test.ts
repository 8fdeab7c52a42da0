// The four change families of issue 22 (header spelling, unions compared by shape, a success status
// that changes, servers by index), each checked on a real consecutive pair of versions of Boltz's
// published OpenAPI 3.0 document (swagger-spec.json in BoltzExchange/boltz-backend). The versions
// are read from a local git mirror of that repository named by SATBIND_BOLTZ_MIRROR (a git
// directory); none of that history is committed here: only commit hashes, our expected bumps and
// our words. Every consecutive pair of the file's history is also replayed, to show none crashes.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffSpecs, type Bump, type SpecChange } from "../src/spec-diff/index.js";

const MIRROR = process.env.SATBIND_BOLTZ_MIRROR;
const FILE = "swagger-spec.json";

/** A line the family must show: its bump, the start of its kind, and words its message contains. */
type Line = [bump: Bump, kind: string, ...says: string[]];

interface Pair {
  before: string;
  after: string;
  family: string;
  /** The bump of the whole pair (other changes in it may raise it above the family's own line). */
  bump: Bump;
  why: string;
  shows: Line[];
  /** Every change whose `kind message` matches this is one of the lines shown (nothing else said about it). */
  only: RegExp;
}

const PAIRS: Pair[] = [
  {
    before: "1e496c49", after: "cbb8dfd6", family: "header spelling", bump: "major",
    why: "the stats endpoint's Referral header became referral: the same header on the wire, but the typed client keys it by spelling",
    shows: [["major", "parameter-renamed", "header parameter `Referral`", "is now spelt `referral`"]],
    only: /^parameter-renamed /,
  },
  {
    before: "a90eaf81", after: "77b7e82a", family: "union by shape: object becomes a oneOf led by itself inline", bump: "minor",
    why: "the rescue request (also restore's) became oneOf [the same xpub object written inline, a single key, a list of keys]: a widening",
    shows: [
      ["minor", "request-union-changed", "request body of POST /swap/rescue", "every value of before still fits"],
      ["minor", "request-union-changed", "request body of POST /swap/restore", "every value of before still fits"],
    ],
    only: /^request\S* .*POST \/swap\/(rescue|restore)/,
  },
  {
    before: "1e496c49", after: "cbb8dfd6", family: "union by shape: response oneOf [integer, number] becomes number", bump: "major",
    why: "the stats series' fee and routing-fee points lost their oneOf [integer, number] for number: same values, same type, a patch (the pair is major for the header and other changes)",
    shows: [
      ["patch", "response-union-rewritten", "`fee[][]`", "(the same values)"],
      ["patch", "response-union-rewritten", "`maximalRoutingFee[][]`", "(the same values)"],
    ],
    only: /^response-union/,
  },
  {
    before: "4156c2c8", after: "1e11c444", family: "union by shape: a request union nested in a larger one", bump: "major",
    why: "restore's request became oneOf [the three-shape rescue union, an EVM address]: one new member to send, not a change per old member (the pair is major for removed response fields)",
    shows: [["minor", "request-variant-added", "request body of POST /swap/restore can now also be"]],
    only: /^request\S* .*POST \/swap\/restore/,
  },
  {
    before: "bacf5555", after: "30ad5f03", family: "success status changed", bump: "major",
    why: "broadcasting a transaction answers 201 where it answered 200, the body differing only in descriptions: code checking for 200 breaks",
    // One line: the body differs only in its words, so it is the same body under a new status.
    shows: [["major", "response-status-changed", "POST /chain/{currency}/transaction now answers 201 where it answered 200"]],
    only: /POST \/chain\/\{currency\}\/transaction/,
  },
  {
    before: "8b0247a5", after: "19310029", family: "servers by index", bump: "major",
    why: "the testnet server was dropped from [mainnet, testnet, regtest]: regtest moved to servers[1]",
    shows: [
      ["major", "server-removed", "(servers[1]) was removed", "clients that pick a server by index"],
      ["major", "server-index-changed", "CLIENTS THAT PICK A SERVER BY INDEX NOW POINT AT ANOTHER SERVER"],
    ],
    only: /^server/,
  },
];

const usable = MIRROR !== undefined && existsSync(MIRROR);
const skipNote = usable ? "" : " (skipped: set SATBIND_BOLTZ_MIRROR to a git directory of github.com/BoltzExchange/boltz-backend)";
const git = (...args: string[]) => execFileSync("git", ["--git-dir", MIRROR!, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
const documentAt = (commit: string) => JSON.parse(git("show", `${commit}:${FILE}`)) as unknown;
const matches = (c: SpecChange, [bump, kind, ...says]: Line) => c.bump === bump && c.kind.startsWith(kind) && says.every((w) => c.message.includes(w));

describe("Boltz's real swagger-spec.json history", () => {
  for (const pair of PAIRS) {
    it.skipIf(!usable)(`${pair.family}: ${pair.before} -> ${pair.after} is ${pair.bump}${skipNote}`, () => {
      // A real consecutive pair: the file at `before` is the one `after`'s commit changed.
      expect(git("rev-parse", `${pair.after}^:${FILE}`)).toBe(git("rev-parse", `${pair.before}:${FILE}`));
      const diff = diffSpecs(documentAt(pair.before), documentAt(pair.after));
      const said = diff.changes.map((c) => `${c.bump} ${c.kind}: ${c.message}`);
      expect(diff.bump, said.join("\n")).toBe(pair.bump);
      for (const line of pair.shows) expect(diff.changes.some((c) => matches(c, line)), `${line.join(" | ")}\n${said.join("\n")}`).toBe(true);
      const about = diff.changes.filter((c) => pair.only.test(`${c.kind} ${c.message}`));
      expect(about.filter((c) => !pair.shows.some((line) => matches(c, line))).map((c) => `${c.bump} ${c.kind}: ${c.message}`)).toEqual([]);
    });
  }

  it.skipIf(!usable)(`every consecutive pair of the file's history is diffed without a crash${skipNote}`, () => {
    const commits = git("log", "--format=%H", "--", FILE).trim().split("\n").reverse();
    expect(commits.length).toBeGreaterThan(100);
    let before = documentAt(commits[0]!);
    for (const commit of commits.slice(1)) {
      const after = documentAt(commit);
      expect(["major", "minor", "patch", "none"], commit).toContain(diffSpecs(before, after).bump);
      before = after;
    }
  }, 120_000);
});
