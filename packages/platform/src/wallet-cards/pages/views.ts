// Pages of Add to Wallet: the public landing page of links, and the wallet's add and pass pages.
import { html, type Markup, page } from '../../core/html.ts';
import { csrfInput } from '../../wallet/extensions.ts';
import type { WalletItem } from '../../wallet/service.ts';
import type { OfferView } from '../check-link.ts';
import type { PassItemData, WalletCardView } from '../pass-view.ts';
import { formatPassDate, renderPass } from './pass.ts';

export const passAssets = html`<link rel="stylesheet" href="/atw/assets/passes.css"><script src="/atw/assets/pass.js" defer></script>`;

/** The landing page of every link form: the script reads the fragment and asks the platform. */
export function landingPage(): string {
  return page({
    title: 'Add to Samsung Wallet · Cardport',
    head: html`${passAssets}<script src="/atw/assets/landing.js" defer></script>`,
    body: html`<main class="atw-landing" id="atw-landing">
      <h1>Add to Samsung Wallet</h1>
      <p class="muted" data-role="status" data-testid="atw-status">Checking the card…</p>
      <noscript><p>This page needs JavaScript: the card travels in the link’s fragment, which only the browser can read.</p></noscript>
      <div data-role="result"></div>
      <p class="muted"><a href="/">Cardport sandbox</a> · <a href="/wallet/app">Open the virtual wallet</a></p>
    </main>`,
  });
}

/** The preview markup of an offer (every data object), in the reader's languages. */
export function offerPreview(offer: OfferView, languages: readonly string[]): Markup {
  return html`${offer.card.data.map((d, i) =>
    renderPass(
      {
        type: offer.card.type,
        subType: offer.card.subType,
        attributes: d.attributes,
        language: d.language,
        localization: d.localization,
        barcode: offer.barcodes[i] ?? null,
      },
      { languages },
    ),
  )}`;
}

/** The confirm step inside the phone: what will be added, to which device. */
export function addCardBody(
  offer: OfferView,
  deviceName: string,
  languages: readonly string[],
  csrfToken: string,
): Markup {
  return html`<div class="wallet-section">
    <h1 class="wallet-title">Add to wallet</h1>
    <p class="muted">From ${offer.partner.name}</p>
    <div class="stack" data-testid="add-preview">${offerPreview(offer, languages)}</div>
    <form method="post" action="/wallet/app/add-card" class="stack">
      <input type="hidden" name="offer" value="${offer.offerId}">
      ${csrfInput(csrfToken)}
      <button type="submit" class="button primary" data-testid="confirm-add">Add to ${deviceName}</button>
    </form>
  </div>`;
}

/** A pass in the wallet's card list (registered for wallet_items of source wallet-cards). */
export function passListItem(item: WalletItem): Markup {
  const d = item.data as unknown as PassItemData;
  return html`<li class="wallet-pass-item" data-item-id="${item.itemId}" data-testid="pass-item" data-ref-id="${d.refId}">
    ${passAssets}
    <a class="wallet-pass-link" href="/wallet/app/passes/${d.walletCardId}">
      ${renderPass({ type: d.type, subType: d.subType, attributes: d.attributes ?? {}, barcode: null, state: item.state }, { compact: true })}
    </a>
  </li>`;
}

/** One pass: full look, its history, and Delete. */
export function passPageBody(
  card: WalletCardView,
  barcode: PassItemData['barcode'],
  csrfToken: string,
  message?: string,
): Markup {
  return html`<div class="wallet-section">
    ${message ? html`<div class="notice notice-success" role="status"><p>${message}</p></div>` : ''}
    <p><a href="/wallet/app">← Wallet</a></p>
    ${renderPass({ type: card.type, subType: card.subType, attributes: card.attributes, barcode, state: card.state })}
    <dl class="facts">
      <dt>Card id</dt><dd><code>${card.cardId}</code></dd>
      <dt>refId</dt><dd><code data-testid="pass-ref-id">${card.refId}</code></dd>
      <dt>cc2</dt><dd>${card.cc2}</dd>
    </dl>
    <h2>History</h2>
    <ol class="pass-history" data-testid="pass-history">
      ${(card.history ?? []).map((h) => html`<li><span class="badge badge-${h.state.toLowerCase()}">${h.state}</span> ${formatPassDate(h.at)} · ${h.cause}</li>`)}
    </ol>
    ${
      card.removedAt === null
        ? html`<form method="post" action="/wallet/app/passes/${card.walletCardId}/delete" class="stack">
            ${csrfInput(csrfToken)}
            <button type="submit" class="button danger" data-testid="delete-pass">Delete from wallet</button>
          </form>`
        : ''
    }
  </div>`;
}

/** An error inside the phone frame (a refused add). */
export function errorBody(title: string, message: string, reason?: string): Markup {
  return html`<div class="wallet-section">
    <h1 class="wallet-title">${title}</h1>
    <div class="notice notice-error" role="alert" data-testid="wallet-error">
      ${reason ? html`<p><code>${reason}</code></p>` : ''}<p>${message}</p>
    </div>
    <p><a href="/wallet/app">Back to the wallet</a></p>
  </div>`;
}
