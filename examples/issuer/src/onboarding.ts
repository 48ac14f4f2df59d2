// One-time onboarding through the platform's admin API (what a partner does in the Partner
// Portal): a key and CSR, the partner, and one card registration per product. Kept under
// $CARDPORT_HOME/demos/issuer/ so restarts reuse them. At runtime the demo uses only the SDK.
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IssuerIdentity {
  partnerId: string;
  certificateId: string;
  keyPem: string;
  /** The platform's certificate for this partner: cdata is encrypted to it. */
  platformCertificatePem: string;
  /** Verifies the platform's AUTH tokens on Get Card Data and Send Card State. */
  authCertificatePem: string;
  /** Card ids by product, with the partner URL they were registered for. */
  cards: Record<'ticket' | 'boardingpass', { cardId: string; partnerUrl: string }>;
}

async function csrFor(keyPem: string, publicKeyPem: string, commonName: string): Promise<string> {
  // Loaded for the first onboarding only (with reflect-metadata, which it needs): a restart with
  // a saved identity makes no CSR, and the demo stays about 17 MB smaller.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
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

/** Reads the saved identity, or onboards; registers cards again when the demo's URL changed. */
export async function ensureOnboarded(options: {
  platformUrl: string;
  home: string;
  partnerUrl: string;
}): Promise<IssuerIdentity> {
  const dir = join(options.home, 'demos', 'issuer');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'identity.json');
  const token = readFileSync(join(options.home, 'admin-token'), 'utf8').trim();
  let identity: IssuerIdentity | undefined;
  if (existsSync(file)) identity = JSON.parse(readFileSync(file, 'utf8')) as IssuerIdentity;
  if (identity) {
    // The platform may have been reset: check the partner still exists.
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
      'Cardport Cinema and Air',
    );
    const created = await admin<{
      partnerId: string;
      certificateId: string;
      platformCertificatePem: string;
      authCertificatePem: string;
    }>(options.platformUrl, token, 'POST', '/partners', {
      name: 'Cardport Cinema & Air (demo issuer)',
      csrPem,
    });
    identity = {
      partnerId: created.partnerId,
      certificateId: created.certificateId,
      keyPem,
      platformCertificatePem: created.platformCertificatePem,
      authCertificatePem: created.authCertificatePem,
      cards: {} as IssuerIdentity['cards'],
    };
  }
  for (const [product, type, subType] of [
    ['ticket', 'ticket', 'movies'],
    ['boardingpass', 'boardingpass', 'airlines'],
  ] as const) {
    if (identity.cards[product]?.partnerUrl === options.partnerUrl) continue;
    const card = await admin<{ cardId: string }>(options.platformUrl, token, 'POST', '/cards', {
      partnerId: identity.partnerId,
      type,
      subType,
      partnerUrl: options.partnerUrl,
    });
    identity.cards[product] = { cardId: card.cardId, partnerUrl: options.partnerUrl };
  }
  writeFileSync(file, JSON.stringify(identity, null, 2), { mode: 0o600 });
  return identity;
}
