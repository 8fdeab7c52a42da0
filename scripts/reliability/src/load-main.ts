// The load run's own process: `node --import tsx load-main.ts <subject module> <export> <options>`.
// It prints one "LOAD-REPORT {json}" line and then simply returns: if a socket or timer were left
// open, the process would not exit, and the test that started it would see that.
import { pathToFileURL } from "node:url";
import { runLoad, type LoadOptions, type ReliabilitySubject } from "./load.js";

const [modulePath, exportName, optionsJson] = process.argv.slice(2);
if (!modulePath || !exportName || !optionsJson) {
  console.error("usage: load-main.ts <subject module> <export name> <options json>");
  process.exitCode = 2;
} else {
  const module = (await import(pathToFileURL(modulePath).href)) as Record<string, ReliabilitySubject>;
  const subject = module[exportName];
  if (!subject) throw new Error(`${modulePath} has no export ${exportName}`);
  const report = await runLoad(subject, JSON.parse(optionsJson) as LoadOptions);
  console.log(`\nLOAD-REPORT ${JSON.stringify(report)}`);
}
