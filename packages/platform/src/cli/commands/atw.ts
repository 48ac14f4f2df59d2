import type { AccountPassesAnswer, AddedPassesAnswer, PassView } from '../../admin/answers.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, requireString } from '../command.ts';

// `cardport wallet add-card|cards`: Add to Wallet for automation, through the admin API
// (/admin/v1/wallet-cards). A refused link exits non-zero with the platform's reason.

function describe(c: PassView): string {
  const title = typeof c.attributes['title'] === 'string' ? c.attributes['title'] : c.type;
  return `  ${c.cardId}/${c.refId}  ${c.state.padEnd(8)}  ${c.type}/${c.subType}  ${title}  (cc2 ${c.cc2}, device ${c.deviceId})`;
}

export const walletAddCard: Command = {
  name: 'wallet add-card',
  summary: 'check an Add to Wallet link (cdata or pdata) and add its card to an account’s wallet',
  positionals: 'LINK',
  options: {
    account: { type: 'string', description: 'the wallet account email', valueName: 'EMAIL' },
    device: {
      type: 'string',
      description: 'device id (default: the account’s first device)',
      valueName: 'ID',
    },
  },
  async run({ admin, values, positionals }) {
    const email = requireString(values, 'account');
    if (positionals.length !== 1) throw new CliError('give exactly one LINK (quote it: it contains #)', 2);
    const device = optionalString(values, 'device');
    const { cards } = await admin().request<AddedPassesAnswer>('POST', '/wallet-cards', {
      email,
      link: positionals[0],
      ...(device ? { deviceId: device } : {}),
    });
    return {
      json: { cards },
      text: [
        `added ${cards.length} card${cards.length === 1 ? '' : 's'} to ${email}:`,
        ...cards.map(describe),
      ].join('\n'),
    };
  },
};

export const walletCards: Command = {
  name: 'wallet cards',
  summary: 'list the Add to Wallet cards of an account: cardId, refId, state and current attributes',
  options: {
    account: { type: 'string', description: 'the wallet account email', valueName: 'EMAIL' },
  },
  async run({ admin, values }) {
    const email = requireString(values, 'account');
    const { cards } = await admin().request<AccountPassesAnswer>(
      'GET',
      `/wallet-cards?email=${encodeURIComponent(email)}`,
    );
    return {
      json: { cards },
      text: cards.length
        ? [`cards of ${email}:`, ...cards.map(describe)].join('\n')
        : `no cards in ${email}’s wallet`,
    };
  },
};

export const atwCommands: Command[] = [walletAddCard, walletCards];
