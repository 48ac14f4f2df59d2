// A small registry of the platform's public HTTP operations, assembled into one OpenAPI 3.1
// document that /docs serves. Domains register their operations when they mount; core knows none
// of them. Schemas are JSON Schema (draft 2020-12, which OpenAPI 3.1 uses) or zod schemas.
import { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A JSON Schema object, or a zod schema converted with `z.toJSONSchema`. */
export type SchemaLike = z.ZodType | Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  description?: string;
  required?: boolean;
  schema?: SchemaLike;
}

export interface OpenApiResponse {
  description: string;
  /** Body schema; `application/json` unless `contentType` says otherwise. */
  schema?: SchemaLike;
  contentType?: string;
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
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
  /** Names of security schemes registered with `registerSecurityScheme`; empty means public. */
  security?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { schema: SchemaLike; description?: string; contentType?: string; required?: boolean };
  /** Keyed by HTTP status (`'200'`, `'201'`, `'default'`). */
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiTag {
  name: string;
  description: string;
}

export interface OpenApiDocumentOptions {
  title?: string;
  version?: string;
  description?: string;
  /** Base URL of the server the document describes (the platform's public URL). */
  serverUrl?: string;
}

/** `/x/:id` → `/x/{id}`; OpenAPI paths name their parameters in braces. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function pathParameterNames(openApiPath: string): string[] {
  return [...openApiPath.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? '');
}

/** Converts a schema for embedding: zod becomes JSON Schema, and the `$schema` marker goes. */
export function toJsonSchema(schema: SchemaLike, io: 'input' | 'output'): Record<string, unknown> {
  const json: Record<string, unknown> =
    schema instanceof z.ZodType
      ? (z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>)
      : { ...schema };
  delete json['$schema'];
  return json;
}

export class OpenApiRegistry {
  readonly #operations = new Map<string, OpenApiOperation>();
  readonly #tags = new Map<string, OpenApiTag>();
  readonly #securitySchemes = new Map<string, Record<string, unknown>>();

  /**
   * Registers one operation. Registering the same method and path again replaces it (buildApp
   * runs many times in one test process); a second path claiming a used operationId is an error.
   */
  register(op: OpenApiOperation): void {
    const path = toOpenApiPath(op.path);
    const key = `${op.method} ${path}`;
    for (const [otherKey, other] of this.#operations) {
      if (other.operationId === op.operationId && otherKey !== key) {
        throw new TypeError(`operationId ${op.operationId} is already used by ${otherKey}`);
      }
    }
    this.#operations.set(key, { ...op, path });
  }

  registerTag(tag: OpenApiTag): void {
    this.#tags.set(tag.name, tag);
  }

  /** E.g. `registerSecurityScheme('adminToken', {type:'http', scheme:'bearer'})`. */
  registerSecurityScheme(name: string, scheme: Record<string, unknown>): void {
    this.#securitySchemes.set(name, scheme);
  }

  operations(): OpenApiOperation[] {
    return [...this.#operations.values()].sort(
      (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
    );
  }

  tags(): OpenApiTag[] {
    const used = new Set(this.operations().flatMap((op) => op.tags));
    const known = [...this.#tags.values()];
    const implicit = [...used]
      .filter((name) => !this.#tags.has(name))
      .map((name) => ({ name, description: '' }));
    return [...known, ...implicit].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The OpenAPI 3.1 document of everything registered so far. */
  document(options: OpenApiDocumentOptions = {}): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations()) {
      const declared = new Set((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
      const parameters = [
        ...pathParameterNames(op.path)
          .filter((name) => !declared.has(name))
          .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          ...(p.description ? { description: p.description } : {}),
          required: p.in === 'path' ? true : (p.required ?? false),
          schema: p.schema ? toJsonSchema(p.schema, 'input') : { type: 'string' },
        })),
      ];
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.schema
            ? {
                content: {
                  [r.contentType ?? 'application/json']: { schema: toJsonSchema(r.schema, 'output') },
                },
              }
            : {}),
        };
      }
      const entry: Record<string, unknown> = {
        operationId: op.operationId,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: op.tags,
        ...(parameters.length ? { parameters } : {}),
        ...(op.requestBody
          ? {
              requestBody: {
                required: op.requestBody.required ?? true,
                ...(op.requestBody.description ? { description: op.requestBody.description } : {}),
                content: {
                  [op.requestBody.contentType ?? 'application/json']: {
                    schema: toJsonSchema(op.requestBody.schema, 'input'),
                  },
                },
              },
            }
          : {}),
        responses,
        security: (op.security ?? []).map((name) => ({ [name]: [] })),
      };
      const item = paths[op.path] ?? {};
      item[op.method.toLowerCase()] = entry;
      paths[op.path] = item;
    }
    return {
      openapi: '3.1.0',
      info: {
        title: options.title ?? 'Cardport platform',
        version: options.version ?? '0.1.0',
        ...(options.description ? { description: options.description } : {}),
      },
      ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
      tags: this.tags(),
      paths,
      components: { securitySchemes: Object.fromEntries(this.#securitySchemes) },
    };
  }
}

/** The platform's registry: domains register into it as buildApp mounts them; /docs serves it. */
export const openapi = new OpenApiRegistry();
