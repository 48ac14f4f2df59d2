// The admin dashboard (GET /admin): a static page whose script asks for the admin token once
// (kept in sessionStorage), then reads the admin JSON API: partners, deliveries with their
// attempts (and Replay for dead ones), the sandbox clock. Every value reaches the DOM through
// textContent, never as markup: partner names and partner answers are untrusted.
import { html, page, raw } from '../../core/html.ts';

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
.dash .s-delivered{color:#1f7a4d}.dash .s-dead,.dash .s-failed{color:#b42318}.dash .s-pending,.dash .s-in_flight{color:#9a6700}
.dash .note{color:#57606a}
.dash .error{color:#b42318}
.dash [hidden]{display:none}
`;

const script = `
'use strict';
const tokenKey = 'cardport-admin-token';
const $ = (id) => document.getElementById(id);
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return node;
}
const time = (ms) => (typeof ms === 'number' ? new Date(ms).toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, 'Z') : '');
class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}
async function api(method, path) {
  const res = await fetch('/admin/v1' + path, {
    method,
    headers: { authorization: 'Bearer ' + sessionStorage.getItem(tokenKey) },
  });
  let body = null;
  try { body = await res.json(); } catch {}
  if (res.status === 401) {
    sessionStorage.removeItem(tokenKey);
    showLogin('The admin token was not accepted.');
    throw new ApiError(401, 'unauthorized');
  }
  if (!res.ok) throw new ApiError(res.status, (body && body.error && body.error.message) || res.statusText);
  return body;
}
function showLogin(message) {
  $('login').hidden = false;
  $('app').hidden = true;
  $('login-message').textContent = message || '';
}
function showApp() {
  $('login').hidden = true;
  $('app').hidden = false;
  refreshAll();
}
function refreshAll() {
  loadClock();
  loadPartners();
  loadDeliveries();
}
// 172800000 ms reads "2 d", 5400000 "1 h 30 min": the units people move the clock by.
function duration(ms) {
  var s = Math.round(Math.abs(ms) / 1000);
  var parts = [];
  var units = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]];
  for (var i = 0; i < units.length; i++) {
    var n = Math.floor(s / units[i][1]);
    if (n) parts.push(n + ' ' + units[i][0]);
    s -= n * units[i][1];
  }
  return (ms < 0 ? '-' : '') + (parts.join(' ') || '0 s');
}
async function loadClock() {
  const out = $('clock');
  try {
    const c = await api('GET', '/clock');
    out.replaceChildren(
      el('strong', {}, time(c.now)),
      ' ',
      el('span', { class: 'note' }, c.offsetMs ? '(moved forward by ' + duration(c.offsetMs) + ')' : '(real time)'),
    );
  } catch (err) {
    if (err.status === 401) return;
    out.replaceChildren(el('span', { class: 'note' }, err.status === 404 ? 'The clock API is not available on this platform.' : 'Clock: ' + err.message));
  }
}
async function loadPartners() {
  const out = $('partners');
  try {
    const data = await api('GET', '/partners');
    const list = Array.isArray(data) ? data : data.partners || [];
    if (list.length === 0) {
      out.replaceChildren(el('p', { class: 'note' }, 'No partners yet: create one with cardport partner create --name NAME.'));
      return;
    }
    const rows = list.map((p) => {
      const id = p.partnerId || p.id || '';
      const certs = el('td', {}, certificatesText(p.certificates));
      const row = el('tr', {}, el('td', {}, el('code', {}, id)), el('td', {}, p.name || ''),
        el('td', {}, el('span', { class: 'status s-' + (p.status || '') }, p.status || '')), certs);
      if (!p.certificates && id) {
        certs.append(el('button', { type: 'button', class: 'button small', onclick: async (e) => {
          e.target.disabled = true;
          try {
            const d = await api('GET', '/partners/' + encodeURIComponent(id));
            certs.replaceChildren(certificatesText((d.partner || d).certificates) || 'none');
          } catch (err) { certs.replaceChildren(el('span', { class: 'error' }, err.message)); }
        } }, 'Show certificates'));
      }
      return row;
    });
    out.replaceChildren(el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Partner'), el('th', {}, 'Name'), el('th', {}, 'Status'), el('th', {}, 'Certificates'))), el('tbody', {}, ...rows)));
  } catch (err) {
    if (err.status === 401) return;
    out.replaceChildren(el('p', { class: 'note' }, err.status === 404 ? 'The partner API is not available on this platform yet.' : 'Partners: ' + err.message));
  }
}
function certificatesText(certs) {
  if (!Array.isArray(certs)) return '';
  return certs.map((c) => (c.certificateId || c.id || '?') + (c.status ? ' (' + c.status + ')' : '')).join(', ');
}
async function loadDeliveries() {
  const out = $('deliveries');
  const params = new URLSearchParams();
  for (const name of ['status', 'kind', 'partnerId']) {
    const v = $('f-' + name).value.trim();
    if (v) params.set(name, v);
  }
  params.set('limit', '100');
  try {
    const data = await api('GET', '/deliveries?' + params);
    if (data.deliveries.length === 0) {
      out.replaceChildren(el('p', { class: 'note' }, 'No deliveries match.'));
      return;
    }
    const body = el('tbody', {});
    for (const d of data.deliveries) body.append(...deliveryRows(d));
    out.replaceChildren(el('table', {}, el('thead', {}, el('tr', {},
      el('th', {}, 'Created'), el('th', {}, 'Kind'), el('th', {}, 'Partner'), el('th', {}, 'Request'),
      el('th', {}, 'Status'), el('th', {}, 'Attempts'), el('th', {}, 'Last result'), el('th', {}, ''))), body));
  } catch (err) {
    if (err.status === 401) return;
    out.replaceChildren(el('p', { class: 'error' }, 'Deliveries: ' + err.message));
  }
}
function deliveryRows(d) {
  const detail = el('tr', { hidden: '' }, el('td', { colspan: '8' }));
  const actions = el('td', {});
  actions.append(el('button', { type: 'button', class: 'button small', onclick: () => toggleDetail(d, detail) }, 'Attempts'));
  if (d.status === 'dead') {
    actions.append(' ', el('button', { type: 'button', class: 'button small primary', 'data-replay': d.id, onclick: async (e) => {
      e.target.disabled = true;
      try {
        await api('POST', '/deliveries/' + encodeURIComponent(d.id) + '/replay');
        $('notice').textContent = 'Replaying ' + d.id + '.';
        loadDeliveries();
      } catch (err) { e.target.disabled = false; $('notice').textContent = 'Replay failed: ' + err.message; }
    } }, 'Replay'));
  }
  const last = d.lastError || (d.lastStatus ? 'HTTP ' + d.lastStatus : '');
  const next = d.status === 'pending' && d.nextAttemptAt ? el('div', { class: 'note' }, 'next ' + time(d.nextAttemptAt)) : '';
  const row = el('tr', { 'data-delivery': d.id },
    el('td', {}, time(d.createdAt)),
    el('td', {}, el('code', {}, d.kind), d.mode === 'sync' ? el('div', { class: 'note' }, 'sync') : ''),
    el('td', {}, d.partnerId || ''),
    el('td', { class: 'url' }, el('strong', {}, d.method), ' ', d.url),
    el('td', {}, el('span', { class: 'status s-' + d.status }, d.status), next),
    el('td', {}, String(d.attempts)),
    el('td', {}, last),
    actions);
  return [row, detail];
}
async function toggleDetail(d, detail) {
  if (!detail.hidden) { detail.hidden = true; return; }
  const cell = detail.firstChild;
  cell.replaceChildren(el('span', { class: 'note' }, 'Loading…'));
  detail.hidden = false;
  try {
    const data = await api('GET', '/deliveries/' + encodeURIComponent(d.id));
    const rows = data.attempts.map((a) => el('tr', {},
      el('td', {}, String(a.attempt)), el('td', {}, time(a.startedAt)), el('td', {}, a.worker),
      el('td', {}, a.latencyMs == null ? '' : a.latencyMs + ' ms'), el('td', {}, a.httpStatus == null ? '' : String(a.httpStatus)),
      el('td', {}, el('span', { class: 'status s-' + a.outcome }, a.outcome), a.retryAt ? el('div', { class: 'note' }, 'retry ' + time(a.retryAt)) : ''),
      el('td', {}, a.error || ''), el('td', {}, a.response ? el('pre', {}, a.response) : '')));
    cell.replaceChildren(
      el('div', { class: 'note' }, 'Delivery ', el('code', {}, data.delivery.id)),
      el('details', {}, el('summary', {}, 'Request headers and body'),
        el('pre', {}, JSON.stringify({ headers: data.delivery.headers, body: data.delivery.body }, null, 2))),
      rows.length
        ? el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Started'), el('th', {}, 'Worker'), el('th', {}, 'Latency'), el('th', {}, 'HTTP'), el('th', {}, 'Outcome'), el('th', {}, 'Error'), el('th', {}, 'Response'))), el('tbody', {}, ...rows))
        : el('p', { class: 'note' }, 'No attempt yet.'));
  } catch (err) {
    cell.replaceChildren(el('span', { class: 'error' }, err.message));
  }
}
$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(tokenKey, token);
  $('token').value = '';
  showApp();
});
$('sign-out').addEventListener('click', () => { sessionStorage.removeItem(tokenKey); showLogin(''); });
$('refresh').addEventListener('click', refreshAll);
$('filters').addEventListener('submit', (e) => { e.preventDefault(); loadDeliveries(); });
if (sessionStorage.getItem(tokenKey)) showApp(); else showLogin('');
`;

/** The dashboard page; `nonce` admits its inline script and style under the page's CSP. */
export function dashboardPage(nonce: string): string {
  return page({
    title: 'Cardport dashboard',
    head: html`<style nonce="${nonce}">${raw(style)}</style>`,
    body: html`<div class="dash">
  <p><a href="/">Cardport</a> · <a href="/docs">Docs</a> · <a href="/wallet">Virtual wallet</a> · <a href="/admin/web-checkout">Web Checkout transactions and health</a></p>
  <h1>Dashboard</h1>
  <p class="note">Partners, outbound deliveries and the sandbox clock of this platform, from its admin API.</p>
  <section id="login" hidden>
    <h2>Admin token</h2>
    <p>Paste the token from <code>$CARDPORT_HOME/admin-token</code>. It stays in this browser tab only (sessionStorage).</p>
    <form id="login-form" class="row">
      <label>Token <input id="token" type="password" autocomplete="off" required></label>
      <button type="submit" class="button primary">Open the dashboard</button>
    </form>
    <p id="login-message" class="error" role="alert"></p>
  </section>
  <div id="app" hidden>
    <p class="row"><button type="button" id="refresh" class="button">Refresh</button>
      <button type="button" id="sign-out" class="button">Forget the token</button>
      <span id="notice" role="status"></span></p>
    <section><h2>Sandbox clock</h2><div id="clock" class="note">Loading…</div></section>
    <section><h2>Partners</h2><div id="partners" class="note">Loading…</div></section>
    <section>
      <h2>Deliveries</h2>
      <form id="filters" class="row">
        <label>Status <select id="f-status"><option value="">any</option><option>pending</option><option>in_flight</option><option>delivered</option><option>dead</option><option>failed</option></select></label>
        <label>Kind <input id="f-kind" size="18"></label>
        <label>Partner <input id="f-partnerId" size="24"></label>
        <button type="submit" class="button">Filter</button>
      </form>
      <div id="deliveries" class="note">Loading…</div>
    </section>
  </div>
</div>
<script nonce="${nonce}">${raw(script)}</script>`,
  });
}
