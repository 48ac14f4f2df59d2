// The one OpenAPI 3.1 document of the platform (/docs/openapi.json, /docs): the document
// @fastify/swagger generates on each listener, merged. The mTLS listener's paths name its server.
import type { FastifyInstance } from 'fastify';
import { appStateKey } from './app-state.ts';

// The operation shape /docs renders, read back from the generated document.
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A JSON Schema object (draft 2020-12, which OpenAPI 3.1 uses), as the generated document holds it. */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  description?: string;
  required?: boolean;
  schema?: JsonSchema;
  /** A realistic value, shown in the reference and emitted as the parameter's `example`. */
  example?: unknown;
}

export interface OpenApiResponse {
  description: string;
  /** Body schema; `application/json` unless `contentType` says otherwise. */
  schema?: JsonSchema;
  contentType?: string;
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
  /** A realistic body of this response (a string for non-JSON bodies). */
  example?: unknown;
}

export interface OpenApiOperation {
  method: HttpMethod;
  /** The route path, in Fastify (`/x/:id`) or OpenAPI (`/x/{id}`) form. */
  path: string;
  /** Unique across the document; by house style the name the service function also has. */
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Names of the security schemes the operation accepts; empty means public. */
  security?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: {
    schema: JsonSchema;
    description?: string;
    contentType?: string;
    required?: boolean;
    /** A realistic request body that the schema accepts. */
    example?: unknown;
  };
  /** Keyed by HTTP status (`'200'`, `'201'`, `'default'`). */
  responses: Record<string, OpenApiResponse>;
}

/**
 * Details a domain's `openapi.ts` adds to an operation registered elsewhere (usually its routes):
 * parameters and examples. Kept apart so the registrations stay short and the examples sit in one
 * file per domain; applied whenever the operations are read.
 */
export interface OpenApiTag {
  name: string;
  description: string;
}

export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  servers?: { url: string; description?: string }[];
  tags?: OpenApiTag[];
  paths: Record<string, Record<string, unknown>>;
  components?: { securitySchemes?: Record<string, Record<string, unknown>>; [k: string]: unknown };
};

export interface ApiListener {
  app: FastifyInstance;
  /** The listener's base URL when it is not the document's server (the mTLS listener's). */
  serverUrl?: () => string;
  serverDescription?: string;
}

/** The app's listeners whose declared routes make the document; buildApp adds both. */
export const apiListenersKey = appStateKey('core.apiListeners', (): ApiListener[] => []);

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * The document of every listener's declared routes, sorted by path. A listener not booted yet
 * (tests inject into the main one only) is booted first: its routes are all declared by then.
 */
export async function generatedDocument(
  listeners: readonly ApiListener[],
  options: { title: string; description?: string; serverUrl: string; version?: string },
): Promise<OpenApiDocument> {
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Map<string, OpenApiTag>();
  const securitySchemes: Record<string, Record<string, unknown>> = {};
  for (const listener of listeners) {
    await listener.app.ready();
    const doc = listener.app.swagger() as unknown as OpenApiDocument;
    for (const tag of doc.tags ?? []) tags.set(tag.name, tag);
    Object.assign(securitySchemes, doc.components?.securitySchemes);
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const servers = listener.serverUrl
        ? {
            servers: [
              {
                url: listener.serverUrl(),
                ...(listener.serverDescription ? { description: listener.serverDescription } : {}),
              },
            ],
          }
        : {};
      paths[path] = { ...paths[path], ...item, ...servers };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version ?? '0.1.0',
      ...(options.description ? { description: options.description } : {}),
    },
    servers: [{ url: options.serverUrl }],
    tags: [...tags.values()].sort((a, b) => a.name.localeCompare(b.name)),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { securitySchemes },
  };
}

type Json = Record<string, unknown>;

/**
 * The first media type of a body, with its example: the media's own, else the schema's first
 * `examples` (where @fastify/swagger leaves it for responses declared per content type).
 */
function firstMedia(content: unknown): { contentType: string; media: Json } | undefined {
  const entry = Object.entries((content ?? {}) as Record<string, Json>)[0];
  if (!entry) return undefined;
  const [contentType, media] = entry;
  const schemaExamples = (media['schema'] as Json | undefined)?.['examples'];
  if (media['example'] === undefined && Array.isArray(schemaExamples) && schemaExamples.length > 0)
    return { contentType, media: { ...media, example: schemaExamples[0] } };
  return { contentType, media };
}

/**
 * The operations of a document, in the shape the /docs page renders (schemas as JSON Schema,
 * examples from the media types and parameters), sorted by path then method.
 */
export function documentOperations(doc: OpenApiDocument): OpenApiOperation[] {
  const ops: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of methods) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const parameters = ((op['parameters'] ?? []) as Json[]).map(
        (p): OpenApiParameter => ({
          name: String(p['name']),
          in: p['in'] as OpenApiParameter['in'],
          ...(typeof p['description'] === 'string' ? { description: p['description'] } : {}),
          required: p['required'] === true,
          ...(p['schema'] ? { schema: p['schema'] as Json } : {}),
          ...(p['example'] !== undefined ? { example: p['example'] } : {}),
        }),
      );
      const body = op['requestBody'] as Json | undefined;
      const bodyMedia = firstMedia(body?.['content']);
      const responses: Record<string, OpenApiResponse> = {};
      for (const [status, r] of Object.entries((op['responses'] ?? {}) as Record<string, Json>)) {
        const m = firstMedia(r['content']);
        responses[status] = {
          description: String(r['description'] ?? ''),
          ...(r['headers'] ? { headers: r['headers'] as OpenApiResponse['headers'] } : {}),
          ...(m
            ? {
                contentType: m.contentType,
                ...(m.media['schema'] ? { schema: m.media['schema'] as Json } : {}),
                ...(m.media['example'] !== undefined ? { example: m.media['example'] } : {}),
              }
            : {}),
        };
      }
      ops.push({
        method: method.toUpperCase() as HttpMethod,
        path,
        operationId: String(op['operationId'] ?? ''),
        summary: String(op['summary'] ?? ''),
        ...(typeof op['description'] === 'string' ? { description: op['description'] } : {}),
        tags: (op['tags'] ?? []) as string[],
        security: ((op['security'] ?? []) as Json[]).flatMap((s) => Object.keys(s)),
        ...(parameters.length ? { parameters } : {}),
        ...(bodyMedia
          ? {
              requestBody: {
                schema: (bodyMedia.media['schema'] ?? {}) as Json,
                contentType: bodyMedia.contentType,
                required: body?.['required'] !== false,
                ...(typeof body?.['description'] === 'string' ? { description: body['description'] } : {}),
                ...(bodyMedia.media['example'] !== undefined ? { example: bodyMedia.media['example'] } : {}),
              },
            }
          : {}),
        responses,
      });
    }
  }
  return ops.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
