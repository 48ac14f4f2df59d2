// The token service has one public face (index.ts): a file outside tsp/ that imports any other
// file of tsp/ couples a flow to the token service's insides. This test reads every TypeScript and
// JavaScript source of the repository and fails on such an import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const tspDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(tspDir, '../../../..');
const face = path.join(tspDir, 'index.ts');
const scanned = ['packages', 'tests', 'examples', 'bench', 'scripts'];
const skipped = new Set(['node_modules', 'dist', '.git']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Module specifiers of static imports, re-exports and dynamic `import()` calls. */
export function specifiersOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1]) found.push(m[1]);
  return found;
}

/** The imports of `file` (outside tsp/) that reach into tsp/ past its face. */
export function importsPastTheFace(file: string, source: string): string[] {
  return specifiersOf(source).filter((spec) => {
    if (!spec.startsWith('.')) return false;
    const target = path.resolve(path.dirname(file), spec);
    return target.startsWith(tspDir + path.sep) && target !== face;
  });
}

describe('the token service’s public face', () => {
  it('is the only file of tsp/ that anything outside tsp/ imports', () => {
    const offenders: string[] = [];
    let importersOfFace = 0;
    for (const root of scanned) {
      for (const file of sourceFiles(path.join(repoRoot, root))) {
        if (file.startsWith(tspDir + path.sep)) continue;
        const source = readFileSync(file, 'utf8');
        for (const spec of importsPastTheFace(file, source)) {
          offenders.push(`${path.relative(repoRoot, file)} imports ${spec}`);
        }
        if (
          specifiersOf(source).some((s) => s.startsWith('.') && path.resolve(path.dirname(file), s) === face)
        ) {
          importersOfFace++;
        }
      }
    }
    assert.deepEqual(offenders, [], 'import these from tsp/index.ts instead');
    // The flows do use the token service: the scan saw their imports.
    assert.ok(importersOfFace >= 3, `only ${importersOfFace} files import tsp/index.ts`);
  });

  it('catches an import past the face, static, re-exported or dynamic', () => {
    const flow = path.join(repoRoot, 'packages/platform/src/web-checkout/service.ts');
    const source = [
      "import { mintCryptogram } from '../tsp/cryptograms.ts';",
      "export { listTokens } from '../tsp/tokens.ts';",
      "const m = await import('../tsp/keys.ts');",
      "import { tspModule } from '../tsp/index.ts';",
      "import { walletModule } from '../wallet/module.ts';",
    ].join('\n');
    assert.deepEqual(importsPastTheFace(flow, source), [
      '../tsp/cryptograms.ts',
      '../tsp/tokens.ts',
      '../tsp/keys.ts',
    ]);
  });
});
