// The Web Checkout dashboard (GET /admin/web-checkout): transactions with their notified payment
// result, and each checkout service's health probes with "Probe now". A static page; its script
// reads the admin JSON API with the browser's dashboard session (core/admin-session.ts).
import { html, page } from '../../core/html.ts';

export function dashboardPage(): string {
  return page({
    title: 'Web Checkout · Cardport dashboard',
    head: html`<link rel="stylesheet" href="/admin/web-checkout/assets/dashboard.css"><script src="/admin/web-checkout/assets/dashboard.js" defer></script>`,
    body: html`<main class="wc-dash">
      <p><a href="/admin">← Dashboard</a></p>
      <h1>Web Checkout</h1>
      <form id="login" class="stack" hidden>
        <label>Admin token <input type="password" id="token" autocomplete="off"></label>
        <button type="submit" class="button primary">Open</button>
        <p class="note" id="login-message"></p>
      </form>
      <div id="app" hidden>
        <section>
          <h2>Transactions <button type="button" class="button small" id="refresh">Refresh</button></h2>
          <div id="transactions" data-testid="wc-transactions"></div>
        </section>
        <section>
          <h2>Service health</h2>
          <p class="note">The platform probes each service's registered health URL (HEAD); the partner's handler calls back <code>HEAD /ops/v1/internal/health</code>.</p>
          <div id="services" data-testid="wc-services"></div>
        </section>
      </div>
    </main>`,
  });
}
