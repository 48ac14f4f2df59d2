import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDbKinds } from '../core/test-kit.ts';
import { type S2pTestBed, startS2pTestBed, validRegistration } from './test-support.ts';

/** A registration whose `data` nests `levels` objects, as JSON text. */
function nestedRegistration(levels: number): string {
  const registration = JSON.stringify({ ...validRegistration, data: '@' });
  return registration.replace('"@"', `${'{"next":'.repeat(levels)}{}${'}'.repeat(levels)}`);
}

for (const kind of testDbKinds()) {
  describe(`Save to Pay input limits (${kind.name})`, () => {
    let bed: S2pTestBed;
    before(async () => {
      bed = await startS2pTestBed({ kind });
    });
    after(async () => {
      await bed?.close();
    });

    it('refuses registration data nested 5,000 levels deep with 400.1 naming data, and stores nothing', async () => {
      const before = await bed.platform.db.query('SELECT COUNT(*)::int AS n FROM s2p_registrations');
      const res = await bed.api({
        path: '/ext/v1/registrations',
        rawBody: nestedRegistration(5000),
      });
      assert.equal(res.status, 400);
      assert.equal((res.json as { code: string }).code, '400.1');
      assert.deepEqual((res.json as { details: unknown }).details, [
        { field: 'data', reason: 'nested deeper than 64 levels' },
      ]);
      const after = await bed.platform.db.query('SELECT COUNT(*)::int AS n FROM s2p_registrations');
      assert.deepEqual(after, before);
      const shallow = await bed.api({
        path: '/ext/v1/registrations',
        rawBody: nestedRegistration(20),
      });
      assert.equal(shallow.status, 201, JSON.stringify(shallow.json));
    });

    it('answers welcome, status and initiate tokens of over 1,000 characters with 404 in the platform format', async () => {
      const long = `eyJ${'A'.repeat(1500)}`;
      for (const url of [
        `/s2p/v1/welcome/${long}`,
        `/s2p/v1/welcome/${long}/status`,
        `/s2p/v1/initiate/${long}`,
      ]) {
        const res = await bed.platform.app.main.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 404, `${url.slice(0, 20)}: ${res.body.slice(0, 200)}`);
        assert.equal(res.json().error.code, 'NOT_FOUND');
      }
    });
  });
}
