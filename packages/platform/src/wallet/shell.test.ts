import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AppState } from '../core/app-state.ts';
import { html } from '../core/html.ts';
import { registerWalletItemRenderer, registerWalletTab, walletShell } from './shell.ts';

it('keeps each app’s tabs and item renderers to that app', () => {
  const one = { state: new AppState() };
  const other = { state: new AppState() };
  registerWalletTab(one, { id: 'scan', label: 'Scan', href: '/wallet/s2p/scan', icon: html``, order: 30 });
  registerWalletTab(one, {
    id: 'scan',
    label: 'Scan again',
    href: '/wallet/s2p/scan',
    icon: html``,
    order: 30,
  });
  registerWalletItemRenderer(one, 'wallet-cards', () => html`<li>pass</li>`);
  assert.deepEqual(
    walletShell(one)
      .tabs()
      .map((t) => t.label),
    ['Scan again'],
  );
  assert.ok(walletShell(one).renderer('wallet-cards'));
  assert.deepEqual(walletShell(other).tabs(), []);
  assert.equal(walletShell(other).renderer('wallet-cards'), undefined);
});
