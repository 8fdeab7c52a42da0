// The reliability suite's server: a @satbind/testing mock of the subject's spec (Prism validates
// every request; answers are the spec's examples) whose faults are scripted per call rather than
// per operation, so the suite's many calls to one operation can run side by side. A call is the
// requests that carry one x-fault-call header value: its first attempt gets the first fault of its
// script, its retry the second, and attempts past the end none.
import { createMock, type Fault, type Mock, type MockCall } from "@satbind/testing";

export const CALL_HEADER = "x-fault-call";

export interface ScriptedMock {
  url: string;
  /** Every request received, in order. */
  calls(): MockCall[];
  /** The faults for a call's attempts, in order. */
  script(callId: string, faults: Fault[]): void;
  /** The requests that carried this call id. */
  requestsFor(callId: string): MockCall[];
  /** Resolves when the next request of this call has arrived (its headers, at least). */
  arrived(callId: string): Promise<MockCall>;
  /** Faults injected, by kind. */
  faultCounts(): Record<string, number>;
  close(): Promise<void>;
}

export interface ScriptedMockOptions {
  specFile: string;
  /** How long a hang lasts before the connection is dropped. Default 30 s. */
  hangMs?: number;
  /** Picks each request's fault instead of the per-call scripts (the load run's random faults). */
  plan?: () => Fault | undefined;
}

export async function startScriptedMock(options: ScriptedMockOptions): Promise<ScriptedMock> {
  const mock: Mock = await createMock(options.specFile, { hangMs: options.hangMs ?? 30_000 });
  const scripts = new Map<string, Fault[]>();
  const attempts = new Map<string, number>();
  const scripted = (headers: Record<string, string>): Fault | undefined => {
    const callId = headers[CALL_HEADER];
    if (callId === undefined) return undefined;
    const attempt = attempts.get(callId) ?? 0;
    attempts.set(callId, attempt + 1);
    return scripts.get(callId)?.[attempt];
  };
  const plan = options.plan;
  for (const { operationId } of mock.coverage()) {
    mock.on(operationId).fault(plan ? () => plan() : (request) => scripted(request.headers));
  }
  const ofCall = (callId: string) => (call: MockCall) => call.headers[CALL_HEADER] === callId;
  return {
    url: mock.url,
    calls: () => mock.calls(),
    script: (callId, faults) => void scripts.set(callId, faults),
    requestsFor: (callId) => mock.calls().filter(ofCall(callId)),
    arrived: (callId) => mock.nextCall(ofCall(callId)),
    faultCounts() {
      const counts: Record<string, number> = {};
      for (const call of mock.calls()) if (call.fault) counts[call.fault] = (counts[call.fault] ?? 0) + 1;
      return counts;
    },
    close: () => mock.close(),
  };
}
