// The frame of the site's pages (landing, docs): header with navigation, content, footer.
import { html, type Markup, page } from '../../core/html.ts';

export type SiteSection = 'home' | 'docs' | 'dashboard';

export function sitePage(title: string, section: SiteSection, body: Markup): string {
  const link = (href: string, label: string, id?: SiteSection) =>
    html`<a href="${href}" ${id === section ? html`aria-current="page"` : ''}>${label}</a>`;
  return page({
    title,
    body: html`<header class="site-header"><div class="site-header-inner">
        <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>Cardport</a>
        <nav class="site-nav" aria-label="Site">
          ${link('/', 'Home', 'home')}
          ${link('/wallet', 'Virtual wallet')}
          ${link('/admin', 'Dashboard', 'dashboard')}
          ${link('/docs', 'Docs', 'docs')}
        </nav>
      </div></header>
      <main class="container">${body}</main>
      <footer class="site-footer">Cardport is a sandbox: nothing here talks to Samsung, and no real card data belongs in it. Open source under the Apache-2.0 license.</footer>`,
  });
}
