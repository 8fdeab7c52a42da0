// One Lexe client call, 10,000 times, under `node --cpu-prof`: the process that profile.ts profiles.
// `node --cpu-prof --import tsx profile-main.ts <repo root to load packages/lexe/dist from> <server url> <calls>`
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, url, calls = "10000"] = process.argv.slice(2);
if (!root || !url) throw new Error("usage: profile-main.ts <root> <server url> [calls]");
const { createLexeClient } = (await import(pathToFileURL(join(root, "packages", "lexe", "dist", "index.js")).href)) as {
  createLexeClient: (options: Record<string, unknown>) => { GET(path: string): Promise<{ response: Response; data?: unknown }> };
};
const lexe = createLexeClient({ baseUrl: url, clientCredentials: "eyJsZXhlX2F1dGhfdG9rZW4iOiJwcm9maWxlIn0" });
const call = async () => {
  const result = await lexe.GET("/v2/node/node_info");
  if (!result.response.ok || result.data === undefined) throw new Error(`answered ${result.response.status}`);
};
for (let i = 0; i < 500; i++) await call();
const started = performance.now();
for (let i = 0; i < Number(calls); i++) await call();
console.log(`calls ${calls} in ${Math.round(performance.now() - started)} ms`);
