// Every operation of v1 and v2 through a fault-injection server: retries, money safety, timeouts,
// aborts, response validation and the secret sweep (scripts/reliability/src/reliability.ts), then the load run.
import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { describeLoad, describeReliability } from "@satbind/reliability/reliability";
import { v1Subject, v2Subject } from "./subject.js";

describeReliability(v1Subject);
describeReliability(v2Subject);

const subjectModule = fileURLToPath(new URL("./subject.ts", import.meta.url));
describe("utexo: load", () => {
  describeLoad({ subjectModule, exportName: "v1Subject" });
  describeLoad({ subjectModule, exportName: "v2Subject" });
});
