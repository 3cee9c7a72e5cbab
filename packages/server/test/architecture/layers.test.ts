/**
 * The layers of `packages/server/src` (DESIGN.md, "Suggested layout"): imports point down only, and
 * no module reaches itself again through its imports. A new upward import or a new circle fails
 * this test, naming the files.
 *
 *   cli → nudge.ts → app (the Fastify app factory) → surfaces → http (plumbing: auth, error
 *   formats, validation) → services.ts → subscriptions, resources, delivery, identity → context.ts
 *   → policy → store → clock, wakeup, errors, config, crypto
 *
 * The four service folders are one layer: they may call one another, never in a circle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/** Each layer, top first, as the paths (relative to src, no extension) that belong to it. */
const layers: Array<{ name: string; owns: (path: string) => boolean }> = [
  { name: "cli", owns: (p) => p.startsWith("cli/") },
  { name: "node", owns: (p) => p === "nudge" || p === "index" || p.startsWith("node/") },
  { name: "app", owns: (p) => p.startsWith("app/") },
  { name: "surfaces", owns: (p) => p.startsWith("surfaces/") },
  { name: "http", owns: (p) => p.startsWith("http/") },
  { name: "wiring", owns: (p) => p === "services" },
  { name: "services", owns: (p) => /^(subscriptions|resources|delivery|identity)\//.test(p) },
  { name: "context", owns: (p) => p === "context" },
  { name: "policy", owns: (p) => p.startsWith("policy/") },
  { name: "store", owns: (p) => p.startsWith("store/") },
  {
    name: "base",
    owns: (p) =>
      ["clock", "wakeup", "errors"].includes(p) || p.startsWith("config/") || p.startsWith("crypto/"),
  },
];

function layerOf(path: string): number {
  const at = layers.findIndex((layer) => layer.owns(path));
  if (at < 0) throw new Error(`src/${path}.ts belongs to no layer: add it to the table in this test`);
  return at;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** `surfaces/graph/drive` for src/surfaces/graph/drive.ts. */
function moduleOf(file: string): string {
  return relative(src, file).replace(/\.ts$/, "").split("\\").join("/");
}

/** The modules of src a file imports (relative imports only; packages are not layers). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => moduleOf(resolve(dirname(file), name.replace(/\.js$/, ".ts"))));
}

const graph = new Map(sourceFiles(src).map((file) => [moduleOf(file), importsOf(file)]));

describe("server layers", () => {
  it("has no import that points up a layer", () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        if (layerOf(to) < layerOf(from)) {
          upward.push(`${from} (${layers[layerOf(from)]!.name}) → ${to} (${layers[layerOf(to)]!.name})`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it("has no circle of imports", () => {
    expect(circles(graph)).toEqual([]);
  });
});

/** Strongly connected components of more than one module (Tarjan), each as a sorted list. */
function circles(edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}
