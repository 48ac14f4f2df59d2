// The admin dashboard (GET /admin): a static page in the site's frame whose script asks for the
// admin token once per browser (POST /admin/session sets an HttpOnly SameSite=Strict cookie, see
// core/admin-session.ts), then reads the admin JSON API: the live request log and deliveries
// (server-sent events from /admin/v1/events, no Refresh button), one object's timeline, partners,
// cards, services, wallet accounts, the sandbox clock with its controls. The script is TypeScript:
// dashboard.browser.ts and browser/*.ts, bundled by core/bundles.ts (servePageScript). Every
// value reaches the DOM through textContent, never as markup: partner names and partner answers
// are untrusted.
import { deliveryStatuses } from '../../core/delivery-statuses.ts';
import { html, raw } from '../../core/html.ts';
import { sitePage } from '../../site/pages/frame.ts';

const style = `
.dash{max-width:1200px;margin:0 auto;padding:16px;font-family:system-ui,sans-serif}
.dash h1{margin:0 0 4px}
.dash section{margin:20px 0;padding:12px 16px;border:1px solid #d0d7de;border-radius:8px}
.dash table{border-collapse:collapse;width:100%;font-size:.9rem}
.dash th,.dash td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}
.dash td.url{word-break:break-all;max-width:380px}
.dash pre{white-space:pre-wrap;word-break:break-all;max-height:240px;overflow:auto;background:#f6f8fa;color:#1f2328;padding:6px;margin:4px 0}
.dash td code{white-space:nowrap}
.dash .row{display:flex;gap:8px;flex-wrap:wrap;align-items:end}
.dash .status{font-weight:700}
.dash .s-delivered{color:#1f7a4d}.dash .s-dead,.dash .s-failed{color:#b42318}.dash .s-cancelled{color:#6b7280}.dash .s-pending,.dash .s-in_flight{color:#9a6700}
.dash .note{color:#57606a}
.dash .error{color:#b42318}
.dash [hidden]{display:none}
.dash .copy{border:0;background:none;cursor:pointer;color:#57606a;padding:0 4px;font-size:.85rem}
.dash .live{display:inline-block;width:8px;height:8px;border-radius:50%;background:#9ca3af;margin-right:6px}
.dash .live.on{background:#1f7a4d}
.dash tr.fresh{animation:fresh 2s ease-out}
@keyframes fresh{from{background:#fff3bf}to{background:transparent}}
.dash tr.clickable{cursor:pointer}
.dash .s-ok{color:#1f7a4d}.dash .s-bad{color:#b42318}
.dash .scroll{overflow-x:auto}
.dash ol.timeline{padding-left:20px}
.dash ol.timeline li{margin:6px 0}
.dash input,.dash select{max-width:100%}
.dash h3,.dash p,.dash li{overflow-wrap:anywhere}
.dash .checks{list-style:none;padding:0;margin:8px 0}
.dash .checks li{margin:6px 0;padding:6px 0;border-bottom:1px solid #e5e7eb}
.dash .check-status{display:inline-block;min-width:3.5em;font-weight:700;text-transform:uppercase}
.dash .c-pass{color:#1f7a4d}.dash .c-fail{color:#b42318}.dash .c-warn{color:#9a6700}
.dash input.w5{width:5em}.dash input.w6{width:6em}
.dash td code.wrap{white-space:normal;word-break:break-word}
`;

/** The dashboard page; `nonce` admits its script and inline style under the page's CSP. */
export function dashboardPage(nonce: string): string {
  return sitePage(
    'Cardport dashboard',
    'dashboard',
    html`<style nonce="${nonce}">${raw(style)}</style><div class="dash">
  <h1>Dashboard</h1>
  <p class="note">Every call partners make and every call the sandbox makes to them, live; partners, cards, services, wallet accounts and the sandbox clock. <a href="/admin/web-checkout">Web Checkout transactions and health</a>.</p>
  <section id="login" hidden>
    <h2>Admin token</h2>
    <p>Paste the token from <code>$CARDPORT_HOME/admin-token</code> once: this browser keeps a session (an HttpOnly cookie for this site only) until you sign out.</p>
    <form id="login-form" class="row">
      <label>Token <input id="token" type="password" autocomplete="off" required></label>
      <button type="submit" class="button primary">Open the dashboard</button>
    </form>
    <p id="login-message" class="error" role="alert"></p>
  </section>
  <div id="app" hidden>
    <p class="row"><span><span id="live" class="live" aria-hidden="true"></span><span id="live-text" data-testid="live-status">Connecting…</span></span>
      <button type="button" id="sign-out" class="button small">Sign out</button>
      <span id="notice" role="status"></span></p>
    <section><h2>Sandbox clock</h2><div id="clock" class="note">Loading…</div>
      <p class="row"><button type="button" class="button small" data-advance="1h">+1 hour</button>
        <button type="button" class="button small" data-advance="1d">+1 day</button>
        <button type="button" class="button small" data-advance="30d">+30 days</button>
        <button type="button" class="button small" id="clock-reset">Back to real time</button></p></section>
    <section>
      <h2>Request log</h2>
      <p class="note">Inbound calls on Save to Pay (mTLS), Add to Wallet (links, Server API) and Web Checkout (API, checkout form), newest first. Bodies are redacted; paths carry no tokens. Click a call for its details.</p>
      <form id="r-filters" class="row"><label>Partner <input id="r-partner" size="34" placeholder="partner id"></label><button type="submit" class="button small">Filter</button></form>
      <div id="requests" class="note" data-testid="request-log">Loading…</div>
      <div id="request-detail" hidden></div>
    </section>
    <section id="timeline-section">
      <h2 id="timeline-title">Timeline of one object</h2>
      <form id="t-form" class="row"><label>Registration, pass (refId), card or transaction id <input id="t-object" size="40"></label><button type="submit" class="button small">Show</button></form>
      <div id="timeline" class="note"></div>
    </section>
    <section>
      <h2>Deliveries</h2>
      <form id="filters" class="row">
        <label>Status <select id="f-status"><option value="">any</option>${deliveryStatuses.map((s) => html`<option>${s}</option>`)}</select></label>
        <label>Kind <input id="f-kind" size="18"></label>
        <label>Partner <input id="f-partnerId" size="24"></label>
        <button type="submit" class="button small">Filter</button>
      </form>
      <div id="deliveries" class="note">Loading…</div>
    </section>
    <section id="faults-section">
      <h2>Faults</h2>
      <p class="note">Make the platform misbehave on purpose for one partner (the same as <code>cardport faults set</code>, docs/verify.md). Empty fields keep what is set. Injected inbound errors show in the request log.</p>
      <div id="faults" class="note" data-testid="faults">Loading…</div>
      <form id="faults-form" class="row" novalidate>
        <label>Partner <input id="fa-partner" name="partner" size="34" placeholder="partner id" required></label>
        <label>Duplicates <input id="fa-duplicates" name="duplicates" type="number" min="0" max="5" step="1" class="w5"></label>
        <label>Delay (s) <input id="fa-delay" name="delay" type="number" min="0" step="any" class="w6"></label>
        <label>Reorder window (s) <input id="fa-reorder" name="reorder window" type="number" min="0" step="any" class="w6"></label>
        <label>Fail first <input id="fa-fail-first" name="fail first" type="number" min="0" max="20" step="1" class="w5"></label>
        <label>Inbound <select id="fa-inbound"><option value="">keep</option><option>503.1</option><option>503.2</option><option>500</option><option value="none">none</option></select></label>
        <label>Rate <input id="fa-rate" name="rate" type="number" min="0" max="1" step="any" class="w5"></label>
        <label>Retry-After (s) <input id="fa-retry-after" name="Retry-After" type="number" min="0" step="1" class="w5"></label>
        <button type="submit" class="button small primary">Set faults</button>
      </form>
      <p id="faults-message" class="error" role="alert"></p>
    </section>
    <section id="verify-section">
      <h2>Conformance kit</h2>
      <p class="note">Drive a partner's own server exactly as the platform will and grade every answer (the same as <code>cardport verify</code>, docs/verify.md). It uses the partner's registered URLs and certificates.</p>
      <form id="verify-form" class="row" novalidate>
        <label>Product <select id="v-product"><option value="save-to-pay">Save to Pay</option><option value="add-to-wallet">Add to Wallet</option><option value="web-checkout">Web Checkout</option></select></label>
        <label>Partner <input id="v-partner" size="34" placeholder="partner id" required></label>
        <label>regId, refId or serviceId <input id="v-object" size="24" placeholder="optional"></label>
        <label><input id="v-faults" type="checkbox"> Faults</label>
        <button type="submit" id="verify-run" class="button small primary">Run</button>
      </form>
      <p id="verify-message" class="error" role="alert"></p>
      <div id="verify-report" data-testid="verify-report"></div>
    </section>
    <section><h2>Partners</h2><div id="partners" class="note">Loading…</div></section>
    <section><h2>Add to Wallet cards</h2><div id="cards" class="note">Loading…</div></section>
    <section><h2>Checkout services</h2><div id="services" class="note">Loading…</div></section>
    <section><h2>Wallet accounts</h2><div id="accounts" class="note">Loading…</div></section>
  </div>
</div>
<script nonce="${nonce}" src="/admin/assets/dashboard.js" defer></script>`,
  );
}
