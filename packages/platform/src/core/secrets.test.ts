import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KeyStore } from './keystore.ts';
import { SealError, seal, unseal } from './secrets.ts';
import { ManualClock, testDbKinds } from './test-kit.ts';

test('a sealed secret opens only with the same master key and the same context', () => {
  const key = randomBytes(32);
  const sealed = seal(key, 'private key material', 'platform_keys:a');
  assert.ok(!sealed.includes('private key material'));
  assert.equal(unseal(key, sealed, 'platform_keys:a').toString(), 'private key material');
  assert.throws(() => unseal(randomBytes(32), sealed, 'platform_keys:a'), SealError);
  assert.throws(() => unseal(key, sealed, 'platform_keys:b'), SealError);
  assert.throws(() => unseal(key, 'garbage', 'platform_keys:a'), SealError);
});

for (const kind of testDbKinds()) {
  test(`[${kind.name}] the key store keeps private keys sealed at rest and the first writer wins`, async () => {
    const t = await kind.open();
    try {
      const keys = new KeyStore(randomBytes(32), new ManualClock());
      const first = await keys.getOrCreate(t.db, 'k', () => ({
        privateKeyPem: 'PRIVATE-1',
        certificatePem: 'CERT-1',
      }));
      const second = await keys.getOrCreate(t.db, 'k', () => ({ privateKeyPem: 'PRIVATE-2' }));
      assert.equal(first.privateKeyPem, 'PRIVATE-1');
      assert.equal(second.privateKeyPem, 'PRIVATE-1');
      const [row] = await t.db.query<{ private_key_sealed: string }>(
        'SELECT private_key_sealed FROM platform_keys',
      );
      assert.ok(row && !row.private_key_sealed.includes('PRIVATE-1'));
      const wrongMaster = new KeyStore(randomBytes(32), new ManualClock());
      await assert.rejects(wrongMaster.get(t.db, 'k'), /wrong master key/);
    } finally {
      await t.dispose();
    }
  });
}
