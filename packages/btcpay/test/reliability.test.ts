// Every operation through a fault-injection server: retries, money safety, timeouts, aborts,
// response validation and the secret sweep (scripts/reliability/src/reliability.ts), then the load run.
import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { describeLoad, describeReliability } from "@satbind/reliability/reliability";
import { subject } from "./subject.js";

describeReliability(subject);

describe(`${subject.name}: load`, () => {
  describeLoad({ subjectModule: fileURLToPath(new URL("./subject.ts", import.meta.url)), exportName: "subject" });
});
