import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
const root = "/work/wt/lean/packages";
const alias = { "@satbind/runtime": `${root}/runtime/src/index.ts`, "@satbind/lexe": `${root}/lexe/src/index.ts` };
const code = `import { createLexeClient } from "@satbind/lexe"; export const call = createLexeClient({}).GET("/v2/node/node_info");`;
async function size(stub) {
  const plugin = { name: "stub", setup(b) { if (!stub) return; b.onLoad({ filter: new RegExp(stub.replace(/[.]/g, "\\.") + "$") }, (args) => {
    const src = readFileSync(args.path, "utf8");
    const names = [...src.matchAll(/export (?:async )?(?:function|const|class|let) (\w+)/g)].map((m) => m[1]);
    return { contents: names.map((n) => `export const ${n} = globalThis.x${n};`).join("\n") , loader: "ts" };
  }); } };
  const r = await build({ stdin: { contents: code, resolveDir: `${root}/runtime`, loader: "js" }, bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", write: false, alias, resolveExtensions: [".ts", ".js"], plugins: [plugin], logLevel: "silent" });
  const out = r.outputFiles[0].contents;
  return [out.byteLength, gzipSync(out, { level: 9 }).byteLength];
}
const [m0, g0] = await size();
console.log("full", m0, g0);
for (const f of ["runtime/src/redact.ts", "runtime/src/middleware.ts", "runtime/src/answer.ts", "runtime/src/auth.ts", "runtime/src/bolt11.ts", "lexe/src/generated/api/operations.ts", "runtime/src/operations.ts"]) {
  const [m, g] = await size(f);
  console.log(f.padEnd(45), "min -" + (m0 - m), "gz -" + (g0 - g));
}
