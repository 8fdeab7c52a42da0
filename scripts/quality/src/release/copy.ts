// A scratch copy of the repository's working tree: the files git tracks plus the untracked ones it
// does not ignore, as they are on disk now (so uncommitted work is rehearsed too). No node_modules,
// no dist, no .git: the copy installs and builds from scratch like a clean clone.
import { execFileSync } from "node:child_process";
import { copyFileSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";

export interface CopiedTree {
  /** Relative paths of the files copied, with "/" separators. */
  paths: string[];
  bytes: number;
}

export function copyWorkingTree(from: string, into: string): CopiedTree {
  let listing: string;
  try {
    // Read-only: lists the files, changes nothing in the repository.
    listing = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: from, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`could not list the repository's files with \`git ls-files\` in ${from}: ${stderr || (error as Error).message}`);
  }
  const copied: CopiedTree = { paths: [], bytes: 0 };
  for (const path of listing.split("\0")) {
    if (path === "" || path.split("/").includes("node_modules")) continue;
    const source = join(from, path);
    let stat;
    try {
      stat = lstatSync(source);
    } catch {
      continue; // Tracked but deleted in the working tree: the copy is of the working tree.
    }
    const target = join(into, path);
    mkdirSync(dirname(target), { recursive: true });
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stat.isFile()) copyFileSync(source, target);
    else continue; // A submodule or other non-file entry: nothing of ours to publish.
    copied.paths.push(path);
    copied.bytes += stat.size;
  }
  if (copied.paths.length === 0) throw new Error(`\`git ls-files\` in ${from} listed no files to copy`);
  return copied;
}
