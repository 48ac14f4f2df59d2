// Reads the platform's import graph from its sources: every relative import of every .ts file
// under packages/platform/src (static `import … from`, `export … from`, side-effect imports and
// dynamic `import('…')` with a literal), resolved to a path relative to src/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const srcDir = resolve(import.meta.dirname, '../../packages/platform/src');

export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts')) out.push(relative(srcDir, path));
  }
  return out;
}

/** Every .ts file under src/, relative to it (`core/db.ts`). */
export function sourceFiles(): string[] {
  return walk(srcDir, []).sort();
}

const staticImport = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const dynamicImport = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative imports of one file, resolved to paths under src/ (others are ignored). */
export function importsOf(file: string, text = readFileSync(join(srcDir, file), 'utf8')): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    const target = relative(srcDir, resolve(srcDir, dirname(file), spec));
    if (target.startsWith('..')) return;
    edges.push({ from: file, to: target, typeOnly });
  };
  for (const m of text.matchAll(staticImport)) {
    const clause = (m[3] ?? '').trim();
    // `import { type A, type B } from …` is type-only too.
    const names = /^\{([^}]*)\}/.exec(clause)?.[1];
    const allTypes =
      names
        ?.split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type ')) ?? false;
    add(m[4] ?? '', Boolean(m[2]) || allTypes);
  }
  for (const m of text.matchAll(dynamicImport)) add(m[1] ?? '', false);
  return edges;
}

/** The top folder of a file under src/ (`core`, `wallet`, …; `.` for src/ itself). */
export function areaOf(file: string): string {
  const i = file.indexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

/** The import cycles among `edges` (each as the list of files around it), by Tarjan's algorithm. */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (next.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) found.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}
