// First-run onboarding of the demo shop through the platform's admin API (as an operator would
// with `cardport partner create` and `cardport service create`), kept under
// $CARDPORT_HOME/demos/shop/ so restarts reuse the partner, the merchant key and the service.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMerchantKey } from '@cardport/sdk';

export interface ShopIdentity {
  partnerId: string;
  serviceId: string;
  merchantKeyPem: string;
}

interface Saved {
  partnerId: string;
  serviceId: string;
  domain: string;
  healthUrl: string;
}

async function admin<T>(
  platformUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${platformUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as T & { error?: { message?: string } };
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${json.error?.message ?? ''}`);
  return json;
}

export async function onboard(opts: {
  platformUrl: string;
  home: string;
  shopUrl: string;
}): Promise<ShopIdentity> {
  const dir = join(opts.home, 'demos', 'shop');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'merchant-key.pem');
  const csrPath = join(dir, 'merchant.csr');
  const savedPath = join(dir, 'shop.json');
  if (!existsSync(keyPath)) {
    const merchant = await generateMerchantKey({
      commonName: 'Cardport demo shop',
      organization: 'Demo shop',
    });
    writeFileSync(keyPath, merchant.privateKeyPem, { mode: 0o600 });
    writeFileSync(csrPath, merchant.csrPem);
  }
  const merchantKeyPem = readFileSync(keyPath, 'utf8');
  const domain = new URL(opts.shopUrl).hostname;
  const healthUrl = `${opts.shopUrl}/samsungpay/integration/health`;
  let saved: Saved | undefined = existsSync(savedPath)
    ? (JSON.parse(readFileSync(savedPath, 'utf8')) as Saved)
    : undefined;
  if (saved && saved.domain === domain && saved.healthUrl === healthUrl) {
    return { partnerId: saved.partnerId, serviceId: saved.serviceId, merchantKeyPem };
  }
  const token = readFileSync(join(opts.home, 'admin-token'), 'utf8').trim();
  let partnerId = saved?.partnerId;
  if (!partnerId) {
    const identity = await generateMerchantKey({ commonName: 'Cardport demo shop (partner)' });
    writeFileSync(join(dir, 'partner-key.pem'), identity.privateKeyPem, { mode: 0o600 });
    partnerId = (
      await admin<{ partnerId: string }>(opts.platformUrl, token, 'POST', '/partners', {
        name: 'Demo shop',
        csrPem: identity.csrPem,
      })
    ).partnerId;
  }
  // The shop's address (port) changed since the last run: register the service for it.
  const service = await admin<{ serviceId: string }>(opts.platformUrl, token, 'POST', '/services', {
    partnerId,
    name: 'Demo shop checkout',
    csrPem: readFileSync(csrPath, 'utf8'),
    domains: [domain],
    healthUrl,
  });
  saved = { partnerId, serviceId: service.serviceId, domain, healthUrl };
  writeFileSync(savedPath, `${JSON.stringify(saved, null, 2)}\n`);
  return { partnerId, serviceId: service.serviceId, merchantKeyPem };
}
