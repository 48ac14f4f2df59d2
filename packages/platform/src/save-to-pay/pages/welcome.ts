// The welcome page (PROTOCOLS.md 1.5): card art, card and partner names, logo, TnC link,
// instructions, the QR of the initiate URL (or an "open wallet" button on Android phones, which
// opens the wallet in a new browsing context as the real page opens the app: the wallet refuses
// to be framed, and this page usually lives in s2p.js's modal iframe),
// email/phone unless hidden, and a live status the page script polls.
import { html, type Markup, page } from '../../core/html.ts';
import type { RegistrationRow } from '../store.ts';
import type { WelcomeState } from '../welcome.ts';

export interface WelcomePageView {
  registration: RegistrationRow;
  state: WelcomeState;
  token: string;
  initiateUrl: string;
  qrDataUrl: string;
  android: boolean;
  errorCode?: string;
}

const stateText: Record<WelcomeState, string> = {
  waiting: 'Waiting for your wallet to scan the code…',
  linked: 'Your wallet is connected. Adding the card…',
  provisioned: 'Done: the card is in your Samsung Wallet.',
  failed: 'The card could not be added.',
  expired: 'This link has expired.',
};

const head = html`<link rel="stylesheet" href="/s2p/v1/assets/s2p.css"><script src="/s2p/v1/assets/welcome.js" defer></script>`;

function masked(value: string, kind: 'email' | 'phone'): string {
  if (kind === 'phone') return value.length > 4 ? `${'•'.repeat(value.length - 4)}${value.slice(-4)}` : value;
  const [user = '', domain = ''] = value.split('@');
  return `${user.slice(0, 2)}${'•'.repeat(Math.max(1, user.length - 2))}@${domain}`;
}

function contact(reg: RegistrationRow): Markup {
  const { email, phone, hideEmail, hidePhone } = reg.request;
  const rows: Markup[] = [];
  if (email && hideEmail !== true)
    rows.push(
      html`<label class="s2p-field">Email<input type="email" readonly value="${masked(email, 'email')}" data-testid="s2p-email"></label>`,
    );
  if (phone && hidePhone !== true)
    rows.push(
      html`<label class="s2p-field">Phone<input type="tel" readonly value="${masked(phone, 'phone')}" data-testid="s2p-phone"></label>`,
    );
  return rows.length
    ? html`<div class="s2p-contact"><p class="s2p-muted">Use the Samsung account registered with:</p>${rows}</div>`
    : html``;
}

export function welcomePage(v: WelcomePageView): string {
  const { custom } = v.registration.request;
  const callback = v.registration.request.welcomeCallbackUrl ?? '';
  const scanBlock = v.android
    ? html`<a class="button primary block" href="${v.initiateUrl}" target="_blank" rel="noopener" data-testid="s2p-open-wallet">Open Samsung Wallet</a>`
    : html`<figure class="s2p-qr"><img data-s2p-qr data-testid="s2p-qr" src="${v.qrDataUrl}" width="240" height="240" alt="QR code to scan with Samsung Wallet"><figcaption>Scan with Samsung Wallet</figcaption></figure>`;
  const body = html`<main class="s2p-welcome" data-s2p-state="${v.state}" data-s2p-token="${v.token}" data-s2p-callback="${callback}" ${v.errorCode ? html`data-s2p-error="${v.errorCode}"` : ''}>
    <header class="s2p-partner">
      <img class="s2p-logo" src="${custom.partnerLogoUrl}" alt="" width="40" height="40">
      <span data-testid="s2p-partner-name">${custom.partnerName}</span>
      <button type="button" class="s2p-close" data-s2p-cancel aria-label="Close">×</button>
    </header>
    <section class="s2p-card">
      <img class="s2p-card-art" src="${custom.cardArtUrl}" alt="" width="280" height="176">
      <h1 data-testid="s2p-card-name">${custom.cardName}</h1>
      <p class="s2p-muted">Add this card to Samsung Wallet (Samsung Pay).</p>
    </section>
    <section class="s2p-scan" data-s2p-when="waiting">
      ${scanBlock}
      <ol class="s2p-steps">
        ${
          v.android
            ? html`<li>Tap <strong>Open Samsung Wallet</strong>.</li>`
            : html`<li>Open Samsung Wallet on your phone and tap <strong>Scan</strong>.</li><li>Point the camera at this code.</li>`
        }
        <li>Follow the steps in the wallet. This page updates by itself.</li>
      </ol>
      <p class="s2p-muted">No Samsung Wallet yet? Install it, sign in with your Samsung account, then scan.</p>
      ${contact(v.registration)}
    </section>
    <p class="s2p-status notice" role="status" aria-live="polite" data-testid="s2p-status">${stateText[v.state]}</p>
    <footer class="s2p-footer">
      ${custom.partnerTncUrl ? html`<a href="${custom.partnerTncUrl}" target="_blank" rel="noopener" data-testid="s2p-tnc">Terms and conditions</a>` : ''}
      <span class="s2p-muted">Cardport sandbox</span>
    </footer>
  </main>`;
  return page({ title: `Add ${custom.cardName} to Samsung Wallet`, head, body });
}

/** A token that is not ours (or a registration that does not exist): a clear page, 404. */
export function unknownWelcomePage(): string {
  return page({
    title: 'Link not valid',
    head,
    body: html`<main class="s2p-welcome" data-s2p-state="invalid"><section class="s2p-card"><h1>This link is not valid</h1><p class="s2p-muted">Ask the bank for a new link to add your card to Samsung Wallet.</p></section></main>`,
  });
}

/** What a browser that is not the wallet shows for the QR's initiate URL. */
export function initiateInfoPage(walletScanUrl: string): string {
  return page({
    title: 'Open with Samsung Wallet',
    head,
    body: html`<main class="s2p-welcome"><section class="s2p-card"><h1>Open this with Samsung Wallet</h1><p class="s2p-muted">This code adds a card to Samsung Wallet. In the Cardport sandbox, the virtual wallet opens it.</p><a class="button primary block" href="${walletScanUrl}">Open the virtual wallet</a></section></main>`,
  });
}
