import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { createAuthToken } from '@cardport/jose';
import Fastify from 'fastify';
import { type CardStateNotice, registerPartnerCardRoutes } from './partner-handler.ts';

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partnerId = '4048012345678901234';

describe('partner card routes on Fastify', () => {
  test('answers Get Card Data and Send Card State under a prefix, and refuses a bad token', async () => {
    const app = Fastify();
    const notices: CardStateNotice[] = [];
    registerPartnerCardRoutes(app, {
      prefix: '/partner',
      partnerId,
      platformCertificate: platform.publicKey,
      getCardData: (_c, refId) => (refId === 'r1' ? { card: { type: 'ticket', data: [] } } : null),
      onCardState: (n) => {
        notices.push(n);
      },
    });
    const token = (method: string, path: string) =>
      `Bearer ${createAuthToken({ method, path, partnerId, certificateId: 'P', privateKey: platform.privateKey })}`;
    const get = await app.inject({
      method: 'GET',
      url: '/partner/cards/c1/r1',
      headers: { authorization: token('GET', '/partner/cards/c1/r1') },
    });
    assert.equal(get.statusCode, 200);
    assert.deepEqual(get.json(), { card: { type: 'ticket', data: [] } });
    const gone = await app.inject({
      method: 'GET',
      url: '/partner/cards/c1/r2',
      headers: { authorization: token('GET', '/partner/cards/c1/r2') },
    });
    assert.equal(gone.statusCode, 204);
    const post = await app.inject({
      method: 'POST',
      url: '/partner/cards/c1/r1?cc2=US&event=DELETED',
      headers: { authorization: token('POST', '/partner/cards/c1/r1'), 'x-request-id': 'b'.repeat(32) },
      payload: { callback: 'https://us-tsapi.walletsvc.samsung.com' },
    });
    assert.equal(post.statusCode, 200);
    assert.deepEqual(
      notices.map((n) => [n.event, n.cc2, n.callback]),
      [['DELETED', 'US', 'https://us-tsapi.walletsvc.samsung.com']],
    );
    const bad = await app.inject({
      method: 'GET',
      url: '/partner/cards/c1/r1',
      headers: { authorization: token('GET', '/partner/cards/c1/r9') },
    });
    assert.equal(bad.statusCode, 401);
    await app.close();
  });
});
