// Test helpers of Save to Pay: the platform with the wallet, token service and Save to Pay
// mounted on a real database, an onboarded partner whose notification receiver is a real
// loopback server answering WA_READY with a sandbox issuerBlob, and an mTLS client.
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IssuerBlobCard } from '@cardport/jose';
import { createIssuerBlob } from '@cardport/jose';
import { type Receiver, startReceiver } from '../core/delivery-test-support.ts';
import type { testDbKinds } from '../core/test-kit.ts';
import {
  onboardTestPartner,
  startTestPlatform,
  type TestPartner,
  type TestPlatform,
} from '../testing/index.ts';
import { getTspPublicKey, tspModule } from '../tsp/index.ts';
import { walletModule } from '../wallet/module.ts';
import { type StartedSession, signUp } from '../wallet/service.ts';
import { saveToPayModule } from './module.ts';

export interface S2pTestBed {
  platform: TestPlatform;
  partner: TestPartner;
  /** The partner's notification endpoint; by default answers WA_READY with a blob of `card`. */
  bank: Receiver;
  urls: { url: string; mtlsUrl: string; mtlsPort: number };
  /** The funding card the bank answers WA_READY with (change it per test). */
  card: IssuerBlobCard;
  /** `rawBody`: JSON text sent as is (e.g. nested too deep for JSON.stringify). */
  api(options: {
    method?: string;
    path: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  }): Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    json: unknown;
  }>;
  signUp(email: string, phone?: string): Promise<StartedSession>;
  close(): Promise<void>;
}

export const validRegistration = {
  email: 'ada@example.com',
  custom: {
    cardName: 'Cardport Platinum',
    cardArtUrl: 'https://bank.example/art.png',
    partnerName: 'Example Bank',
    partnerLogoUrl: 'https://bank.example/logo.png',
    partnerTncUrl: 'https://bank.example/tnc',
  },
};

/** A fresh Request-Id (UUID type of the seed). */
export function newRequestId(): string {
  return `req-${randomUUID()}`;
}

export async function startS2pTestBed(
  options: { kind?: ReturnType<typeof testDbKinds>[number] } = {},
): Promise<S2pTestBed> {
  const platform = await startTestPlatform({
    modules: [walletModule, tspModule, saveToPayModule],
    ...(options.kind ? { kind: options.kind } : {}),
  });
  const urls = await platform.listen();
  // Links (welcome URLs, the QR's initiate URL) point at the real listener.
  platform.app.ctx.config.publicUrl = urls.url;
  const tspKey = await getTspPublicKey(platform.db, platform.app.ctx);
  const bed = { card: { pan: '4111111111111111', expMonth: 12, expYear: 2035 } as IssuerBlobCard };
  const bank = await startReceiver((req, res) => {
    const body = req.json as { event?: { type?: string }; device?: { id: string }; wallet?: { id: string } };
    const responseId = String(req.headers['request-id'] ?? '');
    if (body?.event?.type === 'WA_READY' && body.device && body.wallet) {
      const blob = createIssuerBlob(bed.card, { deviceId: body.device.id, walletId: body.wallet.id }, tspKey);
      res
        .writeHead(200, { 'content-type': 'application/json', 'Response-Id': responseId })
        .end(JSON.stringify({ card: { data: { encryptedData: blob } } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'Response-Id': responseId }).end('{}');
  });
  const partner = await onboardTestPartner(platform, { name: 'Example Bank', notifyUrl: bank.url });
  return {
    platform,
    partner,
    bank,
    urls,
    get card() {
      return bed.card;
    },
    set card(c: IssuerBlobCard) {
      bed.card = c;
    },
    api(req) {
      return new Promise((resolve, reject) => {
        const payload = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
        const r = https.request(
          {
            host: '127.0.0.1',
            port: urls.mtlsPort,
            path: req.path,
            method: req.method ?? (payload ? 'POST' : 'GET'),
            ca: partner.caCertificatePem,
            cert: partner.clientCertificatePem,
            key: partner.clientKeyPem,
            agent: false,
            headers: {
              ...(payload ? { 'content-type': 'application/json' } : {}),
              ...(req.headers ?? {
                'Request-Id': newRequestId(),
                'Partner-Id': partner.partnerId,
              }),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              text += c;
            });
            res.on('end', () => {
              let json: unknown;
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
            });
          },
        );
        r.on('error', reject);
        r.end(payload);
      });
    },
    signUp(email, phone) {
      return signUp(platform.db, platform.clock, { email, ...(phone ? { phone } : {}) });
    },
    async close() {
      await bank.close();
      await platform.close();
    },
  };
}
