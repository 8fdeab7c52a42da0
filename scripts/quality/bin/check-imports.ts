// pnpm check:imports
//
// dependency-cruiser with the rules in .dependency-cruiser.cjs, over packages/ and scripts/: fails on
// an import cycle or an import that runs against the house's direction (see that file). Prints
// dependency-cruiser's own report; exit 1 on any violation.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The package exports neither its bin nor its package.json: run the launcher pnpm installed for us.
const depcruise = fileURLToPath(new URL("../node_modules/.bin/depcruise", import.meta.url));

/** Runs dependency-cruiser over `root`'s packages/ and scripts/ with the repository's rules. */
export function cruiseImports(root: string, rulesFile: string, extraArgs: string[] = []) {
  return spawnSync(depcruise, ["packages", "scripts", "--config", rulesFile, ...extraArgs], { cwd: root, encoding: "utf8" });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
  const result = cruiseImports(root, join(root, ".dependency-cruiser.cjs"));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.status ?? 1;
}
