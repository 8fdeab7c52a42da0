// What an install put into node_modules: every package folder (scoped ones and nested
// node_modules included) with the name and version from its package.json, and its size.
import { existsSync, lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

export interface InstalledPackage {
  name: string;
  version: string;
  /** Folder, relative to the project, e.g. "node_modules/@satbind/lexe". */
  path: string;
  /** Bytes of the package's own files (nested node_modules not counted). */
  bytes: number;
  files: number;
  dependencies: Record<string, string>;
}

export function listInstalled(projectDir: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const visit = (nodeModules: string) => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      // .bin, .package-lock.json, .cache and the like are npm's bookkeeping, not packages.
      if (entry.name.startsWith(".")) continue;
      const dir = join(nodeModules, entry.name);
      if (entry.name.startsWith("@") && entry.isDirectory()) {
        for (const scoped of readdirSync(dir, { withFileTypes: true })) {
          if (scoped.isDirectory() || scoped.isSymbolicLink()) found.push(readPackage(join(dir, scoped.name)));
        }
      } else if (entry.isDirectory() || entry.isSymbolicLink()) {
        found.push(readPackage(dir));
      }
    }
  };
  const readPackage = (dir: string): InstalledPackage => {
    const manifestFile = join(dir, "package.json");
    if (!existsSync(manifestFile)) throw new Error(`${relative(projectDir, dir)} has no package.json`);
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { name?: string; version?: string; dependencies?: Record<string, string> };
    const size = sizeOf(dir, { skipNodeModules: true });
    visit(join(dir, "node_modules"));
    return { name: manifest.name ?? "(no name)", version: manifest.version ?? "(no version)", path: relative(projectDir, dir), bytes: size.bytes, files: size.files, dependencies: manifest.dependencies ?? {} };
  };
  visit(join(projectDir, "node_modules"));
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Total size of the regular files under `dir` (symlinks count as themselves, never followed). */
export function sizeOf(dir: string, options: { skipNodeModules?: boolean } = {}): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (options.skipNodeModules && entry.name === "node_modules") continue;
        walk(path);
      } else {
        bytes += lstatSync(path).size;
        files += 1;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return { bytes, files };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
