import assert from 'node:assert/strict';
import { it } from 'node:test';
import { z } from 'zod';
import { OpenApiRegistry, toOpenApiPath } from './openapi.ts';

it('turns Fastify path parameters into OpenAPI ones', () => {
  assert.equal(toOpenApiPath('/a/:id/b/:refId'), '/a/{id}/b/{refId}');
  assert.equal(toOpenApiPath('/a/{id}'), '/a/{id}');
});

it('assembles an OpenAPI 3.1 document from zod and JSON Schema registrations', () => {
  const r = new OpenApiRegistry();
  r.registerTag({ name: 'things', description: 'Things.' });
  r.registerSecurityScheme('bearer', { type: 'http', scheme: 'bearer' });
  r.register({
    method: 'POST',
    path: '/things/:thingId',
    operationId: 'createThing',
    summary: 'Create a thing',
    tags: ['things'],
    security: ['bearer'],
    requestBody: { schema: z.object({ name: z.string().min(1), size: z.number().default(1) }) },
    responses: {
      '201': { description: 'Created', schema: { type: 'object', properties: { id: { type: 'string' } } } },
      '204': { description: 'Nothing' },
    },
  });
  const doc = r.document({ title: 'T', serverUrl: 'http://127.0.0.1:1' }) as {
    openapi: string;
    servers: { url: string }[];
    tags: { name: string }[];
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(doc.servers, [{ url: 'http://127.0.0.1:1' }]);
  assert.deepEqual(
    doc.tags.map((t) => t.name),
    ['things'],
  );
  const op = doc.paths['/things/{thingId}']?.['post'];
  assert.ok(op);
  assert.equal(op['operationId'], 'createThing');
  assert.deepEqual(op['parameters'], [
    { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } },
  ]);
  assert.deepEqual(op['security'], [{ bearer: [] }]);
  const body = (op['requestBody'] as { content: Record<string, { schema: Record<string, unknown> }> })
    .content['application/json']?.schema;
  assert.ok(body);
  assert.equal(body['$schema'], undefined, 'no $schema inside the document');
  assert.deepEqual(body['required'], ['name'], 'input schemas leave defaulted fields optional');
  const responses = op['responses'] as Record<string, { content?: unknown }>;
  assert.ok(responses['201']?.content);
  assert.equal(responses['204']?.content, undefined);
  assert.deepEqual(doc.components.securitySchemes, { bearer: { type: 'http', scheme: 'bearer' } });
});

it('replaces a re-registered operation and refuses one operationId on two routes', () => {
  const r = new OpenApiRegistry();
  const op = {
    method: 'GET' as const,
    path: '/a',
    operationId: 'getA',
    summary: 'A',
    tags: ['x'],
    responses: {},
  };
  r.register(op);
  r.register({ ...op, summary: 'A again' });
  assert.equal(r.operations().length, 1);
  assert.equal(r.operations()[0]?.summary, 'A again');
  assert.throws(() => r.register({ ...op, path: '/b' }), /getA is already used/);
});

it('lists tags that operations use even when nobody described them', () => {
  const r = new OpenApiRegistry();
  r.register({ method: 'GET', path: '/z', operationId: 'z', summary: 'Z', tags: ['zed'], responses: {} });
  assert.deepEqual(r.tags(), [{ name: 'zed', description: '' }]);
});

it('puts the examples and the annotated parameters of an operation into the document', () => {
  const r = new OpenApiRegistry();
  r.annotate('notify', {
    parameters: [
      { name: 'x-request-id', in: 'header', required: true, description: 'Request id', example: 'abc' },
      { name: 'cc2', in: 'path', description: 'Region', example: 'us' },
      { name: 'cardId', in: 'path', description: 'The card', example: 'c1' },
    ],
    requestExample: { card: { type: 'ticket' } },
    responseExamples: { '200': { ok: true } },
  });
  r.register({
    method: 'POST',
    path: '/wltex/cards/:cardId/notification',
    operationId: 'notify',
    summary: 'Notify',
    tags: ['x'],
    parameters: [{ name: 'X-Request-Id', in: 'header', required: true }],
    requestBody: { schema: z.object({ card: z.object({ type: z.string() }) }) },
    responses: {
      '200': { description: 'OK', schema: z.object({ ok: z.boolean() }) },
      '204': { description: 'None' },
    },
  });
  const op = (r.document() as { paths: Record<string, Record<string, Record<string, unknown>>> }).paths[
    '/wltex/cards/{cardId}/notification'
  ]?.['post'];
  assert.ok(op);
  assert.deepEqual(op['parameters'], [
    {
      name: 'X-Request-Id',
      in: 'header',
      description: 'Request id',
      required: true,
      schema: { type: 'string' },
      example: 'abc',
    },
    {
      name: 'cardId',
      in: 'path',
      description: 'The card',
      required: true,
      schema: { type: 'string' },
      example: 'c1',
    },
  ]);
  const body = op['requestBody'] as { content: Record<string, { example?: unknown }> };
  assert.deepEqual(body.content['application/json']?.example, { card: { type: 'ticket' } });
  const responses = op['responses'] as Record<string, { content?: Record<string, { example?: unknown }> }>;
  assert.deepEqual(responses['200']?.content?.['application/json']?.example, { ok: true });
  assert.equal(responses['204']?.content, undefined);
});

it('gives an annotated operation the request body it was registered without', () => {
  const r = new OpenApiRegistry();
  r.register({ method: 'POST', path: '/p', operationId: 'p', summary: 'P', tags: ['x'], responses: {} });
  r.annotate('p', {
    requestBody: { schema: z.object({ offerId: z.string() }) },
    requestExample: { offerId: 'o1' },
  });
  assert.deepEqual(r.operations()[0]?.requestBody?.example, { offerId: 'o1' });
});
