// Generation time for every spec: turbo's generate task cold (--force) and cached (right after,
// expected to be FULL TURBO), and `pnpm generate`, all specs in one process; then BTCPay alone
// (`pnpm generate btcpay`: upstream + overlays, then 195 operations), our scale test.
import { repoRoot } from "../published.js";
import { NONE, median, runCommand, seconds, type Row } from "./common.js";

const REPEATS = 3;

export interface GenerateResult {
  repeats: number;
  turboColdMs: number[];
  turboCachedMs: number[];
  /** Whether each cached run reported FULL TURBO (every task restored from the cache). */
  turboCachedFullTurbo: boolean[];
  pnpmGenerateMs: number[];
  btcpayGenerateMs: number[];
  medians: { turboColdMs: number; turboCachedMs: number; pnpmGenerateMs: number; btcpayGenerateMs: number };
}

export async function measureGenerate(log: (line: string) => void): Promise<{ result: GenerateResult; rows: Row[] }> {
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
  const run = (args: string[]) => runCommand("pnpm", args, { cwd: repoRoot, env, timeoutMs: 300_000 });

  // With generated code up to date, generating again rewrites identical files: the repository stays as it was.
  log("generate: checking that the generated code is up to date");
  try {
    await run(["generate", "--check"]);
  } catch (error) {
    throw new Error(`the generated code is stale, so generating would change the repository: run pnpm generate first\n${(error as Error).message}`);
  }

  const turboColdMs: number[] = [];
  const turboCachedMs: number[] = [];
  const turboCachedFullTurbo: boolean[] = [];
  for (let i = 0; i < REPEATS; i++) {
    log(`generate: turbo cold and cached, round ${i + 1} of ${REPEATS}`);
    turboColdMs.push((await run(["exec", "turbo", "run", "generate", "--force"])).ms);
    const cached = await run(["exec", "turbo", "run", "generate"]);
    turboCachedMs.push(cached.ms);
    turboCachedFullTurbo.push(/FULL TURBO/.test(cached.stdout + cached.stderr));
  }
  const pnpmGenerateMs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    log(`generate: pnpm generate, round ${i + 1} of ${REPEATS}`);
    pnpmGenerateMs.push((await run(["generate"])).ms);
  }
  const btcpayGenerateMs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    log(`generate: pnpm generate btcpay, round ${i + 1} of ${REPEATS}`);
    btcpayGenerateMs.push((await run(["generate", "btcpay"])).ms);
  }

  const result: GenerateResult = {
    repeats: REPEATS,
    turboColdMs: turboColdMs.map(Math.round),
    turboCachedMs: turboCachedMs.map(Math.round),
    turboCachedFullTurbo,
    pnpmGenerateMs: pnpmGenerateMs.map(Math.round),
    btcpayGenerateMs: btcpayGenerateMs.map(Math.round),
    medians: {
      turboColdMs: Math.round(median(turboColdMs)),
      turboCachedMs: Math.round(median(turboCachedMs)),
      pnpmGenerateMs: Math.round(median(pnpmGenerateMs)),
      btcpayGenerateMs: Math.round(median(btcpayGenerateMs)),
    },
  };
  const fullTurbo = turboCachedFullTurbo.filter(Boolean).length;
  const rows: Row[] = [
    { measure: `generate: turbo run generate --force (cold), median of ${REPEATS}`, satbind: seconds(result.medians.turboColdMs), baseline: NONE, ratio: NONE, target: NONE, met: NONE },
    {
      measure: `generate: turbo run generate (cached), median of ${REPEATS}`,
      satbind: seconds(result.medians.turboCachedMs),
      baseline: `${seconds(result.medians.turboColdMs)} cold`,
      ratio: `${(result.medians.turboCachedMs / result.medians.turboColdMs).toFixed(2)}x`,
      target: "FULL TURBO",
      met: fullTurbo === REPEATS ? "yes" : `no (${fullTurbo} of ${REPEATS})`,
    },
    { measure: `generate: pnpm generate (all specs, one process), median of ${REPEATS}`, satbind: seconds(result.medians.pnpmGenerateMs), baseline: NONE, ratio: NONE, target: NONE, met: NONE },
    { measure: `generate: pnpm generate btcpay (195 operations), median of ${REPEATS}`, satbind: seconds(result.medians.btcpayGenerateMs), baseline: NONE, ratio: NONE, target: NONE, met: NONE },
  ];
  return { result, rows };
}
