import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { AppState } from './app-state.ts';
import { bundlesKey, prebuiltPageScript, servePageScript } from './bundles.ts';

const dir = mkdtempSync(join(tmpdir(), 'cardport-bundles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): URL {
  writeFileSync(join(dir, name), text);
  return pathToFileURL(join(dir, name));
}

describe('page scripts', () => {
  test('bundles a TypeScript page script with its imports into one file and serves it with an etag', async () => {
    file('greeting.ts', 'export function greeting(name: string): string { return "hello " + name; }\n');
    const source = file(
      'hello.browser.ts',
      "import { greeting } from './greeting.ts';\nconst who: string = 'page';\n(globalThis as { said?: string }).said = greeting(who);\n",
    );
    const app = Fastify();
    servePageScript(app, new AppState(), '/assets/hello.js', source);
    const first = await app.inject({ url: '/assets/hello.js' });
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['content-type']), /^text\/javascript/);
    assert.equal(first.headers['access-control-allow-origin'], undefined);
    assert.doesNotMatch(first.body, /: string/, 'types are stripped');
    assert.doesNotMatch(first.body, /import /, 'the import is bundled');
    const said: { said?: string } = {};
    new Function('globalThis', first.body)(said);
    assert.equal(said.said, 'hello page');

    const etag = String(first.headers.etag);
    const again = await app.inject({ url: '/assets/hello.js', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
  });

  test('serves the prebuilt file beside the source when the package ships one', async () => {
    const source = file('shipped.browser.ts', "(globalThis as { said?: string }).said = 'from source';\n");
    writeFileSync(prebuiltPageScript(source), 'globalThis.said="prebuilt";');
    const bundle = await new AppState().get(bundlesKey).page(source);
    assert.equal(bundle.code, 'globalThis.said="prebuilt";');
  });

  test('keeps each bundle in the state of its own app', async () => {
    const source = file('counted.browser.ts', 'export {};\n');
    const one = new AppState();
    const first = one.get(bundlesKey).page(source);
    assert.equal(one.get(bundlesKey).page(source), first, 'built once per app');
    assert.notEqual(new AppState().get(bundlesKey).page(source), first, 'another app builds its own');
    await first;
  });

  test('refuses a page script whose name does not end with .browser.ts', () => {
    const app = Fastify();
    assert.throws(
      () => servePageScript(app, new AppState(), '/x.js', file('plain.ts', 'export {};\n')),
      /\.browser\.ts/,
    );
  });
});
