import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateMerchantKey } from './csr.ts';

describe('generateMerchantKey', () => {
  it('makes a CSR that openssl verifies, with the subject and the key', async () => {
    const { privateKeyPem, csrPem } = await generateMerchantKey({
      commonName: 'Shop merchant',
      organization: 'Demo',
    });
    const dir = mkdtempSync(join(tmpdir(), 'csr-'));
    writeFileSync(join(dir, 'req.pem'), csrPem);
    writeFileSync(join(dir, 'key.pem'), privateKeyPem);
    const text = execFileSync(
      'openssl',
      ['req', '-in', join(dir, 'req.pem'), '-noout', '-verify', '-subject'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    assert.match(text, /CN\s*=\s*Shop merchant/);
    const fromCsr = execFileSync('openssl', ['req', '-in', join(dir, 'req.pem'), '-noout', '-pubkey'], {
      encoding: 'utf8',
    });
    const fromKey = execFileSync('openssl', ['pkey', '-in', join(dir, 'key.pem'), '-pubout'], {
      encoding: 'utf8',
    });
    assert.equal(fromCsr, fromKey);
  });
});
