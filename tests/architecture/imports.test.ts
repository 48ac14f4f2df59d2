// The import rules of docs/ARCHITECTURE.md, encoded: they are read from every source file of the
// platform, so a change that breaks one fails here rather than in review.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { areaOf, cycles, type ImportEdge, importsOf, sourceFiles, srcDir } from './imports.ts';

const files = sourceFiles();
const edges = files.flatMap((f) => importsOf(f));
const flows = new Set(['save-to-pay', 'wallet-cards', 'web-checkout']);

const show = (list: readonly ImportEdge[]) => list.map((e) => `${e.from} -> ${e.to}`);

/**
 * Cycles another branch of this session breaks (helper "wallet" moves the tabs registry): the
 * list is exact, so once the cycle is gone this entry must go too.
 */
const knownCycles: string[][] = [];

describe('import rules of the platform', () => {
  it('reads a real graph: every file, and the imports of the app assembly', () => {
    assert.ok(files.length > 100, `only ${files.length} files found under ${srcDir}`);
    assert.ok(files.includes('core/app-state.ts'));
    const app = edges.filter((e) => e.from === 'app.ts').map((e) => e.to);
    assert.ok(app.includes('domains.ts') && app.includes('core/app-state.ts'), app.join(', '));
  });

  it('core imports no domain', () => {
    const bad = edges.filter((e) => areaOf(e.from) === 'core' && areaOf(e.to) !== 'core');
    assert.deepEqual(show(bad), []);
  });

  it('a flow never imports another flow', () => {
    const bad = edges.filter(
      (e) => flows.has(areaOf(e.from)) && flows.has(areaOf(e.to)) && areaOf(e.from) !== areaOf(e.to),
    );
    assert.deepEqual(show(bad), []);
  });

  it('outside tsp/, only tsp/index.ts is imported (once tsp/ has its public face)', (t) => {
    if (!existsSync(join(srcDir, 'tsp/index.ts'))) {
      // Until the branch that adds tsp/index.ts is merged there is no face to hold imports to;
      // the rule then applies by itself.
      t.diagnostic('tsp/index.ts does not exist yet: rule not applied');
      assert.ok(
        edges.some((e) => areaOf(e.to) === 'tsp'),
        'the flows do use tsp/',
      );
      return;
    }
    const bad = edges.filter(
      (e) => areaOf(e.from) !== 'tsp' && areaOf(e.to) === 'tsp' && e.to !== 'tsp/index.ts',
    );
    assert.deepEqual(show(bad), []);
  });

  it('has no import cycle (type-only imports included)', () => {
    const found = cycles(edges).map((c) => c.join(' <-> '));
    assert.deepEqual(found.sort(), knownCycles.map((c) => [...c].sort().join(' <-> ')).sort());
  });
});

describe('the import graph reader', () => {
  it('resolves relative imports, tells type-only ones apart and ignores packages', () => {
    const text = [
      "import type { A } from './a.ts';",
      "import { type B, type C } from '../core/b.ts';",
      "import { d, type E } from './d.ts';",
      "export { f } from './f.ts';",
      "import 'node:fs';",
      "import {\n  g,\n  h,\n} from './pages/g.ts';",
      "const lazy = () => import('./lazy.ts');",
    ].join('\n');
    assert.deepEqual(importsOf('wallet/x.ts', text), [
      { from: 'wallet/x.ts', to: 'wallet/a.ts', typeOnly: true },
      { from: 'wallet/x.ts', to: 'core/b.ts', typeOnly: true },
      { from: 'wallet/x.ts', to: 'wallet/d.ts', typeOnly: false },
      { from: 'wallet/x.ts', to: 'wallet/f.ts', typeOnly: false },
      { from: 'wallet/x.ts', to: 'wallet/pages/g.ts', typeOnly: false },
      { from: 'wallet/x.ts', to: 'wallet/lazy.ts', typeOnly: false },
    ]);
  });

  it('finds a cycle of three files and none in a chain', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false });
    assert.deepEqual(cycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')]), [
      ['a', 'b', 'c'],
    ]);
    assert.deepEqual(cycles([edge('a', 'b'), edge('b', 'c')]), []);
  });
});
