// How a pass looks: one renderer for the wallet's list, the pass page, the add page and the
// landing page's preview (the check API returns its markup), so the preview is what the wallet
// shows. Colours come as data attributes that pass.js applies (the pages' CSP allows no inline
// styles); images are partner URLs; barcodes are rendered by the platform.
import { COLOR_PATTERN, epochMillisAttributes } from '@cardport/protocol';
import { html, type Markup } from '../../core/html.ts';
import type { BarcodeImage } from '../barcode.ts';

export interface PassView {
  type: string;
  subType: string;
  /** Default attributes; `localization` overrides them when its language matches. */
  attributes: Record<string, unknown>;
  language?: string | undefined;
  localization?: { language: string; attributes: Record<string, unknown> }[] | undefined;
  barcode: BarcodeImage | null;
  state?: string;
}

/** The attributes to show for the reader's languages (`ko-KR` matches `ko`), and which language won. */
export function localizedAttributes(
  view: Pick<PassView, 'attributes' | 'language' | 'localization'>,
  languages: readonly string[] = [],
): { attributes: Record<string, unknown>; language: string | undefined } {
  for (const wanted of languages) {
    const w = wanted.toLowerCase();
    const base = w.split('-')[0] ?? w;
    if (view.language && (view.language.toLowerCase() === w || view.language.toLowerCase() === base)) break;
    const loc =
      view.localization?.find((l) => l.language.toLowerCase() === w) ??
      view.localization?.find((l) => (l.language.toLowerCase().split('-')[0] ?? '') === base);
    if (loc) return { attributes: { ...view.attributes, ...loc.attributes }, language: loc.language };
  }
  return { attributes: view.attributes, language: view.language };
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function url(v: unknown): string | undefined {
  return typeof v === 'string' && /^https?:\/\/\S+$/i.test(v) ? v : undefined;
}

const epochKeys = new Set(epochMillisAttributes);

/** Epoch ms as the pass shows it, in UTC (the sandbox does not know the holder's zone). */
export function formatPassDate(v: unknown): string | undefined {
  const ms = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,13}$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(ms)) return str(v);
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** Labels of the attributes a pass shows, per type, in order. */
const factsByType: Record<string, [string, string][]> = {
  ticket: [
    ['startDate', 'Starts'],
    ['endDate', 'Ends'],
    ['placeName', 'Place'],
    ['entrance', 'Entrance'],
    ['seatClass', 'Class'],
    ['seatNumber', 'Seat'],
    ['user', 'Holder'],
    ['holderName', 'Holder'],
    ['reservationNumber', 'Reservation'],
  ],
  boardingpass: [
    ['user', 'Passenger'],
    ['vehicleNumber', 'Flight'],
    ['estimatedOrActualStartDate', 'Departs'],
    ['estimatedOrActualEndDate', 'Arrives'],
    ['gate', 'Gate'],
    ['boardingTime', 'Boarding'],
    ['seatClass', 'Class'],
    ['seatNumber', 'Seat'],
    ['reservationNumber', 'Booking'],
  ],
  coupon: [
    ['issueDate', 'Issued'],
    ['expiry', 'Valid until'],
  ],
  giftcard: [
    ['balance', 'Balance'],
    ['amount', 'Amount'],
    ['expiry', 'Valid until'],
  ],
  loyalty: [
    ['balance', 'Balance'],
    ['grade', 'Tier'],
    ['user', 'Member'],
  ],
  idcard: [
    ['holderName', 'Holder'],
    ['identifier', 'Number'],
    ['issueDate', 'Issued'],
    ['expiry', 'Valid until'],
  ],
  generic: [
    ['startDate', 'Starts'],
    ['endDate', 'Ends'],
    ['subtitle1', ''],
    ['text1', ''],
    ['text2', ''],
  ],
};

function facts(type: string, a: Record<string, unknown>): Markup {
  const rows = (factsByType[type] ?? factsByType['generic'] ?? [])
    .map(([key, label]) => {
      const value = epochKeys.has(key) ? formatPassDate(a[key]) : str(a[key]);
      return value
        ? html`<div class="pass-fact" data-attr="${key}"><dt>${label || key}</dt><dd>${value}</dd></div>`
        : '';
    })
    .filter((r) => r !== '');
  return rows.length ? html`<dl class="pass-facts">${rows}</dl>` : html``;
}

function route(a: Record<string, unknown>): Markup | '' {
  const from = str(a['departCode']) ?? str(a['departName']);
  const to = str(a['arriveCode']) ?? str(a['arriveName']);
  if (!from && !to) return '';
  return html`<div class="pass-route"><span class="pass-airport">${from ?? '—'}</span><span class="pass-plane" aria-hidden="true">✈</span><span class="pass-airport">${to ?? '—'}</span></div>`;
}

/** The barcode drawn by the platform (barcode.ts), or why it cannot be; its value always shows. */
function barcode(b: BarcodeImage | null): Markup | '' {
  if (!b) return '';
  return html`<figure class="pass-barcode" data-format="${b.format}">
    ${b.image ? html`<img class="pass-barcode-img pass-barcode-${b.shape ?? 'square'}" src="${b.image}" alt="${b.format} ${b.value}" width="${b.width ?? 132}" height="${b.height ?? 132}" data-testid="pass-barcode-img">` : ''}
    ${b.error ? html`<p class="pass-barcode-note" role="note" data-testid="pass-barcode-note">cannot draw this barcode: ${b.error}</p>` : ''}
    <figcaption><code>${b.value}</code></figcaption>
  </figure>`;
}

/**
 * A pass, full size: header with logo and provider, title, main image, the type's facts,
 * barcode, state. `languages` picks a localization.
 */
export function renderPass(
  view: PassView,
  options: { languages?: readonly string[]; compact?: boolean } = {},
): Markup {
  const { attributes: a, language } = localizedAttributes(view, options.languages);
  const bg = str(a['bgColor']);
  const fg = str(a['fontColor']);
  const logo =
    url(a['logoImage.lightUrl']) ??
    url(a['logoImage']) ??
    url(a['providerLogo.lightUrl']) ??
    url(a['providerLogo']);
  const mainImg = url(a['mainImg']);
  const state = view.state;
  return html`<article class="pass pass-${view.type}${options.compact ? ' pass-compact' : ''}${state ? ` pass-state-${state.toLowerCase()}` : ''}"
    data-type="${view.type}" data-sub-type="${view.subType}" lang="${language ?? ''}"
    ${bg && COLOR_PATTERN.test(bg) ? html`data-bg-color="${bg}"` : ''} ${fg && COLOR_PATTERN.test(fg) ? html`data-font-color="${fg}"` : ''}>
    <header class="pass-head">
      ${logo ? html`<img class="pass-logo" src="${logo}" alt="" width="32" height="32">` : ''}
      <span class="pass-provider">${str(a['providerName']) ?? view.subType}</span>
      ${state ? html`<span class="badge badge-${state.toLowerCase()} pass-state" data-testid="pass-state">${state}</span>` : ''}
    </header>
    <h3 class="pass-title" data-testid="pass-title">${str(a['title']) ?? view.type}</h3>
    ${view.type === 'boardingpass' ? route(a) : ''}
    ${mainImg && !options.compact ? html`<img class="pass-main-img" src="${mainImg}" alt="">` : ''}
    ${facts(view.type, a)}
    ${options.compact ? '' : barcode(view.barcode)}
  </article>`;
}
