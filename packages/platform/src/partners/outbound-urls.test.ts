import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlatformError } from '../core/errors.ts';
import { createCardSchema, createServiceSchema, parseInput, updatePartnerSchema } from './schemas.ts';

// The URLs the platform calls, as registered: notify (partner), partnerUrl (ATW card), healthUrl
// (checkout service). The policy is in docs/operations.md, "Outbound targets".
const partnerId = '1'.repeat(32);
const csrPem = '-----BEGIN CERTIFICATE REQUEST-----';
const registrations: [string, (url: string) => unknown][] = [
  ['notifyUrl', (url) => parseInput(updatePartnerSchema, { notifyUrl: url })],
  [
    'partnerUrl',
    (url) => parseInput(createCardSchema, { partnerId, type: 'ticket', subType: 'movies', partnerUrl: url }),
  ],
  [
    'healthUrl',
    (url) =>
      parseInput(createServiceSchema, {
        partnerId,
        name: 's',
        csrPem,
        domains: ['shop.example'],
        healthUrl: url,
      }),
  ],
];

describe('outbound targets at registration', () => {
  it('refuses every URL that is not http or https', () => {
    const refused = [
      'file:///etc/passwd',
      'ftp://bank.example',
      'gopher://bank.example',
      'javascript:alert(1)',
      'data:text/plain,x',
      'ws://bank.example',
      '//bank.example/x',
      'bank.example',
    ];
    for (const [field, register] of registrations) {
      for (const url of refused) {
        assert.throws(
          () => register(url),
          (err) =>
            isPlatformError(err) &&
            err.code === 'INVALID_INPUT' &&
            err.details?.some((d) => d.field === field) === true,
          `${field} ${url}`,
        );
      }
    }
  });

  it('refuses a user name or password in the URL, which would reach delivery records and logs', () => {
    for (const [field, register] of registrations) {
      for (const url of ['https://bank:s3cret@bank.example', 'http://bank@127.0.0.1:9000']) {
        assert.throws(
          () => register(url),
          (err) =>
            isPlatformError(err) &&
            err.details?.some((d) => d.field === field && /user name or password/.test(d.reason)) === true &&
            !err.message.includes('s3cret'),
          `${field} ${url}`,
        );
      }
    }
  });

  it('accepts http and https, loopback and private addresses included (a sandbox by design)', () => {
    for (const [, register] of registrations) {
      for (const url of [
        'https://bank.example/api',
        'http://127.0.0.1:9000',
        'http://[::1]:9000',
        'http://10.0.0.5:8080',
      ]) {
        assert.doesNotThrow(() => register(url), url);
      }
    }
  });
});
