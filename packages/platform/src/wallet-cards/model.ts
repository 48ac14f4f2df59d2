// What the operations of Add to Wallet share: the context they run with, the delivery kinds of
// calls to partners, the wallet item source of passes, and the shapes of a checked card object.
import type { AppContext } from '../core/context.ts';

export type WalletCardsDeps = Pick<
  AppContext,
  'db' | 'clock' | 'keys' | 'delivery' | 'config' | 'log' | 'state'
>;

/** The wallet_items source of passes. */
export const WALLET_ITEM_SOURCE = 'wallet-cards';
/** Delivery kinds (docs/reliability.md): Send Card State (durable) and Get Card Data (sync). */
export const CARD_STATE_KIND = 'atw.card_state';
export const GET_CARD_DATA_KIND = 'atw.get_card_data';
/** How long a checked link waits for "Add" [ours]: time to sign in, long after the token's 30 s. */
export const OFFER_LIFETIME_MS = 10 * 60_000;

/** States a pass goes through (issue 4). */
export type PassState = 'ADDED' | 'UPDATED' | 'EXPIRED' | 'REDEEMED' | 'HELD' | 'CANCELED' | 'DELETED';

/** One data object of a card object, as kept for a pass. */
export type CardDataObject = Record<string, unknown> & {
  refId: string;
  attributes: Record<string, unknown>;
  language?: string;
  localization?: { language: string; attributes: Record<string, unknown> }[];
};

export interface CheckedCard {
  type: string;
  subType: string;
  data: CardDataObject[];
}
