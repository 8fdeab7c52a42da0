// @satbind/testing: test your app against a mock server of a provider's spec.
export { createMock } from "./mock.js";
export type { Mock, MockOptions, SpecInput } from "./mock.js";
export type { OperationMock } from "./overrides.js";
export type { Fault, FaultKind } from "./faults.js";
export type { MockCall, CoverageRow } from "./journal.js";
export { formatCoverage } from "./journal.js";
export type { Violation } from "./prism.js";
export { MockError, MockBodyError } from "./errors.js";
export type { BodyOf, FaultRequest, MockRequest, OperationId, OperationsOf, Reply, ReplyOptions, RequestBodyOf, StatusOf, TypedSpec, UntypedOperations } from "./types.js";
export { createSimulator } from "./simulator/index.js";
export type { LedgerEntry, SimulatedProvider, Simulator, SimulatorFault, SimulatorOperation, SimulatorOptions, SimulatorStats } from "./simulator/index.js";
