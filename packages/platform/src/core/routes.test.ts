import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { documentOperations, generatedDocument } from './api-document.ts';
import { notFound, PlatformError } from './errors.ts';
import { registerErrorFamily } from './families.ts';
import { createHttpApp, toPlatformError } from './http.ts';
import { describeApi, documentedOnly, exampleOf, refuseInvalid, type ZodTypeProvider } from './routes.ts';
import { silentLogger } from './test-kit.ts';

const thing = z
  .object({
    name: z
      .string()
      .min(1)
      .meta({ description: 'What it is called', examples: ['lamp'] }),
  })
  .strict()
  .meta({ description: 'A thing', examples: [{ name: 'lamp' }] });
const params = z.object({
  thingId: z
    .string()
    .max(8)
    .meta({ description: 'The thing', examples: ['t1'] }),
});
const headers = z.object({
  'x-request-id': z
    .string()
    .min(1)
    .meta({ description: 'Request id', examples: ['r-1'] }),
});

function declare(app: FastifyInstance): void {
  describeApi(app, {
    tags: [{ name: 'things', description: 'Things.' }],
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  });
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/things/:thingId',
    {
      schemaErrorFormatter: refuseInvalid({ body: 'thing', params: () => notFound('thing') }),
      schema: {
        operationId: 'createThing',
        summary: 'Create a thing',
        tags: ['things'],
        security: [{ bearer: [] }],
        params,
        headers,
        body: thing,
        response: { 201: thing.meta({ description: 'Created' }) },
      },
    },
    async (req, reply) => reply.code(201).send({ ...req.body, id: req.params.thingId } as never),
  );
  api.post(
    '/lenient',
    { schema: { operationId: 'lenient', summary: 'Lenient', tags: ['things'], body: documentedOnly(thing) } },
    async (req) => ({ got: req.body }),
  );
  app.get('/page', async () => 'not in the document');
}

describe('declared routes', () => {
  let main: FastifyInstance;
  let other: FastifyInstance;

  before(async () => {
    main = createHttpApp({ logger: silentLogger });
    declare(main);
    // A family answering in its own format, as Web Checkout does ({resultCode, resultMessage}).
    main.register(async (scope) => {
      const handler = (
        err: unknown,
        _req: unknown,
        reply: { code(n: number): { send(b: unknown): void } },
      ) => {
        const e = toPlatformError(err);
        reply
          .code(e.status)
          .send({ resultCode: e.code === 'INVALID_INPUT' ? '9001' : '9999', details: e.details });
      };
      registerErrorFamily(scope, {
        prefix: '/family/',
        handler,
        raw: () => ({ type: 'text/plain', body: '' }),
      });
      scope.setErrorHandler(handler);
      scope
        .withTypeProvider<ZodTypeProvider>()
        .post(
          '/family/things',
          { schema: { operationId: 'familyThing', summary: 'F', tags: ['things'], body: thing } },
          async () => ({ ok: true }),
        );
    });
    other = createHttpApp({ logger: silentLogger });
    other.withTypeProvider<ZodTypeProvider>().get(
      '/other/ping',
      {
        schema: {
          operationId: 'ping',
          summary: 'Ping',
          tags: ['other'],
          response: { 200: z.object({ ok: z.boolean() }) },
        },
      },
      async () => ({ ok: true, extra: 'kept' }),
    );
    await main.ready();
    await other.ready();
  });
  after(async () => {
    await main.close();
    await other.close();
  });

  it('hands the handler the validated body, params and headers', async () => {
    const res = await main.inject({
      method: 'POST',
      url: '/things/t1',
      headers: { 'x-request-id': 'r-1' },
      payload: { name: 'lamp' },
    });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { name: 'lamp', id: 't1' }, 'the response schema strips nothing');
  });

  it('refuses a body that fails its schema with INVALID_INPUT naming every field, never the value', async () => {
    const res = await main.inject({
      method: 'POST',
      url: '/things/t1',
      headers: { 'x-request-id': 'r-1' },
      payload: { name: '', secret: '4111111111111111' },
    });
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, /^invalid thing: name /, 'the body keeps the name the route gave it');
    assert.deepEqual(
      error.details.map((d: { field: string }) => d.field),
      ['name', 'secret'],
    );
    assert.equal(error.details[1].reason, 'unknown field');
    assert.doesNotMatch(res.body, /4111/);
  });

  it('refuses a missing required header as INVALID_INPUT on headers', async () => {
    const res = await main.inject({ method: 'POST', url: '/things/t1', payload: { name: 'lamp' } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().error.details, [{ field: 'x-request-id', reason: 'required' }]);
    assert.match(res.json().error.message, /^invalid headers: /);
  });

  it('answers what the route chose for a path parameter that fails its schema', async () => {
    const res = await main.inject({
      method: 'POST',
      url: '/things/far-too-long-id',
      headers: { 'x-request-id': 'r-1' },
      payload: { name: 'lamp' },
    });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NOT_FOUND');
  });

  it('lets a documented-only body through unchanged for the handler to check', async () => {
    const res = await main.inject({ method: 'POST', url: '/lenient', payload: { name: '', extra: 1 } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { got: { name: '', extra: 1 } });
  });

  it("renders a validation failure in the family's own format", async () => {
    const res = await main.inject({ method: 'POST', url: '/family/things', payload: { name: 1 } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      resultCode: '9001',
      details: [{ field: 'name', reason: res.json().details[0].reason }],
    });
  });

  it('maps only validation failures: other errors pass through toPlatformError unchanged', () => {
    const e = new PlatformError('FORBIDDEN', 'no');
    assert.equal(toPlatformError(e), e);
    assert.equal(toPlatformError(new Error('boom')).code, 'INTERNAL');
  });

  it('sends an answer as built even when it has a field its response schema lacks', async () => {
    const res = await other.inject({ url: '/other/ping' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ok: true, extra: 'kept' });
  });

  it('generates one document from both listeners: tags, schemes, parameters, examples, servers', async () => {
    const doc = await generatedDocument(
      [{ app: main }, { app: other, serverUrl: () => 'https://127.0.0.1:8443', serverDescription: 'mTLS' }],
      { title: 'T', serverUrl: 'http://127.0.0.1:8080' },
    );
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: 'http://127.0.0.1:8080' }]);
    assert.deepEqual(Object.keys(doc.paths), [
      '/family/things',
      '/lenient',
      '/other/ping',
      '/things/{thingId}',
    ]);
    assert.equal(doc.paths['/page'], undefined, 'untagged routes stay out');
    assert.deepEqual(doc.paths['/other/ping']?.['servers'], [
      { url: 'https://127.0.0.1:8443', description: 'mTLS' },
    ]);
    assert.equal(doc.paths['/things/{thingId}']?.['servers'], undefined);
    assert.deepEqual(doc.tags, [{ name: 'things', description: 'Things.' }]);
    assert.deepEqual(doc.components?.securitySchemes, { bearer: { type: 'http', scheme: 'bearer' } });
    const op = documentOperations(doc).find((o) => o.operationId === 'createThing');
    assert.ok(op);
    assert.deepEqual(op.security, ['bearer']);
    assert.deepEqual(
      op.parameters?.map((p) => [p.in, p.name, p.required, p.description, p.example]),
      [
        ['path', 'thingId', true, 'The thing', 't1'],
        ['header', 'x-request-id', true, 'Request id', 'r-1'],
      ],
    );
    assert.deepEqual(op.requestBody?.example, { name: 'lamp' });
    assert.deepEqual(op.responses['201']?.example, { name: 'lamp' });
    assert.equal(op.responses['201']?.description, 'Created');
    const lenient = documentOperations(doc).find((o) => o.operationId === 'lenient');
    assert.deepEqual(lenient?.requestBody?.example, { name: 'lamp' }, 'a documented-only body is documented');
  });

  it('keeps the declared routes with their zod schemas, for the examples check', () => {
    const ids = main.apiDescription.routes.map((r) => `${r.method} ${r.url} ${r.schema['operationId']}`);
    assert.deepEqual(ids, [
      'POST /things/:thingId createThing',
      'POST /lenient lenient',
      'POST /family/things familyThing',
    ]);
    assert.deepEqual(exampleOf(thing), { name: 'lamp' });
    assert.equal(exampleOf(z.string()), undefined);
  });

  it('refuses a route part declared with something other than zod', async () => {
    const app = createHttpApp({ logger: silentLogger });
    app.post('/x', { schema: { body: { type: 'object' } } }, async () => ({}));
    await assert.rejects(async () => app.ready(), /body must be declared with a zod schema/);
    await app.close();
  });
});
