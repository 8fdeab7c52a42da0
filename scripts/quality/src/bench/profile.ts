// pnpm bench:profile: where one client call's time goes. Runs profile-main.ts (10,000 sequential
// Lexe calls against the bench server) under `node --cpu-prof`, for this tree and for the previous
// release (before.ts), and prints self time grouped by where the code lives (our packages, undici,
// Node internals, V8/GC) and the functions of our packages that cost most. Prints only; never run in CI.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "../published.js";
import { prepareBefore } from "./before.js";
import { cleanUp, runCommand } from "./common.js";
import { startBenchServer } from "./overhead.js";

const CALLS = 10_000;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per node, in ms. */
function selfTimes(profile: CpuProfile): Map<ProfileNode, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map<ProfileNode, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    times.set(node, (times.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return times;
}

function area(url: string, name: string): string {
  if (url.includes("/packages/runtime/") || url.includes("/packages/lexe/")) return "satbind (runtime + lexe)";
  if (url.includes("undici") || url.startsWith("node:internal/deps/undici")) return "undici (fetch)";
  if (url.startsWith("node:")) return "Node internals";
  if (name === "(garbage collector)") return "garbage collector";
  if (name === "(idle)") return "idle (waiting for the server)";
  if (name === "(program)") return "V8 (program)";
  // Functions without a script: V8 and Node's native code (socket writes, timers, microtasks...).
  return url ? "other" : "native (socket writes, timers, microtasks)";
}

async function profile(root: string, url: string, label: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "satbind-profile-"));
  try {
    const script = fileURLToPath(new URL("./profile-main.ts", import.meta.url));
    const run = await runCommand(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx", script, root, url, String(CALLS)], { cwd: repoRoot });
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
    const times = selfTimes(JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile);
    const total = [...times.values()].reduce((a, b) => a + b, 0);
    const busy = [...times].filter(([n]) => n.callFrame.functionName !== "(idle)").reduce((a, [, t]) => a + t, 0);
    const areas = new Map<string, number>();
    const ours = new Map<string, number>();
    for (const [node, ms] of times) {
      const { functionName, url: file, lineNumber } = node.callFrame;
      const where = area(file, functionName);
      areas.set(where, (areas.get(where) ?? 0) + ms);
      if (where.startsWith("satbind")) {
        const key = `${functionName || "(anonymous)"} ${file.slice(file.indexOf("/packages/") + 1)}:${lineNumber + 1}`;
        ours.set(key, (ours.get(key) ?? 0) + ms);
      }
    }
    console.log(`\n${label}: ${run.stdout.trim()}; profile ${total.toFixed(0)} ms, of which busy ${busy.toFixed(0)} ms (${((busy / CALLS) * 1000).toFixed(1)} µs CPU per call)`);
    for (const [where, ms] of [...areas].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${where.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${((ms / CALLS) * 1000).toFixed(1).padStart(5)} µs/call`);
    }
    console.log("  satbind functions by self time:");
    for (const [fn, ms] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      console.log(`    ${((ms / CALLS) * 1000).toFixed(2).padStart(6)} µs/call  ${fn}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const before = await prepareBefore((line) => console.log(line));
  const server = await startBenchServer();
  try {
    if (before) await profile(before.root, server.url, `before (${before.commit})`);
    await profile(repoRoot, server.url, "after (this tree)");
  } finally {
    await server.stop();
  }
}

main().then(
  () => cleanUp(),
  async (error: Error) => {
    console.error(`bench:profile: ${error.message}`);
    await cleanUp();
    process.exitCode = 1;
  },
);
