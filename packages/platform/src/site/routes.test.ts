import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AppState } from '../core/app-state.ts';
import { adminGuard, createHttpApp } from '../core/http.ts';
import {
  ManualClock,
  silentLogger,
  type TestDb,
  testConfig,
  testDbKinds,
  testKeyStore,
} from '../core/test-kit.ts';
import { registerWalletRoutes } from '../wallet/routes.ts';
import { demoPartners, registerDemoPartner, unregisterDemoPartner } from './demo-partners.ts';
import { listTopics, registerSiteRoutes } from './routes.ts';

function hrefs(body: string): string[] {
  return [...body.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

describe('site', () => {
  let t: TestDb;
  let app: FastifyInstance;
  const config = testConfig({ publicUrl: 'http://127.0.0.1:9999' });
  const state = new AppState();
  const docsDir = mkdtempSync(join(tmpdir(), 'cardport-docs-'));

  before(async () => {
    const pglite = testDbKinds()[0];
    assert.ok(pglite);
    t = await pglite.open();
    writeFileSync(
      join(docsDir, 'operations.md'),
      '# Running Cardport\n\nStart it with <b>cardport up</b>.\n',
    );
    writeFileSync(join(docsDir, 'notes.txt'), 'not a guide');
    mkdirSync(join(docsDir, 'sub.md'));
    app = createHttpApp({ logger: silentLogger });
    registerWalletRoutes(app, {
      db: t.db,
      clock: new ManualClock(),
      config,
      keys: testKeyStore(),
      requireAdmin: adminGuard('x'),
      state: new AppState(),
    });
    registerSiteRoutes(app, { config, state }, { docsDir });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await t.dispose();
    config.cleanup();
    rmSync(docsDir, { recursive: true, force: true });
  });

  it('serves the landing page linking the flows, the wallet, the dashboard and the docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    const links = hrefs(res.body);
    for (const link of ['/wallet', '/admin', '/docs', '/docs/openapi.json', '/assets/cardport.css']) {
      assert.ok(links.includes(link), `landing links ${link}`);
    }
    for (const flow of ['Save to Pay', 'Add to Wallet', 'Web Checkout'])
      assert.match(res.body, new RegExp(flow));
    assert.match(res.body, /Arrives with issue #3/);
    assert.match(res.body, /No demo partner is running/);
  });

  it('marks a flow available once its API is declared, and lists running demo partners', async () => {
    // A listener that declares one Web Checkout operation, as the flow's routes do.
    const withFlow = createHttpApp({ logger: silentLogger });
    withFlow.post(
      '/test-only/web-checkout',
      { schema: { operationId: 'testOnlyWebCheckout', summary: 'test', tags: ['web-checkout'] } },
      async () => ({}),
    );
    registerSiteRoutes(withFlow, { config, state }, { docsDir });
    await withFlow.ready();
    const before = await app.inject({ method: 'GET', url: '/' });
    assert.doesNotMatch(
      before.body,
      /data-flow="web-checkout">\s*<h3>Web Checkout <span class="badge badge-active">Available/,
    );
    registerDemoPartner(state, { flow: 'web-checkout', name: 'Demo shop', url: 'http://127.0.0.1:4444/' });
    try {
      const res = await withFlow.inject({ method: 'GET', url: '/' });
      assert.match(
        res.body,
        /data-flow="web-checkout">\s*<h3>Web Checkout <span class="badge badge-active">Available/,
      );
      assert.ok(hrefs(res.body).includes('/docs#tag-web-checkout'));
      assert.ok(hrefs(res.body).includes('http://127.0.0.1:4444/'));
    } finally {
      unregisterDemoPartner(state, 'Demo shop');
      await withFlow.close();
    }
    assert.throws(() =>
      registerDemoPartner(state, { flow: 'web-checkout', name: 'x', url: 'javascript:alert(1)' }),
    );
  });

  it("keeps each app's demo partner links to itself", () => {
    const other = new AppState();
    registerDemoPartner(other, { flow: 'save-to-pay', name: 'Demo bank', url: 'http://127.0.0.1:4445/' });
    assert.deepEqual(
      demoPartners(other).map((d) => d.name),
      ['Demo bank'],
    );
    assert.deepEqual(demoPartners(state), [], 'another app shows no demo it did not start');
  });

  it('serves an OpenAPI 3.1 document with the wallet API', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: 'http://127.0.0.1:9999' }]);
    for (const path of [
      '/wallet/api/accounts',
      '/wallet/api/sessions',
      '/wallet/api/me',
      '/wallet/api/items',
    ]) {
      assert.ok(doc.paths[path], `documents ${path}`);
    }
    assert.ok(doc.paths['/wallet/api/devices/{deviceId}/select'].post);
    assert.equal(doc.paths['/admin/v1/wallet/accounts'].post.operationId, 'createAccount');
    assert.ok(doc.components.securitySchemes.walletBearer);
    const body = doc.paths['/wallet/api/accounts'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(body.required, ['email']);
  });

  it('lists every declared operation on /docs with a link into openapi.json', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs' });
    assert.equal(res.statusCode, 200);
    const links = hrefs(res.body);
    const declared = app.apiDescription.routes.map((r) => String(r.schema['operationId']));
    assert.ok(declared.length > 5, 'the wallet declares its operations');
    for (const operationId of declared) {
      assert.match(res.body, new RegExp(`id="op-${operationId}"`));
    }
    assert.ok(links.includes('/docs/openapi.json#/paths/~1wallet~1api~1accounts/post'));
    assert.ok(
      links.includes('/docs/openapi.json#/paths/~1wallet~1api~1devices~1%7BdeviceId%7D~1select/post'),
    );
    assert.ok(links.includes('/docs/topics/operations'));
    assert.match(res.body, /Running Cardport/);
  });

  it('shows the guides of the docs folder, escaped, and answers 404 for anything else', async () => {
    assert.deepEqual(listTopics(docsDir), [{ name: 'operations', title: 'Running Cardport' }]);
    assert.deepEqual(listTopics(join(docsDir, 'missing')), []);
    const res = await app.inject({ method: 'GET', url: '/docs/topics/operations' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /&lt;b&gt;cardport up&lt;\/b&gt;/);
    for (const url of [
      '/docs/topics/notes',
      '/docs/topics/sub',
      '/docs/topics/..%2Fetc%2Fpasswd',
      '/docs/topics/nope',
    ]) {
      const missing = await app.inject({ method: 'GET', url });
      assert.equal(missing.statusCode, 404, url);
      assert.match(String(missing.headers['content-type']), /text\/html/);
    }
  });

  it('serves the shared stylesheet', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/cardport.css' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/css/);
    assert.match(res.body, /\.phone\s*\{/);
  });
});
