// specs:lint's two halves: Redocly with the committed ruleset (redocly.yaml), and our own rules,
// which are what our clients and contract tests rely on. Both report SpecProblems, so every
// problem prints as one `file:line:col pointer: message [rule]` line.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { exampleProblems } from "@satbind/codegen/examples";
import { isKnownFormat, unknownFormats } from "@satbind/codegen/formats";
import { isObject, loadAndValidateSpec, loadSource, toPointer, type SpecProblem } from "@satbind/codegen/spec";

export type Severity = "error" | "warning";
export interface LintProblem extends SpecProblem {
  rule: string;
  severity: Severity;
}

/** Our rules: every operation has an operationId, a summary and a documented error; every example validates. */
export function ownRules(file: string): LintProblem[] {
  const result = loadAndValidateSpec(file);
  // Problems the generator also refuses (bad version, unresolved $ref, missing operationId...).
  if (!result.ok) return result.problems.map((p) => ({ ...p, rule: "valid-spec", severity: "error" }));
  const loaded = loadSource(file);
  if (!loaded.ok) return loaded.problems.map((p) => ({ ...p, rule: "valid-spec", severity: "error" }));
  const at = (pointer: string) => loaded.source.lineOf(pointer) ?? {};
  const problems: LintProblem[] = [];
  const report = (pointer: string, rule: string, message: string) => problems.push({ file, ...at(pointer), pointer, message, rule, severity: "error" });

  for (const { operationId, method, path, operation } of result.spec.operations) {
    const pointer = toPointer(["paths", path, method]);
    const name = `${method.toUpperCase()} ${path} (${operationId})`;
    if (typeof operation.summary !== "string" || operation.summary.trim() === "") report(pointer, "operation-summary", `${name} has no summary`);
    const statuses = Object.keys(isObject(operation.responses) ? operation.responses : {});
    if (!statuses.some((s) => /^[45]([0-9]{2}|XX)$/i.test(s) || s === "default")) {
      report(toPointer(["paths", path, method, "responses"]), "operation-error-response", `${name} documents no error response (4xx, 5xx or default)`);
    }
  }
  for (const p of exampleProblems(result.spec)) problems.push({ ...p, rule: "valid-examples", severity: "error" });
  // A format nobody defines is accepted as documentation; said once per format, not once per schema.
  for (const [format, pointers] of unknownFormats(result.spec.document, isKnownFormat)) {
    const more = pointers.length > 1 ? ` (and ${pointers.length - 1} more)` : "";
    problems.push({ file, ...at(pointers[0]!), pointer: pointers[0]!, rule: "unknown-format", severity: "warning", message: `format "${format}" is not known: values are not checked against it${more}; add it to scripts/codegen/src/formats.ts if it means something checkable` });
  }
  return problems;
}

interface RedoclyProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  location: { source: { ref: string }; pointer: string; start?: { line: number; col: number } }[];
}

/** Redocly's recommended rules as redocly.yaml sets them, for several files in one run. */
export function redoclyRules(files: string[], root: string): LintProblem[] {
  const cli = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
  let output: string;
  try {
    output = execFileSync(process.execPath, [cli, "lint", "--format=json", "--config", resolve(root, "redocly.yaml"), ...files], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
  } catch (error) {
    // Exit code 1 means "errors found"; the report is still on stdout.
    output = (error as { stdout?: string }).stdout ?? "";
    if (!output.trim().startsWith("{")) throw new Error(`redocly lint did not run: ${String((error as { stderr?: string }).stderr ?? error).trim().split("\n").pop()}`);
  }
  // One JSON report per file, printed back to back ("}{" between them).
  const reports = output.trim().split(/(?<=^\})(?=\{)/m).map((text) => JSON.parse(text) as { problems: RedoclyProblem[] });
  return reports.flatMap((r) => r.problems).map((p) => {
    const location = p.location[0];
    return {
      file: resolve(root, location?.source.ref ?? ""),
      ...(location?.start && { line: location.start.line, column: location.start.col }),
      pointer: location?.pointer ?? "",
      message: p.message,
      rule: p.ruleId,
      severity: p.severity === "error" ? "error" : "warning",
    };
  });
}
