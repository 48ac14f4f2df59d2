// What the flows add to the phone's shell: tabs in the tab bar (Scan, Payments, …) and renderers
// for their items in the card list. The registry belongs to the app (core/app-state.ts): a flow
// registers through the context its module's `main(app, ctx)` gets, and the pages read it back.
// This file imports no page, so pages/ and extensions.ts do not import each other.

import { appStateKey } from '../core/app-state.ts';
import type { AppContext } from '../core/context.ts';
import type { Markup } from '../core/html.ts';
import type { WalletItem } from './schemas.ts';

export interface WalletTabSpec {
  /** Unique id; the page that renders with `tab: id` highlights it. */
  id: string;
  label: string;
  href: string;
  /** An inline SVG drawn with `currentColor`, 24×24 viewBox. */
  icon: Markup;
  /** Position among the tabs: Wallet is 10, Devices 80, Account 90. */
  order: number;
}

/** Renders one item of the card list; registered per item `source` (the domain that added it). */
export type WalletItemRenderer = (item: WalletItem) => Markup;

/** The phone's extensions in one app. */
export class WalletShell {
  readonly #tabs = new Map<string, WalletTabSpec>();
  readonly #renderers = new Map<string, WalletItemRenderer>();

  /** Adds a tab to the phone's tab bar (same id again replaces it). */
  addTab(tab: WalletTabSpec): void {
    this.#tabs.set(tab.id, tab);
  }

  tabs(): WalletTabSpec[] {
    return [...this.#tabs.values()];
  }

  addRenderer(source: string, render: WalletItemRenderer): void {
    this.#renderers.set(source, render);
  }

  renderer(source: string): WalletItemRenderer | undefined {
    return this.#renderers.get(source);
  }
}

export const walletShellKey = appStateKey('wallet.shell', () => new WalletShell());

type WithState = Pick<AppContext, 'state'>;

/** The app's wallet shell. */
export function walletShell(deps: WithState): WalletShell {
  return deps.state.get(walletShellKey);
}

/** Adds a tab to the phone's tab bar of this app (same id again replaces it). */
export function registerWalletTab(deps: WithState, tab: WalletTabSpec): void {
  walletShell(deps).addTab(tab);
}

/** Renders this source's items in this app's card list. */
export function registerWalletItemRenderer(
  deps: WithState,
  source: string,
  render: WalletItemRenderer,
): void {
  walletShell(deps).addRenderer(source, render);
}
