// /docs: every registered public API, grouped by tag, each linked into /docs/openapi.json, with its
// parameters (required headers marked, auth included), examples and schemas; and the topics of the project's docs/ folder.

import type { OpenApiOperation, OpenApiTag } from '../../core/api-document.ts';
import { html, type Markup, raw } from '../../core/html.ts';
import { renderGuide } from '../markdown.ts';
import { sitePage } from './frame.ts';

/** A schema as shown: the `$schema` dialect marker is noise in a reference page. */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

export interface DocsTopic {
  /** File name without `.md`, e.g. `ARCHITECTURE`. */
  name: string;
  title: string;
}

/** A JSON Pointer fragment (RFC 6901) into openapi.json for one operation. */
export function operationPointer(op: Pick<OpenApiOperation, 'path' | 'method'>): string {
  const segment = op.path.replace(/~/g, '~0').replace(/\//g, '~1');
  return `/docs/openapi.json#/paths/${encodeURIComponent(segment)}/${op.method.toLowerCase()}`;
}

function schemaBlock(label: string, schema: unknown): Markup {
  return html`<h4>${label}</h4><pre><code>${JSON.stringify(schema, null, 2)}</code></pre>`;
}

/** An example body: JSON pretty-printed, text as it is. */
function exampleBlock(label: string, example: unknown): Markup {
  const text =
    example === ''
      ? '(empty body)'
      : typeof example === 'string'
        ? example
        : JSON.stringify(example, null, 2);
  return html`<h4>${label}</h4><pre class="example"><code>${text}</code></pre>`;
}

export type SecuritySchemes = Record<string, Record<string, unknown>>;

/** One row of an operation's parameters table: a declared parameter or one its auth puts on the wire. */
export interface ParameterRow {
  name: string;
  in: string;
  required: boolean;
  description: string;
  example?: unknown;
}

function describeScheme(
  name: string,
  scheme: Record<string, unknown> | undefined,
): Omit<ParameterRow, 'required'> {
  const text = typeof scheme?.['description'] === 'string' ? ` ${scheme['description']}` : '';
  if (scheme?.['type'] === 'http' && String(scheme['scheme']).toLowerCase() === 'bearer') {
    const format = typeof scheme['bearerFormat'] === 'string' ? ` <${scheme['bearerFormat']}>` : ' <token>';
    return { name: 'Authorization', in: 'header', description: `Bearer${format} (${name}).${text}` };
  }
  if (scheme?.['type'] === 'mutualTLS') {
    return { name: 'client certificate', in: 'TLS', description: `Mutual TLS (${name}).${text}` };
  }
  if (scheme?.['type'] === 'apiKey') {
    return { name: String(scheme['name']), in: String(scheme['in']), description: `${name}.${text}` };
  }
  return { name, in: 'auth', description: text.trim() };
}

/**
 * The rows of an operation's parameters table: its auth first (required when it is the only
 * scheme, each alternative optional otherwise), then path, query, header and cookie parameters,
 * with path parameters the route names but nobody declared.
 */
export function parameterRows(op: OpenApiOperation, schemes: SecuritySchemes = {}): ParameterRow[] {
  const security = op.security ?? [];
  const auth = security.map((name) => ({
    ...describeScheme(name, schemes[name]),
    required: security.length === 1,
    ...(security.length > 1
      ? { description: `One of ${security.join(', ')}: ${describeScheme(name, schemes[name]).description}` }
      : {}),
  }));
  const declared = op.parameters ?? [];
  const implicit = [...op.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => !declared.some((p) => p.in === 'path' && p.name === name))
    .map((name) => ({ name, in: 'path', required: true, description: '' }));
  const order = ['path', 'query', 'header', 'cookie'];
  const rows = [
    ...implicit,
    ...declared.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.in === 'path' || p.required === true,
      description: p.description ?? '',
      ...(p.example !== undefined ? { example: p.example } : {}),
    })),
  ].sort((a, b) => order.indexOf(a.in) - order.indexOf(b.in));
  return [...auth, ...rows];
}

function parametersTable(rows: ParameterRow[]): Markup {
  if (rows.length === 0) return html`<p class="fineprint">No parameters.</p>`;
  return html`<h4>Parameters</h4>
    <div class="table-scroll"><table class="params">
      <thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
      <tbody>${rows.map(
        (
          r,
        ) => html`<tr class="${r.required ? (r.in === 'header' ? 'required required-header' : 'required') : 'optional'}">
          <td><code>${r.name}</code></td>
          <td>${r.in}</td>
          <td>${r.required ? html`<span class="badge-required">required</span>` : 'optional'}</td>
          <td>${r.description}${r.example !== undefined ? html` <span class="param-example">e.g. <code>${String(r.example)}</code></span>` : ''}</td>
        </tr>`,
      )}</tbody>
    </table></div>`;
}

function operation(op: OpenApiOperation, schemes: SecuritySchemes): Markup {
  const rows = parameterRows(op, schemes);
  const requiredHeaders = rows.filter((r) => r.in === 'header' && r.required).map((r) => r.name);
  const responses = Object.entries(op.responses);
  return html`<details class="operation" id="op-${op.operationId}">
    <summary>
      <span class="method method-${op.method.toLowerCase()}">${op.method}</span>
      <span class="path">${op.path}</span>
      <span class="summary-text">${op.summary}</span>
    </summary>
    ${op.description ? html`<p>${op.description}</p>` : ''}
    <p class="fineprint">
      operationId <code>${op.operationId}</code> ·
      ${op.security?.length ? html`auth: ${op.security.map((s, i) => html`${i ? ' or ' : ''}<code>${s}</code>`)}` : 'no auth'} ·
      <a href="${operationPointer(op)}">in openapi.json</a>
    </p>
    ${requiredHeaders.length ? html`<p class="required-headers">Required headers: ${requiredHeaders.map((h, i) => html`${i ? ', ' : ''}<code>${h}</code>`)}</p>` : ''}
    ${parametersTable(rows)}
    ${op.requestBody?.example !== undefined ? exampleBlock(`Example request (${op.requestBody.contentType ?? 'application/json'})`, op.requestBody.example) : ''}
    ${responses.filter(([, r]) => r.example !== undefined).map(([status, r]) => exampleBlock(`Example response ${status}`, r.example))}
    ${op.requestBody ? schemaBlock('Request body schema', withoutDialect(op.requestBody.schema)) : ''}
    ${responses.map(([status, r]) =>
      r.schema
        ? schemaBlock(`${status}: ${r.description}`, withoutDialect(r.schema))
        : html`<h4>${status}: ${r.description}</h4>`,
    )}
  </details>`;
}

export function docsPage(
  operations: OpenApiOperation[],
  tags: OpenApiTag[],
  topics: DocsTopic[],
  securitySchemes: SecuritySchemes = {},
): string {
  return sitePage(
    'Docs · Cardport',
    'docs',
    html`<section class="hero">
        <h1>Docs</h1>
        <p class="lead">Every public API of this sandbox, from its OpenAPI 3.1 document <a href="/docs/openapi.json"><code>/docs/openapi.json</code></a>. Each operation lists its parameters (required headers marked), an example request and answer, and its schemas. Import the document into your HTTP client or generate a client from it. APIs appear here as the flows land.</p>
      </section>
      <ul class="toc">
        ${tags.map((t) => html`<li><a href="#tag-${t.name}">${t.name}</a></li>`)}
        <li><a href="#wire">Partner wire protocols</a></li>
        <li><a href="#topics">Guides</a></li>
      </ul>
      ${tags.map(
        (t) => html`<section id="tag-${t.name}">
          <h2>${t.name}</h2>
          ${t.description ? html`<p class="muted">${t.description}</p>` : ''}
          ${operations.filter((op) => op.tags.includes(t.name)).map((op) => operation(op, securitySchemes))}
        </section>`,
      )}
      ${operations.length === 0 ? html`<p class="muted">No API is registered yet.</p>` : ''}

      <section id="wire">
        <h2>Partner wire protocols</h2>
        <p>The APIs partners call and the calls the platform makes to partners keep the real service’s wire formats, so partner code runs unchanged against the real hosts: Save to Pay <code>/ext/v1</code> over mutual TLS, the Wallet Server API <code>/wltex/cards/...</code>, and Web Checkout <code>/ops/v1</code>. Their error bodies follow each family’s own format; everything else here uses <code>{"error":{"code","message","details"}}</code>.</p>
      </section>

      <section id="topics">
        <h2>Guides</h2>
        ${
          topics.length
            ? html`<ul>${topics.map((t) => html`<li><a href="/docs/topics/${t.name}">${t.title}</a></li>`)}</ul>`
            : html`<p class="muted">The repository’s <code>docs/</code> folder holds the guides (architecture, operations, reliability, benchmarks).</p>`
        }
      </section>`,
  );
}

export function topicPage(topic: DocsTopic, text: string): string {
  return sitePage(
    `${topic.title} · Cardport docs`,
    'docs',
    html`<p><a href="/docs#topics">← Docs</a></p>
      <h1>${topic.title}</h1>
      <article class="guide">${raw(renderGuide(text))}</article>`,
  );
}

export function notFoundPage(what: string): string {
  return sitePage(
    'Not found · Cardport',
    'docs',
    html`<section class="hero"><h1>Not found</h1><p class="lead">${what}</p><p><a href="/docs">Back to the docs</a></p></section>`,
  );
}
