import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AppState } from '../core/app-state.ts';
import { ManualClock, type TestDb, testDbKinds, testKeyStore } from '../core/test-kit.ts';
import {
  currentTransactionKey,
  decryptPkcs1Hex,
  findTransactionKey,
  keyRotationMs,
  type TransactionKey,
} from './keys.ts';
import * as store from './store.ts';

const lifetime = 30 * 60_000;

function publicKeyOf(key: TransactionKey) {
  return createPublicKey({
    key: {
      kty: 'RSA',
      n: Buffer.from(key.mod, 'hex').toString('base64url'),
      e: Buffer.from(`0${key.exp}`, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });
}

for (const kind of testDbKinds()) {
  describe(`checkout transaction keys on ${kind.name}`, () => {
    let t: TestDb;
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 10, 0, 0));
    const keys = testKeyStore(clock);
    const state = new AppState();
    const deps = () => ({ db: t.db, keys, state });

    before(async () => {
      t = await kind.open();
    });
    after(async () => t.dispose());

    it("decrypts the SDK's PKCS#1 v1.5 hex, also when leading zero bytes were dropped", async () => {
      const key = await currentTransactionKey(deps(), clock.now(), lifetime);
      assert.match(key.mod, /^[0-9a-f]{512}$/);
      assert.equal(key.exp, '10001');
      let seen = false;
      for (let i = 0; i < 2000 && !seen; i++) {
        const hex = publicEncrypt(
          { key: publicKeyOf(key), padding: constants.RSA_PKCS1_PADDING },
          Buffer.from('0123456789abcdef012345'),
        ).toString('hex');
        if (hex.startsWith('0')) {
          seen = true;
          assert.equal(decryptPkcs1Hex(hex.replace(/^0+/, ''), key), '0123456789abcdef012345');
        } else {
          assert.equal(decryptPkcs1Hex(hex, key), '0123456789abcdef012345');
        }
      }
      assert.ok(seen, 'a ciphertext with a leading zero nibble came up');
    });

    it('returns undefined for anything that is not a PKCS#1 v1.5 encryption block', async () => {
      const key = await currentTransactionKey(deps(), clock.now(), lifetime);
      assert.equal(decryptPkcs1Hex('zz', key), undefined);
      assert.equal(decryptPkcs1Hex('ab'.repeat(300), key), undefined);
      // A raw block with a signature-type header (00 01 ...) is refused.
      const block = Buffer.alloc(256, 0xff);
      block[0] = 0;
      block[1] = 1;
      block[200] = 0;
      const raw = publicEncrypt({ key: publicKeyOf(key), padding: constants.RSA_NO_PADDING }, block).toString(
        'hex',
      );
      assert.equal(decryptPkcs1Hex(raw, key), undefined);
    });

    it('keeps one key per rotation period and deletes it once its transactions have expired', async () => {
      const first = await currentTransactionKey(deps(), clock.now(), lifetime);
      assert.equal((await currentTransactionKey(deps(), clock.now() + 1000, lifetime)).keyId, first.keyId);
      const slotEnd = (Math.floor(clock.now() / keyRotationMs) + 1) * keyRotationMs;
      const second = await currentTransactionKey(deps(), slotEnd, lifetime);
      assert.notEqual(second.keyId, first.keyId);
      assert.ok(await store.findKey(t.db, first.keyId), 'kept while its transactions may live');
      const third = await currentTransactionKey(deps(), slotEnd + keyRotationMs, lifetime);
      assert.notEqual(third.keyId, second.keyId);
      assert.equal(await store.findKey(t.db, first.keyId), undefined, 'retired');
      assert.ok(await findTransactionKey(deps(), second.keyId));
    });
  });
}
