// The dashboard's panels read from the admin API: the sandbox clock, partners, deliveries with
// their attempts, the Add to Wallet cards, checkout services and wallet accounts, the faults set.
import type {
  AccountsAnswer,
  CardsAnswer,
  ClockAnswer,
  DeliveriesAnswer,
  DeliveryDetailsAnswer,
  DeliveryView,
  PartnerDetails,
  PartnersAnswer,
  ServicesAnswer,
} from '../../answers.ts';
import { api, failureNote, messageOf, statusOf } from './api.ts';
import {
  $,
  duration,
  el,
  fieldValue,
  idCell,
  partnerCell,
  partnerNames,
  table,
  target,
  time,
} from './dom.ts';

/** One-line notices at the top (replays, faults set, clock errors). */
export function notice(text: string): void {
  $('notice').textContent = text;
}

export async function loadClock(): Promise<void> {
  const out = $('clock');
  try {
    const c = await api<ClockAnswer>('GET', '/clock');
    out.replaceChildren(
      el('strong', {}, time(c.now)),
      ' ',
      el(
        'span',
        { class: 'note' },
        c.offsetMs ? `(moved forward by ${duration(c.offsetMs)})` : '(real time)',
      ),
    );
  } catch (err) {
    const note = failureNote(err, 'Clock', 'The clock API is not available on this platform.');
    if (note) out.replaceChildren(el('span', { class: 'note' }, note));
  }
}

function certificatesText(certs: PartnerDetails['certificates']): string {
  return certs.map((c) => `${c.certificateId || '?'}${c.status ? ` (${c.status})` : ''}`).join(', ');
}

export async function loadPartners(): Promise<void> {
  const out = $('partners');
  try {
    const list = (await api<PartnersAnswer>('GET', '/partners')).partners;
    if (list.length === 0) {
      out.replaceChildren(
        el('p', { class: 'note' }, 'No partners yet: create one with cardport partner create --name NAME.'),
      );
      return;
    }
    const rows = list.map((p) => {
      const id = p.partnerId;
      if (id) partnerNames.set(id, p.name || '');
      // The list carries no certificates: one partner's details do, on demand.
      const certs = el('td', {}, '');
      const row = el(
        'tr',
        {},
        idCell(id),
        el('td', {}, p.name || ''),
        el('td', {}, el('span', { class: `status s-${p.status || ''}` }, p.status || '')),
        certs,
      );
      if (id) {
        const show = async (e: Event) => {
          target(e).disabled = true;
          try {
            const d = await api<PartnerDetails>('GET', `/partners/${encodeURIComponent(id)}`);
            certs.replaceChildren(certificatesText(d.certificates) || 'none');
          } catch (err) {
            certs.replaceChildren(el('span', { class: 'error' }, messageOf(err)));
          }
        };
        certs.append(
          el('button', { type: 'button', class: 'button small', onclick: show }, 'Show certificates'),
        );
      }
      return row;
    });
    out.replaceChildren(table(['Partner', 'Name', 'Status', 'Certificates'], rows));
  } catch (err) {
    const note = failureNote(err, 'Partners', 'The partner API is not available on this platform yet.');
    if (note) out.replaceChildren(el('p', { class: 'note' }, note));
  }
}

export async function loadDeliveries(): Promise<void> {
  const out = $('deliveries');
  const params = new URLSearchParams();
  for (const name of ['status', 'kind', 'partnerId']) {
    const v = fieldValue(`f-${name}`).trim();
    if (v) params.set(name, v);
  }
  params.set('limit', '100');
  try {
    const data = await api<DeliveriesAnswer>('GET', `/deliveries?${params}`);
    if (data.deliveries.length === 0) {
      out.replaceChildren(el('p', { class: 'note' }, 'No deliveries match.'));
      return;
    }
    const head = ['Created', 'Kind', 'Partner', 'Request', 'Status', 'Attempts', 'Last result', ''];
    out.replaceChildren(table(head, data.deliveries.flatMap(deliveryRows)));
  } catch (err) {
    if (statusOf(err) === 401) return;
    out.replaceChildren(el('p', { class: 'error' }, `Deliveries: ${messageOf(err)}`));
  }
}

function deliveryRows(d: DeliveryView): HTMLElement[] {
  const detail = el('tr', { hidden: '' }, el('td', { colspan: '8' }));
  const actions = el('td', {});
  actions.append(
    el(
      'button',
      { type: 'button', class: 'button small', onclick: () => toggleDetail(d, detail) },
      'Attempts',
    ),
  );
  if (d.status === 'dead') {
    const replay = async (e: Event) => {
      const button = target(e);
      button.disabled = true;
      try {
        await api('POST', `/deliveries/${encodeURIComponent(d.id)}/replay`);
        notice(`Replaying ${d.id}.`);
        loadDeliveries();
      } catch (err) {
        button.disabled = false;
        notice(`Replay failed: ${messageOf(err)}`);
      }
    };
    actions.append(
      ' ',
      el(
        'button',
        { type: 'button', class: 'button small primary', 'data-replay': d.id, onclick: replay },
        'Replay',
      ),
    );
  }
  const last = d.lastError || (d.lastStatus ? `HTTP ${d.lastStatus}` : '');
  const next =
    d.status === 'pending' && d.nextAttemptAt
      ? el('div', { class: 'note' }, `next ${time(d.nextAttemptAt)}`)
      : '';
  const row = el(
    'tr',
    { 'data-delivery': d.id },
    el('td', {}, time(d.createdAt)),
    el('td', {}, el('code', {}, d.kind), d.mode === 'sync' ? el('div', { class: 'note' }, 'sync') : ''),
    el('td', {}, d.partnerId || ''),
    el('td', { class: 'url' }, el('strong', {}, d.method), ' ', d.url),
    el('td', {}, el('span', { class: `status s-${d.status}` }, d.status), next),
    el('td', {}, String(d.attempts)),
    el('td', {}, last),
    actions,
  );
  return [row, detail];
}

async function toggleDetail(d: DeliveryView, detail: HTMLElement): Promise<void> {
  if (!detail.hidden) {
    detail.hidden = true;
    return;
  }
  const cell = detail.firstChild as HTMLElement;
  cell.replaceChildren(el('span', { class: 'note' }, 'Loading…'));
  detail.hidden = false;
  try {
    const data = await api<DeliveryDetailsAnswer>('GET', `/deliveries/${encodeURIComponent(d.id)}`);
    const rows = data.attempts.map((a) =>
      el(
        'tr',
        {},
        el('td', {}, String(a.attempt)),
        el('td', {}, time(a.startedAt)),
        el('td', {}, a.worker),
        el('td', {}, a.latencyMs == null ? '' : `${a.latencyMs} ms`),
        el('td', {}, a.httpStatus == null ? '' : String(a.httpStatus)),
        el(
          'td',
          {},
          el('span', { class: `status s-${a.outcome}` }, a.outcome),
          a.retryAt ? el('div', { class: 'note' }, `retry ${time(a.retryAt)}`) : '',
        ),
        el('td', {}, a.error || ''),
        el('td', {}, a.response ? el('pre', {}, a.response) : ''),
      ),
    );
    const head = ['#', 'Started', 'Worker', 'Latency', 'HTTP', 'Outcome', 'Error', 'Response'];
    cell.replaceChildren(
      el('div', { class: 'note' }, 'Delivery ', el('code', {}, data.delivery.id)),
      el(
        'details',
        {},
        el('summary', {}, 'Request headers and body'),
        el('pre', {}, JSON.stringify({ headers: data.delivery.headers, body: data.delivery.body }, null, 2)),
      ),
      rows.length
        ? el(
            'table',
            {},
            el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
            el('tbody', {}, ...rows),
          )
        : el('p', { class: 'note' }, 'No attempt yet.'),
    );
  } catch (err) {
    cell.replaceChildren(el('span', { class: 'error' }, messageOf(err)));
  }
}

/** One catalog table: `path` answers `A`, whose list `rows` picks. */
async function catalogPart<A, T>(
  id: string,
  path: string,
  rows: (answer: A) => readonly T[],
  head: string[],
  cells: (x: T) => HTMLElement[],
  empty: string,
): Promise<void> {
  try {
    const list = rows(await api<A>('GET', path));
    $(id).replaceChildren(
      list.length
        ? table(
            head,
            list.map((x) => el('tr', {}, ...cells(x))),
          )
        : el('p', { class: 'note' }, empty),
    );
  } catch (err) {
    if (statusOf(err) === 401) return;
    $(id).replaceChildren(el('p', { class: 'note' }, messageOf(err)));
  }
}

export function loadCatalog(): void {
  catalogPart(
    'cards',
    '/cards',
    (a: CardsAnswer) => a.cards,
    ['Card', 'Type', 'Partner', 'Partner URL'],
    (c) => [
      idCell(c.cardId),
      el('td', {}, `${c.type}/${c.subType}`),
      partnerCell(c.partnerId),
      el('td', { class: 'url' }, c.partnerUrl),
    ],
    'No Add to Wallet cards yet.',
  );
  catalogPart(
    'services',
    '/services',
    (a: ServicesAnswer) => a.services,
    ['Service', 'Name', 'Partner', 'Domains'],
    (x) => [
      idCell(x.serviceId),
      el('td', {}, x.name),
      partnerCell(x.partnerId),
      el('td', {}, x.domains.join(', ')),
    ],
    'No checkout services yet.',
  );
  catalogPart(
    'accounts',
    '/wallet/accounts?limit=50',
    (a: AccountsAnswer) => a.accounts,
    ['User', 'Email', 'Country'],
    (a) => [idCell(a.userId), el('td', {}, a.email), el('td', {}, a.country)],
    'No wallet accounts yet.',
  );
}
