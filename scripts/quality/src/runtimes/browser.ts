// The smokes in headless Chromium. A loopback server serves one ESM page whose import map points
// the bare specifiers at the ESM files in the scratch project's node_modules, and proxies each
// Prism under the same origin (so no CORS is involved). The page runs every smoke and POSTs the
// outcomes back to /result.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, relative, resolve, sep } from "node:path";
import { json, listenOnLoopback } from "@satbind/test-support/test-server";
import { runCommand, startGroup, stopGroup, tail } from "./exec.js";
import { smokeFile, type Outcome, type SmokeUrls } from "./project.js";

export const CHROMIUM = "/usr/bin/chromium";

/** "Chromium 150.0.7871.100". Throws when Chromium is missing or does not answer. */
export async function chromiumVersion(): Promise<string> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with apt-get install -y chromium`);
  const answer = await runCommand(CHROMIUM, ["--version"], { cwd: tmpdir(), timeoutMs: 60_000 });
  const version = /Chromium [\d.]+/.exec(answer.stdout)?.[0];
  if (answer.code !== 0 || !version) throw new Error(`${CHROMIUM} --version failed (exit ${answer.code}): ${tail(answer.stdout + answer.stderr)}`);
  return version;
}

export interface BrowserRunOptions {
  /** The scratch project: smoke modules at its root, packages in its node_modules. */
  projectDir: string;
  /** The Prism URLs; the page reaches each through this server's /prism/<slug>/<specKey>/. */
  urls: SmokeUrls;
  timeoutMs: number;
}

/** Runs every smoke in a fresh headless Chromium; the outcomes by provider slug. */
export async function runInChromium(options: BrowserRunOptions): Promise<Map<string, Outcome>> {
  let deliver!: (outcomes: Map<string, Outcome>) => void;
  const delivered = new Promise<Map<string, Outcome>>((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    serve(req, res, options, deliver, pageOrigin).catch((error: Error) => {
      if (!res.headersSent) json(res, 500, { pageServerError: error.message });
      else res.destroy();
    });
  });
  const listening = await listenOnLoopback(server);
  const pageOrigin = listening.url;

  const userDataDir = mkdtempSync(join(tmpdir(), "satbind-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    // Without these Chromium keeps trying to reach Google's servers.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${userDataDir}`,
    `${pageOrigin}/`,
  ];
  // HOME in the scratch dir too, so caches Chromium writes outside the profile go away with it.
  const chromium = startGroup(CHROMIUM, args, { cwd: userDataDir, env: { ...process.env, HOME: userDataDir } });
  let stderr = "";
  chromium.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  chromium.stdout!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  try {
    const exited = new Promise<never>((_, reject) => {
      chromium.once("error", (error) => reject(new Error(`could not start ${CHROMIUM}: ${error.message}`)));
      chromium.once("exit", (code, signal) => reject(new Error(`Chromium exited (${signal ?? `code ${code}`}) before the page posted its results`)));
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no results from the page within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    });
    return await Promise.race([delivered, exited, timedOut]);
  } catch (error) {
    throw new Error(`${(error as Error).message}; Chromium's output:\n${tail(stderr) || "(none)"}`);
  } finally {
    clearTimeout(timer);
    await stopGroup(chromium);
    await listening.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, options: BrowserRunOptions, deliver: (outcomes: Map<string, Outcome>) => void, origin: string): Promise<void> {
  const path = new URL(req.url ?? "/", origin).pathname;
  if (path.startsWith("/prism/")) return proxyToPrism(req, res, path, options.urls);
  if (req.method === "POST" && path === "/result") {
    const outcomes = JSON.parse(await readBody(req)) as { provider: string; result?: unknown; error?: { message: string; stack?: string } }[];
    json(res, 200, { ok: true });
    deliver(new Map(outcomes.map((o) => [o.provider, o.error ? { error: o.error } : { result: o.result }])));
    return;
  }
  if (req.method !== "GET") return json(res, 405, { error: `${req.method} ${path}` });
  if (path === "/") return send(res, 200, "text/html; charset=utf-8", page(options, origin));
  const slug = Object.keys(options.urls).find((s) => path === `/${smokeFile(s)}`);
  if (slug) return sendFile(res, join(options.projectDir, smokeFile(slug)));
  if (path.startsWith("/node_modules/")) {
    const nodeModules = join(options.projectDir, "node_modules");
    const file = resolve(nodeModules, decodeURIComponent(path.slice("/node_modules/".length)));
    if (!file.startsWith(nodeModules + sep)) return json(res, 403, { error: path });
    return sendFile(res, file);
  }
  json(res, 404, { error: `not found: ${path}` });
}

/** The page: the import map, then each smoke imported and run in turn, then one POST of the outcomes. */
function page(options: BrowserRunOptions, origin: string): string {
  const imports = importMap(join(options.projectDir, "node_modules"));
  const sameOriginUrls = Object.fromEntries(
    Object.entries(options.urls).map(([slug, specs]) => [slug, Object.fromEntries(Object.keys(specs).map((key) => [key, `${origin}/prism/${slug}/${key}`]))]),
  );
  // JSON inside <script>: escape "<" so no value can close the tag.
  const script = (value: unknown) => JSON.stringify(value, null, 2).replace(/</g, "\\u003c");
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>satbind runtime smokes</title>
<script type="importmap">
${script({ imports })}
</script>
</head>
<body>
<script type="module">
const urls = ${script(sameOriginUrls)};
const outcomes = [];
for (const [provider, providerUrls] of Object.entries(urls)) {
  try {
    const { default: smoke } = await import("/smoke-" + provider + ".mjs");
    outcomes.push({ provider, result: await smoke(providerUrls) });
  } catch (error) {
    outcomes.push({ provider, error: { message: String(error?.message ?? error), stack: error?.stack } });
  }
}
await fetch("/result", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(outcomes) });
</script>
</body>
</html>
`;
}

// A browser's export conditions, in the order a bundler targeting browsers would try them.
const BROWSER_CONDITIONS = ["browser", "import", "module", "default"];

/**
 * Bare specifier -> URL for every installed package, from its "exports" (or "module"/"main").
 * Subpath patterns ending in "*" become prefix mappings ("openapi-fetch/" -> its directory).
 * Packages with no JavaScript for a browser (types only) get no entry.
 */
export function importMap(nodeModules: string): Record<string, string> {
  const imports: Record<string, string> = {};
  for (const name of installedPackages(nodeModules)) {
    const manifest = JSON.parse(readFileSync(join(nodeModules, name, "package.json"), "utf8")) as { exports?: unknown; module?: string; main?: string };
    const base = `/node_modules/${name}/`;
    const entry = manifest.module ?? manifest.main;
    const exportsField = manifest.exports ?? (entry ? `./${entry.replace(/^\.\//, "")}` : undefined);
    if (exportsField === undefined) continue;
    const hasSubpaths = typeof exportsField === "object" && exportsField !== null && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith("."));
    const subpaths = hasSubpaths ? (exportsField as Record<string, unknown>) : { ".": exportsField };
    for (const [subpath, target] of Object.entries(subpaths)) {
      const file = pickTarget(target);
      if (file === undefined || !file.startsWith("./")) continue;
      const specifier = subpath === "." ? name : `${name}/${subpath.slice(2)}`;
      if (subpath.endsWith("/*") && file.endsWith("/*")) imports[specifier.slice(0, -1)] = base + file.slice(2, -1);
      else if (!subpath.includes("*")) imports[specifier] = base + file.slice(2);
    }
  }
  return imports;
}

function pickTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) return target.map(pickTarget).find((t) => t !== undefined);
  if (typeof target !== "object" || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!BROWSER_CONDITIONS.includes(condition)) continue;
    const picked = pickTarget(value);
    if (picked !== undefined) return picked;
  }
  return undefined;
}

/** Every package installed in `nodeModules`, by name ("openapi-fetch", "@satbind/runtime"). */
function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    if (entry.name.startsWith("@")) {
      for (const scoped of readdirSync(join(nodeModules, entry.name))) names.push(`${entry.name}/${scoped}`);
    } else {
      names.push(entry.name);
    }
  }
  return names.sort();
}

/** /prism/<slug>/<specKey>/<rest> -> <that Prism>/<rest>, method, headers and body as they came. */
function proxyToPrism(req: IncomingMessage, res: ServerResponse, path: string, urls: SmokeUrls): void {
  const [slug = "", key = ""] = path.slice("/prism/".length).split("/");
  const prismUrl = urls[slug]?.[key];
  if (!prismUrl) return json(res, 404, { error: `no Prism for ${slug}/${key}` });
  const rest = (req.url ?? "").slice(`/prism/${slug}/${key}`.length);
  const target = new URL(prismUrl + rest);
  const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (error) => {
    if (!res.headersSent) json(res, 502, { proxyError: `${target.href}: ${error.message}` });
    else res.destroy();
  });
  req.pipe(upstream);
}

const CONTENT_TYPES: Record<string, string> = { ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".map": "application/json" };

function sendFile(res: ServerResponse, file: string): void {
  if (!existsSync(file)) return json(res, 404, { error: `not found: ${relative(tmpdir(), file)}` });
  send(res, 200, CONTENT_TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file));
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
