// @satbind/testing/vitest: mocks for a vitest run. Nothing here is needed with another runner.
//
//   // vitest.config.ts: test: { globalSetup: ["./test/mocks.ts"] }
//   // test/mocks.ts:     export default mockGlobalSetup({ lexe: spec });
//   // a test file:       const lexe = createLexeClient({ baseUrl: mockUrl("lexe") });
//
// or, for one file with its own overrides: `const mock = useMock(spec);`
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { MockError } from "./errors.js";
import { createMock, type Mock, type MockOptions, type SpecInput } from "./mock.js";
import type { OperationsOf } from "./types.js";

const PROVIDED_KEY = "satbindMocks";

/** What vitest passes a globalSetup function (its `provide`). */
export interface GlobalSetupContext {
  provide(key: string, value: unknown): void;
}

/**
 * A vitest globalSetup that starts one mock per spec for the whole run (in vitest's main process)
 * and stops them all afterwards. Tests read a mock's URL with `mockUrl(name)`. Overrides and the
 * journal live in that process, out of the tests' reach: for those, use `useMock` or `createMock`.
 */
export function mockGlobalSetup(specs: Record<string, SpecInput>, options: MockOptions = {}): (context: GlobalSetupContext) => Promise<() => Promise<void>> {
  return async (context) => {
    const started: Mock[] = [];
    try {
      for (const [name, spec] of Object.entries(specs)) started.push(await createMock(spec, options));
    } catch (error) {
      await Promise.all(started.map((mock) => mock.close()));
      throw error;
    }
    const names = Object.keys(specs);
    context.provide(PROVIDED_KEY, Object.fromEntries(names.map((name, i) => [name, started[i]!.url])));
    return async () => {
      await Promise.all(started.map((mock) => mock.close()));
    };
  };
}

/** The URL of a mock that `mockGlobalSetup` started under `name`. */
export function mockUrl(name: string): string {
  const urls = (inject as (key: string) => unknown)(PROVIDED_KEY) as Record<string, string> | undefined;
  if (!urls) throw new MockError(`mockUrl("${name}"): no mocks were started; add a globalSetup file that exports mockGlobalSetup({ ${name}: spec })`);
  const url = urls[name];
  if (!url) throw new MockError(`mockUrl("${name}"): no mock named "${name}"; the global setup started ${Object.keys(urls).join(", ") || "none"}`);
  return url;
}

/**
 * A mock for the test file that calls it: started before its tests, reset after each test,
 * stopped after the last. Use it inside tests and hooks (it is not started yet at the top level).
 */
export function useMock<const Spec extends SpecInput>(spec: Spec, options: MockOptions = {}): Mock<OperationsOf<Spec>> {
  let mock: Mock | undefined;
  beforeAll(async () => {
    mock = (await createMock(spec, options)) as unknown as Mock;
  });
  afterEach(() => mock?.reset());
  afterAll(async () => {
    await mock?.close();
  });
  const started = (): Mock => mock ?? fail();
  const fail = (): never => {
    throw new MockError("useMock: the mock starts in beforeAll; use it inside tests and hooks, not at the top level of the file");
  };
  const handle: Mock = {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    on: (operationId) => started().on(operationId),
    calls: (operationId) => started().calls(operationId),
    nextCall: (match) => started().nextCall(match),
    coverage: () => started().coverage(),
    coverageTable: () => started().coverageTable(),
    reset: () => started().reset(),
    close: () => (mock ? mock.close() : Promise.resolve()),
  };
  return handle as unknown as Mock<OperationsOf<Spec>>;
}
