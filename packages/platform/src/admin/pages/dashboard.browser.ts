// The admin dashboard's script (served at /admin/assets/dashboard.js, see pages/dashboard.ts).
// It asks for the admin token once per browser (POST /admin/session sets the HttpOnly cookie),
// then reads the admin JSON API and follows the live stream of calls and deliveries.
import type { FaultsAnswer, RequestSummary, VerifyAnswer } from '../answers.ts';
import { api, messageOf, statusOf, whenUnauthorized } from './browser/api.ts';
import { addRequest, loadRequests, showTimeline } from './browser/console.ts';
import { $, el, fieldValue } from './browser/dom.ts';
import { loadCatalog, loadClock, loadDeliveries, loadPartners, notice } from './browser/panels.ts';
import { faultChanges, loadFaults, renderReport, verifyRequest } from './browser/tools.ts';

let liveSource: EventSource | undefined;
let deliveryReload: ReturnType<typeof setTimeout> | undefined;

function showLogin(message: string): void {
  $('login').hidden = false;
  $('app').hidden = true;
  $('login-message').textContent = message;
}
whenUnauthorized(() => showLogin('Enter the admin token to open the dashboard in this browser.'));

function showApp(): void {
  $('login').hidden = true;
  $('app').hidden = false;
  refreshAll();
  startLive();
}

function refreshAll(): void {
  loadClock();
  loadPartners();
  loadCatalog();
  loadRequests();
  loadDeliveries();
  loadFaults();
}

function startLive(): void {
  if (liveSource) return;
  liveSource = new EventSource('/admin/v1/events');
  liveSource.addEventListener('open', () => {
    $('live').className = 'live on';
    $('live-text').textContent = 'Live';
  });
  liveSource.addEventListener('error', () => {
    $('live').className = 'live';
    $('live-text').textContent = 'Reconnecting…';
  });
  liveSource.addEventListener('request', (e) =>
    addRequest(JSON.parse((e as MessageEvent<string>).data) as RequestSummary),
  );
  liveSource.addEventListener('delivery', () => {
    clearTimeout(deliveryReload);
    deliveryReload = setTimeout(loadDeliveries, 300);
  });
}

async function clockAction(path: string, body?: unknown): Promise<void> {
  try {
    await api('POST', path, body);
  } catch (err) {
    notice(`Clock: ${messageOf(err)}`);
  }
  loadClock();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = fieldValue('token').trim();
  if (!token) return;
  const res = await fetch('/admin/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { authorization: `Bearer ${token}` },
  });
  $<HTMLInputElement>('token').value = '';
  if (res.status === 204) showApp();
  else showLogin('The admin token was not accepted.');
});

$('sign-out').addEventListener('click', async () => {
  await fetch('/admin/session', { method: 'DELETE', credentials: 'same-origin' });
  liveSource?.close();
  liveSource = undefined;
  showLogin('');
});

$('faults-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const partner = fieldValue('fa-partner').trim();
  const message = $('faults-message');
  message.textContent = '';
  try {
    const changes = faultChanges();
    if (!partner) throw new Error('enter the partner id');
    if (Object.keys(changes).length === 0) throw new Error('set at least one field');
    const saved = await api<FaultsAnswer>('PUT', `/faults/${encodeURIComponent(partner)}`, changes);
    notice(`Faults set for ${partner}: ${saved.faults.summary}.`);
    (e.target as HTMLFormElement).reset();
  } catch (err) {
    message.textContent = messageOf(err);
  }
  loadFaults();
});

$('verify-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const message = $('verify-message');
  const button = $<HTMLButtonElement>('verify-run');
  message.textContent = '';
  let body: Record<string, string | boolean>;
  try {
    body = verifyRequest();
  } catch (err) {
    message.textContent = messageOf(err);
    return;
  }
  button.disabled = true;
  $('verify-report').replaceChildren(el('p', { class: 'note' }, 'Running the checks against the partner…'));
  try {
    renderReport((await api<VerifyAnswer>('POST', '/verify', body)).report);
  } catch (err) {
    $('verify-report').replaceChildren();
    if (statusOf(err) !== 401) {
      const missing = statusOf(err) === 404 && messageOf(err) === 'Not Found';
      message.textContent = missing
        ? 'The conformance kit is not available on this platform.'
        : messageOf(err);
    }
  } finally {
    button.disabled = false;
  }
});

$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  loadDeliveries();
});
$('r-filters').addEventListener('submit', (e) => {
  e.preventDefault();
  loadRequests();
});
$('t-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const v = fieldValue('t-object').trim();
  if (v) showTimeline(v);
});
for (const b of document.querySelectorAll('[data-advance]')) {
  b.addEventListener('click', () =>
    clockAction('/clock/advance', { duration: b.getAttribute('data-advance') }),
  );
}
$('clock-reset').addEventListener('click', () => clockAction('/clock/reset'));
setInterval(() => {
  if (!$('app').hidden) loadClock();
}, 15000);

// Signed in already in this browser (the cookie is HttpOnly: ask the API).
fetch('/admin/session', { credentials: 'same-origin' })
  .then((res) => res.json())
  .then(
    (body: { signedIn?: boolean }) => (body.signedIn ? showApp() : showLogin('')),
    () => showLogin('The platform cannot be reached.'),
  );
