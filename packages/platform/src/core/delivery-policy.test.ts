import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isRetryableStatus,
  maxRetryAfterMs,
  nextRetryDelay,
  parseRetryAfter,
  redactHeaders,
  responseExcerpt,
  retryScheduleMs,
} from './delivery-policy.ts';

describe('retry policy', () => {
  it('publishes the schedule 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    assert.deepEqual(retryScheduleMs, [5e3, 3e5, 1.8e6, 7.2e6, 1.8e7, 3.6e7, 3.6e7]);
  });

  it('spreads each delay by at most 10% either way', () => {
    for (const [i, base] of retryScheduleMs.entries()) {
      assert.equal(nextRetryDelay(i, { random: () => 0 }), Math.round(base * 0.9));
      assert.equal(nextRetryDelay(i, { random: () => 1 }), Math.round(base * 1.1));
      assert.equal(nextRetryDelay(i, { random: () => 0.5 }), base);
    }
  });

  it('declares the job dead after the last delay of the schedule', () => {
    assert.equal(nextRetryDelay(retryScheduleMs.length), undefined);
    assert.equal(nextRetryDelay(0, { schedule: [] }), undefined);
  });

  it('waits for Retry-After when it is longer than the schedule, and for the schedule otherwise', () => {
    assert.equal(nextRetryDelay(0, { retryAfterMs: 120_000, random: () => 0.5 }), 120_000);
    assert.equal(nextRetryDelay(1, { retryAfterMs: 1_000, random: () => 0.5 }), 300_000);
  });

  it('retries 408, 429 and 5xx, and nothing else', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of [200, 301, 400, 401, 403, 404, 409, 422])
      assert.equal(isRetryableStatus(s), false, String(s));
  });
});

describe('parseRetryAfter', () => {
  const wallNow = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('120', undefined, wallNow), 120_000);
    assert.equal(parseRetryAfter(' 0 ', undefined, wallNow), 0);
  });

  it("reads an HTTP date against the response's own Date header", () => {
    const date = 'Wed, 01 Jan 2025 00:00:00 GMT';
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:05:00 GMT', date, wallNow), 300_000);
  });

  it('reads an HTTP date against real time when the response has no Date header', () => {
    assert.equal(parseRetryAfter(new Date(wallNow + 90_000).toUTCString(), undefined, wallNow), 90_000);
    assert.equal(parseRetryAfter(new Date(wallNow - 90_000).toUTCString(), undefined, wallNow), 0);
  });

  it('caps the wait at 24 hours and ignores what it cannot read', () => {
    assert.equal(parseRetryAfter(String(7 * 86_400), undefined, wallNow), maxRetryAfterMs);
    assert.equal(parseRetryAfter('soon', undefined, wallNow), undefined);
    assert.equal(parseRetryAfter('-5', undefined, wallNow), undefined);
    assert.equal(parseRetryAfter(undefined, undefined, wallNow), undefined);
  });
});

describe('responseExcerpt', () => {
  it('redacts secret-looking JSON fields at any depth', () => {
    const body = JSON.stringify({
      card: { data: { encryptedData: 'blob' } },
      list: [{ cdata: 'jws', keep: 1 }],
      tokenPan: '4000',
      note: 'ok',
    });
    assert.equal(
      responseExcerpt(body),
      '{"card":{"data":{"encryptedData":"[redacted]"}},"list":[{"cdata":"[redacted]","keep":1}],"tokenPan":"[redacted]","note":"ok"}',
    );
  });

  it('keeps text bodies and cuts long ones at the limit', () => {
    assert.equal(responseExcerpt('plain answer'), 'plain answer');
    const long = 'x'.repeat(5000);
    assert.equal(responseExcerpt(long, 2048), `${'x'.repeat(2048)}…`);
  });

  it('redacts credentials in headers', () => {
    assert.deepEqual(redactHeaders({ authorization: 'Bearer t', 'request-id': 'r' }), {
      authorization: '[redacted]',
      'request-id': 'r',
    });
  });
});
