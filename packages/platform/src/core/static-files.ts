// Stylesheets and icons the pages link to, served from the folder beside their module by
// @fastify/static: ETag and Last-Modified (so a browser revalidates with a 304), ranges, HEAD, and
// the Cache-Control each file names. Only the named files answer: the same folders hold the
// modules (compiled .mjs in dist/) and page scripts, which must never be served from here. A file
// that is not named, is missing, or is asked for with a non-canonical path answers like any
// unknown path, in the format of the family owning the URL.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface StaticFolder {
  /** The folder beside the module: `new URL('./pages/', import.meta.url)` (copied to dist/ by the build). */
  root: URL;
  /** The URL folder the files answer under: `/gsmpi/assets/`. */
  prefix: string;
  /** The files served, by name, with the Cache-Control of each. */
  files: Readonly<Record<string, string>>;
  /**
   * Adds `reply.sendFile` to the scope (to answer another URL with one of the files). Only one
   * registration per scope may: every other one leaves it off (the default).
   */
  decorateReply?: boolean;
}

/** One @fastify/static registration for `folder`: its named files under its prefix, nothing else. */
export function serveStaticFiles(app: FastifyInstance, folder: StaticFolder): void {
  const { files } = folder;
  // Loaded with the scope's other plugins, before it is ready (as any app.register).
  app.register(fastifyStatic, {
    root: fileURLToPath(folder.root),
    prefix: folder.prefix,
    decorateReply: folder.decorateReply ?? false,
    index: false,
    etag: true,
    lastModified: true,
    // Each file names its own Cache-Control (setHeaders), not one max-age for the folder.
    cacheControl: false,
    allowedPath: (path) => Object.hasOwn(files, path.replace(/^\//, '')),
    setHeaders: (reply, path) => {
      const cacheControl = files[basename(path)];
      if (cacheControl !== undefined) reply.header('cache-control', cacheControl);
    },
  });
}
