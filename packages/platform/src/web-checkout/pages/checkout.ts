// The checkout UI the JS SDK opens (PROTOCOLS.md 4.3): merchant and amount, the account entry
// (or a QR for the wallet), the wait for the wallet's answer, "verified" and the way back.
// Server-rendered in the language of `countryCode`; checkout.browser.ts only polls and reloads.
import { type CheckoutCountryCode, toCheckoutCountryCode } from '@cardport/protocol';
import { html, type Markup } from '../../core/html.ts';
import type { CheckoutView } from '../checkout-session.ts';
import { type CheckoutStrings, checkoutLocale } from './translations.ts';

function frame(opts: {
  title: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  body: Markup;
  head?: Markup;
}): string {
  return `<!doctype html>${html`<html lang="${opts.lang}" dir="${opts.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${opts.title}</title><link rel="stylesheet" href="/assets/cardport.css"><link rel="stylesheet" href="/gsmpi/assets/checkout.css">${opts.head ?? ''}</head><body class="checkout"><main class="checkout-card">${opts.body}</main><p class="checkout-caption">Cardport sandbox · Samsung Pay Web Checkout</p></body></html>`}`;
}

function country(code: string | null): CheckoutCountryCode | undefined {
  return code ? toCheckoutCountryCode(code) : undefined;
}

function header(s: CheckoutStrings, view: CheckoutView): Markup {
  return html`<header class="checkout-head">
    <span class="checkout-logo" aria-hidden="true">S</span>
    <h1>${s.title}</h1>
  </header>
  <dl class="checkout-facts">
    <dt>${s.merchant}</dt><dd data-testid="checkout-merchant">${view.merchantName}</dd>
    <dt>${s.amount}</dt><dd data-testid="checkout-amount">${view.amountTotal} ${view.currency}</dd>
  </dl>`;
}

export async function checkoutPage(opts: {
  view: CheckoutView;
  token: string;
  publicUrl: string;
  /** A message key of the strings (`noAccount`) or a message. */
  error?: string;
  email?: string;
}): Promise<string> {
  const { view, token } = opts;
  const locale = checkoutLocale(country(view.countryCode));
  const s = locale.strings;
  const base = `/gsmpi/checkout/${encodeURIComponent(token)}`;
  const cancel = html`<form method="post" action="${base}/cancel"><button type="submit" class="button block" data-testid="checkout-cancel">${s.cancel}</button></form>`;
  let body: Markup;
  let head: Markup | undefined;
  if (view.status === 'APPROVED' && view.redirectUrl) {
    head = html`<meta http-equiv="refresh" content="1;url=${view.redirectUrl}">`;
    body = html`<div class="checkout-done" data-testid="checkout-verified">
      <span class="checkout-check" aria-hidden="true">✓</span>
      <h2>${s.verified}</h2>
      <p class="muted">${s.redirecting}</p>
      <a class="button primary block" href="${view.redirectUrl}" data-testid="checkout-continue">OK</a>
    </div>`;
  } else if ((view.status === 'DECLINED' || view.status === 'CANCELED') && view.redirectUrl) {
    head = html`<meta http-equiv="refresh" content="2;url=${view.redirectUrl}">`;
    body = html`<div class="checkout-done" data-testid="checkout-declined">
      <h2>${view.status === 'DECLINED' ? s.declined : s.canceled}</h2>
      <p class="muted">${s.redirecting}</p>
      <a class="button block" href="${view.redirectUrl}">OK</a>
    </div>`;
  } else if (view.expired) {
    body = html`<div class="notice notice-error" role="alert" data-testid="checkout-expired">${s.failed}: expired</div>`;
  } else if (view.status === 'PENDING') {
    body = html`<div class="checkout-wait" data-testid="checkout-waiting">
      <div class="checkout-spinner" aria-hidden="true"></div>
      <p>${s.waiting}</p>
      <p class="muted" data-testid="checkout-account">${view.account ?? ''}</p>
      ${cancel}
    </div>`;
  } else {
    const claimUrl = `${opts.publicUrl}/wallet/payments/checkout/${encodeURIComponent(token)}`;
    // The encoder loads on the first QR drawn, not at the platform's start.
    const { default: QRCode } = await import('qrcode');
    const qr = await QRCode.toDataURL(claimUrl, { errorCorrectionLevel: 'M', margin: 1, scale: 4 });
    const message = opts.error ? (opts.error === 'noAccount' ? s.noAccount : opts.error) : undefined;
    body = html`${message ? html`<div class="notice notice-error" role="alert" data-testid="checkout-error">${message}</div>` : ''}
      <form method="post" action="${base}/account" class="stack">
        <label>${s.accountLabel}
          <input type="email" name="email" required autocomplete="email" value="${opts.email ?? ''}" data-testid="checkout-email">
        </label>
        <button type="submit" class="button primary block" data-testid="checkout-send">${s.send}</button>
      </form>
      <div class="checkout-qr">
        <p class="muted">${s.scan}</p>
        <img src="${qr}" alt="QR" width="140" height="140" data-testid="checkout-qr" data-claim-url="${claimUrl}">
      </div>
      ${cancel}`;
  }
  return frame({
    title: s.title,
    lang: locale.htmlLang,
    dir: locale.dir,
    head: html`${head ?? ''}<script src="/gsmpi/assets/checkout.js" defer></script>`,
    body: html`<div data-checkout-status="${view.status}" data-status-url="/gsmpi/api/checkout/${encodeURIComponent(token)}">${header(s, view)}${body}</div>`,
  });
}

export function checkoutErrorPage(opts: {
  countryCode: string | null;
  message: string;
  code: string;
}): string {
  const locale = checkoutLocale(country(opts.countryCode));
  return frame({
    title: locale.strings.failed,
    lang: locale.htmlLang,
    dir: locale.dir,
    body: html`<h1 class="checkout-failed">${locale.strings.failed}</h1>
      <div class="notice notice-error" role="alert" data-testid="checkout-failure" data-code="${opts.code}">${opts.message}</div>`,
  });
}
