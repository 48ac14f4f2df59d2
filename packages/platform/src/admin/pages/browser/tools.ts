// The dashboard's tools: fault injection (the same as `cardport faults`) and the conformance kit
// (the same as `cardport verify`).
import type { ClearedFaultsAnswer, FaultsListAnswer, VerifyAnswer } from '../../answers.ts';
import { api, failureNote, messageOf } from './api.ts';
import { $, el, fieldValue, partnerCell, table, target, time } from './dom.ts';
import { notice } from './panels.ts';

export async function loadFaults(): Promise<void> {
  const out = $('faults');
  try {
    const data = await api<FaultsListAnswer>('GET', '/faults');
    if (!data.faults.length) {
      out.replaceChildren(
        el('p', { class: 'note', id: 'no-faults' }, 'No faults set: the platform behaves for every partner.'),
      );
      return;
    }
    const rows = data.faults.map((f) => {
      const clear = async (e: Event) => {
        const button = target(e);
        button.disabled = true;
        try {
          await api<ClearedFaultsAnswer>('DELETE', `/faults/${encodeURIComponent(f.partnerId)}`);
          notice(`Faults cleared for ${f.partnerId}.`);
        } catch (err) {
          button.disabled = false;
          notice(`Clear failed: ${messageOf(err)}`);
        }
        loadFaults();
      };
      return el(
        'tr',
        { 'data-fault': f.partnerId },
        partnerCell(f.partnerId),
        el('td', {}, el('code', { class: 'wrap' }, f.summary)),
        el('td', {}, String(f.inboundInjected)),
        el('td', {}, time(f.updatedAt)),
        el(
          'td',
          {},
          el(
            'button',
            { type: 'button', class: 'button small', 'data-clear-fault': f.partnerId, onclick: clear },
            'Clear',
          ),
        ),
      );
    });
    out.replaceChildren(table(['Partner', 'Faults', 'Inbound injected', 'Updated', ''], rows));
  } catch (err) {
    const note = failureNote(err, 'Faults', 'Fault injection is not available on this platform.');
    if (note) out.replaceChildren(el('p', { class: 'note' }, note));
  }
}

/** The same fields as `cardport faults set`; empty fields keep what is set. */
export function faultChanges(): Record<string, number | string | null> {
  const changes: Record<string, number | string | null> = {};
  const int = (id: string, key: string, scale = 1) => {
    const v = fieldValue(id).trim();
    if (v === '') return;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${$<HTMLInputElement>(id).name} must be a number`);
    changes[key] = Math.round(n * scale);
  };
  int('fa-duplicates', 'duplicates');
  int('fa-delay', 'delayMs', 1000);
  int('fa-reorder', 'reorderWindowMs', 1000);
  int('fa-fail-first', 'failFirst');
  const inbound = fieldValue('fa-inbound');
  if (inbound === 'none') changes['inboundError'] = null;
  else if (inbound) changes['inboundError'] = inbound;
  const rate = fieldValue('fa-rate').trim();
  if (rate !== '') {
    const n = Number(rate);
    if (!Number.isFinite(n)) throw new Error('rate must be a number from 0 to 1');
    changes['inboundRate'] = n;
  }
  int('fa-retry-after', 'retryAfterSeconds');
  return changes;
}

/** POST /admin/v1/verify's body from the form. */
export function verifyRequest(): Record<string, string | boolean> {
  const product = fieldValue('v-product');
  const partnerId = fieldValue('v-partner').trim();
  if (!partnerId) throw new Error('enter the partner id');
  const body: Record<string, string | boolean> = {
    product,
    partnerId,
    faults: $<HTMLInputElement>('v-faults').checked,
  };
  const object = fieldValue('v-object').trim();
  if (object) {
    if (product === 'save-to-pay') body['regId'] = object;
    else if (product === 'add-to-wallet') body['refId'] = object;
    else body['serviceId'] = object;
  }
  return body;
}

/** The conformance kit's report (POST /admin/v1/verify). */
export type Report = VerifyAnswer['report'];

export function renderReport(report: Report): void {
  const s = report.summary;
  const checks = el(
    'ul',
    { class: 'checks', 'data-testid': 'verify-checks' },
    ...report.checks.map((c) =>
      el(
        'li',
        { 'data-check': c.id, 'data-status': c.status },
        el('span', { class: `check-status c-${c.status}` }, c.status),
        ' ',
        el('strong', {}, c.title),
        ' ',
        el('code', { class: 'wrap' }, c.id),
        el('div', {}, c.finding),
        el(
          'details',
          {},
          el('summary', {}, 'Evidence'),
          el('div', { class: 'note' }, 'Request sent'),
          el('pre', {}, c.evidence.request),
          el('div', { class: 'note' }, 'Answer'),
          el('pre', {}, c.evidence.answer),
          el('div', { class: 'note' }, 'What the documents require'),
          el('pre', {}, c.evidence.required),
          c.evidence.deliveryId
            ? el('div', { class: 'note' }, 'Delivery ', el('code', {}, c.evidence.deliveryId))
            : '',
        ),
      ),
    ),
  );
  const title = `${report.product}${report.faults ? ' (faults)' : ''} for ${report.partnerId}`;
  $('verify-report').replaceChildren(
    el(
      'p',
      { class: `status ${report.ok ? 's-ok' : 's-bad'}`, 'data-testid': 'verify-summary' },
      `${title}: ${s.pass} passed, ${s.fail} failed, ${s.warn} warned`,
    ),
    checks,
  );
}
