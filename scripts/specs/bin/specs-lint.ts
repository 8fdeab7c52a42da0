// pnpm specs:lint [provider...]
//
// Lints every spec (or the named providers'): Redocly with redocly.yaml, then our own rules. Prints
// one line per problem and a summary; exits 1 when there is any error (warnings are printed only).
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ownRules, redoclyRules, type LintProblem } from "../src/lint.js";
import { readManifest, selectProviders } from "@satbind/codegen/manifest";
import { formatProblem } from "@satbind/codegen/spec";

export interface LintOptions {
  root: string;
  providers: string[];
  log?: (line: string) => void;
  error?: (line: string) => void;
}

/** Returns the process exit code: 0 no errors, 1 errors, 2 bad usage. */
export function lintSpecs(options: LintOptions): number {
  const { root } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const error = options.error ?? ((line: string) => console.error(line));
  const specsDir = join(root, "specs");
  const selection = selectProviders(specsDir, options.providers);
  if (!selection.ok) {
    error(selection.message);
    return 2;
  }

  const problems: LintProblem[] = [];
  const files: string[] = [];
  for (const provider of selection.providers) {
    const manifest = readManifest(specsDir, provider);
    if (!manifest.ok) {
      problems.push(...manifest.problems.map((p) => ({ ...p, rule: "manifest", severity: "error" as const })));
      continue;
    }
    for (const file of Object.values(manifest.manifest.specs)) files.push(join(manifest.manifest.dir, file));
  }
  for (const file of files) problems.push(...ownRules(file));
  if (files.length > 0) problems.push(...redoclyRules(files, root));

  const errors = problems.filter((p) => p.severity === "error");
  for (const p of problems) (p.severity === "error" ? error : log)(`${formatProblem(p, root)} [${p.rule}]${p.severity === "warning" ? " (warning)" : ""}`);
  const summary = `specs:lint: ${files.length} spec${files.length === 1 ? "" : "s"}, ${errors.length} error${errors.length === 1 ? "" : "s"}, ${problems.length - errors.length} warning${problems.length - errors.length === 1 ? "" : "s"}`;
  (errors.length > 0 ? error : log)(summary);
  return errors.length > 0 ? 1 : 0;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const flags = args.filter((a) => a.startsWith("-"));
  if (flags.length > 0) {
    console.error(`unknown option ${flags.join(", ")}; usage: pnpm specs:lint [provider...]`);
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
  process.exit(lintSpecs({ root, providers: args }));
}
