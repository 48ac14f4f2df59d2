// The virtual wallet's Save to Pay pages: the Scan tab (camera, image upload, pasted link) and
// the Mailbox tab (the sandbox's "emails and texts" of registrations allowing offline contact).
import { html, type Markup } from '../../core/html.ts';
import type { MailboxMessage } from '../store.ts';

export const walletHead = html`<link rel="stylesheet" href="/s2p/v1/assets/s2p.css"><script src="/wallet/s2p/assets/scan.js" defer></script>`;

export function scanBody(prefill: string): Markup {
  return html`<section class="wallet-section" data-s2p-scan>
    <h1 class="wallet-title">Scan</h1>
    <p class="wallet-subtitle">Scan a code: a bank's "Add to Samsung Wallet" code adds a card, an "Add to wallet" code adds a pass, a checkout code approves a payment.</p>
    <div class="s2p-scan-inputs" data-s2p-inputs>
      <video class="s2p-video" data-s2p-video playsinline muted hidden></video>
      <p><button type="button" class="button block" data-s2p-camera>Use the camera</button></p>
      <label class="s2p-field">Or upload a picture of the code
        <input type="file" accept="image/*" data-s2p-file data-testid="s2p-file">
      </label>
      <form data-s2p-paste class="s2p-field">
        <label class="s2p-field">Or paste the link
          <input type="url" name="url" value="${prefill}" placeholder="https://…" data-testid="s2p-link">
        </label>
        <button type="submit" class="button primary block" data-testid="s2p-continue">Continue</button>
      </form>
    </div>
    <div class="s2p-result" data-s2p-result aria-live="polite" data-testid="s2p-result"></div>
  </section>`;
}

export function mailboxBody(messages: MailboxMessage[]): Markup {
  return html`<section class="wallet-section">
    <h1 class="wallet-title">Mailbox</h1>
    <p class="wallet-subtitle">Emails and text messages sent to this account's address and phone (sandbox).</p>
    ${
      messages.length
        ? html`<ul class="s2p-mail" data-testid="s2p-mailbox">${messages.map(
            (m) => html`<li data-channel="${m.channel}">
              <div class="s2p-mail-meta">${m.channel === 'email' ? 'Email' : 'SMS'} to ${m.recipient.replace(/^(mailto|tel):/, '')} · ${new Date(m.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC</div>
              <strong>${m.subject}</strong>
              <p>${m.body}</p>
              ${m.link ? html`<a class="button small" href="${m.link}">Open the link</a>` : ''}
            </li>`,
          )}</ul>`
        : html`<p class="s2p-muted">No messages yet.</p>`
    }
  </section>`;
}
