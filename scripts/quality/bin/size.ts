// pnpm size: what each provider package costs a browser bundle. For each one, esbuild bundles a
// file that imports the client factory and makes one call, minified for the browser, and we
// gzip the result. The figures are checked against scripts/quality/size-budgets.json; going over
// a budget fails (CI runs this), and so does any bundle that pulls in a provider's spec module
// (the spec is for tests, through `@satbind/<x>/spec`; importing a client must never load it).
// `pnpm size --update` rewrites the budgets to the current sizes plus headroom, for when growth is
// deliberate: review that diff like code.
//
// The packages are bundled from their built dist/ (run `pnpm build` first), resolved through
// their package.json "exports" and "sideEffects": exactly what a user's bundler sees.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { publishedPackages, repoRoot } from "../src/published.js";

const budgetsFile = join(repoRoot, "scripts", "quality", "size-budgets.json");
/**
 * Where we want the runtime plus one provider client to be (issue 18: 6 kB, then 5 kB). Shown
 * beside each figure; the committed budgets are what fail CI, so growth is caught while the
 * target is not yet met.
 */
const TARGET_GZIP_BYTES = 6 * 1024;
/** --update leaves this much room above today's size, so a budget fails on real growth, not noise. */
const HEADROOM = 1.05;

interface Entry {
  /** Row label and budget key. */
  name: string;
  /** The program a user would write. */
  code: string;
  /** Budgeted (CI fails above it) or shown for comparison only. */
  budgeted: boolean;
}

const entries: Entry[] = [
  {
    name: "openapi-fetch alone (reference)",
    code: `import createClient from "openapi-fetch";
export const call = createClient({ baseUrl: "https://api.example" }).GET("/info");`,
    budgeted: false,
  },
  {
    name: "@satbind/uma-auth",
    code: `import { createUmaAuthClient } from "@satbind/uma-auth";
export const call = createUmaAuthClient({ vaspHost: "vasp.example", token: "t" }).GET("/info");`,
    budgeted: true,
  },
  {
    name: "@satbind/lexe",
    code: `import { createLexeClient } from "@satbind/lexe";
export const call = createLexeClient({}).GET("/v2/node/node_info");`,
    budgeted: true,
  },
  {
    name: "@satbind/deezy",
    code: `import { createDeezyClient } from "@satbind/deezy";
export const call = createDeezyClient({}).GET("/v1/swap/info");`,
    budgeted: true,
  },
  {
    name: "@satbind/utexo",
    code: `import { createUtexoClient } from "@satbind/utexo";
export const call = createUtexoClient({ version: "v2", keys: { xpubVan: "x", xpubCol: "y", masterFingerprint: "z" } }).GET("/wallet/balance");`,
    budgeted: true,
  },
  {
    name: "@satbind/btcpay",
    code: `import { createBtcpayClient } from "@satbind/btcpay";
export const call = createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: "k" }).GET("/api/v1/stores");`,
    budgeted: true,
  },
  {
    name: "@satbind/btcpay, with verifyWebhookSignature",
    code: `import { createBtcpayClient, verifyWebhookSignature } from "@satbind/btcpay";
export const call = createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: "k" }).GET("/api/v1/stores");
export const ok = verifyWebhookSignature("{}", "sha256=00", "s");`,
    budgeted: false,
  },
  {
    name: "@satbind/lexe, every export",
    code: `export * from "@satbind/lexe";`,
    budgeted: false,
  },
  {
    name: "@satbind/utexo, every export",
    code: `export * from "@satbind/utexo";`,
    budgeted: false,
  },
];

interface Measured {
  name: string;
  minified: number;
  gzipped: number;
  /** Without code splitting (esbuild's default): one file, lazy imports inlined. The budgeted figure. */
  unsplitMinified: number;
  unsplitGzipped: number;
  budgeted: boolean;
  /** Minified bytes each source file contributes to the unsplit bundle. */
  pieces: { file: string; bytes: number }[];
  /** Spec modules (a package's ./spec entry) in the unsplit bundle: a client must never pull them in. */
  specModules: string[];
}

/** A provider's spec-as-data entry, as built: dist/generated/<id>/spec.js. */
const SPEC_MODULE = /\/dist\/generated\/[^/]+\/spec\.c?js$/;

async function bundle(entry: Entry, resolveDir: string, splitting: boolean, fromSources = false) {
  return build({
    // --pieces: the packages' TypeScript sources instead of their built dist/ (which tsup bundles
    // into one file per entry), so the breakdown names each source file.
    ...(fromSources && { alias: sourceAliases(), resolveExtensions: [".ts", ".js"] }),
    stdin: { contents: entry.code, resolveDir, sourcefile: "entry.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    splitting,
    outdir: "out",
    metafile: true,
    write: false,
    logLevel: "silent",
  });
}

async function measure(entry: Entry, resolveDir: string): Promise<Measured> {
  // With splitting, code behind a dynamic import becomes its own chunk that loads only when used,
  // as in app bundlers; it is not counted.
  const split = await bundle(entry, resolveDir, true);
  const outputs = split.metafile.outputs;
  const entryPath = Object.keys(outputs).find((path) => outputs[path]!.entryPoint !== undefined || path.endsWith("stdin.js"))!;
  // The entry chunk plus every chunk it imports statically: what loads before the call is made.
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const imported of outputs[path]!.imports) if (imported.kind === "import-statement") visit(imported.path);
  };
  visit(entryPath);
  const files = split.outputFiles.filter((file) => [...loaded].some((path) => file.path.endsWith(`/${path}`)));
  // Without splitting (esbuild's default, and many library and server bundles): everything the
  // program can reach, lazy imports included, is in the one file.
  const unsplit = await bundle(entry, resolveDir, false);
  const single = unsplit.outputFiles[0]!.contents;
  const specModules = Object.keys(Object.values(unsplit.metafile.outputs)[0]!.inputs).filter((file) => SPEC_MODULE.test(file)).map(shortName);
  const inputs = showPieces ? Object.values((await bundle(entry, resolveDir, false, true)).metafile.outputs)[0]!.inputs : {};
  const pieces = Object.entries(inputs)
    .map(([file, { bytesInOutput }]) => ({ file: shortName(file), bytes: bytesInOutput }))
    .filter((p) => p.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return {
    name: entry.name,
    minified: files.reduce((sum, file) => sum + file.contents.byteLength, 0),
    gzipped: files.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).byteLength, 0),
    unsplitMinified: single.byteLength,
    unsplitGzipped: gzipSync(single, { level: 9 }).byteLength,
    budgeted: entry.budgeted,
    pieces,
    specModules,
  };
}

function sourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const pkg of publishedPackages()) {
    const manifest = JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8")) as { tsup?: { entry?: string[] } };
    for (const source of manifest.tsup?.entry ?? []) {
      // src/index.ts -> @satbind/x; src/v1.ts -> @satbind/x/v1; src/generated/api/validate.ts -> @satbind/x/validate
      const sub = source.replace(/^src\//, "").replace(/\.ts$/, "").replace(/^generated\/api\//, "").replace(/^generated\//, "");
      aliases[sub === "index" ? `@satbind/${pkg.slug}` : `@satbind/${pkg.slug}/${sub}`] = join(pkg.dir, source);
    }
  }
  return aliases;
}

/** node_modules/@satbind/lexe/dist/index.js -> @satbind/lexe/dist/index.js */
function shortName(file: string): string {
  const at = file.lastIndexOf("node_modules/");
  return at === -1 ? file : file.slice(at + "node_modules/".length);
}

const showPieces = process.argv.includes("--pieces");
const kB = (bytes: number) => `${(bytes / 1024).toFixed(2)} kB`;

async function main(): Promise<number> {
  const update = process.argv.includes("--update");
  // A folder whose node_modules links to the workspace packages, as an app's would after install.
  const scratch = mkdtempSync(join(tmpdir(), "satbind-size-"));
  try {
    mkdirSync(join(scratch, "node_modules", "@satbind"), { recursive: true });
    for (const pkg of publishedPackages()) symlinkSync(pkg.dir, join(scratch, "node_modules", "@satbind", pkg.slug), "dir");
    symlinkSync(join(repoRoot, "packages", "runtime", "node_modules", "openapi-fetch"), join(scratch, "node_modules", "openapi-fetch"), "dir");

    const measured: Measured[] = [];
    for (const entry of entries) measured.push(await measure(entry, scratch));

    const budgets = JSON.parse(readFileSync(budgetsFile, "utf8")) as { gzipBytes: Record<string, number> };
    if (update) {
      budgets.gzipBytes = Object.fromEntries(measured.filter((m) => m.budgeted).map((m) => [m.name, Math.ceil(Math.max(m.gzipped, m.unsplitGzipped) * HEADROOM)]));
      writeFileSync(budgetsFile, JSON.stringify(budgets, null, 2) + "\n");
    }

    // Each failure names its bundle, so the pass/fail line counts bundles, not messages.
    const failures: { name: string; message: string }[] = [];
    const fail = (name: string, message: string) => failures.push({ name, message: `${name} ${message}` });
    // The spec is for tests (`@satbind/<x>/spec`): importing a client must never bundle it.
    for (const m of measured) if (m.specModules.length > 0) fail(m.name, `includes a spec module (${m.specModules.join(", ")}): the client must not import ./spec`);
    const rows = measured.map((m) => {
      const budget = budgets.gzipBytes[m.name];
      let verdict = "(reference)";
      if (m.budgeted) {
        if (budget === undefined) fail(m.name, "has no budget in scripts/quality/size-budgets.json (run pnpm size --update)");
        else {
          if (m.gzipped > budget) fail(m.name, `is ${m.gzipped} B gzipped with code splitting, over its budget of ${budget} B`);
          if (m.unsplitGzipped > budget) fail(m.name, `is ${m.unsplitGzipped} B gzipped without code splitting, over its budget of ${budget} B`);
        }
        verdict = budget === undefined ? "no budget" : Math.max(m.gzipped, m.unsplitGzipped) <= budget ? "ok" : "OVER BUDGET";
      }
      const worst = Math.max(m.gzipped, m.unsplitGzipped);
      const target = m.budgeted ? `${kB(TARGET_GZIP_BYTES)} ${worst <= TARGET_GZIP_BYTES ? "met" : "not met"}` : "-";
      return [m.name, kB(m.unsplitMinified), kB(m.unsplitGzipped), kB(m.minified), kB(m.gzipped), m.budgeted && budget !== undefined ? kB(budget) : "-", verdict, target];
    });
    console.log("Client factory + one call, bundled for the browser by esbuild (minified, then gzip -9), without and with code splitting:\n");
    printTable(["bundle", "unsplit min", "unsplit gz", "split min", "split gz", "budget", "", "target"], rows);
    if (showPieces) {
      for (const m of measured) {
        console.log(`\n${m.name}, unsplit: minified bytes per source file (esbuild metafile)`);
        printTable(["file", "minified"], m.pieces.map((p) => [p.file, String(p.bytes)]));
      }
    }
    for (const failure of failures) console.log(`size: ${failure.message}`);
    const failedNames = new Set(failures.map((f) => f.name));
    console.log(`size: ${measured.length - failedNames.size} passed, ${failedNames.size} failed`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`size: could not measure: ${error.message}`);
    console.log("size: 0 passed, 1 failed");
    process.exitCode = 1;
  },
);
