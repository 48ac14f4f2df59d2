import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { ManualClock } from './clock.ts';
import { isPlatformError } from './errors.ts';
import {
  CertificateAuthority,
  createCa,
  createCsr,
  fingerprint256,
  generateKeyAndCsr,
  isIssuedBy,
  loadSandboxPki,
  PLATFORM_AUTH_KEY_NAME,
  parseCsr,
  ROOT_CA_KEY_NAME,
  readCertificate,
  serverHostnames,
  signCsr,
  splitCertificates,
} from './pki.ts';
import { testDbKinds, testKeyStore } from './test-kit.ts';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isPlatformError(err), `expected a PlatformError, got ${String(err)}`);
    assert.equal(err.code, 'INVALID_INPUT');
    return err;
  }
  assert.fail('expected a rejection');
}

for (const kind of testDbKinds()) {
  describe(`sandbox PKI on ${kind.name}`, () => {
    test('creates the root CA on first start and reuses it on the next, private key sealed at rest', async () => {
      const t = await kind.open();
      try {
        const clock = new ManualClock();
        const keys = testKeyStore(clock);
        const first = await loadSandboxPki(t.db, keys, { hostnames: ['127.0.0.1'], clock });
        const second = await loadSandboxPki(t.db, keys, { hostnames: ['127.0.0.1'], clock });
        assert.equal(second.rootCaCertPem, first.rootCaCertPem);
        assert.equal(second.serverCertPem, first.serverCertPem);
        const root = new X509Certificate(first.rootCaCertPem);
        assert.equal(root.ca, true);
        assert.ok(root.checkIssued(root));
        const rows = await t.db.query<{ name: string; private_key_sealed: string }>(
          'SELECT name, private_key_sealed FROM platform_keys',
        );
        const names = rows.map((r) => r.name);
        assert.ok(names.includes(ROOT_CA_KEY_NAME));
        assert.ok(names.includes(PLATFORM_AUTH_KEY_NAME));
        for (const r of rows) {
          assert.match(r.private_key_sealed, /^v1\./);
          assert.doesNotMatch(r.private_key_sealed, /PRIVATE KEY/);
        }
      } finally {
        await t.dispose();
      }
    });

    test('issues the mTLS server certificate for loopback names and the configured host, for serverAuth', async () => {
      const t = await kind.open();
      try {
        const clock = new ManualClock();
        const pki = await loadSandboxPki(t.db, testKeyStore(clock), {
          hostnames: ['sandbox.example.test', '10.1.2.3'],
          clock,
        });
        const server = new X509Certificate(pki.serverCertPem);
        for (const name of [
          'DNS:localhost',
          'IP Address:127.0.0.1',
          'DNS:sandbox.example.test',
          'IP Address:10.1.2.3',
        ])
          assert.ok(server.subjectAltName?.includes(name), `missing SAN ${name}`);
        assert.deepEqual(server.keyUsage, [SERVER_AUTH]);
        assert.ok(isIssuedBy(pki.serverCertPem, pki.rootCaCertPem));
        assert.ok(server.checkPrivateKey(createPrivateKey(pki.serverKeyPem)));
      } finally {
        await t.dispose();
      }
    });

    test('signs a client CSR into a clientAuth certificate that chains to the root CA', async () => {
      const t = await kind.open();
      try {
        const clock = new ManualClock();
        const pki = await loadSandboxPki(t.db, testKeyStore(clock), { hostnames: [], clock });
        const { csrPem } = await generateKeyAndCsr({ commonName: 'Bank of Tests' });
        const issued = await pki.signClientCsr(csrPem);
        const cert = new X509Certificate(issued.certificatePem);
        assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
        assert.equal(cert.ca, false);
        assert.match(cert.subject, /CN=Bank of Tests/);
        assert.ok(isIssuedBy(issued.certificatePem, pki.rootCaCertPem));
        assert.equal(issued.serialNumber, cert.serialNumber);
        assert.equal(issued.fingerprint256, cert.fingerprint256.replace(/:/g, '').toLowerCase());
        assert.ok(issued.notAfter > clock.now());
      } finally {
        await t.dispose();
      }
    });
  });
}

describe('CSR checks', () => {
  test('rejects a text that is not a PEM CSR', async () => {
    const err = await rejection(parseCsr('hello, I am not a CSR'));
    assert.match(err.message, /not a PEM certificate request/);
  });

  test('rejects a certificate given where a CSR is expected', async () => {
    const ca = await createCa({ commonName: 'Some CA' });
    const err = await rejection(parseCsr(ca.certificatePem));
    assert.match(err.message, /is a PEM CERTIFICATE, not a certificate request/);
  });

  test('rejects a private key given as a CSR without echoing it', async () => {
    const { privateKeyPem } = await generateKeyAndCsr({ commonName: 'oops' });
    const err = await rejection(parseCsr(privateKeyPem));
    assert.match(err.message, /private key/);
    assert.ok(!err.message.includes(privateKeyPem.split('\n')[1] as string));
  });

  test('rejects an RSA-1024 CSR: the certificate also signs RS256 tokens', async () => {
    const { csrPem } = await generateKeyAndCsr({ commonName: 'short', bits: 1024 });
    const err = await rejection(parseCsr(csrPem));
    assert.match(err.message, /RSA-1024: at least 2048 bits/);
  });

  test('rejects an EC CSR where an RSA key is required', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const csrPem = await createCsr({
      privateKeyPem: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      commonName: 'ec partner',
    });
    const err = await rejection(parseCsr(csrPem));
    assert.match(err.message, /must be RSA/);
    assert.equal((await parseCsr(csrPem, { anyKey: true })).rsaBits, undefined);
  });

  test('rejects a CSR whose signature does not verify', async () => {
    const { csrPem } = await generateKeyAndCsr({ commonName: 'tampered' });
    const lines = csrPem.split('\n');
    // The last full line before the footer is inside the signature.
    const i = lines.length - 4;
    const line = lines[i] as string;
    lines[i] = (line[0] === 'A' ? 'B' : 'A') + line.slice(1);
    const err = await rejection(parseCsr(lines.join('\n')));
    assert.match(err.message, /signature does not verify/);
  });

  test('reads a valid CSR: subject, RSA size and public key', async () => {
    const { csrPem, publicKeyPem } = await generateKeyAndCsr({ commonName: 'Reader', organization: 'Org' });
    const parsed = await parseCsr(csrPem);
    assert.equal(parsed.rsaBits, 2048);
    assert.match(parsed.subject, /CN=Reader/);
    assert.equal(parsed.publicKeyPem, publicKeyPem);
  });
});

describe('certificate authorities', () => {
  test('a given CA signs a CSR into a server certificate with the requested names', async () => {
    const ca = await createCa({ commonName: 'Partner CA' });
    const { csrPem } = await generateKeyAndCsr({ commonName: 'partner server' });
    const issued = await signCsr(ca, csrPem, { usage: 'server', hostnames: ['localhost', '127.0.0.1'] });
    const cert = new X509Certificate(issued.certificatePem);
    assert.deepEqual(cert.keyUsage, [SERVER_AUTH]);
    assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    assert.ok(isIssuedBy(issued.certificatePem, ca.certificatePem));
  });

  test('refuses a CA key that does not belong to the CA certificate', async () => {
    const a = await createCa({ commonName: 'A' });
    const b = await createCa({ commonName: 'B' });
    const err = await rejection(
      CertificateAuthority.load({ certificatePem: a.certificatePem, privateKeyPem: b.privateKeyPem }),
    );
    assert.match(err.message, /does not belong/);
  });

  test('refuses a CA whose RSA key is shorter than 2048 bits', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const ca = await createCa({ commonName: 'Strong' });
    const err = await rejection(
      CertificateAuthority.load({ certificatePem: ca.certificatePem, privateKeyPem: weak }),
    );
    assert.match(err.message, /RSA-1024/);
  });

  test('refuses a certificate that is not a CA as a CA', async () => {
    const ca = await createCa({ commonName: 'Root' });
    const leaf = await generateKeyAndCsr({ commonName: 'leaf' });
    const issued = await signCsr(ca, leaf.csrPem, { usage: 'client' });
    const err = await rejection(
      CertificateAuthority.load({ certificatePem: issued.certificatePem, privateKeyPem: leaf.privateKeyPem }),
    );
    assert.match(err.message, /not a CA/);
  });

  test('an EC partner CA signs an RSA client CSR', async () => {
    const ca = await createCa({ commonName: 'EC partner CA', keyType: 'ec' });
    const { csrPem } = await generateKeyAndCsr({ commonName: 'platform outbound' });
    const issued = await signCsr(ca, csrPem, { usage: 'client' });
    assert.ok(isIssuedBy(issued.certificatePem, ca.certificatePem));
    assert.equal(new X509Certificate(ca.certificatePem).publicKey.asymmetricKeyType, 'ec');
  });

  test('certificate windows cover both the real and the sandbox clock', async () => {
    const clock = new ManualClock(Date.now() + 30 * 86_400_000);
    const ca = await createCa({ commonName: 'Future', clock });
    const info = readCertificate(ca.certificatePem);
    assert.ok(info.notBefore <= Date.now());
    assert.ok(info.notAfter > clock.now());
  });
});

describe('helpers', () => {
  test('fingerprint256 is the lower-case hex SHA-256 of the DER certificate', async () => {
    const ca = await createCa({ commonName: 'fp' });
    const node = new X509Certificate(ca.certificatePem);
    assert.equal(fingerprint256(ca.certificatePem), node.fingerprint256.replace(/:/g, '').toLowerCase());
    assert.equal(fingerprint256(node.raw), fingerprint256(ca.certificatePem));
  });

  test('splitCertificates returns every certificate of a bundle and refuses text without one', async () => {
    const a = await createCa({ commonName: 'a' });
    const b = await createCa({ commonName: 'b' });
    assert.equal(splitCertificates(`${a.certificatePem}\n${b.certificatePem}`).length, 2);
    assert.throws(() => splitCertificates('nothing here'), /not a PEM certificate/);
  });

  test('server hostnames always include the loopback names and skip unspecified addresses', () => {
    assert.deepEqual(serverHostnames(['0.0.0.0', 'Sandbox.Example']), [
      '127.0.0.1',
      '::1',
      'localhost',
      'sandbox.example',
    ]);
  });
});
