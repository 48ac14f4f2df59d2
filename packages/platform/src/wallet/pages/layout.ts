// The phone frame every wallet page renders in: a status bar, the page, and (signed in) the
// header with the account and device switcher and the tab bar.
import { html, type Markup, page } from '../../core/html.ts';
import { csrfInput } from '../csrf.ts';
import type { WalletAccount, WalletDevice } from '../schemas.ts';
import type { WalletTabSpec } from '../shell.ts';

/** The shell's own tabs; flows add theirs through shell.ts (any string id). */
export type WalletTab = 'cards' | 'devices' | 'account' | (string & {});

export interface SignedInView {
  account: WalletAccount;
  device: WalletDevice;
  devices: WalletDevice[];
  /** The path the device switcher returns to. */
  path: string;
  /** The session's CSRF token (csrf.ts): in every form and in `<meta name="cardport-csrf">`. */
  csrfToken: string;
  /** The tabs the flows added (shell.ts), besides Wallet, Devices and Account. */
  extraTabs: readonly WalletTabSpec[];
}

/** `09:41` on the sandbox clock, shown in the status bar (it moves when the sandbox clock does). */
export function statusTime(now: number): string {
  return new Date(now).toISOString().slice(11, 16);
}

/** `2026-01-01 09:41 UTC` */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function statusBar(now: number): Markup {
  return html`<div class="phone-status" aria-hidden="true">
    <span class="phone-time" title="sandbox clock (UTC)">${statusTime(now)}</span>
    <span class="phone-notch"></span>
    <span class="phone-signal">5G <span class="phone-battery"></span></span>
  </div>`;
}

function deviceSwitcher(view: SignedInView): Markup {
  return html`<form class="device-switcher" method="post" action="/wallet/app/devices/select" data-autosubmit>
    <input type="hidden" name="returnTo" value="${view.path}">
    ${csrfInput(view.csrfToken)}
    <label class="visually-hidden" for="device-switcher">Device</label>
    <select id="device-switcher" name="deviceId">
      ${view.devices.map(
        (d) =>
          html`<option value="${d.deviceId}" ${d.deviceId === view.device.deviceId ? html`selected` : ''}>${d.name} · ${d.deviceId.slice(-4)}</option>`,
      )}
    </select>
    <button type="submit" class="button small" data-js-hide>Switch</button>
  </form>`;
}

function header(view: SignedInView): Markup {
  const initial = view.account.email.slice(0, 1).toUpperCase();
  return html`<header class="wallet-header">
    <a class="avatar" href="/wallet/app/account" title="Account">${initial}</a>
    <div class="wallet-header-text">
      <span class="wallet-header-email" data-testid="account-email">${view.account.email}</span>
      ${deviceSwitcher(view)}
    </div>
  </header>`;
}

const icon = (paths: Markup) =>
  html`<svg class="wallet-tab-icon" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;

const icons: Record<'cards' | 'devices' | 'account', Markup> = {
  cards: icon(html`<rect x="3" y="6" width="18" height="13" rx="2.5"/><path d="M3 10.5h18M7 15h3"/>`),
  devices: icon(html`<rect x="7" y="2.5" width="10" height="19" rx="2.5"/><path d="M11 18.5h2"/>`),
  account: icon(
    html`<circle cx="12" cy="8.5" r="3.8"/><path d="M4.5 20c1.2-3.6 4.2-5.5 7.5-5.5s6.3 1.9 7.5 5.5"/>`,
  ),
};

function tabs(active: WalletTab, extraTabs: readonly WalletTabSpec[]): Markup {
  const all = [
    { id: 'cards', href: '/wallet/app', label: 'Wallet', icon: icons.cards, order: 10 },
    ...extraTabs,
    { id: 'devices', href: '/wallet/app/devices', label: 'Devices', icon: icons.devices, order: 80 },
    { id: 'account', href: '/wallet/app/account', label: 'Account', icon: icons.account, order: 90 },
  ].sort((a, b) => a.order - b.order);
  return html`<nav class="wallet-tabs" aria-label="Wallet">
    ${all.map(
      (t) =>
        html`<a href="${t.href}" class="wallet-tab${active === t.id ? ' active' : ''}" ${active === t.id ? html`aria-current="page"` : ''}>${t.icon}${t.label}</a>`,
    )}
  </nav>`;
}

export interface WalletPageOptions {
  title: string;
  now: number;
  body: Markup;
  head?: Markup;
  /** Signed-in pages get the header and the tab bar. */
  signedIn?: SignedInView & { tab: WalletTab };
}

export function walletPage({ title, now, body, head, signedIn }: WalletPageOptions): string {
  return page({
    title: `${title} · Cardport wallet`,
    head: html`${signedIn ? html`<meta name="cardport-csrf" content="${signedIn.csrfToken}">` : ''}<script src="/wallet/assets/wallet.js" defer></script>${head}`,
    body: html`<div class="phone-stage">
      <div class="phone">
        ${statusBar(now)}
        ${signedIn ? header(signedIn) : ''}
        <main class="wallet-main">${body}</main>
        ${signedIn ? tabs(signedIn.tab, signedIn.extraTabs) : ''}
      </div>
      <p class="phone-caption">Cardport virtual wallet: a sandbox phone for testing wallet flows. <a href="/">Cardport home</a> · <a href="/docs">Docs</a></p>
    </div>`,
  });
}

/** A notice or error box; `details` lists field reasons. */
export function notice(
  kind: 'error' | 'info' | 'success',
  message: string,
  details: { field: string; reason: string }[] = [],
): Markup {
  return html`<div class="notice notice-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">
    <p>${message}</p>
    ${details.length ? html`<ul>${details.map((d) => html`<li><code>${d.field}</code>: ${d.reason}</li>`)}</ul>` : ''}
  </div>`;
}
