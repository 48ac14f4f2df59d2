// /docs: every registered public API, grouped by tag, each linked into /docs/openapi.json; and the
// topics of the project's docs/ folder.
import { html, type Markup, raw } from '../../core/html.ts';
import { type OpenApiOperation, type OpenApiTag, toJsonSchema } from '../../core/openapi.ts';
import { renderGuide } from '../markdown.ts';
import { sitePage } from './frame.ts';

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

function operation(op: OpenApiOperation): Markup {
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
    ${op.requestBody ? schemaBlock('Request body', toJsonSchema(op.requestBody.schema, 'input')) : ''}
    ${Object.entries(op.responses).map(([status, r]) =>
      r.schema
        ? schemaBlock(`${status}: ${r.description}`, toJsonSchema(r.schema, 'output'))
        : html`<h4>${status}: ${r.description}</h4>`,
    )}
  </details>`;
}

export function docsPage(operations: OpenApiOperation[], tags: OpenApiTag[], topics: DocsTopic[]): string {
  return sitePage(
    'Docs · Cardport',
    'docs',
    html`<section class="hero">
        <h1>Docs</h1>
        <p class="lead">Every public API of this sandbox, from its OpenAPI 3.1 document <a href="/docs/openapi.json"><code>/docs/openapi.json</code></a>. Import it into your HTTP client or generate a client from it. APIs appear here as the flows land.</p>
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
          ${operations.filter((op) => op.tags.includes(t.name)).map(operation)}
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
