// The rule "state belongs to the app, not the module" (issue 12), encoded: every source file of
// every package is parsed with the TypeScript compiler, and a module may hold no mutable state of
// its own. Two apps in one process (the tests build many) must never share a cache, a registry or
// a timer, and nothing may survive a rebuilt app; state lives in core/app-state.ts (or the
// database, when it must hold across processes). Refused at a module's top level:
//   - `let` and `var` declarations;
//   - a `const` initialised with `new Map` / `WeakMap` / `Set` / `WeakSet` that the file mutates
//     (`name.set(`, `.add(`, `.delete(`, `.clear(`): a constant lookup table is fine;
//   - `setInterval` / `setTimeout` called outside any function.
// Browser code (packages/browser, `*.browser.ts`, `pages/browser/`) runs one page at a time in a
// page and is out of scope. Anything else that must stay is listed below with its reason.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const packagesDir = join(root, 'packages');

/** `path: what` → why it may stay. Exact: an entry whose finding is gone fails the test too. */
const allowed: Record<string, string> = {
  'packages/jose/src/credential.ts: mutated new WeakMap keyIds':
    "a pure memo of an immutable KeyObject's kid (a hash of its public key): the same answer for every caller, holds no key alive, changes no behaviour; the library has no app to keep it in",
  'packages/jose/src/test-support.ts: let pythonChecked':
    'test code only (not in the package build): remembers that this machine has python3-jwcrypto, a fact of the machine, not of an app',
  'packages/platform/src/demo-output.fixture.ts: setInterval()':
    'a child process the runtime test starts as a demo partner: the timer keeps that process alive until SIGTERM, which is its whole job',
};

interface Finding {
  file: string;
  what: string;
  line: number;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|mts|mjs)$/.test(name) && !/\.d\.m?ts$/.test(name)) out.push(path);
  }
  return out;
}

/** Every non-test source file of every package, minus the code that runs in a browser page. */
function checkedFiles(): string[] {
  return readdirSync(packagesDir)
    .filter((p) => p !== 'browser')
    .flatMap((p) => {
      const src = join(packagesDir, p, 'src');
      try {
        return sourceFiles(src);
      } catch {
        return [];
      }
    })
    .map((f) => relative(root, f))
    .filter(
      (f) =>
        !f.endsWith('.test.ts') &&
        !f.endsWith('.browser.ts') &&
        !f.includes('/pages/browser/') &&
        !f.includes('/browser/'),
    )
    .sort();
}

const collections = new Set(['Map', 'WeakMap', 'Set', 'WeakSet']);
const mutators = new Set(['set', 'add', 'delete', 'clear']);
const timers = new Set(['setInterval', 'setTimeout']);

/** Calls of setInterval/setTimeout reached without entering a function body. */
function topLevelTimers(node: ts.Node, found: ts.CallExpression[]): ts.CallExpression[] {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return found;
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : undefined;
    if (name && timers.has(name)) found.push(node);
  }
  ts.forEachChild(node, (child) => {
    topLevelTimers(child, found);
  });
  return found;
}

/** Whether `name` is mutated anywhere in the file: `name.set(…)`, `name.add(…)`, … */
function isMutated(file: ts.SourceFile, name: string): boolean {
  let mutated = false;
  const visit = (node: ts.Node): void => {
    if (mutated) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === name &&
      mutators.has(node.expression.name.text)
    ) {
      mutated = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return mutated;
}

function newCollection(init: ts.Expression | undefined): string | undefined {
  let e = init;
  while (e && (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)))
    e = e.expression;
  if (e && ts.isNewExpression(e) && ts.isIdentifier(e.expression) && collections.has(e.expression.text))
    return e.expression.text;
  return undefined;
}

/** The module-level state of one file's text. */
export function moduleStateOf(path: string, text: string): Finding[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const at = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const flags = statement.declarationList.flags;
      const kind = flags & ts.NodeFlags.Let ? 'let' : flags & ts.NodeFlags.Const ? 'const' : 'var';
      for (const d of statement.declarationList.declarations) {
        const name = ts.isIdentifier(d.name) ? d.name.text : d.name.getText(file);
        if (kind !== 'const') {
          findings.push({ file: path, what: `${kind} ${name}`, line: at(d) });
          continue;
        }
        const collection = newCollection(d.initializer);
        if (collection && ts.isIdentifier(d.name) && isMutated(file, name)) {
          findings.push({ file: path, what: `mutated new ${collection} ${name}`, line: at(d) });
        }
      }
    }
    for (const call of topLevelTimers(statement, [])) {
      findings.push({ file: path, what: `${call.expression.getText(file)}()`, line: at(call) });
    }
  }
  return findings;
}

describe('no mutable module-level state', () => {
  const files = checkedFiles();
  const findings = files.flatMap((f) => moduleStateOf(f, readFileSync(join(root, f), 'utf8')));
  const key = (f: Finding) => `${f.file}: ${f.what}`;

  it('reads every package: the platform, the libraries and the SDK, not the browser code', () => {
    assert.ok(files.length > 150, `only ${files.length} files`);
    for (const f of [
      'packages/platform/src/partners/mtls-guard.ts',
      'packages/jose/src/credential.ts',
      'packages/sdk/src/index.ts',
      'packages/protocol/src/index.ts',
    ])
      assert.ok(files.includes(f), f);
    assert.ok(!files.some((f) => f.startsWith('packages/browser/') || f.endsWith('.browser.ts')));
  });

  it('finds what the rule forbids (the checker checks)', () => {
    const found = moduleStateOf(
      'example.ts',
      [
        'let counter = 0;',
        'var old = 1;',
        'const cache = new Map<string, number>();',
        'export function put(k: string) { cache.set(k, 1); }',
        'const byKey = new WeakMap() as WeakMap<object, string>;',
        'function forget(o: object) { byKey.delete(o); }',
        "const table = new Set(['a', 'b']);",
        'export const has = (x: string) => table.has(x);',
        'setInterval(() => {}, 1000);',
        'const handle = globalThis.setTimeout(() => {}, 5);',
        'export function later() { setTimeout(() => {}, 1); let local = 1; return local; }',
      ].join('\n'),
    ).map((f) => f.what);
    assert.deepEqual(found, [
      'let counter',
      'var old',
      'mutated new Map cache',
      'mutated new WeakMap byKey',
      'setInterval()',
      'globalThis.setTimeout()',
    ]);
  });

  it('holds no mutable state at any module level, outside the reasoned allow-list', () => {
    const refused = findings.filter((f) => !Object.hasOwn(allowed, key(f)));
    assert.deepEqual(
      refused.map((f) => `${f.file}:${f.line} ${f.what}`),
      [],
      'move this state to the app (core/app-state.ts appStateKey) or the database',
    );
  });

  it('keeps the allow-list exact: every entry still names a finding', () => {
    const stale = Object.keys(allowed).filter((k) => !findings.some((f) => key(f) === k));
    assert.deepEqual(stale, []);
  });
});
