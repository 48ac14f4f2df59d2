// Test helpers of Add to Wallet: a platform with the wallet and this domain, an onboarded partner
// with a registered card, the partner's server (real HTTP on port 0) and cdata made with the
// partner's keys, as partner code would.
import { createPrivateKey, createSign, type KeyObject, X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthToken, createCdata } from '@cardport/jose';
import type { TestDbKind } from '../core/test-kit.ts';
import { createCard } from '../partners/service.ts';
import {
  onboardTestPartner,
  startTestPlatform,
  type TestPartner,
  type TestPlatform,
} from '../testing/index.ts';
import { walletModule } from '../wallet/module.ts';
import * as wallet from '../wallet/service.ts';
import { walletCardsModule } from './module.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A partner server: records every request; Get Card Data answers come from `cards` (or `status`). */
export interface PartnerServer {
  url: string;
  requests: RecordedRequest[];
  /** refId → the `{card}` (or `{cdata}`) answer of Get Card Data; absent → 204. */
  answers: Map<string, unknown>;
  /** Forces the status of Get Card Data (e.g. 500, 401). */
  forceStatus: number | undefined;
  close(): Promise<void>;
}

export async function startPartnerServer(): Promise<PartnerServer> {
  const requests: RecordedRequest[] = [];
  const answers = new Map<string, unknown>();
  const state: { forceStatus: number | undefined } = { forceStatus: undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.method === 'GET') {
        if (state.forceStatus !== undefined) {
          res.writeHead(state.forceStatus).end();
          return;
        }
        const refId = decodeURIComponent((req.url ?? '').split('?')[0]?.split('/').pop() ?? '');
        const answer = answers.get(refId);
        if (answer === undefined) {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/partner`,
    requests,
    answers,
    get forceStatus() {
      return state.forceStatus;
    },
    set forceStatus(v: number | undefined) {
      state.forceStatus = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface AtwFixture {
  p: TestPlatform;
  partner: TestPartner;
  partnerKey: KeyObject;
  platformPublicKey: KeyObject;
  authPublicKey: KeyObject;
  cardId: string;
  server: PartnerServer;
  /** A signed-in wallet session (bearer token) of a fresh account. */
  session: { token: string; userId: string; deviceId: string; country: string };
  cdata(card: unknown, options?: { partner?: TestPartner; now?: number }): string;
  /** An AUTH token of this partner for a Server API request. */
  auth(method: string, path: string, options?: { now?: number; partner?: TestPartner }): string;
  close(): Promise<void>;
}

export async function startAtwFixture(
  kind?: TestDbKind,
  options: { type?: string; subType?: string } = {},
): Promise<AtwFixture> {
  const p = await startTestPlatform({
    ...(kind ? { kind } : {}),
    modules: [walletModule, walletCardsModule],
  });
  const partner = await onboardTestPartner(p, { name: 'Cinema partner' });
  const server = await startPartnerServer();
  const card = await createCard(p.app.ctx, {
    partnerId: partner.partnerId,
    type: options.type ?? 'ticket',
    subType: options.subType ?? 'movies',
    partnerUrl: server.url,
  });
  const s = await wallet.signUp(p.db, p.clock, { email: `holder-${card.cardId}@example.com`, country: 'KR' });
  const partnerKey = createPrivateKey(partner.clientKeyPem);
  const platformPublicKey = new X509Certificate(partner.platformCertificatePem).publicKey;
  const authPublicKey = new X509Certificate(partner.authCertificatePem).publicKey;
  return {
    p,
    partner,
    partnerKey,
    platformPublicKey,
    authPublicKey,
    cardId: card.cardId,
    server,
    session: { token: s.token, userId: s.account.userId, deviceId: s.device.deviceId, country: 'KR' },
    cdata(cardObject, o = {}) {
      const who = o.partner ?? partner;
      return createCdata(cardObject, {
        partnerId: who.partnerId,
        certificateId: who.certificateId,
        partnerKey: createPrivateKey(who.clientKeyPem),
        platformPublicKey: new X509Certificate(who.platformCertificatePem).publicKey,
        now: () => o.now ?? p.clock.realNow(),
      });
    },
    auth(method, path, o = {}) {
      const who = o.partner ?? partner;
      return createAuthToken({
        method,
        path,
        partnerId: who.partnerId,
        certificateId: who.certificateId,
        privateKey: createPrivateKey(who.clientKeyPem),
        now: () => o.now ?? p.clock.realNow(),
      });
    },
    async close() {
      await server.close();
      await p.close();
    },
  };
}

/** A compact RS256 JWS over `payload` with any header: to build tokens the SDK would never make. */
export function signRaw(header: Record<string, unknown>, payload: string, key: KeyObject): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  const sig = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${sig}`;
}

/** The JWE inside a cdata token (its JWS payload). */
export function innerJwe(cdata: string): string {
  return Buffer.from(cdata.split('.')[1] ?? '', 'base64url').toString('latin1');
}

/** A ticket card object with `n` data objects. */
export function ticketCard(n = 1, extra: Record<string, unknown> = {}, now = Date.UTC(2026, 0, 1)) {
  return {
    card: {
      type: 'ticket',
      subType: 'movies',
      data: Array.from({ length: n }, (_, i) => ({
        refId: `ref-${i + 1}-x7Kq`,
        createdAt: now,
        updatedAt: now,
        language: 'en',
        attributes: {
          title: 'Parasite',
          mainImg: 'https://example.com/parasite.png',
          logoImage: 'https://example.com/logo.png',
          providerName: 'Cardport Cinema',
          eventId: 'show-42',
          seatNumber: 'F12',
          startDate: now + 86_400_000,
          'barcode.value': `TICKET-${i + 1}`,
          'barcode.serialType': 'QRCODE',
          'barcode.ptFormat': 'QRCODESERIAL',
          'barcode.ptSubFormat': 'QR_CODE',
          ...extra,
        },
        localization: [{ language: 'ko', attributes: { title: '기생충' } }],
      })),
    },
  };
}
