// The demo bank: a customer page with "Add to Samsung Wallet" buttons (s2p.js from the platform),
// a server that registers the card with SaveToPayClient, and a separate notification endpoint over
// mutual TLS (the platform presents a client certificate from the bank's CA) that answers WA_READY
// with a sandbox issuerBlob for that card and records the outcome the platform notified. Only the
// SDK is used.

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  createIssuerBlob,
  createNotificationsHandler,
  notificationServerTlsOptions,
  SaveToPayApiError,
  type SaveToPayClient,
} from '@cardport/sdk';

/** The bank's customer cards (sandbox test PANs; see docs/token-service.md). */
export const bankCards = [
  {
    id: 'visa',
    name: 'Everyday Visa',
    pan: '4111111111111111',
    expMonth: 12,
    expYear: 2030,
    color: '#1d4ed8',
  },
  {
    id: 'mastercard',
    name: 'Travel Mastercard',
    pan: '5555555555554444',
    expMonth: 6,
    expYear: 2031,
    color: '#b45309',
  },
  {
    id: 'declined',
    name: 'Visa (issuer declines)',
    pan: '4000000000000002',
    expMonth: 12,
    expYear: 2030,
    color: '#6b7280',
  },
] as const;

export interface BankOptions {
  client: SaveToPayClient;
  /** The platform's main URL: s2p.js is loaded from it. */
  platformUrl: string;
  tspPublicKey: KeyObject;
  /**
   * The notification endpoint's TLS: the bank's server certificate and key, and the bank's CA,
   * which must have issued the client certificate the platform presents.
   */
  notificationTls: { cert: string; key: string; ca: string };
  /** Port of the customer site (plain HTTP, for the browser); 0 or absent: any. */
  port?: number;
  /** Port of the notification endpoint (HTTPS, mutual TLS); 0 or absent: any. */
  notificationPort?: number;
  host?: string;
}

export interface Bank {
  /** The customer site (http://127.0.0.1:<port>). */
  url: string;
  /** The notification base URL to register with the platform (https://127.0.0.1:<port>). */
  notifyUrl: string;
  /** Notifications received, in order, per regId. */
  events: Map<string, string[]>;
  /** Makes the notification endpoint fail (HTTP 503) to show a bank that is down. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const asset = (name: string) => readFileSync(new URL(`../public/${name}`, import.meta.url), 'utf8');

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cardSvg(name: string, color: string, last4: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="428" height="270" viewBox="0 0 428 270"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${color}"/><stop offset="1" stop-color="#111827"/></linearGradient></defs><rect width="428" height="270" rx="22" fill="url(#g)"/><circle cx="360" cy="64" r="26" fill="#fff" opacity=".25"/><circle cx="384" cy="64" r="26" fill="#fff" opacity=".18"/><rect x="32" y="40" width="54" height="40" rx="6" fill="#facc15" opacity=".85"/><title>${escapeHtml(name)} ending ${last4}</title></svg>`;
}

const logoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0f766e"/><path d="M14 26 32 14l18 12v4H14zM18 32h6v14h-6zM29 32h6v14h-6zM40 32h6v14h-6zM14 48h36v4H14z" fill="#fff"/></svg>';

function page(platformUrl: string): string {
  const cards = bankCards
    .map(
      (c) => `<li class="bank-card" data-card="${c.id}">
        <img src="/assets/cards/${c.id}.svg" alt="" width="214" height="135">
        <div><strong>${escapeHtml(c.name)}</strong><br><span class="muted">•••• ${c.pan.slice(-4)} · exp ${String(c.expMonth).padStart(2, '0')}/${c.expYear}</span></div>
        <button type="button" class="add" data-add="${c.id}">Add to Samsung Wallet</button>
      </li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cardport Demo Bank</title><link rel="stylesheet" href="/assets/bank.css">
<script src="${escapeHtml(platformUrl)}/s2p/libs/js/s2p.min.js"></script><script src="/assets/bank.js" defer></script></head>
<body><header><img src="/assets/logo.svg" alt="" width="36" height="36"><h1>Cardport Demo Bank</h1></header>
<main><p>Your cards. Push one to Samsung Wallet: scan the code with the Cardport virtual wallet (<a href="${escapeHtml(platformUrl)}/wallet" target="_blank" rel="noopener">open it</a>).</p>
<form id="options"><label>Email of your Samsung account (optional) <input type="email" name="email" autocomplete="off"></label>
<label><input type="checkbox" name="enforceEmailMatching"> The wallet's email must match</label>
<label><input type="checkbox" name="allowOfflineCommunication"> Also send me the link by email</label></form>
<ul class="cards">${cards}</ul>
<section id="outcome" aria-live="polite"><h2>Outcome</h2><p id="result" data-testid="bank-result">Nothing yet.</p><p id="events" data-testid="bank-events"></p></section></main></body></html>`;
}

export async function startBank(options: BankOptions): Promise<Bank> {
  const events = new Map<string, string[]>();
  const cardOfReg = new Map<string, (typeof bankCards)[number]>();
  let down = false;
  let baseUrl = '';
  const record = (regId: string, what: string) => events.set(regId, [...(events.get(regId) ?? []), what]);
  const notifications = createNotificationsHandler({
    // The TLS server already refused clients without a certificate from the bank's CA; the
    // handler checks it again (verifyPlatformClient) and that Partner-Id is the bank's.
    requireClientCertificate: true,
    partnerId: options.client.partnerId,
    onWaReady(n) {
      record(n.event.regId, 'WA_READY');
      const card = cardOfReg.get(n.event.regId);
      if (!card || !n.device || !n.wallet) throw new Error('unknown registration');
      return createIssuerBlob(
        { pan: card.pan, expMonth: card.expMonth, expYear: card.expYear, cardholderName: 'Ada Lovelace' },
        { deviceId: n.device.id, walletId: n.wallet.id },
        options.tspPublicKey,
      );
    },
    onProvisioned(n) {
      record(n.event.regId, 'WA_PROVISIONED');
    },
    onProvisionFailure(n) {
      record(n.event.regId, `WA_PROVISION_FAILURE${n.event.error ? `:${n.event.error}` : ''}`);
    },
  });
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(body));
  };
  const readJson = (req: http.IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let t = '';
      req.on('data', (c) => {
        t += c;
      });
      req.on('end', () => {
        try {
          resolve(JSON.parse(t || '{}'));
        } catch {
          resolve({});
        }
      });
    });
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://bank');
      if (req.method === 'GET' && url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(options.platformUrl));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/assets/bank.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(asset('bank.js'));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/assets/bank.css') {
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(asset('bank.css'));
        return;
      }
      if (req.method === 'GET' && (url.pathname === '/assets/logo.svg' || url.pathname === '/favicon.ico')) {
        res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(logoSvg);
        return;
      }
      const art = /^\/assets\/cards\/([a-z]+)\.svg$/.exec(url.pathname);
      const artCard = art ? bankCards.find((c) => c.id === art[1]) : undefined;
      if (req.method === 'GET' && artCard) {
        res
          .writeHead(200, { 'content-type': 'image/svg+xml' })
          .end(cardSvg(artCard.name, artCard.color, artCard.pan.slice(-4)));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/api/registrations') {
        const body = await readJson(req);
        const card = bankCards.find((c) => c.id === body['card']);
        if (!card) return json(res, 400, { error: 'unknown card' });
        const email = typeof body['email'] === 'string' && body['email'] ? body['email'] : undefined;
        try {
          const reg = await options.client.registrations.create({
            ...(email ? { email, enforceEmailMatching: body['enforceEmailMatching'] === true } : {}),
            ...(email && body['allowOfflineCommunication'] === true
              ? { allowOfflineCommunication: true }
              : {}),
            custom: {
              cardName: card.name,
              cardArtUrl: `${baseUrl}/assets/cards/${card.id}.svg`,
              partnerName: 'Cardport Demo Bank',
              partnerLogoUrl: `${baseUrl}/assets/logo.svg`,
              partnerTncUrl: `${baseUrl}/#terms`,
            },
          });
          cardOfReg.set(reg.id, card);
          return json(res, 201, { regId: reg.id, welcomeUrl: reg.welcomeUrl });
        } catch (err) {
          const e = err instanceof SaveToPayApiError ? err : undefined;
          return json(res, 502, { error: e ? `${e.code} ${e.message}` : 'registration failed' });
        }
      }
      const status = /^\/api\/registrations\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
      if (req.method === 'GET' && status?.[1]) {
        return json(res, 200, { regId: status[1], events: events.get(status[1]) ?? [] });
      }
      json(res, 404, { error: 'not found' });
    } catch {
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    }
  });
  // Server to server: only the platform, with a client certificate issued by the bank's CA, gets
  // past the TLS handshake (notificationServerTlsOptions: requestCert + rejectUnauthorized).
  const notificationServer = https.createServer(
    notificationServerTlsOptions(options.notificationTls),
    async (req, res) => {
      try {
        const url = new URL(req.url ?? '/', 'https://bank');
        if (req.method === 'POST' && url.pathname === '/notifications') {
          if (down) return json(res, 503, { error: 'bank is down' });
          return await notifications.node(req, res);
        }
        json(res, 404, { error: 'not found' });
      } catch {
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
      }
    },
  );
  const host = options.host ?? '127.0.0.1';
  const listen = (s: http.Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
  const close = (s: http.Server) =>
    new Promise<void>((resolve) => {
      if (!s.listening) return resolve();
      s.closeAllConnections();
      s.close(() => resolve());
    });
  try {
    await listen(server, options.port ?? 0);
    await listen(notificationServer, options.notificationPort ?? 0);
  } catch (err) {
    await Promise.all([close(server), close(notificationServer)]);
    throw err;
  }
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    notifyUrl: `https://127.0.0.1:${(notificationServer.address() as AddressInfo).port}`,
    events,
    setDown(value) {
      down = value;
    },
    close: async () => {
      await Promise.all([close(server), close(notificationServer)]);
    },
  };
}
