// The API reference is complete: every operation of the assembled platform names its path
// parameters, the partner APIs list their wire headers, every operation has examples, and the
// examples pass their own zod schemas.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { type App, assembleApp } from '../app.ts';
import {
  apiListenersKey,
  documentOperations,
  type OpenApiDocument,
  type OpenApiOperation,
} from '../core/api-document.ts';
import { openDb } from '../core/db.ts';
import { migrate } from '../core/migrate.ts';
import { exampleOf } from '../core/routes.ts';
import { ManualClock, silentLogger, testConfig, testKeyStore } from '../core/test-kit.ts';
import { docsPage, parameterRows } from './pages/docs.ts';
import { apiDocument } from './routes.ts';

type Doc = {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; required: boolean }[] }>>;
};

function header(op: OpenApiOperation, name: string) {
  return (op.parameters ?? []).find((p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase());
}

describe('the API reference', () => {
  const config = testConfig();
  let app: App;
  let ops: OpenApiOperation[];
  let doc: OpenApiDocument;
  let schemes: Record<string, Record<string, unknown>>;
  let close: () => Promise<void>;

  before(async () => {
    const db = await openDb();
    await migrate(db);
    const clock = new ManualClock(Date.now());
    app = await assembleApp({
      config,
      db,
      clock,
      log: silentLogger,
      keys: testKeyStore(clock),
      adminToken: 'x',
    });
    await app.main.ready();
    await app.mtls.ready();
    // What /docs/openapi.json serves: generated from both listeners' declared routes.
    doc = await apiDocument(app.ctx.state.get(apiListenersKey), config.publicUrl);
    ops = documentOperations(doc);
    schemes = doc.components?.securitySchemes ?? {};
    close = async () => {
      await app.ctx.delivery.close();
      await app.main.close();
      await app.mtls.close();
      await db.close();
      config.cleanup();
    };
  });
  after(async () => close?.());

  it('lists every path parameter of every operation, described, with an example', () => {
    assert.ok(ops.length > 40, `only ${ops.length} operations`);
    const missing: string[] = [];
    for (const op of ops) {
      const names = [...op.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
      const listed = (doc as Doc).paths[op.path]?.[op.method.toLowerCase()]?.parameters ?? [];
      for (const name of names) {
        const declared = (op.parameters ?? []).find((p) => p.in === 'path' && p.name === name);
        const inDoc = listed.find((p) => p.in === 'path' && p.name === name);
        if (!inDoc?.required || !declared?.description || declared.example === undefined) {
          missing.push(`${op.operationId} ${name}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('describes every parameter and gives every header parameter an example', () => {
    const missing = ops.flatMap((op) =>
      (op.parameters ?? [])
        .filter((p) => !p.description || (p.in === 'header' && p.example === undefined))
        .map((p) => `${op.operationId} ${p.in} ${p.name}`),
    );
    assert.deepEqual(missing, []);
  });

  it('lists the required wire headers of the Save to Pay, Server API and Web Checkout operations', () => {
    const s2p = ops.filter((op) => op.path.startsWith('/ext/v1/'));
    const serverApi = ops.filter((op) => op.path.includes('/wltex/'));
    const checkout = ops.filter((op) => op.path.startsWith('/ops/v1/'));
    assert.ok(s2p.length >= 2 && serverApi.length >= 6 && checkout.length >= 4);
    for (const op of s2p) {
      assert.deepEqual(op.security, ['partnerCertificate'], `${op.operationId} is on mutual TLS`);
      for (const name of ['Request-Id', 'Partner-Id']) {
        assert.equal(header(op, name)?.required, true, `${op.operationId} ${name}`);
      }
    }
    for (const op of serverApi) {
      for (const name of ['x-smcs-partner-id', 'x-request-id']) {
        assert.equal(header(op, name)?.required, true, `${op.operationId} ${name}`);
      }
      assert.deepEqual(op.security, ['partnerAuthToken'], op.operationId);
      const auth = parameterRows(op, schemes).find((r) => r.name === 'Authorization');
      assert.equal(auth?.required, true, `${op.operationId} shows Authorization as required`);
    }
    for (const op of checkout) {
      // PROTOCOLS.md 4.1: X-Request-Id is optional; no auth header (IP allow-list and serviceId).
      assert.equal(header(op, 'X-Request-Id')?.required, false, op.operationId);
    }
  });

  it('gives every operation an example request and an example answer', () => {
    const missing: string[] = [];
    for (const op of ops) {
      if (op.requestBody && op.requestBody.example === undefined) missing.push(`${op.operationId} request`);
      for (const [status, r] of Object.entries(op.responses)) {
        if (/^2/.test(status) && r.schema && r.example === undefined)
          missing.push(`${op.operationId} ${status}`);
      }
      // The first success answer shows an example, unless it has no body (HEAD, 204, redirects).
      const success = Object.entries(op.responses).find(([status]) => /^[23]/.test(status));
      const bodyless = op.method === 'HEAD' || !success || success[0] === '204' || /^3/.test(success[0]);
      if (!bodyless && success?.[1].example === undefined)
        missing.push(`${op.operationId} ${success?.[0]} answer`);
    }
    assert.deepEqual(missing, []);
  });

  it('has examples that pass their own zod schemas', () => {
    let checked = 0;
    const failures: string[] = [];
    const check = (label: string, schema: unknown, example: unknown) => {
      if (!(schema instanceof z.ZodType) || example === undefined) return;
      checked++;
      const result = schema.safeParse(example);
      if (!result.success) failures.push(`${label}: ${z.prettifyError(result.error)}`);
    };
    // Declared routes: each zod schema's own examples (`.meta({ examples })`), parts and fields.
    const declared = [app.main, app.mtls].flatMap((a) => a.apiDescription.routes);
    assert.ok(declared.length > 0, 'some routes are declared');
    for (const { schema } of declared) {
      const id = String(schema['operationId']);
      const parts = {
        body: schema.body,
        params: schema.params,
        querystring: schema.querystring,
        headers: schema.headers,
      };
      const responses = Object.entries((schema.response ?? {}) as Record<string, unknown>);
      for (const [label, s] of [...Object.entries(parts), ...responses]) {
        check(`${id} ${label}`, s, exampleOf(s));
        if (s instanceof z.ZodObject)
          for (const [name, field] of Object.entries(s.shape as Record<string, unknown>))
            check(`${id} ${label}.${name}`, field, exampleOf(field));
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(checked > 40, `only ${checked} examples checked`);
  });

  it('renders the parameters, the required headers and the examples on /docs', () => {
    const page = docsPage(ops, doc.tags ?? [], [], schemes);
    const op = ops.find((o) => o.operationId === 'createRegistration');
    assert.ok(op);
    const section = page.slice(page.indexOf('id="op-createRegistration"'));
    const end = section.indexOf('</details>');
    const block = section.slice(0, end);
    assert.match(block, /Required headers: <code>Request-Id<\/code>, <code>Partner-Id<\/code>/);
    assert.match(block, /<table class="params">/);
    assert.match(block, /Example request/);
    assert.match(block, /Example Bank Platinum/);
    assert.match(block, /Example response 201/);
    const notify = page.slice(page.indexOf('id="op-notifyUpdate"'));
    assert.match(
      notify.slice(0, notify.indexOf('</details>')),
      /Required headers: <code>Authorization<\/code>/,
    );
  });
});
