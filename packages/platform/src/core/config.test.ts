import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults give a sandbox on 127.0.0.1:8080 with mTLS on 8443 and an embedded database', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 8080);
  assert.equal(c.mtlsPort, 8443);
  assert.equal(c.publicUrl, 'http://127.0.0.1:8080');
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.masterKey, undefined);
  assert.match(c.home, /\.cardport$/);
});

test('the public URL defaults from host and port and drops a trailing slash when given', () => {
  assert.equal(loadConfig({ CARDPORT_PORT: '9000' }).publicUrl, 'http://127.0.0.1:9000');
  assert.equal(
    loadConfig({ CARDPORT_PUBLIC_URL: 'https://sandbox.example.com/' }).publicUrl,
    'https://sandbox.example.com',
  );
});

test('a master key is accepted as 64 hex characters or base64 of 32 bytes', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(loadConfig({ CARDPORT_MASTER_KEY: hex }).masterKey?.toString('hex'), hex);
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.deepEqual(loadConfig({ CARDPORT_MASTER_KEY: b64 }).masterKey, Buffer.alloc(32, 7));
});

for (const [variable, value] of [
  ['CARDPORT_PORT', 'eighty'],
  ['CARDPORT_PORT', '70000'],
  ['CARDPORT_MTLS_PORT', '-1'],
  ['CARDPORT_PUBLIC_URL', 'ftp://example.com'],
  ['CARDPORT_PUBLIC_URL', 'not a url'],
  ['DATABASE_URL', 'mysql://localhost/x'],
  ['CARDPORT_MASTER_KEY', 'short'],
] as const) {
  test(`bad ${variable}=${value} fails fast with a message naming the variable`, () => {
    assert.throws(
      () => loadConfig({ [variable]: value }),
      (err: unknown) =>
        err instanceof ConfigError && err.variable === variable && err.message.startsWith(`${variable}:`),
    );
  });
}

test('a bad master key never echoes the value it was given', () => {
  const secret = 'zz'.repeat(32);
  assert.throws(
    () => loadConfig({ CARDPORT_MASTER_KEY: secret }),
    (err: unknown) => err instanceof ConfigError && !err.message.includes(secret),
  );
});
