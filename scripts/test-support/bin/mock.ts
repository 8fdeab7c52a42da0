// pnpm mock <provider> [--port N] [--dynamic] [--spec ID]
// A mock of a provider's spec for building against it: @satbind/testing's createMock, the server
// our users get (Prism on the spec, every request validated). Ctrl-C stops it.
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { listProviders, readManifest } from "@satbind/codegen/manifest";
import { createMock, MockError } from "@satbind/testing";
import { formatProblem } from "@satbind/codegen/spec";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const specsDir = join(root, "specs");
const args = process.argv.slice(2);
const usage = "usage: pnpm mock <provider> [--port N] [--dynamic] [--spec ID]";

function option(name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) fail(`${name} needs a value; ${usage}`);
  args.splice(i, 2);
  return value;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const portText = option("--port");
const specId = option("--spec");
const dynamic = args.includes("--dynamic");
const positional = args.filter((a) => a !== "--dynamic");
if (positional.some((a) => a.startsWith("-"))) fail(`unknown option ${positional.find((a) => a.startsWith("-"))}; ${usage}`);
const provider = positional[0];
const providers = listProviders(specsDir);
if (!provider || positional.length > 1) fail(`${usage}\nproviders: ${providers.join(", ")}`);
if (!providers.includes(provider)) fail(`unknown provider "${provider}"; specs/ has ${providers.join(", ")}`);
const port = portText === undefined ? undefined : Number(portText);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) fail(`--port must be 1-65535; got ${portText}`);

const manifest = readManifest(specsDir, provider);
if (!manifest.ok) {
  for (const p of manifest.problems) console.error(formatProblem(p, root));
  process.exit(1);
}
const ids = Object.keys(manifest.manifest.specs);
const id = specId ?? ids[0]!;
if (!ids.includes(id)) fail(`${provider} has specs ${ids.join(", ")}; got --spec ${id}`);
const specFile = join(manifest.manifest.dir, manifest.manifest.specs[id]!);

// A port in use and the like are the caller's to fix: one line, exit 2.
const mock = await createMock(specFile, { ...(port !== undefined && { port }), dynamic }).catch((error: unknown) => {
  if (error instanceof MockError) fail(error.message);
  throw error;
});
// Ctrl-C is how this is meant to stop, and a clean stop exits 0. The handlers go in before the
// "listening" line, so a Ctrl-C after it never meets Node's default (exit 130, and pnpm's
// ELIFECYCLE). The same Ctrl-C arrives twice (the terminal signals the process group, and pnpm
// passes it on): the second is ignored while the mock closes. The root script runs
// `exec node --import tsx`: no shell, and no tsx parent, whose relay gives the child 30 ms to
// answer before killing it (exit 130 on a busy machine).
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void mock.close().then(() => {
      console.log("mock stopped");
      process.exit(0);
    });
  });
}
console.log(`${provider} mock (${id}) listening on ${mock.url}  (Ctrl-C stops it)`);
console.log(`  spec: ${specFile.slice(root.length + 1)}`);
console.log(`  pick an error with the header  Prefer: code=404`);
