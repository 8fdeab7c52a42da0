// pnpm mock <provider>: a @satbind/testing mock that prints its URL, answers from the spec, and
// Ctrl-C (SIGINT) stops it cleanly, freeing the port.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "../src/process.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

describe("pnpm mock", () => {
  it("serves the provider's spec on the given port and stops on Ctrl-C", async () => {
    const port = await freePort();
    // As the root script runs it (`node --import tsx`): the SIGINT reaches the mock itself, not a tsx parent relaying it.
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/test-support/bin/mock.ts", "uma-auth", "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 45_000, interval: 50 }).toContain(`listening on http://127.0.0.1:${port}`);
      const ok = await fetch(`http://127.0.0.1:${port}/info`, { headers: { authorization: "Bearer x" } });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { network: string }).network).toBe("mainnet");
      const notFound = await fetch(`http://127.0.0.1:${port}/info`, { headers: { authorization: "Bearer x", prefer: "code=429" } });
      expect(notFound.status).toBe(429);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(output).toContain("mock stopped");
    await expect(fetch(`http://127.0.0.1:${port}/info`)).rejects.toThrow();
  }, 60_000);

  it("through pnpm, Ctrl-C to the whole process group (as a terminal sends it) is a clean stop: exit 0, no ELIFECYCLE", async () => {
    const port = await freePort();
    // Its own process group, so the SIGINT reaches pnpm, the script and the mock together, as a terminal's does.
    const child = spawn("pnpm", ["mock", "uma-auth", "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 45_000, interval: 50 }).toContain(`listening on http://127.0.0.1:${port}`);
    } finally {
      process.kill(-child.pid!, "SIGINT");
    }
    expect(await exited).toBe(0);
    expect(output).toContain("mock stopped");
    expect(output).not.toContain("ELIFECYCLE");
  }, 60_000);

  it("refuses a port in use with the kit's message", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const result = spawnSync(tsx, ["scripts/test-support/bin/mock.ts", "lexe", "--port", String(port)], { cwd: root, encoding: "utf8" });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`createMock: port ${port} on 127.0.0.1 is in use; pass another { port }, or none for a free one`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it.each([
    [["nope"], /unknown provider "nope"; specs\/ has .*uma-auth/],
    [[], /usage: pnpm mock <provider>/],
    [["uma-auth", "--port", "99999"], /--port must be 1-65535; got 99999/],
    [["uma-auth", "--verbose"], /unknown option --verbose/],
  ])("refuses %j with a clear message", (args, message) => {
    const result = spawnSync(tsx, ["scripts/test-support/bin/mock.ts", ...args], { cwd: root, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
