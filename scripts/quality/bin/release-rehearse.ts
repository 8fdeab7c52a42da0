// pnpm release:rehearse [-- --provider <slug>]: the whole release, for real, against a throwaway
// registry. A scratch copy of the working tree is installed and built, `changeset version` and
// `changeset publish` run in it against Verdaccio on loopback, then a fresh project installs one
// provider package from there with plain npm, as a user would, and calls a mock of its spec with
// it; then it adds @satbind/testing and vitest, and runs the provider README's test.
// The repository itself is never touched, and nothing can reach the real npm registry's publish:
// every npm and pnpm command that talks to a registry sees only the loopback one.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { createMock, type Mock } from "@satbind/testing";
import { freePort } from "@satbind/test-support/process";
import { providerSmokes, publishedPackages, repoRoot } from "../src/published.js";
import { copyWorkingTree } from "../src/release/copy.js";
import { inDetachedWorker } from "../src/release/detached.js";
import { formatBytes, listInstalled, sizeOf, type InstalledPackage } from "../src/release/installed.js";
import { run, stopRunningCommands } from "../src/release/run.js";
import { installKitAndRunReadmeTest, KIT_PINS } from "../src/release/test-kit.js";
import { installVerdaccio, startVerdaccio, VERDACCIO_VERSION, type Verdaccio } from "../src/release/verdaccio.js";

// The work runs in a detached worker that tsx cannot kill half way through its cleanup.
await inDetachedWorker(fileURLToPath(import.meta.url), () => interrupt("the launching process ended", 1));

const startedAt = Date.now();
const seconds = () => `${Math.round((Date.now() - startedAt) / 1000)} s`;

// `pnpm release:rehearse -- --provider x` may hand the script a literal "--".
const { values: options } = parseArgs({ args: process.argv.slice(2).filter((arg) => arg !== "--"), options: { provider: { type: "string", default: "lexe" } } });
const smoke = providerSmokes.find((p) => p.slug === options.provider);
if (!smoke) {
  console.error(`release rehearsal: unknown provider "${options.provider}"; known: ${providerSmokes.map((p) => p.slug).join(", ")}`);
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), "satbind-release-"));
const dirs = {
  repo: join(scratch, "repo"),
  tools: join(scratch, "tools"),
  registry: join(scratch, "registry"),
  consumer: join(scratch, "consumer"),
  logs: join(scratch, "logs"),
  npmCache: join(scratch, "npm-cache"),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });

let verdaccio: Verdaccio | undefined;
const mocks: Mock[] = [];
let cleaned: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    stopRunningCommands();
    await Promise.all(mocks.map((mock) => mock.close()));
    await verdaccio?.stop();
    // Asynchronous, so that a second Ctrl-C is still answered while it runs.
    await rm(scratch, { recursive: true, force: true, maxRetries: 3 });
  })();
  return cleaned;
}
let interrupted: string | undefined;
/** Stops everything, removes the scratch folder and exits; the main flow's own failure stays quiet. */
function interrupt(reason: string, code: number): void {
  if (interrupted) return;
  interrupted = reason;
  console.error(`\nrelease rehearsal: interrupted (${reason}), stopping every process and removing ${scratch}`);
  void cleanup()
    .catch((error: Error) => console.error(`cleanup failed: ${error.message}`))
    .finally(() => {
      console.log(`release rehearsal: FAILED (interrupted: ${reason})`);
      process.exit(code);
    });
}
// `on`, not `once`: a second Ctrl-C must not kill the process half way through the cleanup.
process.on("SIGINT", () => interrupt("SIGINT", 130));
process.on("SIGTERM", () => interrupt("SIGTERM", 143));
process.on("SIGHUP", () => interrupt("SIGHUP", 129));

/** Runs one stage, printing when it is done; its error is prefixed with the stage's name. */
async function stage<T>(name: string, body: () => Promise<T> | T): Promise<T> {
  try {
    const result = await body();
    console.log(`  [${seconds()}] ${name}: done`);
    return result;
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}

const log = (name: string) => join(dirs.logs, `${name}.log`);
const minutes = (n: number) => n * 60_000;

// The copy installs and builds with the ordinary environment (its registry settings included).
const buildEnv: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };

/**
 * The environment of every command that talks to Verdaccio: no npm or pnpm setting inherited from
 * the shell or the user's and global npmrc, the registry (and the @satbind scope's) set to the
 * loopback one, and every other host behind a proxy that refuses connections, so that even a
 * setting we did not think of cannot send a request, let alone a publish, to the real registry.
 */
function registryEnv(registryUrl: string, userConfig: string, globalConfig: string, deadProxy: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_config_/i.test(key) || /^(https?|no)_proxy$/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_registry: registryUrl,
    "npm_config_@satbind:registry": registryUrl,
    npm_config_userconfig: userConfig,
    npm_config_globalconfig: globalConfig,
    npm_config_cache: dirs.npmCache,
    npm_config_proxy: deadProxy,
    npm_config_https_proxy: deadProxy,
    npm_config_noproxy: "127.0.0.1",
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
  };
}

interface Release {
  name: string;
  /** Folder in the copy, e.g. ".../repo/packages/lexe". */
  dir: string;
  before: string;
  after: string;
}

async function rehearse(): Promise<void> {
  console.log(`release rehearsal: provider ${smoke!.name}, scratch ${scratch}`);
  const packages = publishedPackages();
  const copyDir = (dir: string) => join(dirs.repo, relative(repoRoot, dir));

  const copied = await stage("copy the working tree", () => copyWorkingTree(repoRoot, dirs.repo));
  console.log(`    ${copied.paths.length} files, ${formatBytes(copied.bytes)}`);

  // The copy's install and build (CPU) and Verdaccio's install (network) overlap.
  const [verdaccioBin] = await Promise.all([
    stage(`install verdaccio@${VERDACCIO_VERSION} into a scratch tools folder`, () => installVerdaccio(dirs.tools, process.env)),
    (async () => {
      await stage("pnpm install in the copy", () =>
        run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline"], { cwd: dirs.repo, env: buildEnv, logFile: log("install"), timeoutMs: minutes(10) }),
      );
      await stage("pnpm build in the copy", () => run("pnpm", ["build"], { cwd: dirs.repo, env: buildEnv, logFile: log("build"), timeoutMs: minutes(10) }));
    })(),
  ]);

  verdaccio = await stage("start Verdaccio", () => startVerdaccio(verdaccioBin, dirs.registry, process.env));
  const registryUrl = `${verdaccio.url}/`;
  console.log(`    ${verdaccio.url}, log ${relative(scratch, verdaccio.logFile)}`);
  const npmrc = [`registry=${registryUrl}`, `@satbind:registry=${registryUrl}`, `//${new URL(registryUrl).host}/:_authToken=${verdaccio.token}`, ""].join("\n");
  const userConfig = join(scratch, "npmrc");
  const globalConfig = join(scratch, "npmrc-global");
  writeFileSync(userConfig, npmrc);
  writeFileSync(globalConfig, "");
  // Added to the repository's own .npmrc, if it has one (its other settings apply to a real release too).
  appendFileSync(join(dirs.repo, ".npmrc"), `\n${npmrc}`);
  const env = registryEnv(registryUrl, userConfig, globalConfig, `http://127.0.0.1:${await freePort()}`);

  const releases = await stage("changeset version", async () => {
    await run("pnpm", ["changeset", "version"], { cwd: dirs.repo, env, logFile: log("changeset-version"), timeoutMs: minutes(2) });
    return packages.map((pkg): Release => {
      const dir = copyDir(pkg.dir);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
      return { name: pkg.name, dir, before: pkg.version, after: manifest.version };
    });
  });
  const unchanged = releases.filter((r) => r.after === r.before);
  if (unchanged.length > 0) console.log(`    no changeset bumps ${unchanged.map((r) => `${r.name}@${r.after}`).join(", ")}: published as is`);

  await stage("check that publishing can only reach the loopback registry", () => assertLoopbackOnly(releases, registryUrl, env));

  await stage("changeset publish to Verdaccio", () =>
    run("pnpm", ["changeset", "publish", "--no-git-tag"], { cwd: dirs.repo, env, logFile: log("changeset-publish"), timeoutMs: minutes(5) }),
  );
  await stage("check every package is in Verdaccio at its new version", () => assertPublished(verdaccio!.url, releases));

  const installed = await stage(`npm install ${smoke!.name} in a fresh project`, async () => {
    writeFileSync(join(dirs.consumer, "package.json"), JSON.stringify({ name: "satbind-release-rehearsal", version: "0.0.0", private: true, type: "module" }, null, 2) + "\n");
    await run("npm", ["install", smoke!.name, "--registry", registryUrl, "--no-package-lock", "--no-audit", "--no-fund"], {
      cwd: dirs.consumer,
      env,
      logFile: log("consumer-install"),
      timeoutMs: minutes(5),
    });
    return listInstalled(dirs.consumer);
  });
  await stage("check what the install brought", () => assertInstalledSet(installed, releases, smoke!.name));

  const smokeResult = await stage(`smoke ${smoke!.name} against a mock of its spec`, async () => {
    const urls: Record<string, string> = {};
    for (const [key, specFile] of Object.entries(smoke!.specs)) {
      const mock = await createMock(specFile);
      mocks.push(mock);
      urls[key] = mock.url;
    }
    writeFileSync(join(dirs.consumer, "smoke.mjs"), smoke!.module);
    writeFileSync(join(dirs.consumer, "run-smoke.mjs"), `import smoke from "./smoke.mjs";\nconsole.log(JSON.stringify(await smoke(JSON.parse(process.argv[2]))));\n`);
    const output = await run(process.execPath, ["run-smoke.mjs", JSON.stringify(urls)], { cwd: dirs.consumer, env: process.env, logFile: log("smoke"), timeoutMs: minutes(1) });
    const lastLine = output.trim().split("\n").at(-1) ?? "";
    let result: unknown;
    try {
      result = JSON.parse(lastLine);
    } catch {
      throw new Error(`the smoke printed no JSON result; its output:\n${output}`);
    }
    if (!isDeepStrictEqual(result, smoke!.expected)) throw new Error(`the smoke returned ${JSON.stringify(result)}, expected ${JSON.stringify(smoke!.expected)}`);
    return result;
  });

  // What the provider alone costs on disk, before the test kit joins it.
  const total = sizeOf(join(dirs.consumer, "node_modules"));
  const kit = await stage(`npm install @satbind/testing vitest, then ${smoke!.name}'s README test`, () =>
    installKitAndRunReadmeTest({
      consumerDir: dirs.consumer,
      packageDir: packages.find((p) => p.name === smoke!.name)!.dir,
      registryUrl,
      env,
      logFile: log,
      timeoutMs: minutes(10),
    }),
  );

  // The report.
  const withKit = sizeOf(join(dirs.consumer, "node_modules"));
  const width = Math.max(...releases.map((r) => `${r.name}@${r.after}`.length), ...installed.map((p) => `${p.name}@${p.version}`.length));
  console.log(`\nrelease rehearsal report (${smoke!.name}, Verdaccio ${VERDACCIO_VERSION} on loopback)`);
  console.log(`  published (changeset version + changeset publish):`);
  for (const r of releases) console.log(`    ${`${r.name}@${r.after}`.padEnd(width)}  (was ${r.before})`);
  console.log(`  npm install ${smoke!.name} brought ${installed.length} packages, ${formatBytes(total.bytes)} in ${total.files} files on disk:`);
  for (const p of installed) console.log(`    ${`${p.name}@${p.version}`.padEnd(width)}  ${formatBytes(p.bytes).padStart(9)}`);
  const specs = Object.values(smoke!.specs).map((file) => relative(repoRoot, file)).join(", ");
  console.log(`  smoke against a mock of ${specs}: ${JSON.stringify(smokeResult)}, as expected`);
  const pins = Object.keys(KIT_PINS).map((name) => kit.installed.find((p) => p.name === name)).map((p) => `${p!.name}@${p!.version}`);
  console.log(`  npm install @satbind/testing vitest (engines enforced) brought ${kit.installed.length - installed.length} more packages (${formatBytes(withKit.bytes - total.bytes)}), Prism as ${pins.join(", ")}`);
  console.log(`  ${smoke!.name}'s README test, copied into the project and run with vitest: ${kit.summary}`);
  console.log(`  took ${seconds()}`);
}

/**
 * Before anything is published: the registry npm and pnpm would use, in the copy and in every
 * package folder, is the loopback one, and no package.json can redirect its publish elsewhere.
 */
async function assertLoopbackOnly(releases: Release[], registryUrl: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(registryUrl)) throw new Error(`the rehearsal registry ${registryUrl} is not a loopback URL`);
  const problems: string[] = [];
  // pnpm publish lets a package folder's own .npmrc override the registry set here (seen in
  // testing): the only .npmrc allowed is the root one, which carries the rehearsal's settings.
  for (const file of findFiles(dirs.repo, ".npmrc")) {
    if (file !== join(dirs.repo, ".npmrc")) problems.push(`${relative(dirs.repo, file)} could point a publish at another registry`);
  }
  for (const release of releases) {
    const manifest = JSON.parse(readFileSync(join(release.dir, "package.json"), "utf8")) as { publishConfig?: Record<string, unknown> };
    for (const key of Object.keys(manifest.publishConfig ?? {})) {
      if (/registry/i.test(key)) problems.push(`${release.name}'s package.json sets publishConfig.${key}, which would override the rehearsal's registry`);
    }
    const npmSays = await run("npm", ["config", "get", "registry", "@satbind:registry"], { cwd: release.dir, env, logFile: log("npm-config"), timeoutMs: minutes(1) });
    for (const line of npmSays.trim().split("\n")) {
      const [key, value] = [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)];
      if (value !== registryUrl) problems.push(`npm in ${relative(scratch, release.dir)} would use ${key}=${value}`);
    }
  }
  for (const key of ["registry", "@satbind:registry"]) {
    const value = (await run("pnpm", ["config", "get", key], { cwd: dirs.repo, env, logFile: log("pnpm-config"), timeoutMs: minutes(1) })).trim();
    if (value !== registryUrl) problems.push(`pnpm in the copy would use ${key}=${value}`);
  }
  if (problems.length > 0) throw problemsError(`refusing to publish (expected ${registryUrl} everywhere)`, problems);
}

/** Files named `name` under `dir`, node_modules left out. */
function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findFiles(join(dir, entry.name), name);
    return entry.name === name ? [join(dir, entry.name)] : [];
  });
}

async function assertPublished(url: string, releases: Release[]): Promise<void> {
  const problems: string[] = [];
  for (const release of releases) {
    const response = await fetch(`${url}/${release.name.replace("/", "%2f")}`);
    if (!response.ok) {
      problems.push(`GET ${release.name}: HTTP ${response.status}`);
      continue;
    }
    const packument = (await response.json()) as { "dist-tags"?: Record<string, string>; versions?: Record<string, { dependencies?: Record<string, string> }> };
    const published = packument.versions?.[release.after];
    if (!published) problems.push(`${release.name}@${release.after} is not there (versions: ${Object.keys(packument.versions ?? {}).join(", ") || "none"})`);
    else if (packument["dist-tags"]?.latest !== release.after) problems.push(`${release.name}'s latest tag is ${packument["dist-tags"]?.latest}, not ${release.after}`);
    for (const [dep, range] of Object.entries(published?.dependencies ?? {})) {
      if (range.startsWith("workspace:")) problems.push(`${release.name}@${release.after} was published depending on ${dep}@${range}`);
    }
  }
  if (problems.length > 0) throw problemsError("", problems);
}

/**
 * Exactly the provider, the @satbind packages it depends on (at the versions just published),
 * openapi-fetch and openapi-fetch's own dependencies; anything else is named and fails the run.
 */
function assertInstalledSet(installed: InstalledPackage[], releases: Release[], provider: string): void {
  const byName = new Map<string, InstalledPackage[]>();
  for (const p of installed) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const problems: string[] = [];

  const expected = new Set<string>();
  const satbind = [provider];
  while (satbind.length > 0) {
    const name = satbind.pop()!;
    if (expected.has(name)) continue;
    expected.add(name);
    for (const dep of Object.keys(byName.get(name)?.[0]?.dependencies ?? {})) if (dep.startsWith("@satbind/")) satbind.push(dep);
  }
  expected.add("openapi-fetch");
  const openapiFetch = byName.get("openapi-fetch")?.[0];
  for (const dep of Object.keys(openapiFetch?.dependencies ?? {})) expected.add(dep);

  for (const name of expected) if (!byName.has(name)) problems.push(`${name} is missing`);
  for (const [name, copies] of byName) {
    if (!expected.has(name)) problems.push(`unexpected package ${copies.map((p) => `${p.name}@${p.version} (${p.path})`).join(", ")}`);
    else if (copies.length > 1) problems.push(`${name} is installed ${copies.length} times: ${copies.map((p) => `${p.version} at ${p.path}`).join(", ")}`);
    const release = releases.find((r) => r.name === name);
    if (release && copies.some((p) => p.version !== release.after)) problems.push(`${name} is installed at ${copies.map((p) => p.version).join(", ")}, not the ${release.after} just published`);
  }

  // npm's hidden lockfile records where each package came from: all of it must be the loopback registry.
  const hiddenLockfile = join(dirs.consumer, "node_modules", ".package-lock.json");
  if (!existsSync(hiddenLockfile)) throw new Error(`npm install ${provider}: npm wrote no node_modules/.package-lock.json, so where the packages came from cannot be checked`);
  const lock = JSON.parse(readFileSync(hiddenLockfile, "utf8")) as { packages?: Record<string, { resolved?: string }> };
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path !== "" && !entry.resolved?.startsWith(verdaccio!.url + "/")) problems.push(`${path} was resolved from ${entry.resolved ?? "nowhere recorded"}, not the rehearsal registry`);
  }
  if (problems.length > 0) throw problemsError(`npm install ${provider}`, problems);
}

/** One line naming the first problem (and how many more), then the full list if there are several. */
function problemsError(prefix: string, problems: string[]): Error {
  const first = `${prefix ? `${prefix}: ` : ""}${problems[0]}`;
  if (problems.length === 1) return new Error(first);
  return new Error(`${first} (and ${problems.length - 1} more)\n    ${problems.join("\n    ")}`);
}

let failed = false;
try {
  await rehearse();
} catch (error) {
  failed = true;
  if (!interrupted) {
    const message = (error as Error).message;
    console.error(`\n${message}`);
    if (verdaccio) console.error(`  the end of Verdaccio's log:\n${verdaccio.logTail().trimEnd().split("\n").slice(-25).join("\n").replace(/^/gm, "    ")}`);
    console.log(`release rehearsal: FAILED (${message.split("\n")[0]})`);
  }
} finally {
  try {
    await cleanup();
  } catch (error) {
    failed = true;
    console.log(`release rehearsal: FAILED (cleanup: ${(error as Error).message})`);
  }
}
// An interrupt finishes in its signal handler.
if (!interrupted) {
  if (!failed) console.log("release rehearsal: ok");
  process.exit(failed ? 1 : 0);
}
