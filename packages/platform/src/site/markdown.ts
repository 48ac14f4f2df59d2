// Renders the guides (docs/*.md) as HTML pages with marked. The guides are the project's own
// files, but raw HTML in them is still escaped. Links between guides (`pki.md#section`) become
// docs pages; links that lead outside the published guides (source files, the shared reference
// texts) are left out, keeping their text.
import { createRequire } from 'node:module';
import type { Marked as MarkedClass, Tokens } from 'marked';

// marked loads on the first guide rendered (its CommonJS build, so that rendering stays
// synchronous), not at the platform's start.
const require = createRequire(import.meta.url);

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A heading's anchor: lower case, words joined by `-` (as GitHub makes them). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** Where a link in a guide goes on the site, or null when it leads outside the guides. */
export function guideHref(href: string): string | null {
  if (/^(https?:|mailto:)/i.test(href)) return href;
  if (href.startsWith('#')) return href;
  const m = /^(?:\.\/)?(?:docs\/)?([A-Za-z0-9_-]+)\.md(#[\w-]*)?$/.exec(href);
  if (m) return `/docs/topics/${m[1]}${m[2] ?? ''}`;
  return null;
}

/** A renderer for the guides: made per page (cheap), so that nothing is kept between renders. */
function guideMarked(): MarkedClass {
  const { Marked } = require('marked') as typeof import('marked');
  return new Marked({
    gfm: true,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      link({ href, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const target = guideHref(href);
        if (target === null) return inner;
        const external = /^https?:/i.test(target);
        return `<a href="${escapeHtml(target)}"${external ? ' rel="noopener"' : ''}>${inner}</a>`;
      },
      heading({ tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        return `<h${depth} id="${escapeHtml(slug(inner))}">${inner}</h${depth}>\n`;
      },
      table(token: Tokens.Table) {
        const head = token.header.map((c) => this.tablecell(c)).join('');
        const rows = token.rows.map((r) => `<tr>${r.map((c) => this.tablecell(c)).join('')}</tr>`).join('');
        // Wide tables scroll inside their own box instead of widening the page on a phone.
        return `<div class="table-scroll"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>\n`;
      },
    },
  });
}

/** The guide as HTML, without its first `# ` title (the page shows it). */
export function renderGuide(markdown: string): string {
  const body = markdown.replace(/^# .*\n+/, '');
  return guideMarked().parse(body, { async: false }) as string;
}
