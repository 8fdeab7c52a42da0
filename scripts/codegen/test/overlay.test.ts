// OpenAPI Overlay 1.0: update merges into objects and appends to arrays, remove removes, targets
// are JSONPath (wildcards, filters), actions run in order, and the input is never changed. A bad
// overlay or a target that selects nothing is one line naming the file, the action and the target.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyOverlay, applyOverlays, loadOverlay, parseOverlay, type LoadedOverlay } from "../src/overlay.js";
import { formatProblem } from "../src/spec.js";

const SPEC = {
  openapi: "3.1.0",
  info: { title: "Shop", version: "1.0" },
  tags: [{ name: "items" }],
  paths: {
    "/items/{id}": {
      get: { operationId: "getItem", tags: ["items"], responses: { "200": { description: "ok" } } },
      delete: { operationId: "deleteItem", deprecated: true, responses: { "204": { description: "gone" } } },
    },
    "/pay": {
      post: { operationId: "pay", responses: { "200": { description: "ok" } } },
    },
  },
  components: { schemas: { Item: { type: "object", required: ["id"], properties: { id: { type: "string" } } } } },
};

function overlay(actions: unknown[]): LoadedOverlay {
  const result = parseOverlay({ overlay: "1.0.0", info: { title: "fixes", version: "1" }, actions }, "fixes.yaml");
  if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join("\n"));
  return result.overlay;
}

function apply(actions: unknown[], document: unknown = SPEC): any {
  const result = applyOverlay(document, overlay(actions));
  if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join("\n"));
  return result.document;
}

function problems(actions: unknown[], document: unknown = SPEC): string[] {
  const result = applyOverlay(document, overlay(actions));
  if (result.ok) throw new Error("expected problems");
  return result.problems.map((p) => formatProblem(p));
}

describe("applyOverlay", () => {
  it("deep-merges an update into an object: new keys added, objects merged, scalars replaced", () => {
    const out = apply([{ target: "$.components.schemas.Item", update: { description: "An item", properties: { name: { type: "string" } }, type: "object" } }]);
    expect(out.components.schemas.Item).toEqual({
      type: "object",
      required: ["id"],
      properties: { id: { type: "string" }, name: { type: "string" } },
      description: "An item",
    });
    // Upstream key order is kept; new keys come last.
    expect(Object.keys(out.components.schemas.Item)).toEqual(["type", "required", "properties", "description"]);
  });

  it("appends to arrays: an array update appends its items, any other value is one entry", () => {
    const out = apply([
      { target: "$.tags", update: [{ name: "payments" }, { name: "admin" }] },
      { target: "$.paths['/items/{id}'].get.tags", update: "catalogue" },
    ]);
    expect(out.tags).toEqual([{ name: "items" }, { name: "payments" }, { name: "admin" }]);
    expect(out.paths["/items/{id}"].get.tags).toEqual(["items", "catalogue"]);
  });

  it("appends to an array inside a merged object", () => {
    const out = apply([{ target: "$.components.schemas.Item", update: { required: ["name"] } }]);
    expect(out.components.schemas.Item.required).toEqual(["id", "name"]);
  });

  it("removes what the target selects: object keys and array items", () => {
    const out = apply([
      { target: "$.paths['/items/{id}'].delete", remove: true },
      { target: "$.tags[0]", remove: true },
    ]);
    expect(Object.keys(out.paths["/items/{id}"])).toEqual(["get"]);
    expect(out.tags).toEqual([]);
  });

  it("removes several items of one array without shifting the wrong ones", () => {
    const doc = { openapi: "3.1.0", paths: {}, list: ["a", "b", "c", "d", "e"] };
    expect(apply([{ target: "$.list[1,3]", remove: true }], doc).list).toEqual(["a", "c", "e"]);
    expect(apply([{ target: "$.list[?(@ === 'b' || @ === 'd')]", remove: true }], doc).list).toEqual(["a", "c", "e"]);
  });

  it("applies an update to every node a wildcard selects", () => {
    const out = apply([{ target: "$.paths.*.*", update: { "x-reviewed": true } }]);
    for (const [path, item] of Object.entries(out.paths as Record<string, Record<string, { "x-reviewed"?: boolean }>>)) {
      for (const [method, operation] of Object.entries(item)) expect(operation["x-reviewed"], `${method} ${path}`).toBe(true);
    }
  });

  it("selects with filter expressions", () => {
    const out = apply([
      { target: "$.paths.*[?(@.deprecated == true)]", remove: true },
      { target: "$.paths.*[?(@.operationId == 'pay')]", update: { "x-satbind-moves-funds": true } },
    ]);
    expect(out.paths["/items/{id}"].delete).toBeUndefined();
    expect(out.paths["/items/{id}"].get).toBeDefined();
    expect(out.paths["/pay"].post["x-satbind-moves-funds"]).toBe(true);
  });

  it("merges into the root with target $", () => {
    expect(apply([{ target: "$", update: { servers: [{ url: "https://shop.example" }] } }]).servers).toEqual([{ url: "https://shop.example" }]);
  });

  it("runs actions in order: a removed node can be re-created by a later action", () => {
    const out = apply([
      { target: "$.paths['/pay']", remove: true },
      { target: "$.paths", update: { "/pay": { post: { operationId: "payV2", responses: { "200": { description: "paid" } } } } } },
      { target: "$.paths['/pay'].post", update: { summary: "Pay" } },
    ]);
    expect(out.paths["/pay"]).toEqual({ post: { operationId: "payV2", responses: { "200": { description: "paid" } }, summary: "Pay" } });
  });

  it("remove wins over update in the same action, as the spec says", () => {
    expect(apply([{ target: "$.paths['/pay']", remove: true, update: { x: 1 } }]).paths["/pay"]).toBeUndefined();
  });

  it("never changes its input, and shares nothing with it or with the overlay", () => {
    const input = structuredClone(SPEC);
    const update = { properties: { name: { type: "string" } } };
    const fixes = overlay([
      { target: "$.components.schemas.Item", update },
      { target: "$.tags", update: [{ name: "x" }] },
      { target: "$.paths['/pay']", remove: true },
    ]);
    const out = applyOverlay(input, fixes);
    expect(out.ok).toBe(true);
    expect(input).toEqual(SPEC);
    const doc = (out as { document: any }).document;
    doc.components.schemas.Item.properties.name.type = "integer";
    expect(update.properties.name.type).toBe("string");
    doc.components.schemas.Item.required.push("y");
    expect(input.components.schemas.Item.required).toEqual(["id"]);
  });

  it("treats nodes that YAML aliased as separate copies, so a fix to one is not a fix to all", () => {
    const shared = { type: "string" };
    const doc = { openapi: "3.1.0", paths: {}, a: shared, b: shared };
    const out = apply([{ target: "$.a", update: { format: "date" } }], doc);
    expect(out.a).toEqual({ type: "string", format: "date" });
    expect(out.b).toEqual({ type: "string" });
  });

  it("applies several overlays in order, each to the result of the one before", () => {
    const first = overlay([{ target: "$.paths", update: { "/new": { get: { operationId: "n" } } } }]);
    const second = overlay([{ target: "$.paths['/new'].get", update: { summary: "New" } }]);
    const out = applyOverlays(SPEC, [first, second]);
    expect(out.ok && (out.document as any).paths["/new"].get).toEqual({ operationId: "n", summary: "New" });
  });
});

describe("overlay problems: one line each, naming the file, the action and the target", () => {
  it("a target that selects nothing means the upstream changed", () => {
    expect(problems([{ target: "$.paths['/pay'].post", update: { summary: "Pay" } }, { target: "$.paths['/gone'].get", remove: true }])).toEqual([
      "fixes.yaml #/actions/1/target: target $.paths['/gone'].get selects nothing; the upstream changed and this fix no longer applies",
    ]);
    // A filter that matches nothing is the same.
    expect(problems([{ target: "$.paths.*[?(@.operationId == 'gone')]", update: { x: 1 } }])).toEqual([
      "fixes.yaml #/actions/0/target: target $.paths.*[?(@.operationId == 'gone')] selects nothing; the upstream changed and this fix no longer applies",
    ]);
  });

  it("reports every action that cannot apply, not only the first", () => {
    expect(problems([{ target: "$.nope", remove: true }, { target: "$.info", update: { summary: "x" } }, { target: "$.alsoNope", remove: true }])).toHaveLength(2);
  });

  it("an update that does not fit its target", () => {
    expect(problems([{ target: "$.info", update: "a string" }])).toEqual([
      "fixes.yaml #/actions/0/update: target is an object, so update must be an object; got a string (at /info)",
    ]);
    expect(problems([{ target: "$.info.title", update: { x: 1 } }])).toEqual([
      "fixes.yaml #/actions/0/update: target is a string; update can only merge into an object or append to an array (target its parent instead) (at /info/title)",
    ]);
  });

  it("removing the whole document, selecting property names, a filter that throws", () => {
    expect(problems([{ target: "$", remove: true }])).toEqual(["fixes.yaml #/actions/0/target: remove cannot remove the whole document"]);
    expect(problems([{ target: "$.paths.*~", update: { x: 1 } }])).toEqual(["fixes.yaml #/actions/0/target: target $.paths.*~ selects property names, not nodes"]);
    expect(problems([{ target: "$.paths[?(process.exit(1))]", remove: true }])[0]).toMatch(
      /^fixes\.yaml #\/actions\/0\/target: invalid JSONPath \$\.paths\[\?\(process\.exit\(1\)\)\]: .*process is not defined/,
    );
  });

  describe("the overlay document's shape", () => {
    const dir = mkdtempSync(join(tmpdir(), "satbind-overlay-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const load = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      const result = loadOverlay(file);
      return result.ok ? [] : result.problems.map((p) => formatProblem(p, dir));
    };

    it("a valid overlay file loads", () => {
      expect(load("ok.yaml", "overlay: 1.0.0\ninfo: { title: t, version: '1' }\nextends: https://x.example/openapi.yaml\nactions:\n  - target: $.info\n    description: why\n    update: { x-a: 1 }\n    x-note: ok\n")).toEqual([]);
    });

    it("every shape problem, with its line", () => {
      const text = [
        "overlay: 1.1.0", // 1
        "info: { title: t }", // 2
        "extends: 3", // 3
        "updates: []", // 4
        "actions:", // 5
        "  - target: info.title", // 6
        "    update: x", // 7
        "  - target: $.info", // 8
        "    remove: yes please", // 9
        "  - target: $.info", // 10
        "    udpate: { x: 1 }", // 11
        "  - just a string", // 12
        "",
      ].join("\n");
      expect(load("bad.yaml", text)).toEqual([
        "bad.yaml:4:1 #/updates: unknown field \"updates\" (expected overlay, info, extends, actions or x-*)",
        'bad.yaml:1:10 #/overlay: expected "overlay: 1.0.0"; got "1.1.0"',
        'bad.yaml:2:1 #/info: expected "info": { "title": "<string>", "version": "<string>" }',
        "bad.yaml:3:10 #/extends: expected a URL string",
        'bad.yaml:6:13 #/actions/0/target: expected a JSONPath string starting with "$"',
        "bad.yaml:9:13 #/actions/1/remove: expected true or false",
        'bad.yaml:11:5 #/actions/2/udpate: unknown field "udpate" (expected target, description, update, remove or x-*)',
        "bad.yaml:10:13 #/actions/2: action has neither update nor remove: true, so it does nothing",
        "bad.yaml:12:5 #/actions/3: an action must be an object with a target and update or remove",
      ]);
    });

    it("no actions, not an object, not YAML", () => {
      expect(load("empty.yaml", "overlay: 1.0.0\ninfo: { title: t, version: '1' }\nactions: []\n")).toEqual(["empty.yaml:3:1 #/actions: expected a non-empty list of actions"]);
      expect(load("list.yaml", "- a\n")).toEqual(["list.yaml:1:1 #: an overlay must be an object with overlay, info and actions"]);
      expect(load("broken.yaml", "overlay: 1.0.0\nactions: [unclosed\n")[0]).toMatch(/^broken\.yaml:\d+:\d+ #: invalid YAML: /);
    });
  });
});
