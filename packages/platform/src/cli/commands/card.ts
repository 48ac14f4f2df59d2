// `cardport card ...`: Add to Wallet card registrations (PROTOCOLS.md 2.3) through the admin API.
import { cardTypes } from '@cardport/protocol';
import type { CardsAnswer, CardView } from '../../admin/answers.ts';
import { type Command, optionalString, requireString, table } from '../command.ts';

const typeList = Object.entries(cardTypes)
  .map(([type, subs]) => `${type} (${subs.join(', ')})`)
  .join('; ');

export const cardCreate: Command = {
  name: 'card create',
  summary: 'register an Add to Wallet card for a partner; prints the cardId',
  options: {
    partner: { type: 'string', description: 'the partner id', valueName: 'ID' },
    type: { type: 'string', description: `card type: ${Object.keys(cardTypes).join(', ')}`, valueName: 'T' },
    subtype: { type: 'string', description: `card subtype, per type: ${typeList}`, valueName: 'S' },
    'partner-url': {
      type: 'string',
      description: 'base URL of the partner server (Get Card Data, Send Card State)',
      valueName: 'URL',
    },
  },
  async run({ admin, values }) {
    const body = {
      partnerId: requireString(values, 'partner'),
      type: requireString(values, 'type'),
      subType: requireString(values, 'subtype'),
      partnerUrl: requireString(values, 'partner-url'),
    };
    const card = await admin().request<CardView>('POST', '/cards', body);
    return {
      json: { ...card },
      text: `created card ${card.cardId} (${card.type}/${card.subType}) for partner ${card.partnerId}`,
    };
  },
};

export const cardList: Command = {
  name: 'card list',
  summary: 'list Add to Wallet cards',
  options: { partner: { type: 'string', description: 'only the cards of this partner', valueName: 'ID' } },
  async run({ admin, values }) {
    const partnerId = optionalString(values, 'partner');
    const { cards } = await admin().request<CardsAnswer>(
      'GET',
      `/cards${partnerId ? `?partnerId=${encodeURIComponent(partnerId)}` : ''}`,
    );
    const text = cards.length
      ? table(
          ['CARD ID', 'TYPE/SUBTYPE', 'PARTNER ID', 'PARTNER URL'],
          cards.map((c) => [c.cardId, `${c.type}/${c.subType}`, c.partnerId, c.partnerUrl]),
        )
      : 'no cards yet: cardport card create --partner ID --type T --subtype S --partner-url URL';
    return { json: { cards }, text };
  },
};

export const cardCommands: Command[] = [cardCreate, cardList];
