// The demo issuer's web server: a shop selling a movie ticket and a boarding pass with "Add to
// Samsung Wallet" buttons, the Partner Server API (Get Card Data, Send Card State), and a back
// office that changes seats (Update Notification) and cancels shows and flights (Cancel
// Notification). Built only on @cardport/sdk and the platform's button script.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  boardingPass,
  type CardStateNotice,
  createCdata,
  dataFetchLink,
  dataTransmitLink,
  partnerCardMiddleware,
  ticket,
  WalletServerClient,
} from '@cardport/sdk';
import type { IssuerIdentity } from './onboarding.ts';
import { backOfficePage, orderPage, shopPage } from './pages.ts';

export type Product = 'ticket' | 'boardingpass';

export interface Order {
  refId: string;
  product: Product;
  seat: string;
  /** Ticket: the show; boarding pass: the flight number. */
  eventId: string;
  startDate: number;
  holder: string;
  createdAt: number;
  updatedAt: number;
}

export interface ToldState {
  refId: string;
  event: string;
  cc2: string;
  callback: string | undefined;
  at: number;
}

export interface IssuerState {
  orders: Order[];
  states: ToldState[];
  /** What the back office did, newest first. */
  log: { at: number; text: string }[];
  /** Shows and flights the back office canceled: the shop no longer sells them. */
  canceled?: string[];
}

/**
 * The showing the shop sells: the first of Parasite's daily showings (the first in three days,
 * then one a day later for each canceled one) that the back office has not canceled.
 */
export function currentShowing(
  state: Pick<IssuerState, 'canceled'>,
  now: number,
): { eventId: string; startDate: number } {
  const canceled = new Set(state.canceled ?? []);
  let n = 0;
  while (canceled.has(showingId(n))) n += 1;
  const d = new Date(now);
  // 20:00 UTC: the time the shop shows is the time on the pass, which the wallet shows in UTC.
  return {
    eventId: showingId(n),
    startDate: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 3 + n, 20),
  };
}
const showingId = (n: number) => (n === 0 ? SHOW.eventId : `${SHOW.eventId}-${n + 1}`);

/** How the shop and the back office write a show's time: the same as the pass. */
export function showTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const SHOW = { eventId: 'show-parasite-0110', title: 'Parasite', screen: 'Screen 3' };
export const FLIGHT = { number: 'KE123', from: 'ICN', to: 'LAX' };

export interface IssuerOptions {
  platformUrl: string;
  selfUrl: string;
  identity: IssuerIdentity;
  /** Where orders and told states are kept across restarts. */
  dataFile?: string;
}

export function createIssuer(options: IssuerOptions) {
  const { identity, platformUrl, selfUrl } = options;
  const state: IssuerState =
    options.dataFile && existsSync(options.dataFile)
      ? (JSON.parse(readFileSync(options.dataFile, 'utf8')) as IssuerState)
      : { orders: [], states: [], log: [] };
  const save = () => {
    if (options.dataFile) writeFileSync(options.dataFile, JSON.stringify(state, null, 2));
  };
  const note = (text: string) => {
    state.log.unshift({ at: Date.now(), text });
    state.log.length = Math.min(state.log.length, 50);
  };

  const cardIdOf = (p: Product) => identity.cards[p].cardId;
  let cdataWarned = false;

  /** The card object of an order, as the wallet should show it now. */
  function cardObject(order: Order) {
    const common = { refId: order.refId, createdAt: order.createdAt, updatedAt: order.updatedAt };
    if (order.product === 'ticket') {
      return ticket('movies', [
        {
          ...common,
          attributes: {
            title: SHOW.title,
            mainImg: `${selfUrl}/img/poster.svg`,
            logoImage: `${selfUrl}/img/cinema.svg`,
            providerName: 'Cardport Cinema',
            eventId: order.eventId,
            startDate: order.startDate,
            placeName: SHOW.screen,
            seatNumber: order.seat,
            user: order.holder,
            bgColor: '#3B0A45',
            fontColor: '#FFFFFF',
            'barcode.value': `CINEMA-${order.refId}`,
            'barcode.serialType': 'QRCODE',
            'barcode.ptFormat': 'QRCODESERIAL',
            'barcode.ptSubFormat': 'QR_CODE',
          },
          localization: [{ language: 'ko', attributes: { title: '기생충', placeName: '3관' } }],
        },
      ]);
    }
    return boardingPass('airlines', [
      {
        ...common,
        attributes: {
          title: `${FLIGHT.number} ${FLIGHT.from} → ${FLIGHT.to}`,
          providerLogo: `${selfUrl}/img/air.svg`,
          providerName: 'Cardport Air',
          seatNumber: order.seat,
          user: order.holder,
          vehicleNumber: order.eventId,
          seatClass: 'Economy',
          departCode: FLIGHT.from,
          arriveCode: FLIGHT.to,
          estimatedOrActualStartDate: order.startDate,
          bgColor: '#0B3A66',
          'barcode.value': `M1${order.holder.replace(/\W/g, '')}/${order.refId}`,
          'barcode.serialType': 'QRCODE',
          'barcode.ptFormat': 'QRCODE',
          'barcode.ptSubFormat': 'QR_CODE',
        },
      },
    ]);
  }

  const partnerKey = identity.keyPem;
  const findOrder = (refId: string) => state.orders.find((o) => o.refId === refId);
  /** The latest ADDED of a refId: its cc2 and callback address the Server API. */
  const addedOf = (refId: string) => state.states.find((s) => s.refId === refId && s.event === 'ADDED');

  const partnerApi = partnerCardMiddleware({
    partnerId: identity.partnerId,
    platformCertificate: identity.authCertificatePem,
    getCardData: (_cardId, refId) => {
      const order = findOrder(refId);
      return order ? cardObject(order) : null;
    },
    onCardState: (n: CardStateNotice) => {
      state.states.unshift({
        refId: n.refId,
        event: n.event,
        cc2: n.cc2,
        callback: n.callback,
        at: Date.now(),
      });
      save();
    },
  });

  function client(refId: string) {
    const added = addedOf(refId);
    return {
      added,
      client: new WalletServerClient({
        baseUrl: added?.callback ?? platformUrl,
        partnerId: identity.partnerId,
        certificateId: identity.certificateId,
        partnerKey,
      }),
    };
  }

  function makeLink(order: Order, kind: 'cdata' | 'pdata'): string {
    const cardId = cardIdOf(order.product);
    if (kind === 'pdata') {
      return dataFetchLink({
        cardId,
        refId: order.refId,
        certificateId: identity.certificateId,
        baseUrl: platformUrl,
      });
    }
    const cdata = createCdata(cardObject(order), {
      partnerId: identity.partnerId,
      certificateId: identity.certificateId,
      partnerKey,
      platformCertificate: identity.platformCertificatePem,
    });
    return dataTransmitLink({
      cardId,
      cdata,
      baseUrl: platformUrl,
      // The demo shows Data Transmit as such: a long link is reported, not switched to pdata.
      whenTooLong: 'warn',
      // Said once per process: every ticket's cdata has about the same size.
      onWarning: (m) => {
        if (cdataWarned) return;
        cdataWarned = true;
        console.warn(`issuer: ${m} (said once)`);
      },
    });
  }

  async function changeSeat(refId: string, seat: string): Promise<string> {
    const order = findOrder(refId);
    if (!order) return 'No such order.';
    order.seat = seat;
    order.updatedAt = Date.now();
    save();
    const { added, client: c } = client(refId);
    if (!added) return `Seat of ${refId} is now ${seat} (not in any wallet yet).`;
    const out = await c.notifyUpdate(cardIdOf(order.product), added.cc2, {
      type: order.product,
      data: [{ refId, state: 'UPDATED' }],
    });
    return `Seat of ${refId} is now ${seat}: Update Notification answered ${out.status}.`;
  }

  async function cancelEvent(product: Product, eventId: string): Promise<string> {
    const orders = state.orders.filter((o) => o.product === product && o.eventId === eventId);
    const added = orders.map((o) => addedOf(o.refId)).find((a) => a !== undefined);
    const c = new WalletServerClient({
      baseUrl: added?.callback ?? platformUrl,
      partnerId: identity.partnerId,
      certificateId: identity.certificateId,
      partnerKey,
    });
    const startDate = orders[0]?.startDate;
    const out = await c.notifyCancel(cardIdOf(product), added?.cc2, {
      type: product,
      data: [
        product === 'ticket'
          ? { eventId, state: 'CANCELED' }
          : {
              vehicleNumber: eventId,
              ...(startDate ? { estimatedOrActualStartDate: startDate } : {}),
              state: 'CANCELED',
            },
      ],
    });
    if (product === 'ticket') state.canceled = [...(state.canceled ?? []), eventId];
    return `Canceled ${product === 'ticket' ? 'show' : 'flight'} ${eventId}: Cancel Notification answered ${out.status}.`;
  }

  function buy(product: Product, holder: string): Order {
    const now = Date.now();
    const day = 24 * 3_600_000;
    const showing = currentShowing(state, now);
    const order: Order = {
      refId: randomBytes(18).toString('base64url'),
      product,
      seat: product === 'ticket' ? 'F12' : '32A',
      eventId: product === 'ticket' ? showing.eventId : FLIGHT.number,
      startDate:
        product === 'ticket' ? showing.startDate : Math.floor((now + 3 * day) / 3_600_000) * 3_600_000,
      holder: holder || (product === 'ticket' ? 'Guest' : 'HONG/GILDONG'),
      createdAt: now,
      updatedAt: now,
    };
    state.orders.unshift(order);
    save();
    return order;
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    let text = '';
    for await (const chunk of req) text += chunk;
    return new URLSearchParams(text);
  }

  const send = (res: ServerResponse, status: number, type: string, body: string): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  };
  const redirect = (res: ServerResponse, to: string): void => {
    res.writeHead(303, { location: to }).end();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', selfUrl);
    const path = url.pathname;
    if (path.startsWith('/wallet-api/')) {
      await partnerApi(req, res);
      return;
    }
    const images: Record<string, string> = {
      '/img/poster.svg': poster,
      '/img/cinema.svg': cinemaLogo,
      '/img/air.svg': airLogo,
    };
    if (req.method === 'GET' && images[path]) return send(res, 200, 'image/svg+xml', images[path] as string);
    if (req.method === 'GET' && path === '/')
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        shopPage({ platformUrl, showing: currentShowing(state, Date.now()), canceled: state.canceled ?? [] }),
      );
    if (req.method === 'POST' && (path === '/buy/ticket' || path === '/buy/boardingpass')) {
      const form = await readForm(req);
      const order = buy(
        path.endsWith('ticket') ? 'ticket' : 'boardingpass',
        (form.get('holder') ?? '').slice(0, 40),
      );
      return redirect(res, `/orders/${order.refId}`);
    }
    const orderMatch = /^\/orders\/([A-Za-z0-9_-]+)(\/link)?$/.exec(path);
    if (orderMatch) {
      const order = findOrder(orderMatch[1] as string);
      if (!order) return send(res, 404, 'text/plain', 'no such order');
      if (orderMatch[2] && req.method === 'POST') {
        // cdata is made on click: it is valid for 30 s only.
        const link = makeLink(order, url.searchParams.get('kind') === 'pdata' ? 'pdata' : 'cdata');
        return send(res, 200, 'application/json', JSON.stringify({ link }));
      }
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        orderPage({ platformUrl, order, pdataLink: makeLink(order, 'pdata') }),
      );
    }
    if (req.method === 'GET' && path === '/backoffice') {
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        backOfficePage({
          state,
          showing: currentShowing(state, Date.now()),
          message: url.searchParams.get('message') ?? undefined,
        }),
      );
    }
    if (req.method === 'GET' && path === '/backoffice/state.json') {
      return send(res, 200, 'application/json', JSON.stringify(state));
    }
    const seatMatch = /^\/backoffice\/orders\/([A-Za-z0-9_-]+)\/seat$/.exec(path);
    const cancelMatch = /^\/backoffice\/(ticket|boardingpass)\/([A-Za-z0-9_-]+)\/cancel$/.exec(path);
    if (req.method === 'POST' && (seatMatch || cancelMatch)) {
      const form = await readForm(req);
      let message: string;
      try {
        message = seatMatch
          ? await changeSeat(seatMatch[1] as string, (form.get('seat') ?? '').trim().slice(0, 8) || 'A1')
          : await cancelEvent(cancelMatch?.[1] as Product, cancelMatch?.[2] as string);
      } catch (err) {
        message = `Failed: ${(err as Error).message}`;
      }
      note(message);
      save();
      return redirect(res, `/backoffice?message=${encodeURIComponent(message)}`);
    }
    send(res, 404, 'text/plain', 'not found');
  }

  return {
    state,
    handler(req: IncomingMessage, res: ServerResponse) {
      handle(req, res).catch((err: unknown) => {
        console.error(err);
        if (!res.headersSent) send(res, 500, 'text/plain', 'internal error');
      });
    },
  };
}

const poster = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300" viewBox="0 0 600 300"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1b1b2f"/><stop offset="1" stop-color="#7a1f5c"/></linearGradient></defs><rect width="600" height="300" fill="url(#g)"/><rect x="40" y="190" width="520" height="6" fill="#f2c14e"/><text x="40" y="170" font-family="Georgia, serif" font-size="72" fill="#fff">PARASITE</text><text x="40" y="240" font-family="sans-serif" font-size="22" fill="#f2c14e">Cardport Cinema · Screen 3</text></svg>`;
const cinemaLogo = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#f2c14e"/><path d="M14 22h36v24H14z" fill="#3b0a45"/><circle cx="22" cy="16" r="6" fill="#3b0a45"/><circle cx="38" cy="16" r="6" fill="#3b0a45"/></svg>`;
const airLogo = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#fff"/><path d="M8 36l48-14-6 8-22 8 4 12-6 2-6-10-10 2z" fill="#0b3a66"/></svg>`;
