// Web Checkout dashboard: every value reaches the DOM through textContent (partner data is
// untrusted). Reads the admin JSON API with the browser's dashboard session cookie.

import { $, el } from '../../core/page-dom.ts';
import type { listTransactionsForAdmin } from '../automation.ts';
import type { HealthProbe } from '../health.ts';

type AdminTransaction = Awaited<ReturnType<typeof listTransactionsForAdmin>>[number];
interface ServiceSummary {
  serviceId: string;
  name: string;
  domains?: string[];
  healthUrl?: string | null;
}

function time(ms: unknown): string {
  return typeof ms === 'number' ? `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)}Z` : '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function api<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  // The dashboard session cookie (set once per browser by POST /admin/session).
  const res = await fetch(`/admin/v1${path}`, { method, credentials: 'same-origin' });
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (res.status === 401) {
    showLogin('Enter the admin token to open the dashboard in this browser.');
    throw new Error('unauthorized');
  }
  if (!res.ok) throw new Error(body?.error?.message || res.statusText);
  return body as T;
}

function showLogin(message: string): void {
  $('login').hidden = false;
  $('app').hidden = true;
  $('login-message').textContent = message;
}

function showApp(): void {
  $('login').hidden = true;
  $('app').hidden = false;
  void loadTransactions();
  void loadServices();
}

function table(headings: string[], body: HTMLElement): HTMLElement {
  return el('table', {}, el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', {}, h)))), body);
}

async function loadTransactions(): Promise<void> {
  try {
    const data = await api<{ transactions: AdminTransaction[] }>('GET', '/web-checkout/transactions');
    if (!data.transactions.length) {
      $('transactions').replaceChildren(el('p', { class: 'note' }, 'No transactions yet.'));
      return;
    }
    const rows = data.transactions.map((t) =>
      el(
        'tr',
        {},
        el('td', {}, time(t.createdAt)),
        el('td', {}, el('code', {}, t.transactionId)),
        el('td', {}, t.merchantName),
        el('td', {}, `${t.amountTotal} ${t.currency}`),
        el('td', {}, t.expired ? 'EXPIRED' : t.status),
        el('td', {}, t.cardLast4 ? `${t.cardBrand} •••• ${t.cardLast4}` : ''),
        el('td', { 'data-testid': 'wc-payment-status' }, t.paymentStatus || ''),
        el('td', {}, el('code', {}, t.referenceId || '')),
      ),
    );
    $('transactions').replaceChildren(
      table(
        ['Created', 'Transaction', 'Merchant', 'Amount', 'Status', 'Card', 'Payment result', 'ref_id'],
        el('tbody', {}, ...rows),
      ),
    );
  } catch (err) {
    $('transactions').replaceChildren(el('p', { class: 'bad' }, messageOf(err)));
  }
}

function probeLine(p: HealthProbe | undefined): HTMLElement {
  if (!p) return el('span', { class: 'note' }, 'not probed yet');
  return el(
    'span',
    {},
    el('span', { class: p.ok ? 'ok' : 'bad' }, p.ok ? 'healthy' : 'unhealthy'),
    `${p.detail && p.detail !== 'healthy' ? ` · ${p.detail}` : ''}${p.callbackSeen ? ' · partner called back' : ''} · ${time(p.probedAt)}`,
  );
}

function serviceRow(s: ServiceSummary): HTMLElement {
  const status = el('td', {}, s.healthUrl ? '…' : el('span', { class: 'note' }, 'no health URL registered'));
  const action = el('td', {});
  const probes = `/web-checkout/services/${encodeURIComponent(s.serviceId)}/health-probes`;
  const show = (work: Promise<HealthProbe | undefined>) =>
    work.then(
      (p) => status.replaceChildren(probeLine(p)),
      (err: unknown) => status.replaceChildren(el('span', { class: 'bad' }, messageOf(err))),
    );
  if (s.healthUrl) {
    void show(api<{ probes: HealthProbe[] }>('GET', probes).then((d) => d.probes[0]));
    const button = el('button', { type: 'button', class: 'button small' }, 'Probe now') as HTMLButtonElement;
    button.addEventListener('click', () => {
      button.disabled = true;
      void show(api<HealthProbe>('POST', probes)).then(() => {
        button.disabled = false;
      });
    });
    action.append(button);
  }
  return el(
    'tr',
    {},
    el('td', {}, s.name),
    el('td', {}, el('code', {}, s.serviceId)),
    el('td', {}, (s.domains || []).join(', ')),
    el('td', {}, s.healthUrl || ''),
    status,
    action,
  );
}

async function loadServices(): Promise<void> {
  try {
    const data = await api<{ services?: ServiceSummary[] }>('GET', '/services');
    const services = data.services || [];
    if (!services.length) {
      $('services').replaceChildren(el('p', { class: 'note' }, 'No checkout services yet.'));
      return;
    }
    $('services').replaceChildren(
      table(
        ['Service', 'serviceId', 'Domains', 'Health URL', 'Last probe', ''],
        el('tbody', {}, ...services.map(serviceRow)),
      ),
    );
  } catch (err) {
    $('services').replaceChildren(el('p', { class: 'bad' }, messageOf(err)));
  }
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = $<HTMLInputElement>('token');
  void fetch('/admin/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { authorization: `Bearer ${token.value.trim()}` },
  }).then((res) => {
    token.value = '';
    if (res.status === 204) showApp();
    else showLogin('The admin token was not accepted.');
  });
});
$('refresh').addEventListener('click', () => {
  void loadTransactions();
  void loadServices();
});
// Signed in already in this browser? The cookie is HttpOnly: ask the API.
fetch('/admin/session', { credentials: 'same-origin' })
  .then((res) => res.json() as Promise<{ signedIn?: boolean }>)
  .then(
    (body) => (body.signedIn ? showApp() : showLogin('')),
    () => showLogin('The platform cannot be reached.'),
  );
