// The admin dashboard (GET /admin): a static page in the site's frame whose script asks for the
// admin token once per browser (POST /admin/session sets an HttpOnly SameSite=Strict cookie, see
// core/admin-session.ts), then reads the admin JSON API: the live request log and deliveries
// (server-sent events from /admin/v1/events, no Refresh button), one object's timeline, partners,
// cards, services, wallet accounts, the sandbox clock with its controls. Every value reaches the
// DOM through textContent, never as markup: partner names and partner answers are untrusted.
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

const script = `
'use strict';
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
async function api(method, path, body) {
  // The session cookie goes along (same origin); the browser adds Origin to the POSTs.
  const res = await fetch('/admin/v1' + path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let answer = null;
  try { answer = await res.json(); } catch {}
  if (res.status === 401) {
    showLogin('Enter the admin token to open the dashboard in this browser.');
    throw new ApiError(401, 'unauthorized');
  }
  if (!res.ok) throw new ApiError(res.status, (answer && answer.error && answer.error.message) || res.statusText);
  return answer;
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
  startLive();
}
function refreshAll() {
  loadClock();
  loadPartners();
  loadCatalog();
  loadRequests();
  loadDeliveries();
  loadFaults();
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
      if (id) partnerNames.set(id, p.name || '');
      const certs = el('td', {}, certificatesText(p.certificates));
      const row = el('tr', {}, idCell(id), el('td', {}, p.name || ''),
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
    out.replaceChildren(el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Partner'), el('th', {}, 'Name'), el('th', {}, 'Status'), el('th', {}, 'Certificates'))), el('tbody', {}, ...rows))));
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
    out.replaceChildren(el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {},
      el('th', {}, 'Created'), el('th', {}, 'Kind'), el('th', {}, 'Partner'), el('th', {}, 'Request'),
      el('th', {}, 'Status'), el('th', {}, 'Attempts'), el('th', {}, 'Last result'), el('th', {}, ''))), body)));
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
// --- the console: live request log, timeline, catalog, clock controls -----------------------
function copyButton(value) {
  return el('button', { type: 'button', class: 'copy', title: 'Copy', 'aria-label': 'Copy ' + value, onclick: async (e) => {
    e.stopPropagation();
    try { await navigator.clipboard.writeText(value); e.target.textContent = 'copied'; } catch { e.target.textContent = '!'; }
    setTimeout(() => { e.target.textContent = 'copy'; }, 1200);
  } }, 'copy');
}
function idCell(value) {
  if (!value) return el('td', {}, '');
  return el('td', {}, el('code', {}, value), copyButton(value));
}
const partnerNames = new Map();
function partnerCell(id, name) {
  if (!id) return el('td', { class: 'note' }, 'unknown');
  return el('td', {}, name || partnerNames.get(id) || '', el('div', { class: 'note' }, el('code', {}, id), copyButton(id)));
}
function requestRow(r, fresh) {
  const notes = [];
  if (r.injected) notes.push('injected ' + r.injected);
  if (r.warnings && r.warnings.length) notes.push(r.warnings.length + ' warning' + (r.warnings.length > 1 ? 's' : ''));
  if (r.error) notes.push(r.error);
  const row = el('tr', { class: 'clickable' + (fresh ? ' fresh' : ''), 'data-request': String(r.id), 'data-testid': 'request-row', onclick: () => showRequest(r.id) },
    el('td', {}, time(r.at)),
    el('td', {}, r.family),
    partnerCell(r.partnerId, r.partnerName),
    el('td', { class: 'url' }, el('strong', {}, r.method), ' ', r.path),
    el('td', {}, el('span', { class: 'status ' + (r.status < 400 ? 's-ok' : 's-bad') }, String(r.status))),
    el('td', {}, Math.round(r.latencyMs) + ' ms'),
    el('td', {}, el('code', {}, r.requestId)),
    el('td', {}, notes.join('; ')));
  return row;
}
function requestTable(rows) {
  return el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Time'), el('th', {}, 'Family'), el('th', {}, 'Partner'),
    el('th', {}, 'Request'), el('th', {}, 'Status'), el('th', {}, 'Latency'), el('th', {}, 'Request id'), el('th', {}, 'Why / warnings'))),
    el('tbody', { id: 'request-rows' }, ...rows)));
}
async function loadRequests() {
  const out = $('requests');
  const partner = $('r-partner').value.trim();
  try {
    const data = await api('GET', '/requests?limit=50' + (partner ? '&partnerId=' + encodeURIComponent(partner) : ''));
    out.replaceChildren(data.requests.length ? requestTable(data.requests.map((r) => requestRow(r, false)))
      : el('p', { class: 'note', id: 'no-requests' }, 'No calls yet: they appear here as partners make them.'));
  } catch (err) {
    if (err.status === 401) return;
    out.replaceChildren(el('p', { class: 'error' }, 'Request log: ' + err.message));
  }
}
function addRequest(r) {
  const partner = $('r-partner').value.trim();
  if (partner && r.partnerId !== partner) return;
  if (!$('request-rows')) $('requests').replaceChildren(requestTable([]));
  $('request-rows').prepend(requestRow(r, true));
  const rows = $('request-rows').children;
  while (rows.length > 200) rows[rows.length - 1].remove();
}
async function showRequest(id) {
  const out = $('request-detail');
  out.hidden = false;
  out.replaceChildren(el('span', { class: 'note' }, 'Loading…'));
  try {
    const r = await api('GET', '/requests/' + encodeURIComponent(id));
    const links = el('p', {}, 'Objects: ');
    for (const o of r.objectIds) links.append(el('a', { href: '#timeline', onclick: () => showTimeline(o) }, o), copyButton(o), ' ');
    out.replaceChildren(
      el('h3', {}, r.method + ' ' + r.path + ' → ' + r.status),
      el('p', { class: 'note' }, time(r.at) + ' · ' + r.family + ' · ' + (r.partnerName || r.partnerId || 'unknown partner') + ' · ' + Math.round(r.latencyMs) + ' ms · request id ', el('code', {}, r.requestId), copyButton(r.requestId)),
      r.injected ? el('p', { class: 'error', 'data-testid': 'request-injected' }, 'Injected fault: ' + r.injected) : '',
      r.error ? el('p', { class: 'error' }, 'Why: ' + r.error) : '',
      r.warnings.length ? el('pre', {}, JSON.stringify(r.warnings, null, 2)) : '',
      r.objectIds.length ? links : '',
      el('details', { open: '' }, el('summary', {}, 'Request body (redacted)'), el('pre', {}, JSON.stringify(r.requestBody, null, 2))),
      el('details', {}, el('summary', {}, 'Response body (redacted)'), el('pre', {}, JSON.stringify(r.responseBody, null, 2))));
  } catch (err) {
    out.replaceChildren(el('span', { class: 'error' }, err.message));
  }
}
async function showTimeline(objectId) {
  $('t-object').value = objectId;
  const out = $('timeline');
  out.replaceChildren(el('span', { class: 'note' }, 'Loading…'));
  try {
    const t = await api('GET', '/timeline/' + encodeURIComponent(objectId));
    if (!t.items.length) { out.replaceChildren(el('p', { class: 'note' }, 'Nothing recorded for ' + objectId + '.')); return; }
    const list = el('ol', { class: 'timeline', 'data-testid': 'timeline' });
    for (const item of t.items) {
      if (item.type === 'request') {
        const r = item.request;
        list.append(el('li', {}, time(r.at) + ' ← ', el('strong', {}, r.method + ' ' + r.path), ' ' + r.status + ' from ' + (r.partnerName || r.partnerId || 'unknown') + (r.error ? ' · ' + r.error : ''), ' ',
          el('a', { href: '#request-detail', onclick: () => showRequest(r.id) }, 'details')));
      } else {
        const d = item.delivery;
        const attempts = el('ul', {}, ...d.attemptList.map((a) => el('li', {}, '#' + a.attempt + ' ' + time(a.startedAt) + ' ' + a.outcome + (a.httpStatus ? ' HTTP ' + a.httpStatus : '') + (a.error ? ' · ' + a.error : '') + (a.latencyMs != null ? ' · ' + a.latencyMs + ' ms' : ''))));
        list.append(el('li', {}, time(d.createdAt) + ' → ', el('strong', {}, d.kind), ' ' + d.method + ' ' + d.url + ' · ' + d.status + ' (' + d.attempts + ' attempt' + (d.attempts === 1 ? '' : 's') + ')', attempts));
      }
    }
    const related = el('p', { class: 'note' }, 'Related: ');
    for (const o of t.related) related.append(el('a', { href: '#timeline', onclick: () => showTimeline(o) }, o), ' ');
    out.replaceChildren(list, t.related.length ? related : '');
  } catch (err) {
    out.replaceChildren(el('p', { class: 'error' }, err.message));
  }
}
async function loadCatalog() {
  const part = async (id, path, key, head, cells, empty) => {
    try {
      const data = await api('GET', path);
      const list = data[key] || [];
      $(id).replaceChildren(list.length
        ? el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))), el('tbody', {}, ...list.map((x) => el('tr', {}, ...cells(x))))))
        : el('p', { class: 'note' }, empty));
    } catch (err) {
      if (err.status === 401) return;
      $(id).replaceChildren(el('p', { class: 'note' }, err.message));
    }
  };
  part('cards', '/cards', 'cards', ['Card', 'Type', 'Partner', 'Partner URL'],
    (c) => [idCell(c.cardId), el('td', {}, c.type + '/' + c.subType), partnerCell(c.partnerId), el('td', { class: 'url' }, c.partnerUrl)], 'No Add to Wallet cards yet.');
  part('services', '/services', 'services', ['Service', 'Name', 'Partner', 'Domains'],
    (x) => [idCell(x.serviceId), el('td', {}, x.name), partnerCell(x.partnerId), el('td', {}, (x.domains || []).join(', '))], 'No checkout services yet.');
  part('accounts', '/wallet/accounts?limit=50', 'accounts', ['User', 'Email', 'Country'],
    (a) => [idCell(a.userId), el('td', {}, a.email), el('td', {}, a.country)], 'No wallet accounts yet.');
}
let liveSource;
let deliveryReload;
function startLive() {
  if (liveSource) return;
  liveSource = new EventSource('/admin/v1/events');
  liveSource.addEventListener('open', () => { $('live').className = 'live on'; $('live-text').textContent = 'Live'; });
  liveSource.addEventListener('error', () => { $('live').className = 'live'; $('live-text').textContent = 'Reconnecting…'; });
  liveSource.addEventListener('request', (e) => addRequest(JSON.parse(e.data)));
  liveSource.addEventListener('delivery', () => {
    clearTimeout(deliveryReload);
    deliveryReload = setTimeout(loadDeliveries, 300);
  });
}
// --- fault injection (cardport faults): each partner's faults, a form to set them, Clear -------
async function loadFaults() {
  const out = $('faults');
  try {
    const data = await api('GET', '/faults');
    if (!data.faults.length) {
      out.replaceChildren(el('p', { class: 'note', id: 'no-faults' }, 'No faults set: the platform behaves for every partner.'));
      return;
    }
    const rows = data.faults.map((f) => el('tr', { 'data-fault': f.partnerId },
      partnerCell(f.partnerId),
      el('td', {}, el('code', { class: 'wrap' }, f.summary)),
      el('td', {}, String(f.inboundInjected)),
      el('td', {}, time(f.updatedAt)),
      el('td', {}, el('button', { type: 'button', class: 'button small', 'data-clear-fault': f.partnerId, onclick: async (e) => {
        e.target.disabled = true;
        try {
          await api('DELETE', '/faults/' + encodeURIComponent(f.partnerId));
          $('notice').textContent = 'Faults cleared for ' + f.partnerId + '.';
        } catch (err) { e.target.disabled = false; $('notice').textContent = 'Clear failed: ' + err.message; }
        loadFaults();
      } }, 'Clear'))));
    out.replaceChildren(el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {},
      el('th', {}, 'Partner'), el('th', {}, 'Faults'), el('th', {}, 'Inbound injected'), el('th', {}, 'Updated'), el('th', {}, ''))),
      el('tbody', {}, ...rows))));
  } catch (err) {
    if (err.status === 401) return;
    out.replaceChildren(el('p', { class: 'note' }, err.status === 404 ? 'Fault injection is not available on this platform.' : 'Faults: ' + err.message));
  }
}
// The same fields as cardport faults set; empty fields keep what is set.
function faultChanges() {
  const changes = {};
  const int = (id, key, scale) => {
    const v = $(id).value.trim();
    if (v === '') return;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error($(id).name + ' must be a number');
    changes[key] = Math.round(n * (scale || 1));
  };
  int('fa-duplicates', 'duplicates');
  int('fa-delay', 'delayMs', 1000);
  int('fa-reorder', 'reorderWindowMs', 1000);
  int('fa-fail-first', 'failFirst');
  const inbound = $('fa-inbound').value;
  if (inbound === 'none') changes.inboundError = null;
  else if (inbound) changes.inboundError = inbound;
  const rate = $('fa-rate').value.trim();
  if (rate !== '') {
    const n = Number(rate);
    if (!Number.isFinite(n)) throw new Error('rate must be a number from 0 to 1');
    changes.inboundRate = n;
  }
  int('fa-retry-after', 'retryAfterSeconds');
  return changes;
}
// --- the conformance kit (cardport verify): POST /admin/v1/verify, the report as a list --------
function verifyRequest() {
  const product = $('v-product').value;
  const partnerId = $('v-partner').value.trim();
  if (!partnerId) throw new Error('enter the partner id');
  const body = { product, partnerId, faults: $('v-faults').checked };
  const object = $('v-object').value.trim();
  if (object) {
    if (product === 'save-to-pay') body.regId = object;
    else if (product === 'add-to-wallet') body.refId = object;
    else body.serviceId = object;
  }
  return body;
}
function renderReport(report) {
  const s = report.summary;
  const checks = el('ul', { class: 'checks', 'data-testid': 'verify-checks' }, ...report.checks.map((c) => el('li', { 'data-check': c.id, 'data-status': c.status },
    el('span', { class: 'check-status c-' + c.status }, c.status), ' ', el('strong', {}, c.title), ' ', el('code', { class: 'wrap' }, c.id),
    el('div', {}, c.finding),
    el('details', {}, el('summary', {}, 'Evidence'),
      el('div', { class: 'note' }, 'Request sent'), el('pre', {}, c.evidence.request),
      el('div', { class: 'note' }, 'Answer'), el('pre', {}, c.evidence.answer),
      el('div', { class: 'note' }, 'What the documents require'), el('pre', {}, c.evidence.required),
      c.evidence.deliveryId ? el('div', { class: 'note' }, 'Delivery ', el('code', {}, c.evidence.deliveryId)) : ''))));
  $('verify-report').replaceChildren(
    el('p', { class: 'status ' + (report.ok ? 's-ok' : 's-bad'), 'data-testid': 'verify-summary' },
      report.product + (report.faults ? ' (faults)' : '') + ' for ' + report.partnerId + ': ' + s.pass + ' passed, ' + s.fail + ' failed, ' + s.warn + ' warned'),
    checks);
}
async function clockAction(path, body) {
  try { await api('POST', path, body); } catch (err) { $('notice').textContent = 'Clock: ' + err.message; }
  loadClock();
}
$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  const res = await fetch('/admin/session', { method: 'POST', credentials: 'same-origin', headers: { authorization: 'Bearer ' + token } });
  $('token').value = '';
  if (res.status === 204) showApp(); else showLogin('The admin token was not accepted.');
});
$('sign-out').addEventListener('click', async () => {
  await fetch('/admin/session', { method: 'DELETE', credentials: 'same-origin' });
  if (liveSource) { liveSource.close(); liveSource = undefined; }
  showLogin('');
});
$('faults-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const partner = $('fa-partner').value.trim();
  const message = $('faults-message');
  message.textContent = '';
  try {
    const changes = faultChanges();
    if (!partner) throw new Error('enter the partner id');
    if (Object.keys(changes).length === 0) throw new Error('set at least one field');
    const saved = await api('PUT', '/faults/' + encodeURIComponent(partner), changes);
    $('notice').textContent = 'Faults set for ' + partner + ': ' + saved.faults.summary + '.';
    e.target.reset();
  } catch (err) {
    message.textContent = err.message;
  }
  loadFaults();
});
$('verify-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const message = $('verify-message');
  const button = $('verify-run');
  message.textContent = '';
  let body;
  try { body = verifyRequest(); } catch (err) { message.textContent = err.message; return; }
  button.disabled = true;
  $('verify-report').replaceChildren(el('p', { class: 'note' }, 'Running the checks against the partner…'));
  try {
    renderReport((await api('POST', '/verify', body)).report);
  } catch (err) {
    $('verify-report').replaceChildren();
    if (err.status !== 401) message.textContent = err.status === 404 && err.message === 'Not Found' ? 'The conformance kit is not available on this platform.' : err.message;
  } finally {
    button.disabled = false;
  }
});
$('filters').addEventListener('submit', (e) => { e.preventDefault(); loadDeliveries(); });
$('r-filters').addEventListener('submit', (e) => { e.preventDefault(); loadRequests(); });
$('t-form').addEventListener('submit', (e) => { e.preventDefault(); const v = $('t-object').value.trim(); if (v) showTimeline(v); });
for (const b of document.querySelectorAll('[data-advance]')) b.addEventListener('click', () => clockAction('/clock/advance', { duration: b.getAttribute('data-advance') }));
$('clock-reset').addEventListener('click', () => clockAction('/clock/reset'));
setInterval(() => { if (!$('app').hidden) loadClock(); }, 15000);
// Signed in already in this browser (the cookie is HttpOnly: ask the API).
fetch('/admin/session', { credentials: 'same-origin' }).then((res) => res.json()).then((body) => {
  if (body.signedIn) showApp(); else showLogin('');
}, () => showLogin('The platform cannot be reached.'));
`;

/** The dashboard page; `nonce` admits its inline script and style under the page's CSP. */
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
        <label>Status <select id="f-status"><option value="">any</option><option>pending</option><option>in_flight</option><option>delivered</option><option>dead</option><option>failed</option><option>cancelled</option></select></label>
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
<script nonce="${nonce}">${raw(script)}</script>`,
  );
}
