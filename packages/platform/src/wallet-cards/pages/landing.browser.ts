// The Add to Wallet landing page (PROTOCOLS.md 2.1). The token lives in the fragment, which the
// browser never sends: this script reads it and posts the link to the platform for checking, then
// shows the preview (markup rendered by the platform, the same as the wallet's) or the reason
// the platform refused the link. Bundled by esbuild (core/bundles.ts servePageScript) and served as
// /atw/assets/landing.js; pass colours come from pass.browser.ts, loaded before it.

/** A field named with the reason it was refused or flagged. */
interface Issue {
  field: string;
  reason: string;
}

/** The platform's refusal: `{error: {code, reason?, message, details?}}`. */
interface LinkRefusal {
  code?: string;
  reason?: string;
  message?: string;
  details?: Issue[];
}

/** What POST /atw/api/links/check answers for a link it accepts (the fields shown here). */
interface CheckedOffer {
  cardId: string;
  partner: { name: string };
  previewHtml: string;
  warnings?: Issue[];
  addUrl: string;
  addQr: string;
}

function el(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  // No destructuring in for-of: esbuild cannot lower it for the oldest browsers served.
  for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k] ?? '');
  if (text !== undefined) e.textContent = text;
  return e;
}

function issueList(issues: readonly Issue[]): HTMLElement {
  const ul = el('ul');
  for (const d of issues) {
    const li = el('li');
    li.appendChild(el('code', {}, d.field));
    li.appendChild(document.createTextNode(`: ${d.reason}`));
    ul.appendChild(li);
  }
  return ul;
}

function start(root: HTMLElement): void {
  const status = root.querySelector('[data-role=status]');
  const result = root.querySelector('[data-role=result]');
  if (!status || !result) return;

  function showError(error: LinkRefusal): void {
    if (!status || !result) return;
    status.textContent = 'This card cannot be added.';
    const box = el('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'atw-error' });
    const reason = el('p');
    reason.appendChild(
      el('code', { 'data-testid': 'atw-error-reason' }, error.reason || error.code || 'ERROR'),
    );
    box.appendChild(reason);
    box.appendChild(
      el('p', { 'data-testid': 'atw-error-message' }, error.message || 'This link cannot be added.'),
    );
    if (error.details?.length) box.appendChild(issueList(error.details));
    result.appendChild(box);
  }

  function showOffer(offer: CheckedOffer): void {
    if (!status || !result) return;
    status.textContent = '';
    result.appendChild(
      el('p', { class: 'atw-partner muted' }, `From ${offer.partner.name} · card ${offer.cardId}`),
    );
    const preview = el('div', { class: 'atw-preview stack', 'data-testid': 'atw-preview' });
    // Markup rendered and escaped by the platform (pages/pass.ts).
    preview.innerHTML = offer.previewHtml;
    result.appendChild(preview);
    if (offer.warnings?.length) {
      const warn = el('div', { class: 'notice notice-info', role: 'status' });
      warn.appendChild(el('p', {}, 'The card works, but misses attributes its type should have:'));
      warn.appendChild(issueList(offer.warnings));
      result.appendChild(warn);
    }
    const actions = el('div', { class: 'atw-actions' });
    actions.appendChild(
      el('a', { class: 'button primary', href: offer.addUrl, 'data-testid': 'atw-add' }, 'Add to wallet'),
    );
    result.appendChild(actions);
    const qr = el('figure', { class: 'atw-qr' });
    qr.appendChild(el('img', { src: offer.addQr, alt: 'QR code: open this card in the wallet app' }));
    qr.appendChild(el('figcaption', { class: 'muted' }, 'Or scan it with the wallet app on your phone.'));
    result.appendChild(qr);
    window.cardportApplyPassColors?.(result);
  }

  const link = location.pathname + location.hash;
  fetch('/atw/api/links/check', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ link, languages: navigator.languages || [navigator.language] }),
  })
    .then((res) =>
      res.json().then((body: { error?: LinkRefusal } & Partial<CheckedOffer>) => {
        if (res.ok) showOffer(body as CheckedOffer);
        else showError(body.error || { message: `HTTP ${res.status}` });
      }),
    )
    .catch(() => showError({ reason: 'NETWORK', message: 'Could not reach Cardport. Try again.' }));
}

const root = document.getElementById('atw-landing');
if (root) start(root);

export {};
