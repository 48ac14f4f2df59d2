// The wallet's Payments tab (inside the phone frame): payment requests from Web Checkout, the
// cards that can pay, "add a test card", and the history with the partner's payment results.
import { html, type Markup } from '../../core/html.ts';
import { brandNames, magicPans, type TspToken, testPans } from '../../tsp/index.ts';
import { csrfInput } from '../../wallet/extensions.ts';
import type { PaymentRequest } from '../approval.ts';

const brands = ['VI', 'MC', 'AX', 'DS'] as const;

function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

function message(kind: 'error' | 'success' | 'info', text: string | undefined): Markup | '' {
  return text
    ? html`<div class="notice notice-${kind}" role="${kind === 'error' ? 'alert' : 'status'}" data-testid="payments-${kind}">${text}</div>`
    : '';
}

function cardLabel(t: TspToken): string {
  return `${brandNames[t.brand]} •••• ${t.fundingLast4 ?? t.tokenPanLast4}`;
}

function statusBadge(r: PaymentRequest): Markup {
  const label = r.expired ? 'EXPIRED' : r.status;
  return html`<span class="badge badge-${label.toLowerCase()}" data-testid="payment-status">${label}</span>`;
}

function requestRow(r: PaymentRequest): Markup {
  return html`<li class="wallet-card payment-row state-${r.status.toLowerCase()}" data-transaction-id="${r.transactionId}">
    <div class="wallet-card-body">
      <span class="wallet-card-kind">${time(r.createdAt)} · order ${r.orderNumber}</span>
      <strong class="wallet-card-title">${r.merchantName}</strong>
      <span class="wallet-card-subtitle">${r.amountTotal} ${r.currency}${r.cardLast4 ? ` · ${r.cardBrand ?? ''} •••• ${r.cardLast4}` : ''}</span>
      ${r.paymentStatus ? html`<span class="wallet-card-subtitle" data-testid="payment-result">Payment: <strong>${r.paymentStatus}</strong></span>` : ''}
    </div>
    ${
      r.status === 'PENDING' && !r.expired
        ? html`<a class="button primary small" href="/wallet/payments/${r.transactionId}" data-testid="payment-open">Review</a>`
        : statusBadge(r)
    }
  </li>`;
}

export function paymentsBody(opts: {
  requests: PaymentRequest[];
  cards: TspToken[];
  error?: string | undefined;
  success?: string | undefined;
  /** The session's CSRF token, carried by every form (wallet/csrf.ts). */
  csrfToken: string;
}): Markup {
  const pending = opts.requests.filter((r) => r.status === 'PENDING' && !r.expired);
  const history = opts.requests.filter((r) => !(r.status === 'PENDING' && !r.expired));
  return html`<div class="wallet-section">
    ${message('error', opts.error)}${message('success', opts.success)}
    <h1 class="wallet-title">Payments</h1>
    <h2>Requests</h2>
    ${
      pending.length
        ? html`<ul class="wallet-cards" data-testid="payment-requests">${pending.map(requestRow)}</ul>`
        : html`<p class="muted" data-testid="payment-requests-empty">No payment request waiting. Pay with Samsung Pay on a shop's page and enter this account's email.</p>`
    }
    <h2>Payment cards on this device</h2>
    ${
      opts.cards.length
        ? html`<ul class="wallet-cards" data-testid="payment-cards">${opts.cards.map(
            (t) => html`<li class="wallet-card state-${t.status.toLowerCase()}">
              <div class="wallet-card-body">
                <span class="wallet-card-kind">${t.source === 'TEST_CARD' ? 'Sandbox test card' : 'Payment card'}</span>
                <strong class="wallet-card-title">${cardLabel(t)}</strong>
                <span class="wallet-card-subtitle">token •••• ${t.tokenPanLast4} · expires ${String(t.tokenExpMonth).padStart(2, '0')}/${t.tokenExpYear}</span>
              </div>
              <span class="badge badge-${t.status.toLowerCase()}">${t.status}</span>
            </li>`,
          )}</ul>`
        : html`<p class="muted" data-testid="payment-cards-empty">No payment card on this device yet.</p>`
    }
    <h2>Add a test card</h2>
    <form method="post" action="/wallet/payments/test-cards" class="stack" data-testid="add-test-card">
      ${csrfInput(opts.csrfToken)}
      <label>Card
        <select name="card" data-testid="test-card-select">
          ${brands.map(
            (b) => html`<optgroup label="${brandNames[b]}">
              <option value="${b}">${brandNames[b]}: next free test card</option>
              ${testPans[b].map((pan) => html`<option value="${b}:${pan}">${brandNames[b]} ${pan}</option>`)}
              <option value="${b}:${magicPans[b].INSUFFICIENT_FUNDS}">${brandNames[b]} ${magicPans[b].INSUFFICIENT_FUNDS} (payments declined: insufficient funds)</option>
              <option value="${b}:${magicPans[b].PAYMENT_DECLINED}">${brandNames[b]} ${magicPans[b].PAYMENT_DECLINED} (payments declined: do not honor)</option>
            </optgroup>`,
          )}
        </select>
      </label>
      <button type="submit" class="button" data-testid="add-test-card-submit">Add test card</button>
    </form>
    <h2>History</h2>
    ${
      history.length
        ? html`<ul class="wallet-cards" data-testid="payment-history">${history.map(requestRow)}</ul>`
        : html`<p class="muted">No payments yet.</p>`
    }
  </div>`;
}

export function requestBody(opts: {
  request: PaymentRequest & {
    notifications: { status: string; provider: string | null; receivedAt: number }[];
  };
  cards: TspToken[];
  eligible: TspToken[];
  error?: string | undefined;
  /** The session's CSRF token, carried by every form (wallet/csrf.ts). */
  csrfToken: string;
}): Markup {
  const r = opts.request;
  const eligibleRefs = new Set(opts.eligible.map((c) => c.tokenRef));
  const open = r.status === 'PENDING' && !r.expired;
  return html`<div class="wallet-section">
    ${message('error', opts.error)}
    <p><a href="/wallet/payments">← Payments</a></p>
    <h1 class="wallet-title">Payment request</h1>
    <dl class="facts">
      <dt>Merchant</dt><dd data-testid="request-merchant">${r.merchantName}${r.merchantUrl ? html` <span class="muted">${r.merchantUrl}</span>` : ''}</dd>
      <dt>Amount</dt><dd data-testid="request-amount">${r.amountTotal} ${r.currency}</dd>
      <dt>Order</dt><dd>${r.orderNumber}</dd>
      <dt>Accepted</dt><dd>${r.allowedBrands.map((b) => brandNames[b as 'VI'] ?? b).join(', ')}</dd>
      <dt>Status</dt><dd>${statusBadge(r)}</dd>
    </dl>
    ${
      open
        ? html`<form method="post" action="/wallet/payments/${r.transactionId}/approve" class="stack">
            ${csrfInput(opts.csrfToken)}
            <fieldset class="stack payment-choice">
              <legend>Pay with</legend>
              ${
                opts.cards.length
                  ? opts.cards.map((c, i) => {
                      const ok = eligibleRefs.has(c.tokenRef);
                      const first = ok && opts.eligible[0]?.tokenRef === c.tokenRef;
                      return html`<label class="card-choice${ok ? '' : ' muted'}">
                        <input type="radio" name="tokenRef" value="${c.tokenRef}" ${ok ? '' : html`disabled`} ${first ? html`checked` : ''} data-testid="card-choice-${i}">
                        ${cardLabel(c)} ${ok ? '' : html`<span class="muted">(${c.status !== 'ACTIVE' ? c.status.toLowerCase() : 'brand not accepted'})</span>`}
                      </label>`;
                    })
                  : html`<p class="muted" data-testid="no-cards">No card on this device: <a href="/wallet/payments">add a test card</a> first.</p>`
              }
            </fieldset>
            <button type="submit" class="button primary block" data-testid="approve" ${opts.eligible.length ? '' : html`disabled`}>Approve ${r.amountTotal} ${r.currency}</button>
          </form>
          <form method="post" action="/wallet/payments/${r.transactionId}/decline" class="payment-answer">
            ${csrfInput(opts.csrfToken)}
            <button type="submit" class="button danger block" data-testid="decline">Decline</button>
          </form>`
        : ''
    }
    ${
      r.notifications.length
        ? html`<h2>Payment results</h2><ul data-testid="request-notifications">${r.notifications.map(
            (n) =>
              html`<li><strong>${n.status}</strong>${n.provider ? ` · ${n.provider}` : ''} · ${time(n.receivedAt)}</li>`,
          )}</ul>`
        : ''
    }
  </div>`;
}

/** After the answer: "verified"; on the mobile flow the browser goes back to the shop. */
export function answeredBody(opts: {
  approved: boolean;
  redirectUrl: string | null;
  mobile: boolean;
}): Markup {
  return html`<div class="wallet-section" data-testid="${opts.approved ? 'wallet-verified' : 'wallet-declined'}">
    <h1 class="wallet-title">${opts.approved ? 'Payment approved' : 'Payment declined'}</h1>
    <p>${
      opts.approved
        ? opts.mobile
          ? 'Payment approved. Returning to the shop…'
          : 'Payment approved. The checkout page continues on its own.'
        : 'You declined the payment.'
    }</p>
    ${opts.mobile && opts.redirectUrl ? html`<a class="button primary block" href="${opts.redirectUrl}" data-testid="wallet-return">Return to the shop</a>` : ''}
    <p><a href="/wallet/payments">Payments</a></p>
  </div>`;
}
