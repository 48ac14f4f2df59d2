import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCa, generateKeyAndCsr, signCsr } from '../core/pki.ts';
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/index.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: { field: string; reason: string }[] };
}

describe('partner admin API', () => {
  let p: TestPlatform;
  let csrPem: string;

  before(async () => {
    p = await startTestPlatform();
    ({ csrPem } = await generateKeyAndCsr({ commonName: 'Route partner' }));
  });

  after(async () => {
    await p.close();
  });

  const call = async (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
    token = TEST_ADMIN_TOKEN,
  ) => {
    const res = await p.app.main.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: res.statusCode, json: res.json() as Record<string, unknown> & ErrorBody };
  };

  const fields = (body: ErrorBody) => body.error.details?.map((d) => d.field) ?? [];

  async function newPartner(extra: Record<string, unknown> = {}) {
    const res = await call('POST', '/admin/v1/partners', { name: 'Route partner', csrPem, ...extra });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json as unknown as { partnerId: string; certificateId: string; outboundCsrPem: string };
  }

  test('refuses every route without the admin token', async () => {
    for (const [method, url] of [
      ['GET', '/admin/v1/partners'],
      ['POST', '/admin/v1/partners'],
      ['GET', '/admin/v1/cards'],
      ['POST', '/admin/v1/services'],
    ] as const) {
      const res = await call(method, url, method === 'POST' ? {} : undefined, 'wrong-token');
      assert.equal(res.status, 401, `${method} ${url}`);
      assert.equal(res.json.error.code, 'UNAUTHORIZED');
    }
  });

  test('creates a partner: 201 with ids and every certificate the partner needs', async () => {
    const res = await call('POST', '/admin/v1/partners', {
      name: 'Route partner',
      csrPem,
      notifyUrl: 'https://bank.example',
      allowIps: ['192.0.2.1'],
    });
    assert.equal(res.status, 201);
    for (const key of [
      'partnerId',
      'certificateId',
      'clientCertificatePem',
      'caCertificatePem',
      'platformCertificatePem',
      'authCertificatePem',
      'outboundCsrPem',
    ])
      assert.equal(typeof res.json[key], 'string', key);
    const shown = await call('GET', `/admin/v1/partners/${res.json['partnerId']}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.json['allowIps'], ['192.0.2.1/32']);
    assert.equal((shown.json['certificates'] as unknown[]).length, 1);
    assert.doesNotMatch(JSON.stringify(shown.json), /PRIVATE KEY/);
    const list = await call('GET', '/admin/v1/partners');
    assert.ok(
      (list.json['partners'] as { partnerId: string }[]).some((x) => x.partnerId === res.json['partnerId']),
    );
  });

  test('names every missing or unknown field of a partner body', async () => {
    const res = await call('POST', '/admin/v1/partners', { notifyUrl: 'not a url', color: 'blue' });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'INVALID_INPUT');
    const f = fields(res.json);
    for (const name of ['name', 'csrPem', 'notifyUrl', 'color'])
      assert.ok(f.includes(name), `missing ${name} in ${f}`);
    const missing = res.json.error.details?.find((d) => d.field === 'name');
    assert.equal(missing?.reason, 'required');
  });

  test('answers 400 naming csrPem for a text that is not a CSR', async () => {
    const res = await call('POST', '/admin/v1/partners', { name: 'x', csrPem: 'hello' });
    assert.equal(res.status, 400);
    assert.deepEqual(fields(res.json), ['csrPem']);
    assert.match(res.json.error.message, /not a PEM certificate request/);
  });

  test('answers 400 naming csrPem for an RSA-1024 CSR', async () => {
    const short = await generateKeyAndCsr({ commonName: 'short', bits: 1024 });
    const res = await call('POST', '/admin/v1/partners', { name: 'x', csrPem: short.csrPem });
    assert.equal(res.status, 400);
    assert.deepEqual(fields(res.json), ['csrPem']);
    assert.match(res.json.error.message, /RSA-1024/);
  });

  test('answers 400 for a body that is not JSON, never 500', async () => {
    const res = await p.app.main.inject({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    assert.equal(res.statusCode, 400);
    const arr = await call('POST', '/admin/v1/partners', ['not', 'an', 'object']);
    assert.equal(arr.status, 400);
  });

  test('answers 404 for an unknown partner on every partner route', async () => {
    const unknown = '4'.repeat(32);
    for (const [method, url, body] of [
      ['GET', `/admin/v1/partners/${unknown}`, undefined],
      ['PATCH', `/admin/v1/partners/${unknown}`, { name: 'x' }],
      ['POST', `/admin/v1/partners/${unknown}/revoke`, undefined],
      ['POST', `/admin/v1/partners/${unknown}/certificates`, { csrPem }],
      ['POST', `/admin/v1/partners/${unknown}/certificates/AAAA/revoke`, undefined],
      ['GET', '/admin/v1/partners/not-even-an-id', undefined],
    ] as const) {
      const res = await call(method, url, body);
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.equal(res.json.error.code, 'NOT_FOUND');
    }
    const card = await call('POST', '/admin/v1/cards', {
      partnerId: unknown,
      type: 'ticket',
      subType: 'movies',
      partnerUrl: 'https://x.example',
    });
    assert.equal(card.status, 404);
  });

  test('registers the outbound certificate signed by the partner CA', async () => {
    const created = await newPartner();
    const partnerCa = await createCa({ commonName: 'Route partner CA' });
    const outbound = await signCsr(partnerCa, created.outboundCsrPem, { usage: 'client' });
    const res = await call('POST', `/admin/v1/partners/${created.partnerId}/outbound-certificate`, {
      certificatePem: outbound.certificatePem,
      partnerCaPem: partnerCa.certificatePem,
    });
    assert.equal(res.status, 200);
    assert.equal((res.json['outbound'] as { configured: boolean }).configured, true);
    const bad = await call('POST', `/admin/v1/partners/${created.partnerId}/outbound-certificate`, {
      certificatePem: 'junk',
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(fields(bad.json).sort(), ['partnerCaPem']);
  });

  test('revokes a certificate and then the partner', async () => {
    const created = await newPartner();
    const cert = await call(
      'POST',
      `/admin/v1/partners/${created.partnerId}/certificates/${created.certificateId}/revoke`,
    );
    assert.equal(cert.status, 200);
    assert.equal(cert.json['status'], 'revoked');
    const partner = await call('POST', `/admin/v1/partners/${created.partnerId}/revoke`);
    assert.equal(partner.status, 200);
    assert.equal(partner.json['status'], 'revoked');
  });

  test('creates and lists cards; an unknown type or subtype is a 400 naming the field', async () => {
    const created = await newPartner();
    const base = { partnerId: created.partnerId, partnerUrl: 'https://issuer.example' };
    const ok = await call('POST', '/admin/v1/cards', { ...base, type: 'ticket', subType: 'movies' });
    assert.equal(ok.status, 201);
    assert.match(String(ok.json['cardId']), /^[a-z0-9]{13}$/);
    const badType = await call('POST', '/admin/v1/cards', { ...base, type: 'spaceship', subType: 'others' });
    assert.equal(badType.status, 400);
    assert.deepEqual(fields(badType.json), ['type']);
    const badSub = await call('POST', '/admin/v1/cards', { ...base, type: 'ticket', subType: 'trains' });
    assert.equal(badSub.status, 400);
    assert.deepEqual(fields(badSub.json), ['subType']);
    const listed = await call('GET', `/admin/v1/cards?partnerId=${created.partnerId}`);
    assert.deepEqual(
      (listed.json['cards'] as { cardId: string }[]).map((c) => c.cardId),
      [ok.json['cardId']],
    );
    assert.equal((await call('GET', `/admin/v1/cards/${ok.json['cardId']}`)).status, 200);
    assert.equal((await call('GET', '/admin/v1/cards/zzzzzzzzzzzzz')).status, 404);
    const badFilter = await call('GET', '/admin/v1/cards?partnerId=abc');
    assert.equal(badFilter.status, 400);
    assert.deepEqual(fields(badFilter.json), ['partnerId']);
  });

  test('creates and lists checkout services; a non-CSR key is a 400 naming csrPem', async () => {
    const created = await newPartner();
    const merchant = await generateKeyAndCsr({ commonName: 'merchant' });
    const ok = await call('POST', '/admin/v1/services', {
      partnerId: created.partnerId,
      name: 'Shop',
      csrPem: merchant.csrPem,
      domains: ['shop.example'],
    });
    assert.equal(ok.status, 201);
    assert.match(String(ok.json['serviceId']), /^[0-9a-f]{32}$/);
    const bad = await call('POST', '/admin/v1/services', {
      partnerId: created.partnerId,
      name: 'Shop',
      csrPem: merchant.privateKeyPem,
      domains: ['shop.example'],
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(fields(bad.json), ['csrPem']);
    assert.ok(!JSON.stringify(bad.json).includes(merchant.privateKeyPem.split('\n')[1] as string));
    const listed = await call('GET', '/admin/v1/services');
    assert.ok(
      (listed.json['services'] as { serviceId: string }[]).some((s) => s.serviceId === ok.json['serviceId']),
    );
    assert.equal((await call('GET', `/admin/v1/services/${ok.json['serviceId']}`)).status, 200);
  });
});
