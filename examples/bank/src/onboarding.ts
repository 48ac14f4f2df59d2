// One-time onboarding through the platform's admin API (what a bank does in the Partner Portal):
// a key and CSR, then the partner with its notification URL. Kept under
// $CARDPORT_HOME/demos/bank/ so restarts reuse it. At runtime the demo uses only the SDK.
import 'reflect-metadata';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface BankIdentity {
  partnerId: string;
  keyPem: string;
  certificatePem: string;
  caCertificatePem: string;
  notifyUrl: string;
}

async function csrFor(keyPem: string, publicKeyPem: string, commonName: string): Promise<string> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const keys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', der(keyPem), alg, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', der(publicKeyPem), alg, true, ['verify']),
  };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys: keys as CryptoKeyPair,
    signingAlgorithm: alg,
  });
  return csr.toString('pem');
}

async function admin<T>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /admin/v1${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Reads the saved identity or onboards; updates the notification URL when the demo's port changed. */
export async function ensureOnboarded(options: {
  platformUrl: string;
  home: string;
  notifyUrl: string;
}): Promise<BankIdentity> {
  const dir = join(options.home, 'demos', 'bank');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'identity.json');
  const token = readFileSync(join(options.home, 'admin-token'), 'utf8').trim();
  let identity: BankIdentity | undefined;
  if (existsSync(file)) identity = JSON.parse(readFileSync(file, 'utf8')) as BankIdentity;
  if (identity) {
    const res = await fetch(`${options.platformUrl}/admin/v1/partners/${identity.partnerId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status === 404) identity = undefined;
  }
  if (!identity) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const csrPem = await csrFor(
      keyPem,
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'Cardport Demo Bank',
    );
    const created = await admin<{
      partnerId: string;
      clientCertificatePem: string;
      caCertificatePem: string;
    }>(options.platformUrl, token, 'POST', '/partners', {
      name: 'Cardport Demo Bank',
      csrPem,
      notifyUrl: options.notifyUrl,
    });
    identity = {
      partnerId: created.partnerId,
      keyPem,
      certificatePem: created.clientCertificatePem,
      caCertificatePem: created.caCertificatePem,
      notifyUrl: options.notifyUrl,
    };
  } else if (identity.notifyUrl !== options.notifyUrl) {
    await admin(options.platformUrl, token, 'PATCH', `/partners/${identity.partnerId}`, {
      notifyUrl: options.notifyUrl,
    });
    identity.notifyUrl = options.notifyUrl;
  }
  writeFileSync(file, JSON.stringify(identity, null, 2), { mode: 0o600 });
  return identity;
}
