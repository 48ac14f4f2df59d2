import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CARD_TYPE_MAX_LENGTH, cardSubTypes, cardTypes, isCardSubType, isCardType } from './card-types.ts';

test('knows every card type of PROTOCOLS.md 2.3 with its subtypes', () => {
  assert.deepEqual(Object.keys(cardTypes).sort(), [
    'boardingpass',
    'clip',
    'coupon',
    'digitalkey',
    'generic',
    'giftcard',
    'idcard',
    'loyalty',
    'payasyougo',
    'reservation',
    'ticket',
    'transitcard',
  ]);
  assert.deepEqual(cardTypes.boardingpass, ['airlines', 'trains', 'buses', 'others']);
  assert.ok(isCardSubType('reservation', 'rentalcars'));
});

test('every type and subtype fits the wire limit String(16)', () => {
  for (const [type, subs] of Object.entries(cardTypes)) {
    assert.ok(type.length <= CARD_TYPE_MAX_LENGTH, type);
    for (const sub of subs) assert.ok(sub.length <= CARD_TYPE_MAX_LENGTH, sub);
  }
});

test('rejects unknown types, subtypes of another type and inherited object keys', () => {
  assert.equal(isCardType('spaceship'), false);
  assert.equal(isCardType('toString'), false);
  assert.equal(isCardType(42), false);
  assert.equal(isCardSubType('ticket', 'airlines'), false);
  assert.deepEqual(cardSubTypes('spaceship'), []);
  assert.deepEqual(cardSubTypes('coupon'), ['others']);
});
