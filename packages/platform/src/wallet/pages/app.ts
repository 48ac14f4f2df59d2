// The phone's screens once signed in: the card list, the devices, the account.
import { html, type Markup } from '../../core/html.ts';
import { csrfInput } from '../csrf.ts';
import type { WalletDevice, WalletItem } from '../schemas.ts';
import type { WalletItemRenderer } from '../shell.ts';
import { formatTime, notice, type SignedInView, walletPage } from './layout.ts';

export interface AppPageContext extends SignedInView {
  now: number;
  message?: {
    kind: 'error' | 'info' | 'success';
    text: string;
    details?: { field: string; reason: string }[];
  };
}

function message(ctx: AppPageContext): Markup | '' {
  return ctx.message ? notice(ctx.message.kind, ctx.message.text, ctx.message.details) : '';
}

const kindLabels: Record<string, string> = { payment_card: 'Payment card', pass: 'Pass' };

function itemCard(item: WalletItem, renderer: (source: string) => WalletItemRenderer | undefined): Markup {
  const custom = renderer(item.source);
  if (custom) return custom(item);
  const state = item.state.toLowerCase();
  return html`<li class="wallet-card kind-${item.kind} state-${state}" data-item-id="${item.itemId}">
    ${item.imageUrl ? html`<img class="wallet-card-art" src="${item.imageUrl}" alt="" loading="lazy">` : ''}
    <div class="wallet-card-body">
      <span class="wallet-card-kind">${kindLabels[item.kind] ?? item.kind}</span>
      <strong class="wallet-card-title">${item.title}</strong>
      ${item.subtitle ? html`<span class="wallet-card-subtitle">${item.subtitle}</span>` : ''}
    </div>
    <span class="badge badge-${state}">${item.state}</span>
  </li>`;
}

/** The card list; `renderer` answers the flow's renderer of an item's source (shell.ts). */
export function cardsPage(
  ctx: AppPageContext,
  items: WalletItem[],
  renderer: (source: string) => WalletItemRenderer | undefined,
): string {
  return walletPage({
    title: 'Wallet',
    now: ctx.now,
    signedIn: { ...ctx, tab: 'cards' },
    body: html`<div class="wallet-section">
      ${message(ctx)}
      <h1 class="wallet-title">Wallet</h1>
      <p class="muted wallet-subtitle">${ctx.device.name} · wallet <code>${ctx.device.walletId}</code></p>
      ${
        items.length
          ? html`<ul class="wallet-cards" data-testid="wallet-items">${items.map((item) => itemCard(item, renderer))}</ul>`
          : html`<div class="empty-state" data-testid="wallet-empty">
              <div class="empty-card" aria-hidden="true"></div>
              <h2>No cards yet</h2>
              <p class="muted">Cards and passes added through Save to Pay or Add to Wallet show up here, on the device that added them.</p>
            </div>`
      }
    </div>`,
  });
}

function deviceRow(ctx: AppPageContext, d: WalletDevice): Markup {
  const current = d.deviceId === ctx.device.deviceId;
  return html`<li class="device${current ? ' current' : ''}" data-device-id="${d.deviceId}">
    <div class="device-head">
      <div class="device-name">
        <strong>${d.name}</strong>
        <span class="muted">${d.model}</span>
      </div>
      ${
        current
          ? html`<span class="badge badge-active">Current</span>`
          : html`<form method="post" action="/wallet/app/devices/select">
              <input type="hidden" name="deviceId" value="${d.deviceId}">
              <input type="hidden" name="returnTo" value="/wallet/app/devices">
              ${csrfInput(ctx.csrfToken)}
              <button type="submit" class="button small">Use this device</button>
            </form>`
      }
    </div>
    <dl class="facts">
      <dt>Device id</dt><dd><code data-copy>${d.deviceId}</code></dd>
      <dt>Wallet id</dt><dd><code data-copy>${d.walletId}</code></dd>
      <dt>IMEI</dt><dd>•••• ${d.imeiLast4}</dd>
      <dt>Serial</dt><dd>•••• ${d.serialLast4}</dd>
      <dt>Locale</dt><dd>${d.locale.country}</dd>
    </dl>
  </li>`;
}

export function devicesPage(ctx: AppPageContext, models: readonly { name: string; model: string }[]): string {
  return walletPage({
    title: 'Devices',
    now: ctx.now,
    signedIn: { ...ctx, tab: 'devices' },
    body: html`<div class="wallet-section">
      ${message(ctx)}
      <h1 class="wallet-title">Devices</h1>
      <ul class="devices" data-testid="devices">${ctx.devices.map((d) => deviceRow(ctx, d))}</ul>
      <h2>Add a device</h2>
      <form method="post" action="/wallet/app/devices" class="stack add-device">
        ${csrfInput(ctx.csrfToken)}
        <label>Model
          <select name="name">
            ${models.map((m) => html`<option value="${m.name}">${m.name} (${m.model})</option>`)}
          </select>
        </label>
        <label>Locale country <span class="muted">(default ${ctx.account.country})</span>
          <input type="text" name="country" maxlength="2" pattern="[A-Za-z]{2}" placeholder="${ctx.account.country}" class="input-short">
        </label>
        <button type="submit" class="button primary">Add device</button>
      </form>
    </div>`,
  });
}

export function accountPage(ctx: AppPageContext, expiresAt: number): string {
  const a = ctx.account;
  return walletPage({
    title: 'Account',
    now: ctx.now,
    signedIn: { ...ctx, tab: 'account' },
    body: html`<div class="wallet-section">
      ${message(ctx)}
      <h1 class="wallet-title">Account</h1>
      <dl class="facts">
        <dt>Email</dt><dd data-testid="account-page-email">${a.email}</dd>
        <dt>Phone</dt><dd>${a.phone ?? html`<span class="muted">none</span>`}</dd>
        <dt>Country</dt><dd>${a.country}</dd>
        <dt>User id</dt><dd><code data-copy>${a.userId}</code></dd>
        <dt>Devices</dt><dd>${ctx.devices.length}</dd>
        <dt>Created</dt><dd>${formatTime(a.createdAt)}</dd>
        <dt>Session ends</dt><dd>${formatTime(expiresAt)}</dd>
      </dl>
      <form method="post" action="/wallet/sign-out">
        ${csrfInput(ctx.csrfToken)}
        <button type="submit" class="button danger block">Sign out</button>
      </form>
      <p class="fineprint">Automate this wallet with the JSON API under <code>/wallet/api</code> (see <a href="/docs#tag-wallet">the docs</a>) or <code>cardport wallet account create</code>.</p>
    </div>`,
  });
}
