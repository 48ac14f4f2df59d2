// The dashboard's console: the live request log, one request's details, one object's timeline
// (inbound calls, outbound deliveries with their attempts, and what the wallet's user did).
import type {
  RequestEntryAnswer,
  RequestSummary,
  RequestsAnswer,
  TimelineAnswer,
  TimelineItem,
  TimelineWalletAction,
} from '../../answers.ts';
import { api, messageOf, statusOf } from './api.ts';
import { $, clockTime, copyButton, el, fieldValue, partnerCell, table, time } from './dom.ts';

function requestRow(r: RequestSummary, fresh: boolean): HTMLElement {
  const notes: string[] = [];
  if (r.injected) notes.push(`injected ${r.injected}`);
  if (r.warnings?.length) notes.push(`${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''}`);
  if (r.error) notes.push(r.error);
  return el(
    'tr',
    {
      class: `clickable${fresh ? ' fresh' : ''}`,
      'data-request': String(r.id),
      'data-testid': 'request-row',
      onclick: () => showRequest(r.id),
    },
    el('td', {}, time(r.at)),
    el('td', {}, r.family),
    partnerCell(r.partnerId, r.partnerName),
    el('td', { class: 'url' }, el('strong', {}, r.method), ' ', r.path),
    el('td', {}, el('span', { class: `status ${r.status < 400 ? 's-ok' : 's-bad'}` }, String(r.status))),
    el('td', {}, `${Math.round(r.latencyMs)} ms`),
    el('td', {}, el('code', {}, r.requestId)),
    el('td', {}, notes.join('; ')),
  );
}

function requestTable(rows: Node[]): HTMLElement {
  const head = ['Time', 'Family', 'Partner', 'Request', 'Status', 'Latency', 'Request id', 'Why / warnings'];
  return table(head, rows, { id: 'request-rows' });
}

export async function loadRequests(): Promise<void> {
  const out = $('requests');
  const partner = fieldValue('r-partner').trim();
  try {
    const data = await api<RequestsAnswer>(
      'GET',
      `/requests?limit=50${partner ? `&partnerId=${encodeURIComponent(partner)}` : ''}`,
    );
    out.replaceChildren(
      data.requests.length
        ? requestTable(data.requests.map((r) => requestRow(r, false)))
        : el(
            'p',
            { class: 'note', id: 'no-requests' },
            'No calls yet: they appear here as partners make them.',
          ),
    );
  } catch (err) {
    if (statusOf(err) === 401) return;
    out.replaceChildren(el('p', { class: 'error' }, `Request log: ${messageOf(err)}`));
  }
}

/** A call announced by the event stream: prepended, the list kept to 200 rows. */
export function addRequest(r: RequestSummary): void {
  const partner = fieldValue('r-partner').trim();
  if (partner && r.partnerId !== partner) return;
  if (!document.getElementById('request-rows')) $('requests').replaceChildren(requestTable([]));
  const rows = $('request-rows');
  rows.prepend(requestRow(r, true));
  while (rows.children.length > 200) rows.lastElementChild?.remove();
}

async function showRequest(id: number): Promise<void> {
  const out = $('request-detail');
  out.hidden = false;
  out.replaceChildren(el('span', { class: 'note' }, 'Loading…'));
  try {
    const r = await api<RequestEntryAnswer>('GET', `/requests/${encodeURIComponent(id)}`);
    const links = el('p', {}, 'Objects: ');
    for (const o of r.objectIds) {
      links.append(el('a', { href: '#timeline', onclick: () => showTimeline(o) }, o), copyButton(o), ' ');
    }
    const who = r.partnerName || r.partnerId || 'unknown partner';
    out.replaceChildren(
      el('h3', {}, `${r.method} ${r.path} → ${r.status}`),
      el(
        'p',
        { class: 'note' },
        `${time(r.at)} · ${r.family} · ${who} · ${Math.round(r.latencyMs)} ms · request id `,
        el('code', {}, r.requestId),
        copyButton(r.requestId),
      ),
      r.injected
        ? el('p', { class: 'error', 'data-testid': 'request-injected' }, `Injected fault: ${r.injected}`)
        : '',
      r.error ? el('p', { class: 'error' }, `Why: ${r.error}`) : '',
      r.warnings.length ? el('pre', {}, JSON.stringify(r.warnings, null, 2)) : '',
      r.objectIds.length ? links : '',
      el(
        'details',
        { open: '' },
        el('summary', {}, 'Request body (redacted)'),
        el('pre', {}, JSON.stringify(r.requestBody, null, 2)),
      ),
      el(
        'details',
        {},
        el('summary', {}, 'Response body (redacted)'),
        el('pre', {}, JSON.stringify(r.responseBody, null, 2)),
      ),
    );
  } catch (err) {
    out.replaceChildren(el('span', { class: 'error' }, messageOf(err)));
  }
}

/** The words a wallet action shows after its name: the first display field that names the object. */
function actionTitle(detail: TimelineWalletAction['detail']): string {
  if (!detail) return '';
  for (const key of ['title', 'name', 'cardName', 'merchantName', 'serviceName', 'status']) {
    const v = detail[key];
    if (v !== undefined && v !== null && v !== '') return String(v);
  }
  return '';
}

/** "14:02:03 📱 PASS_ADDED by <account> · title" */
export function walletLine(at: number, a: TimelineWalletAction): HTMLElement {
  const title = actionTitle(a.detail);
  return el(
    'li',
    { 'data-wallet-action': a.action },
    `${clockTime(at)} 📱 `,
    el('strong', {}, a.action),
    ' by ',
    el('code', {}, a.accountId),
    title ? ` · ${title}` : '',
  );
}

function timelineLine(item: TimelineItem): HTMLElement {
  if (item.type === 'request') {
    const r = item.request;
    const from = r.partnerName || r.partnerId || 'unknown';
    return el(
      'li',
      {},
      `${time(r.at)} ← `,
      el('strong', {}, `${r.method} ${r.path}`),
      ` ${r.status} from ${from}${r.error ? ` · ${r.error}` : ''}`,
      ' ',
      el('a', { href: '#request-detail', onclick: () => showRequest(r.id) }, 'details'),
    );
  }
  if (item.type === 'wallet') return walletLine(item.at, item.action);
  const d = item.delivery;
  const attempts = el(
    'ul',
    {},
    ...d.attemptList.map((a) =>
      el(
        'li',
        {},
        `#${a.attempt} ${time(a.startedAt)} ${a.outcome}${a.httpStatus ? ` HTTP ${a.httpStatus}` : ''}${a.error ? ` · ${a.error}` : ''}${a.latencyMs != null ? ` · ${a.latencyMs} ms` : ''}`,
      ),
    ),
  );
  const count = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  return el(
    'li',
    {},
    `${time(d.createdAt)} → `,
    el('strong', {}, d.kind),
    ` ${d.method} ${d.url} · ${d.status} (${count})`,
    attempts,
  );
}

export async function showTimeline(objectId: string): Promise<void> {
  $<HTMLInputElement>('t-object').value = objectId;
  const out = $('timeline');
  out.replaceChildren(el('span', { class: 'note' }, 'Loading…'));
  try {
    const t = await api<TimelineAnswer>('GET', `/timeline/${encodeURIComponent(objectId)}`);
    if (!t.items.length) {
      out.replaceChildren(el('p', { class: 'note' }, `Nothing recorded for ${objectId}.`));
      return;
    }
    const list = el('ol', { class: 'timeline', 'data-testid': 'timeline' }, ...t.items.map(timelineLine));
    const related = el('p', { class: 'note' }, 'Related: ');
    for (const o of t.related)
      related.append(el('a', { href: '#timeline', onclick: () => showTimeline(o) }, o), ' ');
    out.replaceChildren(list, t.related.length ? related : '');
  } catch (err) {
    out.replaceChildren(el('p', { class: 'error' }, messageOf(err)));
  }
}
