// How a pass shows: the wallet item of a pass (list title, subtitle, image, barcode) and the pass
// as the API, the CLI and the wallet show it.
import { type BarcodeImage, type BarcodeImages, renderBarcode } from './barcode.ts';
import type { HistoryEntry, WalletCard } from './store.ts';

/** What the phone's list shows for a pass (wallet_items.data), rendered by pages/pass.ts. */
export interface PassItemData {
  walletCardId: string;
  cardId: string;
  refId: string;
  type: string;
  subType: string;
  attributes: Record<string, unknown>;
  barcode: BarcodeImage | null;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

/** The list title and subtitle of a pass, per card type. */
export function passSummary(
  type: string,
  a: Record<string, unknown>,
): { title: string; subtitle: string | null } {
  const title = (text(a['title']) ?? type).slice(0, 120);
  let subtitle: string | undefined;
  if (type === 'boardingpass') {
    const route = [text(a['departCode'] ?? a['departName']), text(a['arriveCode'] ?? a['arriveName'])]
      .filter(Boolean)
      .join(' → ');
    subtitle = [text(a['vehicleNumber']), route, text(a['seatNumber']) && `seat ${text(a['seatNumber'])}`]
      .filter(Boolean)
      .join(' · ');
  } else if (type === 'ticket') {
    subtitle = [text(a['providerName']), text(a['seatNumber']) && `seat ${text(a['seatNumber'])}`]
      .filter(Boolean)
      .join(' · ');
  } else {
    subtitle = text(a['providerName']) ?? text(a['subtitle1']);
  }
  return { title, subtitle: subtitle ? subtitle.slice(0, 200) : null };
}

function passImage(a: Record<string, unknown>): string | null {
  for (const key of ['mainImg', 'logoImage.lightUrl', 'logoImage', 'providerLogo.lightUrl', 'providerLogo']) {
    const v = a[key];
    if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v) && v.length <= 2048) return v;
  }
  return null;
}

/** The keys a Cancel Notification finds a pass by: eventId, vehicleNumber, start date. */
export function eventKeys(type: string, a: Record<string, unknown>) {
  const start = a['estimatedOrActualStartDate'] ?? a['startDate'];
  return {
    eventId: text(a['eventId']) ?? null,
    vehicleNumber: type === 'boardingpass' ? (text(a['vehicleNumber']) ?? null) : null,
    startDate: typeof start === 'number' && Number.isSafeInteger(start) ? start : null,
  };
}

/** The wallet item fields of a pass (title, subtitle, state, image, data). */
export async function itemFields(
  images: BarcodeImages,
  c: Pick<WalletCard, 'walletCardId' | 'cardId' | 'refId' | 'type' | 'subType' | 'state' | 'data'>,
) {
  const attributes = c.data.attributes as Record<string, unknown>;
  const data: PassItemData = {
    walletCardId: c.walletCardId,
    cardId: c.cardId,
    refId: c.refId,
    type: c.type,
    subType: c.subType,
    attributes,
    barcode: await renderBarcode(attributes, images),
  };
  return {
    ...passSummary(c.type, attributes),
    state: c.state,
    imageUrl: passImage(attributes),
    data: data as unknown as Record<string, unknown>,
  };
}

/** A pass as the API, the CLI and the wallet show it. */
export interface WalletCardView {
  walletCardId: string;
  cardId: string;
  refId: string;
  type: string;
  subType: string;
  state: string;
  cc2: string;
  userId: string;
  deviceId: string;
  attributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  removedAt: number | null;
  history?: HistoryEntry[];
}

export function walletCardView(c: WalletCard, history?: HistoryEntry[]): WalletCardView {
  return {
    walletCardId: c.walletCardId,
    cardId: c.cardId,
    refId: c.refId,
    type: c.type,
    subType: c.subType,
    state: c.state,
    cc2: c.cc2,
    userId: c.userId,
    deviceId: c.deviceId,
    attributes: c.data.attributes as Record<string, unknown>,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    removedAt: c.removedAt,
    ...(history ? { history } : {}),
  };
}
