// Fails when files under src/ import each other in a circle, type-only imports included: a circle makes
// the next engineer read every file of it to change one (the old Core and its features were one of 41).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "src");
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith(".ts")) files.push(path);
  }
};
walk(root);

const importRe = /(?:import|export)\s[^"';]*?from\s+["'](\.[^"']+)["']/g;
const edges = new Map(
  files.map((f) => [
    f,
    [...readFileSync(f, "utf8").matchAll(importRe)]
      .map((m) => resolve(dirname(f), m[1]))
      .filter((target) => target !== f && edges_has(target)),
  ]),
);
function edges_has(target) {
  return files.includes(target);
}

// Tarjan's strongly connected components: every component of more than one file is a circle.
let index = 0;
const stack = [];
const state = new Map();
const circles = [];
function visit(v) {
  state.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!state.has(w)) {
      visit(w);
      state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
    } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
  }
  if (state.get(v).low === state.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) circles.push(component);
  }
}
for (const f of files) if (!state.has(f)) visit(f);

if (circles.length > 0) {
  for (const c of circles)
    console.error(`import circle of ${c.length} files:\n  ${c.map((f) => relative(root, f)).join("\n  ")}`);
  process.exit(1);
}
console.log(`no import circles among ${files.length} files in src/`);
