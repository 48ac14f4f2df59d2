import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TtlCache } from './ttl-cache.ts';

describe('TtlCache', () => {
  test('serves a value from memory within its lifetime and loads it again after an invalidation', async () => {
    const cache = new TtlCache<string>(60_000);
    let loads = 0;
    const load = async () => `v${++loads}`;
    assert.equal(await cache.lookup('k', load), 'v1');
    assert.equal(await cache.lookup('k', load), 'v1');
    cache.invalidate();
    assert.equal(await cache.lookup('k', load), 'v2');
  });

  test('loads again once an entry has expired, so changes made elsewhere are seen', async () => {
    const cache = new TtlCache<string>(0);
    let loads = 0;
    const load = async () => `v${++loads}`;
    assert.equal(await cache.lookup('k', load), 'v1');
    assert.equal(await cache.lookup('k', load), 'v2');
  });

  test('does not remember a miss: a row created the next moment is found', async () => {
    const cache = new TtlCache<string>(60_000);
    let row: string | undefined;
    const load = async () => row;
    assert.equal(await cache.lookup('k', load), undefined);
    row = 'created';
    assert.equal(await cache.lookup('k', load), 'created');
  });

  test('shares one load between concurrent lookups of a key', async () => {
    const cache = new TtlCache<string>(60_000);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setImmediate(resolve));
      return 'v';
    };
    assert.deepEqual(await Promise.all([cache.lookup('k', load), cache.lookup('k', load)]), ['v', 'v']);
    assert.equal(loads, 1);
  });

  test('does not store a load that started before an invalidation', async () => {
    const cache = new TtlCache<string>(60_000);
    let release: (v: string) => void = () => {};
    const stale = cache.lookup('k', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate();
    release('before the change');
    assert.equal(await stale, 'before the change');
    assert.equal(await cache.lookup('k', async () => 'after the change'), 'after the change');
  });
});
