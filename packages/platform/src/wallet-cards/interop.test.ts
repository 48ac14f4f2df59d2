// Cross-check with an independent implementation (Debian's python3-jwcrypto): a cdata token made
// by jwcrypto, as a partner using another library would, is accepted by the platform; and the
// AUTH token the platform puts on Send Card State verifies with jwcrypto.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type AtwFixture, startAtwFixture, ticketCard } from './test-support.ts';

const PYTHON = '/usr/bin/python3';

function python(script: string, input: unknown): unknown {
  const probe = spawnSync(PYTHON, ['-c', 'import jwcrypto'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `python3-jwcrypto is required (apt-get install python3-jwcrypto): ${probe.error?.message ?? probe.stderr}`,
    );
  }
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

const makeCdata = `
import json, sys
from jwcrypto import jwe, jws, jwk
from jwcrypto.common import json_encode
a = json.load(sys.stdin)
platform = jwk.JWK.from_pem(a['platformCertificatePem'].encode())
partner = jwk.JWK.from_pem(a['partnerKeyPem'].encode())
e = jwe.JWE(json.dumps(a['card']).encode(), protected=json_encode({'alg': 'RSA1_5', 'enc': 'A128GCM'}))
e.allowed_algs = ['RSA1_5', 'A128GCM']
e.add_recipient(platform)
inner = e.serialize(compact=True)
s = jws.JWS(inner.encode())
s.add_signature(partner, None, json_encode({'alg': 'RS256', 'cty': 'CARD', 'ver': '3', 'certificateId': a['certificateId'], 'partnerId': a['partnerId'], 'utc': a['utc']}))
print(json.dumps({'token': s.serialize(compact=True)}))
`;

const verifyAuth = `
import json, sys
from jwcrypto import jws, jwk
a = json.load(sys.stdin)
key = jwk.JWK.from_pem(a['certificatePem'].encode())
s = jws.JWS()
s.deserialize(a['token'])
s.verify(key, alg='RS256')
print(json.dumps({'header': s.jose_header, 'payload': json.loads(s.payload)}))
`;

describe('cdata and AUTH tokens against python3-jwcrypto', () => {
  let f: AtwFixture;
  before(async () => {
    f = await startAtwFixture();
  });
  after(async () => {
    await f.close();
  });

  test('a cdata token made by jwcrypto is accepted and added', async () => {
    const { token } = python(makeCdata, {
      platformCertificatePem: f.partner.platformCertificatePem,
      partnerKeyPem: f.partner.clientKeyPem,
      certificateId: f.partner.certificateId,
      partnerId: f.partner.partnerId,
      utc: f.p.clock.now(),
      card: ticketCard(1, {}, f.p.clock.now()),
    }) as { token: string };
    const res = await f.p.app.main.inject({
      method: 'POST',
      url: '/atw/api/links/check',
      payload: { link: `/atw/v3/${f.cardId}#Clip?cdata=${token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as { card: { data: { refId: string }[] } }).card.data[0]?.refId, 'ref-1-x7Kq');
  });

  test('the AUTH token of Send Card State verifies with jwcrypto against the platform AUTH certificate', async () => {
    const checked = await f.p.app.main.inject({
      method: 'POST',
      url: '/atw/api/links/check',
      payload: { link: `/atw/v3/${f.cardId}#Clip?cdata=${f.cdata(ticketCard(1, {}, f.p.clock.now()))}` },
    });
    const added = await f.p.app.main.inject({
      method: 'POST',
      url: '/wallet/api/passes',
      headers: { authorization: `Bearer ${f.session.token}` },
      payload: { offerId: (checked.json() as { offerId: string }).offerId },
    });
    assert.equal(added.statusCode, 201, added.body);
    await f.p.app.ctx.delivery.runDue();
    const sent = f.server.requests.find((r) => r.method === 'POST');
    assert.ok(sent);
    const token = String(sent.headers.authorization).replace(/^Bearer /, '');
    const out = python(verifyAuth, { certificatePem: f.partner.authCertificatePem, token }) as {
      header: Record<string, unknown>;
      payload: { API: { method: string; path: string } };
    };
    assert.equal(out.header['cty'], 'AUTH');
    assert.equal(out.header['partnerId'], f.partner.partnerId);
    assert.deepEqual(out.payload.API, { method: 'POST', path: sent.url.split('?')[0] });
  });
});
