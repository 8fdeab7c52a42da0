// A scratch project outside the repository that installs packed tarballs with npm, the way a user
// would. Used to prove that import, require and the published types all work.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { packDir, repoRoot } from "./published.js";

export interface Consumer {
  dir: string;
  write(file: string, content: string): void;
  /** Runs a command in the project; throws with its output when it fails. */
  run(command: string, args: string[]): string;
  remove(): void;
}

/** `pnpm pack` each package directory (workspace: ranges become real versions) into one folder. */
export function packPackages(packageDirs: string[], into: string): string[] {
  return packageDirs.map((dir) => packDir(dir, into));
}

/**
 * A package's main flow as a user writes it (scripts/quality/consumer/<slug>.ts), compiled by its own
 * package test and, with every other package's, by `pnpm check:consumer`.
 */
export function consumerFlow(slug: string): string {
  return readFileSync(join(repoRoot, "scripts", "quality", "consumer", `${slug}.ts`), "utf8");
}

export function createConsumer(tarballs: string[], devDependencies: Record<string, string>): Consumer {
  const dir = mkdtempSync(join(tmpdir(), "satbind-consumer-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0" }, null, 2));
  const run = (command: string, args: string[]) => {
    try {
      return execFileSync(command, args, { cwd: dir, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${command} ${args.join(" ")} failed in ${dir}:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
  };
  run("npm", ["install", "--no-package-lock", ...tarballs, ...Object.entries(devDependencies).map(([n, v]) => `${n}@${v}`)]);
  return {
    dir,
    write: (file, content) => writeFileSync(join(dir, file), content),
    run,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * For a vitest file: before its tests, pack `packageDirs` and install them into a fresh consumer
 * project (with TypeScript and Node types for compile checks); remove both afterwards.
 */
/**
 * Time limit for a test that runs tsc in a consumer project. tsc alone takes 5 to 15 s there, and
 * much longer when every package's suite runs at once on a two-core CI machine. A limit, not a
 * measurement: nothing asserts how long it took.
 */
export const TYPECHECK_TIMEOUT_MS = 120_000;

export interface PackedConsumer {
  consumer(): Consumer;
  tarball(nameFragment: string): string;
  /** The files in a packed tarball, sorted, without the leading "package/". */
  filesOf(nameFragment: string): string[];
  /** Compiles a file in the consumer project the strictest way a user might. Throws with tsc's output. */
  typecheck(file: string, moduleResolution: "node16" | "bundler"): void;
}

export function usePackedConsumer(packageDirs: string[]): PackedConsumer {
  let tarballDir: string | undefined;
  let tarballs: string[] = [];
  let consumer: Consumer | undefined;
  beforeAll(() => {
    tarballDir = mkdtempSync(join(tmpdir(), "satbind-pack-"));
    tarballs = packPackages(packageDirs, tarballDir);
    consumer = createConsumer(tarballs, { typescript: "5.9.3", "@types/node": "20.19.43" });
  }, 180_000);
  afterAll(() => {
    consumer?.remove();
    if (tarballDir) rmSync(tarballDir, { recursive: true, force: true });
  });
  const ready = () => consumer ?? fail("the consumer project is not ready (beforeAll failed?)");
  const tarball = (fragment: string) => tarballs.find((t) => t.includes(fragment)) ?? fail(`no packed tarball matches ${fragment}`);
  return {
    consumer: ready,
    tarball,
    filesOf: (fragment) =>
      ready()
        .run("tar", ["-tzf", tarball(fragment)])
        .trim()
        .split("\n")
        .map((f) => f.replace(/^package\//, ""))
        .sort(),
    typecheck: (file, moduleResolution) => {
      const module = moduleResolution === "node16" ? "node16" : "esnext";
      ready().run("npx", ["tsc", "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--target", "es2022", "--lib", "es2022,dom", "--module", module, "--moduleResolution", moduleResolution, "--types", "node", file]);
    },
  };
}

function fail(message: string): never {
  throw new Error(message);
}
