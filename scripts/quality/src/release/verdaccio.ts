// A throwaway npm registry (Verdaccio) on loopback for the release rehearsal. @satbind/* exists
// only in it (no uplink), so an install can only get them from our publish; every other package
// is proxied from the public npm registry. Installed at run time into a scratch folder, never
// into the workspace.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, stopProcess } from "@satbind/test-support/process";
import { run } from "./run.js";

// 6.10 and later need Node 22; 6.8.0 runs on Node 20.
export const VERDACCIO_VERSION = "6.8.0";

export interface Verdaccio {
  /** e.g. "http://127.0.0.1:4873" (no trailing slash). */
  url: string;
  /** An npm auth token of a user created in this registry, for publishing. */
  token: string;
  logFile: string;
  /** The end of Verdaccio's log, for failure messages. */
  logTail(): string;
  stop(): Promise<void>;
}

/** `npm install verdaccio@VERDACCIO_VERSION` into `toolsDir` from the ordinary npm registry. */
export async function installVerdaccio(toolsDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  mkdirSync(toolsDir, { recursive: true });
  const manifest = {
    private: true,
    dependencies: { verdaccio: VERDACCIO_VERSION },
    // verdaccio-audit asks for node-fetch's "cjs" dist-tag, which the registry no longer has;
    // 2.7.0 is the last CommonJS node-fetch, which that tag pointed at.
    overrides: { "verdaccio-audit": { "node-fetch": "2.7.0" } },
  };
  writeFileSync(join(toolsDir, "package.json"), JSON.stringify(manifest, null, 2));
  await run("npm", ["install", "--prefix", toolsDir, "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: toolsDir,
    env,
    logFile: join(toolsDir, "npm-install.log"),
    timeoutMs: 5 * 60_000,
  });
  const bin = join(toolsDir, "node_modules", "verdaccio", "bin", "verdaccio");
  if (!existsSync(bin)) throw new Error(`npm installed verdaccio@${VERDACCIO_VERSION} into ${toolsDir} but ${bin} is missing`);
  return bin;
}

/** Starts Verdaccio with its storage, users and log under `workDir`, and creates a publishing user. */
export async function startVerdaccio(bin: string, workDir: string, env: NodeJS.ProcessEnv): Promise<Verdaccio> {
  mkdirSync(join(workDir, "storage"), { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(workDir, "config.yaml");
  writeFileSync(configFile, verdaccioConfig(workDir));
  const logFile = join(workDir, "verdaccio.log");
  const logFd = openSync(logFile, "w");
  const child = spawn(process.execPath, [bin, "--config", configFile, "--listen", `127.0.0.1:${port}`], { cwd: workDir, env, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  const logTail = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : "");
  const stop = () => stopProcess(child);
  try {
    await waitForPing(child, url, 60_000);
    const token = await addUser(url);
    return { url, token, logFile, logTail, stop };
  } catch (error) {
    await stop();
    throw new Error(`Verdaccio on ${url}: ${(error as Error).message}\n  its log (${logFile}):\n${logTail()}`);
  }
}

function verdaccioConfig(workDir: string): string {
  // JSON is YAML, and it spares us quoting paths.
  const config = {
    storage: join(workDir, "storage"),
    auth: { htpasswd: { file: join(workDir, "htpasswd"), max_users: 10 } },
    uplinks: { npmjs: { url: "https://registry.npmjs.org/", timeout: "60s" } },
    packages: {
      // No proxy: these must come from the rehearsal's own publish, never from the real registry.
      "@satbind/*": { access: "$all", publish: "$authenticated", unpublish: "$authenticated" },
      "**": { access: "$all", publish: "nobody", proxy: "npmjs" },
    },
    web: { enable: false },
    max_body_size: "50mb",
    log: { type: "stdout", format: "pretty", level: "http" },
  };
  return JSON.stringify(config, null, 2) + "\n";
}

async function waitForPing(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (code ${child.exitCode ?? child.signalCode}) before answering /-/ping`);
    try {
      const response = await fetch(`${url}/-/ping`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`did not answer /-/ping within ${timeoutMs / 1000} s`);
}

/** Creates a user through the registry's adduser endpoint (what `npm adduser` calls) and returns its token. */
async function addUser(url: string): Promise<string> {
  const name = "rehearsal";
  const response = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password: `rehearsal-${process.pid}-${Date.now()}`, type: "user", roles: [], date: new Date().toISOString() }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!response.ok || typeof body.token !== "string") throw new Error(`creating a user failed: HTTP ${response.status} ${body.error ?? JSON.stringify(body)}`);
  return body.token;
}
