// HTTP of the site: the landing page, the docs with the OpenAPI document, and the stylesheet.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  type ApiListener,
  documentOperations,
  generatedDocument,
  type OpenApiDocument,
} from '../core/api-document.ts';
import type { AppState } from '../core/app-state.ts';
import type { Config } from '../core/config.ts';
import { describeApi } from '../core/routes.ts';
import { serveStaticFiles } from '../core/static-files.ts';
import { demoPartners } from './demo-partners.ts';
import { type DocsTopic, docsPage, notFoundPage, topicPage } from './pages/docs.ts';
import { landingPage } from './pages/landing.ts';

export interface SiteOptions {
  /** The folder of the project's guides; the repository's docs/ by default. */
  docsDir?: string;
}

// The published package carries the guides in dist/docs/; the repository reads its docs/.
const shippedDocs = new URL('../docs/', import.meta.url);
const defaultDocsDir = fileURLToPath(
  existsSync(shippedDocs) ? shippedDocs : new URL('../../../../docs/', import.meta.url),
);

/** The guides in the docs folder: `NAME.md` files, titled by their first `# ` heading. */
export function listTopics(docsDir: string): DocsTopic[] {
  let names: string[];
  try {
    names = readdirSync(docsDir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^[A-Za-z0-9_-]+\.md$/.test(n))
    .sort()
    .map((file) => {
      const name = file.slice(0, -3);
      let title = name;
      try {
        const heading = /^#\s+(.+)$/m.exec(readFileSync(join(docsDir, file), 'utf8'));
        if (heading?.[1]) title = heading[1].trim();
      } catch {
        // An unreadable file keeps its name as title; opening it answers 404.
      }
      return { name, title };
    });
}

const openApiDocumentResponse = z
  .looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) })
  .meta({
    description: 'The document',
    examples: [
      {
        openapi: '3.1.0',
        info: { title: 'Cardport platform', version: '0.1.0' },
        servers: [{ url: 'http://127.0.0.1:8080' }],
        tags: [{ name: 'save-to-pay', description: 'Save to Pay (push provisioning) …' }],
        paths: { '/ext/v1/registrations': { post: { operationId: 'createRegistration' } } },
        components: { securitySchemes: {} },
      },
    ],
  });

/** The platform's OpenAPI document, generated from the declared routes of the listeners. */
export async function apiDocument(
  listeners: readonly ApiListener[],
  publicUrl: string,
): Promise<OpenApiDocument> {
  return generatedDocument(listeners, {
    title: 'Cardport platform',
    description:
      'Public APIs of the Cardport sandbox of the Samsung Wallet partner platform. Partner-facing families keep the real service’s wire formats.',
    serverUrl: publicUrl,
  });
}

/** A site page; its security headers are the site scope's helmet (site/module.ts). */
function sendHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

export function registerSiteRoutes(
  app: FastifyInstance,
  deps: { config: Config; state: AppState; listeners?: () => readonly ApiListener[] },
  options: SiteOptions = {},
): void {
  const docsDir = options.docsDir ?? defaultDocsDir;
  const listeners = deps.listeners ?? (() => [{ app }]);
  // Generated from the declared routes of both listeners.
  const document = () => apiDocument(listeners(), deps.config.publicUrl);
  describeApi(app, {
    tags: [{ name: 'platform', description: 'The platform itself: health and documentation.' }],
  });
  app.get('/', async (_req, reply) => {
    const tags = new Set(documentOperations(await document()).flatMap((op) => op.tags));
    return sendHtml(
      reply,
      landingPage({ tags, demoPartners: demoPartners(deps.state), publicUrl: deps.config.publicUrl }),
    );
  });

  app.get('/docs', async (_req, reply) => {
    const doc = await document();
    return sendHtml(
      reply,
      docsPage(documentOperations(doc), doc.tags ?? [], listTopics(docsDir), doc.components?.securitySchemes),
    );
  });

  app.get(
    '/docs/openapi.json',
    {
      schema: {
        operationId: 'getOpenApiDocument',
        summary: 'This OpenAPI 3.1 document',
        tags: ['platform'],
        response: { 200: openApiDocumentResponse },
      },
    },
    async (_req, reply) => reply.header('access-control-allow-origin', '*').send(await document()),
  );

  app.get('/docs/topics/:name', async (req, reply) => {
    const { name } = req.params as { name: string };
    const topic = listTopics(docsDir).find((t) => t.name === name);
    if (!topic) return sendHtml(reply, notFoundPage(`There is no guide called “${name}”.`), 404);
    return sendHtml(reply, topicPage(topic, readFileSync(join(docsDir, `${topic.name}.md`), 'utf8')));
  });

  // The shared stylesheet and the icon; this scope's registration adds reply.sendFile.
  serveStaticFiles(app, {
    root: new URL('./assets/', import.meta.url),
    prefix: '/assets/',
    files: { 'cardport.css': 'public, max-age=300', 'favicon.svg': 'public, max-age=86400' },
    decorateReply: true,
  });
  // Browsers ask for /favicon.ico on every page; the SVG answers them all.
  app.get('/favicon.ico', async (_req, reply) => reply.sendFile('favicon.svg'));
}
