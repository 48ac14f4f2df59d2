import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createIssuerBlob, type IssuerBlobCard } from '@cardport/jose';
import { isPlatformError, type PlatformErrorCode } from '../core/errors.ts';
import { ManualClock, type TestDb, testDbKinds, testKeyStore } from '../core/test-kit.ts';
import { luhnValid, magicPans, testPans, tokenBinRanges } from './card-numbers.ts';
import {
  addTestCard,
  cryptogramLifetimeMs,
  deleteToken,
  getToken,
  getTspPublicKey,
  getTspPublicKeyPem,
  type IssuedToken,
  listTokens,
  mintCryptogram,
  type PaymentCryptogram,
  resumeToken,
  suspendToken,
  type TokenizeResult,
  type TspDeps,
  tokenizeIssuerBlob,
  validateCryptogram,
} from './index.ts';

async function rejectsWith(
  promise: Promise<unknown>,
  code: PlatformErrorCode,
  field?: string,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isPlatformError(err), `expected a PlatformError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (field)
      assert.ok(
        err.details?.some((d) => d.field === field),
        `expected a detail for ${field}`,
      );
    return true;
  });
}

function issued(result: TokenizeResult): IssuedToken {
  assert.ok(result.ok, `expected a token, got ${result.ok ? '' : `${result.reason}: ${result.message}`}`);
  return result.token;
}

function failure(result: TokenizeResult, reason: string): void {
  assert.equal(result.ok, false, 'expected a failure');
  if (!result.ok) assert.equal(result.reason, reason, result.message);
}

let walletSeq = 0;
function newWallet() {
  walletSeq += 1;
  return {
    deviceId: `device-${walletSeq}-${randomBytes(4).toString('hex')}`,
    walletId: `wallet-${walletSeq}`,
  };
}

for (const kind of testDbKinds()) {
  describe(`token service on ${kind.name}`, () => {
    let t: TestDb;
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
    const deps: TspDeps = { keys: testKeyStore(clock), clock };

    before(async () => {
      t = await kind.open();
    });
    after(async () => {
      await t.dispose();
    });

    async function blobFor(card: IssuerBlobCard, binding: { deviceId: string; walletId: string }) {
      return createIssuerBlob(card, binding, await getTspPublicKey(t.db, deps));
    }

    async function tokenize(
      card: IssuerBlobCard,
      binding: { deviceId: string; walletId: string },
      extra: { deviceId?: string; walletId?: string; acceptOpaqueBlobs?: boolean } = {},
    ) {
      return tokenizeIssuerBlob(t.db, deps, {
        issuerBlob: await blobFor(card, binding),
        deviceId: extra.deviceId ?? binding.deviceId,
        walletId: extra.walletId ?? binding.walletId,
        acceptOpaqueBlobs: extra.acceptOpaqueBlobs ?? false,
      });
    }

    const visa: IssuerBlobCard = {
      pan: '4111111111111111',
      expMonth: 9,
      expYear: 2028,
      cardholderName: 'Ada L.',
    };

    describe('keys', () => {
      it('serves one RSA-2048 public key, the same on every call', async () => {
        const pem = await getTspPublicKeyPem(t.db, deps);
        assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
        assert.equal(await getTspPublicKeyPem(t.db, deps), pem);
        const key = await getTspPublicKey(t.db, deps);
        assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
      });
    });

    describe('tokenizeIssuerBlob', () => {
      it('issues a token in the network’s token range into the device’s wallet', async () => {
        const w = newWallet();
        const token = issued(await tokenize(visa, w));
        assert.equal(token.brand, 'VI');
        assert.ok(token.tokenPan.startsWith(tokenBinRanges.VI.prefix));
        assert.ok(luhnValid(token.tokenPan));
        assert.notEqual(token.tokenPan, visa.pan);
        assert.equal(token.tokenPanLast4, token.tokenPan.slice(-4));
        assert.equal(token.fundingLast4, '1111');
        assert.equal(token.fundingExpMonth, 9);
        assert.equal(token.fundingExpYear, 2028);
        assert.equal(token.cardholderName, 'Ada L.');
        assert.equal(token.deviceId, w.deviceId);
        assert.equal(token.walletId, w.walletId);
        assert.equal(token.status, 'ACTIVE');
        assert.equal(token.source, 'ISSUER_BLOB');
        assert.equal(token.tokenExpMonth, 1);
        assert.equal(token.tokenExpYear, 2029);
        assert.equal(token.createdAt, clock.now());
        assert.match(token.tokenRef, /^TRVI[0-9A-F]{28}$/);
        const { tokenPan: _pan, ...stored } = token;
        assert.deepEqual(await getToken(t.db, token.tokenRef), stored);
        assert.deepEqual(await listTokens(t.db, { walletId: w.walletId }), [stored]);
      });

      it('tokenizes Mastercard, American Express and Discover into their own ranges', async () => {
        const w = newWallet();
        for (const [brand, pan] of [
          ['MC', '5555555555554444'],
          ['AX', '378282246310005'],
          ['DS', '6011111111111117'],
        ] as const) {
          const token = issued(await tokenize({ pan, expMonth: 1, expYear: 2030 }, w));
          assert.equal(token.brand, brand);
          assert.ok(token.tokenPan.startsWith(tokenBinRanges[brand].prefix));
          assert.equal(token.tokenPan.length, tokenBinRanges[brand].length);
        }
      });

      it('never issues one token PAN twice (the store enforces it and redraws on a collision)', async () => {
        const pans = new Set<string>();
        for (let i = 0; i < 40; i++) pans.add(issued(await tokenize(visa, newWallet())).tokenPan);
        assert.equal(pans.size, 40);
        const [row] = await t.db.query<{ n: number; d: number }>(
          'SELECT count(*)::int AS n, count(DISTINCT token_pan_hash)::int AS d FROM tsp_tokens',
        );
        assert.equal(row?.n, row?.d);
      });

      it('refuses a blob bound to another device or another wallet', async () => {
        const w = newWallet();
        const other = newWallet();
        failure(await tokenize(visa, w, { deviceId: other.deviceId }), 'BINDING_MISMATCH');
        failure(await tokenize(visa, w, { walletId: other.walletId }), 'BINDING_MISMATCH');
        assert.deepEqual(await listTokens(t.db, { walletId: w.walletId }), []);
        assert.deepEqual(await listTokens(t.db, { walletId: other.walletId }), []);
      });

      it('refuses an expired card, judged on the injected clock', async () => {
        const w = newWallet();
        const card = { pan: '4242424242424242', expMonth: 2, expYear: 2026 };
        const local = new ManualClock(Date.UTC(2026, 1, 28, 23, 59)); // last minute of February 2026
        const localDeps = { keys: deps.keys, clock: local };
        const blob = await blobFor(card, w);
        const input = { issuerBlob: blob, ...w, acceptOpaqueBlobs: false };
        local.advance(2 * 60_000); // now March 2026
        failure(await tokenizeIssuerBlob(t.db, localDeps, input), 'CARD_EXPIRED');
        local.set(Date.UTC(2026, 1, 28, 23, 59));
        issued(await tokenizeIssuerBlob(t.db, localDeps, input));
      });

      it('refuses a PAN that fails the Luhn check, belongs to no network or is a token', async () => {
        const w = newWallet();
        failure(await tokenize({ ...visa, pan: '4111111111111112' }, w), 'INVALID_PAN');
        failure(await tokenize({ ...visa, pan: '3530111333300000' }, w), 'INVALID_PAN');
        const token = issued(await tokenize(visa, w));
        failure(await tokenize({ ...visa, pan: token.tokenPan }, newWallet()), 'INVALID_PAN');
      });

      it('declines the magic PANs for declined tokenization and expired cards, per brand', async () => {
        const w = newWallet();
        for (const brand of ['VI', 'MC', 'AX', 'DS'] as const) {
          const result = await tokenize(
            { pan: magicPans[brand].TOKENIZATION_DECLINED, expMonth: 1, expYear: 2030 },
            w,
          );
          failure(result, 'DECLINED');
          const expired = await tokenize(
            { pan: magicPans[brand].CARD_EXPIRED, expMonth: 1, expYear: 2030 },
            w,
          );
          failure(expired, 'CARD_EXPIRED');
        }
        assert.deepEqual(await listTokens(t.db, { walletId: w.walletId }), []);
      });

      it('refuses the same card twice in one wallet but issues it into another wallet', async () => {
        const w = newWallet();
        const first = issued(await tokenize(visa, w));
        const again = await tokenize({ ...visa, expMonth: 10, expYear: 2029 }, w);
        failure(again, 'CARD_ALREADY_PRESENT');
        const elsewhere = newWallet();
        const second = issued(await tokenize(visa, elsewhere));
        assert.notEqual(second.tokenPan, first.tokenPan);
        assert.equal((await listTokens(t.db, { walletId: w.walletId })).length, 1);
      });

      it('lets only one of two concurrent tokenizations of one card into a wallet', async () => {
        const w = newWallet();
        const [a, b] = await Promise.all([tokenize(visa, w), tokenize(visa, w)]);
        assert.deepEqual([a.ok, b.ok].sort(), [false, true]);
        const loser = a.ok ? b : a;
        failure(loser, 'CARD_ALREADY_PRESENT');
      });

      it('issues the card again after its token was deleted from the wallet', async () => {
        const w = newWallet();
        const token = issued(await tokenize(visa, w));
        const deleted = await deleteToken(t.db, deps, token.tokenRef);
        assert.equal(deleted.status, 'DELETED');
        issued(await tokenize(visa, w));
        assert.equal((await listTokens(t.db, { walletId: w.walletId })).length, 1);
        assert.equal((await listTokens(t.db, { walletId: w.walletId, includeDeleted: true })).length, 2);
      });

      it('accepts an opaque blob as a card of an unknown network only when the partner opted in', async () => {
        const w = newWallet();
        const opaque = Buffer.from('issuer-specific provisioning data 0001').toString('base64');
        const input = { issuerBlob: opaque, ...w, cardholderHint: 'Bank card' };
        failure(
          await tokenizeIssuerBlob(t.db, deps, { ...input, acceptOpaqueBlobs: false }),
          'UNREADABLE_BLOB',
        );
        const token = issued(await tokenizeIssuerBlob(t.db, deps, { ...input, acceptOpaqueBlobs: true }));
        assert.equal(token.brand, 'UNKNOWN');
        assert.equal(token.source, 'OPAQUE_BLOB');
        assert.equal(token.fundingLast4, null);
        assert.equal(token.cardholderName, 'Bank card');
        assert.ok(token.tokenPan.startsWith(tokenBinRanges.UNKNOWN.prefix));
        assert.ok(luhnValid(token.tokenPan));
        failure(
          await tokenizeIssuerBlob(t.db, deps, { ...input, acceptOpaqueBlobs: true }),
          'CARD_ALREADY_PRESENT',
        );
      });

      it('never treats a sandbox-format blob it cannot read as opaque: wrong key, tampering, bad payload', async () => {
        const w = newWallet();
        const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
        const wrongKey = createIssuerBlob(visa, w, stranger);
        const blob = await blobFor(visa, w);
        const parts = blob.split('.');
        const ct = Buffer.from(parts[3] ?? '', 'base64url');
        ct[0] = (ct[0] ?? 0) ^ 1;
        parts[3] = ct.toString('base64url');
        for (const issuerBlob of [wrongKey, parts.join('.'), '', ' ', 'x'.repeat(70_000)]) {
          const result = await tokenizeIssuerBlob(t.db, deps, { issuerBlob, ...w, acceptOpaqueBlobs: true });
          failure(result, 'UNREADABLE_BLOB');
          if (!result.ok) assert.doesNotMatch(result.message, /4111/);
        }
        assert.deepEqual(await listTokens(t.db, { walletId: w.walletId }), []);
      });

      it('rejects a malformed request with INVALID_INPUT naming the fields', async () => {
        await rejectsWith(
          tokenizeIssuerBlob(t.db, deps, {
            issuerBlob: 'x',
            deviceId: '',
            walletId: 'w',
            acceptOpaqueBlobs: false,
          }),
          'INVALID_INPUT',
          'deviceId',
        );
        await rejectsWith(
          tokenizeIssuerBlob(t.db, deps, { issuerBlob: 'x', deviceId: 'd', walletId: 'w' } as never),
          'INVALID_INPUT',
          'acceptOpaqueBlobs',
        );
      });

      it('stores neither the funding PAN nor the token PAN in clear', async () => {
        const w = newWallet();
        const pan = '5105105105105100';
        const token = issued(await tokenize({ pan, expMonth: 5, expYear: 2030 }, w));
        const c = await mintCryptogram(t.db, deps, {
          tokenRef: token.tokenRef,
          amountMinor: '100',
          currency: 'USD',
          merchantRef: 'shop',
          at: clock.now(),
        });
        const dump = JSON.stringify([
          await t.db.query('SELECT * FROM tsp_tokens'),
          await t.db.query('SELECT * FROM tsp_cryptograms'),
          await t.db.query('SELECT * FROM platform_keys'),
        ]);
        assert.ok(!dump.includes(pan), 'funding PAN stored in clear');
        assert.ok(!dump.includes(token.tokenPan), 'token PAN stored in clear');
        assert.ok(!dump.includes(c.cryptogram), 'cryptogram stored in clear');
        const [row] = await t.db.query<{ funding_last4: string; token_last4: string }>(
          'SELECT funding_last4, token_last4 FROM tsp_tokens WHERE token_ref = $1',
          [token.tokenRef],
        );
        assert.deepEqual(row, { funding_last4: '5100', token_last4: token.tokenPan.slice(-4) });
      });
    });

    describe('addTestCard', () => {
      it('adds the brand’s documented test cards one after the other, then says all are present', async () => {
        const w = newWallet();
        const last4s: (string | null)[] = [];
        for (const pan of testPans.AX) {
          const token = issued(await addTestCard(t.db, deps, { ...w, brand: 'AX' }));
          assert.equal(token.source, 'TEST_CARD');
          assert.equal(token.brand, 'AX');
          assert.equal(token.fundingExpMonth, 12);
          assert.equal(token.fundingExpYear, 2029);
          last4s.push(token.fundingLast4);
          assert.equal(token.fundingLast4, pan.slice(-4));
        }
        assert.equal(new Set(last4s).size, testPans.AX.length);
        failure(await addTestCard(t.db, deps, { ...w, brand: 'AX' }), 'CARD_ALREADY_PRESENT');
      });

      it('adds a chosen test or magic PAN, and magic PANs force their failure', async () => {
        const w = newWallet();
        issued(await addTestCard(t.db, deps, { ...w, brand: 'MC', pan: '2223003122003222' }));
        failure(
          await addTestCard(t.db, deps, { ...w, brand: 'MC', pan: magicPans.MC.TOKENIZATION_DECLINED }),
          'DECLINED',
        );
        failure(
          await addTestCard(t.db, deps, { ...w, brand: 'VI', pan: magicPans.VI.CARD_EXPIRED }),
          'CARD_EXPIRED',
        );
        issued(await addTestCard(t.db, deps, { ...w, brand: 'VI', pan: magicPans.VI.INSUFFICIENT_FUNDS }));
        failure(await addTestCard(t.db, deps, { ...w, brand: 'VI', expYear: 2025 }), 'CARD_EXPIRED');
      });

      it('refuses PANs that are not documented test PANs, or of another brand', async () => {
        const w = newWallet();
        await rejectsWith(
          addTestCard(t.db, deps, { ...w, brand: 'VI', pan: '4012000033330026' }),
          'INVALID_INPUT',
          'pan',
        );
        await rejectsWith(
          addTestCard(t.db, deps, { ...w, brand: 'VI', pan: '5555555555554444' }),
          'INVALID_INPUT',
          'pan',
        );
        await rejectsWith(addTestCard(t.db, deps, { ...w, brand: 'JCB' as never }), 'INVALID_INPUT', 'brand');
      });
    });

    describe('token lifecycle', () => {
      it('suspends, resumes and deletes a token; unknown refs are NOT_FOUND, deleted ones stay deleted', async () => {
        const w = newWallet();
        const token = issued(await addTestCard(t.db, deps, { ...w, brand: 'DS' }));
        assert.equal((await suspendToken(t.db, deps, token.tokenRef)).status, 'SUSPENDED');
        assert.equal((await suspendToken(t.db, deps, token.tokenRef)).status, 'SUSPENDED');
        assert.equal((await resumeToken(t.db, deps, token.tokenRef)).status, 'ACTIVE');
        assert.equal((await deleteToken(t.db, deps, token.tokenRef)).status, 'DELETED');
        assert.equal((await deleteToken(t.db, deps, token.tokenRef)).status, 'DELETED');
        await rejectsWith(resumeToken(t.db, deps, token.tokenRef), 'CONFLICT');
        await rejectsWith(suspendToken(t.db, deps, 'TRVI0000'), 'NOT_FOUND');
        assert.equal(await getToken(t.db, 'TRVI0000'), undefined);
      });
    });

    describe('cryptograms', () => {
      async function payWith(pan?: string) {
        const w = newWallet();
        const token = issued(
          await addTestCard(t.db, deps, {
            ...w,
            brand: pan?.startsWith('5') ? 'MC' : 'VI',
            ...(pan ? { pan } : {}),
          }),
        );
        const c = await mintCryptogram(t.db, deps, {
          tokenRef: token.tokenRef,
          amountMinor: '9876',
          currency: 'usd',
          merchantRef: 'service-123',
          at: clock.now(),
        });
        return { token, c };
      }

      function asPresented(c: PaymentCryptogram) {
        // What the acquirer has: the decrypted credential (all strings) and its merchant reference.
        return {
          tokenPan: c.tokenPan,
          tokenPanExpiration: c.tokenPanExpiration,
          cryptogram: c.cryptogram,
          amountMinor: c.amountMinor,
          currency: c.currency,
          merchantRef: c.merchantRef,
          utc: String(c.utc),
        };
      }

      it('mints the token PAN, MMYY expiry, a 20-byte cryptogram and the brand’s ECI', async () => {
        const { token, c } = await payWith();
        assert.equal(c.tokenPan, token.tokenPan);
        assert.equal(c.tokenPanExpiration, '0129');
        assert.equal(Buffer.from(c.cryptogram, 'base64').length, 20);
        assert.equal(c.eciIndicator, '05');
        assert.equal(c.brand, 'VI');
        assert.equal(c.fundingLast4, '1111');
        assert.equal(c.currency, 'USD');
        assert.equal(c.utc, clock.now());
        const mc = await payWith('5555555555554444');
        assert.equal(mc.c.eciIndicator, '5');
        const again = await mintCryptogram(t.db, deps, {
          tokenRef: token.tokenRef,
          amountMinor: '9876',
          currency: 'USD',
          merchantRef: 'service-123',
          at: c.utc,
        });
        assert.notEqual(again.cryptogram, c.cryptogram, 'two payments never share a cryptogram');
      });

      it('validates a cryptogram once and rejects its replay', async () => {
        const { c } = await payWith();
        assert.deepEqual(await validateCryptogram(t.db, deps, asPresented(c)), {
          valid: true,
          tokenRef: c.tokenRef,
          brand: 'VI',
          fundingLast4: '1111',
        });
        const replay = await validateCryptogram(t.db, deps, asPresented(c));
        assert.equal(replay.valid, false);
        assert.equal(replay.valid ? '' : replay.reason, 'REPLAYED');
      });

      it('accepts the same amount written with leading zeros and the currency in lower case', async () => {
        const { c } = await payWith();
        const result = await validateCryptogram(t.db, deps, {
          ...asPresented(c),
          amountMinor: '009876',
          currency: 'usd',
        });
        assert.equal(result.valid, true);
      });

      it('rejects a cryptogram presented with another amount, currency, merchant, time or expiry', async () => {
        const { c } = await payWith();
        const presented = asPresented(c);
        for (const change of [
          { amountMinor: '9877' },
          { currency: 'EUR' },
          { merchantRef: 'service-124' },
          { utc: String(c.utc + 1) },
          { tokenPanExpiration: '0230' },
          { cryptogram: Buffer.alloc(20).toString('base64') },
          { cryptogram: Buffer.from('short').toString('base64') },
        ]) {
          const result = await validateCryptogram(t.db, deps, { ...presented, ...change });
          assert.equal(
            result.valid ? '' : result.reason,
            'CRYPTOGRAM_MISMATCH',
            JSON.stringify(Object.keys(change)),
          );
        }
        // None of those used it up.
        assert.equal((await validateCryptogram(t.db, deps, presented)).valid, true);
      });

      it('rejects a cryptogram older than its lifetime on the injected clock', async () => {
        const { c } = await payWith();
        clock.advance(cryptogramLifetimeMs + 1);
        try {
          const result = await validateCryptogram(t.db, deps, asPresented(c));
          assert.equal(result.valid ? '' : result.reason, 'EXPIRED');
        } finally {
          clock.set(Date.UTC(2026, 0, 15, 12));
        }
      });

      it('rejects an unknown or deleted token PAN as UNKNOWN_TOKEN', async () => {
        const { token, c } = await payWith();
        const unknown = await validateCryptogram(t.db, deps, {
          ...asPresented(c),
          tokenPan: '4111111111111111',
        });
        assert.equal(unknown.valid ? '' : unknown.reason, 'UNKNOWN_TOKEN');
        await deleteToken(t.db, deps, token.tokenRef);
        const deleted = await validateCryptogram(t.db, deps, asPresented(c));
        assert.equal(deleted.valid ? '' : deleted.reason, 'UNKNOWN_TOKEN');
      });

      it('declines payments of the magic insufficient-funds and declined PANs, and of suspended tokens', async () => {
        const poor = await payWith(magicPans.VI.INSUFFICIENT_FUNDS);
        assert.deepEqual(await validateCryptogram(t.db, deps, asPresented(poor.c)), {
          valid: false,
          reason: 'DECLINED',
          declineCode: 'INSUFFICIENT_FUNDS',
          message: 'insufficient funds',
          brand: 'VI',
          fundingLast4: magicPans.VI.INSUFFICIENT_FUNDS.slice(-4),
        });
        const refused = await payWith(magicPans.MC.PAYMENT_DECLINED);
        const result = await validateCryptogram(t.db, deps, asPresented(refused.c));
        assert.equal(result.valid ? '' : result.declineCode, 'DO_NOT_HONOR');
        const { token, c } = await payWith();
        await suspendToken(t.db, deps, token.tokenRef);
        const suspended = await validateCryptogram(t.db, deps, asPresented(c));
        assert.equal(suspended.valid ? '' : suspended.declineCode, 'TOKEN_SUSPENDED');
      });

      it('mints nothing for unknown, suspended, deleted or opaque tokens, or bad amounts', async () => {
        const w = newWallet();
        const base = { amountMinor: '100', currency: 'USD', merchantRef: 'm', at: clock.now() };
        await rejectsWith(mintCryptogram(t.db, deps, { ...base, tokenRef: 'TRVI00' }), 'NOT_FOUND');
        const token = issued(await addTestCard(t.db, deps, { ...w, brand: 'VI' }));
        await rejectsWith(
          mintCryptogram(t.db, deps, { ...base, tokenRef: token.tokenRef, amountMinor: '1.00' }),
          'INVALID_INPUT',
          'amountMinor',
        );
        await rejectsWith(
          mintCryptogram(t.db, deps, { ...base, tokenRef: token.tokenRef, currency: 'US' }),
          'INVALID_INPUT',
          'currency',
        );
        await suspendToken(t.db, deps, token.tokenRef);
        await rejectsWith(mintCryptogram(t.db, deps, { ...base, tokenRef: token.tokenRef }), 'CONFLICT');
        await deleteToken(t.db, deps, token.tokenRef);
        await rejectsWith(mintCryptogram(t.db, deps, { ...base, tokenRef: token.tokenRef }), 'NOT_FOUND');
        const opaque = issued(
          await tokenizeIssuerBlob(t.db, deps, { issuerBlob: 'opaque-1', ...w, acceptOpaqueBlobs: true }),
        );
        await rejectsWith(mintCryptogram(t.db, deps, { ...base, tokenRef: opaque.tokenRef }), 'CONFLICT');
      });

      it('lets exactly one of two concurrent validations of one cryptogram through', async () => {
        const { c } = await payWith();
        const results = await Promise.all([
          validateCryptogram(t.db, deps, asPresented(c)),
          validateCryptogram(t.db, deps, asPresented(c)),
        ]);
        assert.deepEqual(results.map((r) => (r.valid ? 'ok' : r.reason)).sort(), ['REPLAYED', 'ok']);
      });
    });
  });
}
