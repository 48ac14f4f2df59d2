// Routes declared with their schemas (issue 12). A route carries its zod schemas (params, query,
// headers, body, responses) and its operationId, tags and summary in Fastify's `schema`; zod
// validates what it declares and @fastify/swagger generates the OpenAPI document from the
// declarations. docs/ARCHITECTURE.md ("Declaring a route") is the guide.
import { fastifySwagger, type SwaggerOptions } from '@fastify/swagger';
import type {
  FastifyInstance,
  FastifySchema,
  FastifySchemaCompiler,
  FastifySchemaValidationError,
} from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validationRefusal } from './validation.ts';

export type { ZodTypeProvider } from 'fastify-type-provider-zod';

const documentedOnlyMark = Symbol.for('cardport.documentedOnly');

/**
 * A schema shown in the OpenAPI document but not enforced by the route: the validator lets the
 * request part through unchanged. For bodies and headers that the family checks itself in the
 * handler, with its own codes and warnings (the lenient normalisers of `@cardport/protocol`, the
 * S2P header checks): declaring them validated would answer before the family's own check.
 */
export function documentedOnly<S extends z.ZodType>(schema: S): S {
  const copy = schema.clone() as S;
  Object.defineProperty(copy, documentedOnlyMark, { value: true });
  return copy;
}

export function isDocumentedOnly(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && documentedOnlyMark in schema;
}

/** Validates each declared part with its zod schema; documented-only parts pass unchanged. */
const compileValidator: FastifySchemaCompiler<z.ZodType> = (route) => {
  if (!(route.schema instanceof z.ZodType)) {
    throw new TypeError(`${route.method} ${route.url}: ${route.httpPart} must be declared with a zod schema`);
  }
  if (isDocumentedOnly(route.schema)) return () => true;
  return validatorCompiler(route);
};

/**
 * Response schemas are for the document: an answer is sent as the handler built it (plain JSON,
 * nothing stripped, no 500 for an extra field). The API reference test checks the examples.
 */
const compileSerializer = () => (data: unknown) => JSON.stringify(data);

export interface ApiTag {
  name: string;
  description: string;
}

/** What a listener's document says beyond its routes: tags and security schemes domains declare. */
export interface ApiDescription {
  readonly tags: Map<string, ApiTag>;
  /** Filled by describeApi; @fastify/swagger reads this very object when it generates. */
  readonly securitySchemes: Record<string, Record<string, unknown>>;
  /** The declared routes (those with an operationId), with their zod schemas, in order. */
  readonly routes: DeclaredRoute[];
}

export interface DeclaredRoute {
  method: string;
  url: string;
  schema: FastifySchema & Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The listener's tags, security schemes and declared routes (core/routes.ts). */
    apiDescription: ApiDescription;
  }
}

/**
 * Installs the zod compilers and @fastify/swagger on a listener (createHttpApp calls it). Only
 * routes with tags appear in the document: pages, assets and health probes stay out.
 */
export function installDeclaredRoutes(app: FastifyInstance): void {
  const description: ApiDescription = { tags: new Map(), securitySchemes: {}, routes: [] };
  app.decorate('apiDescription', description);
  app.setValidatorCompiler(compileValidator);
  app.setSerializerCompiler(compileSerializer);
  app.addHook('onRoute', (route) => {
    const schema = route.schema as DeclaredRoute['schema'] | undefined;
    if (typeof schema?.['operationId'] !== 'string') return;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') description.routes.push({ method, url: route.url, schema });
    }
  });
  // Installed now, not queued with `register`: its route hook must see every route, including
  // those declared on the root before the first `await` (the plugin itself is synchronous).
  const options: SwaggerOptions = {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Cardport platform', version: '0.1.0' },
      // biome-ignore lint/suspicious/noExplicitAny: swagger's scheme union; domains give plain objects
      components: { securitySchemes: description.securitySchemes as any },
    },
    hideUntagged: true,
    transform: jsonSchemaTransform,
    transformObject: (doc) => ({
      ...(doc as { openapiObject: Record<string, unknown> }).openapiObject,
      tags: [...description.tags.values()],
    }),
  };
  fastifySwagger(app, options, (err?: Error) => {
    if (err) throw err;
  });
}

/** Declares tags and security schemes of the routes a domain mounts on `app` (any scope of it). */
export function describeApi(
  app: FastifyInstance,
  api: { tags?: ApiTag[]; securitySchemes?: Record<string, Record<string, unknown>> },
): void {
  for (const tag of api.tags ?? []) app.apiDescription.tags.set(tag.name, tag);
  Object.assign(app.apiDescription.securitySchemes, api.securitySchemes);
}

/** The example a zod schema declares with `.meta({ examples: [value] })`, if any. */
export function exampleOf(schema: unknown): unknown {
  if (!(schema instanceof z.ZodType)) return undefined;
  const examples = schema.meta()?.['examples'];
  return Array.isArray(examples) ? examples[0] : undefined;
}

/**
 * A route's `schemaErrorFormatter`, when the route's refusals differ from the defaults:
 * `body` names the body in the message as `parseInput` did ("invalid fault settings: …"), and
 * `params` answers a path parameter that fails its schema, where that means "no such thing":
 * `refuseInvalid({ params: () => notFound('partner') })`. Other parts: fromValidationError.
 */
export function refuseInvalid(options: {
  body?: string;
  params?: () => Error;
}): (errors: FastifySchemaValidationError[], part: string) => Error {
  return (errors, part) => {
    if (part === 'params' && options.params) return options.params();
    return validationRefusal(errors, part, part === 'body' ? options.body : undefined);
  };
}
