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
  /** A realistic value, shown in the reference and emitted as the parameter's `example`. */
  example?: unknown;
}

export interface OpenApiResponse {
  description: string;
  /** Body schema; `application/json` unless `contentType` says otherwise. */
  schema?: SchemaLike;
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
  /** Names of security schemes registered with `registerSecurityScheme`; empty means public. */
  security?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: {
    schema: SchemaLike;
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
export interface OpenApiAnnotation {
  /** Added to the operation's parameters; one with the same `name` and `in` is replaced. */
  parameters?: OpenApiParameter[];
  /** Security scheme names, for an operation registered without any (e.g. mutual TLS). */
  security?: string[];
  /** The request body, for an operation registered without one. */
  requestBody?: OpenApiOperation['requestBody'];
  /** An example request body (sets `requestBody.example`). */
  requestExample?: unknown;
  /** Example response bodies keyed by status (set `responses[status].example`). */
  responseExamples?: Record<string, unknown>;
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
  readonly #annotations = new Map<string, OpenApiAnnotation>();

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

  /**
   * Adds parameters and examples to the operation named `operationId`, whenever it is (or was)
   * registered. Annotating the same operation again merges into what is there.
   */
  annotate(operationId: string, annotation: OpenApiAnnotation): void {
    const prev = this.#annotations.get(operationId) ?? {};
    this.#annotations.set(operationId, {
      parameters: mergeParameters(prev.parameters ?? [], annotation.parameters ?? []),
      ...(annotation.requestBody
        ? { requestBody: annotation.requestBody }
        : prev.requestBody
          ? { requestBody: prev.requestBody }
          : {}),
      ...((annotation.security ?? prev.security) ? { security: annotation.security ?? prev.security } : {}),
      ...('requestExample' in prev ? { requestExample: prev.requestExample } : {}),
      ...('requestExample' in annotation ? { requestExample: annotation.requestExample } : {}),
      responseExamples: { ...prev.responseExamples, ...annotation.responseExamples },
    });
  }

  /** The security schemes registered so far, by name. */
  securitySchemes(): Record<string, Record<string, unknown>> {
    return Object.fromEntries(this.#securitySchemes);
  }

  registerTag(tag: OpenApiTag): void {
    this.#tags.set(tag.name, tag);
  }

  /** E.g. `registerSecurityScheme('adminToken', {type:'http', scheme:'bearer'})`. */
  registerSecurityScheme(name: string, scheme: Record<string, unknown>): void {
    this.#securitySchemes.set(name, scheme);
  }

  /** Every operation with its annotations applied, sorted by path then method. */
  operations(): OpenApiOperation[] {
    return [...this.#operations.values()]
      .map((op) => this.#annotated(op))
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }

  #annotated(op: OpenApiOperation): OpenApiOperation {
    const a = this.#annotations.get(op.operationId);
    if (!a) return op;
    const responses: Record<string, OpenApiResponse> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      const example = a.responseExamples?.[status];
      responses[status] = example === undefined ? r : { ...r, example };
    }
    const body = op.requestBody ?? a.requestBody;
    return {
      ...op,
      ...(!op.security?.length && a.security ? { security: a.security } : {}),
      // A path parameter the annotation shares between routes appears only where the path names it.
      parameters: mergeParameters(op.parameters ?? [], a.parameters ?? []).filter(
        (p) => p.in !== 'path' || op.path.includes(`{${p.name}}`),
      ),
      ...(body ? { requestBody: 'requestExample' in a ? { ...body, example: a.requestExample } : body } : {}),
      responses,
    };
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
          ...(p.example !== undefined ? { example: p.example } : {}),
        })),
      ];
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.schema || r.example !== undefined
            ? {
                content: {
                  [r.contentType ?? 'application/json']: {
                    ...(r.schema ? { schema: toJsonSchema(r.schema, 'output') } : {}),
                    ...(r.example !== undefined ? { example: r.example } : {}),
                  },
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
                    ...(op.requestBody.example !== undefined ? { example: op.requestBody.example } : {}),
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

function mergeParameters(base: OpenApiParameter[], added: OpenApiParameter[]): OpenApiParameter[] {
  const key = (p: OpenApiParameter) => `${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
  const addedKeys = new Map(added.map((p) => [key(p), p]));
  const merged = base.map((p) => {
    const a = addedKeys.get(key(p));
    if (!a) return p;
    addedKeys.delete(key(p));
    return { ...p, ...a, name: p.name };
  });
  return [...merged, ...addedKeys.values()];
}

/** The platform's registry: domains register into it as buildApp mounts them; /docs serves it. */
export const openapi = new OpenApiRegistry();

/**
 * TEMPORARY, until every domain declares its routes (issue 12): the generated document plus the
 * registry's operations for routes not declared yet. A declared operation wins over a registered
 * one on the same method and path. Goes with this file once the last `register*OpenApi` is gone.
 */
export function withRegistryOperations<D extends { paths: Record<string, Record<string, unknown>> }>(
  generated: D & { tags?: OpenApiTag[]; components?: { securitySchemes?: Record<string, unknown> } },
  registry: OpenApiRegistry = openapi,
): D {
  const legacy = registry.document() as {
    paths: Record<string, Record<string, unknown>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  const declaredIds = new Set(
    Object.values(generated.paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId?: string } | undefined)?.operationId),
    ),
  );
  const paths = { ...generated.paths };
  for (const [path, item] of Object.entries(legacy.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (paths[path]?.[method] || declaredIds.has((op as { operationId: string }).operationId)) continue;
      paths[path] = { ...paths[path], [method]: op };
    }
  }
  const tags = new Map((generated.tags ?? []).map((t) => [t.name, t]));
  for (const tag of registry.tags())
    if (!tags.has(tag.name) || !tags.get(tag.name)?.description) tags.set(tag.name, tag);
  return {
    ...generated,
    tags: [...tags.values()].sort((a, b) => a.name.localeCompare(b.name)),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      ...generated.components,
      securitySchemes: { ...legacy.components.securitySchemes, ...generated.components?.securitySchemes },
    },
  };
}
