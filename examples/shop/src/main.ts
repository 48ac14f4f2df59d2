// The Cardport demo shop: a cart, "Pay with Samsung Pay" (Web Checkout), the callback that
// retrieves and decrypts the credentials, a simulated acquirer that validates the cryptogram and
// charges, the payment notification, and an order page. Built only on @cardport/sdk and the
// browser library the platform serves. Started by `cardport up --demo` or `npm start` here.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createHealthHandler,
  decryptCredentials,
  WebCheckoutApiError,
  WebCheckoutClient,
} from '@cardport/sdk';
import { charge } from './acquirer.ts';
import { onboard } from './onboarding.ts';

const platformUrl = (process.env['CARDPORT_URL'] ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const home = process.env['CARDPORT_HOME'] ?? join(process.env['HOME'] ?? '.', '.cardport');
const port = Number(process.env['PORT'] ?? 0);
const host = process.env['SHOP_HOST'] ?? '127.0.0.1';
/** The checkout's country and UI language (PROTOCOLS.md 4.3): SHOP_COUNTRY, or the cart's chooser. */
const countryCodes = [
  'us',
  'uk',
  'au',
  'br',
  'de_ch',
  'en_ch',
  'fr_ch',
  'it_ch',
  'en_ae',
  'ae_ae',
  'hk',
  'my',
  'ru',
  'se',
  'sg',
  'tw',
  'vn',
];
const countryCode = countryCodes.includes(process.env['SHOP_COUNTRY'] ?? '')
  ? (process.env['SHOP_COUNTRY'] as string)
  : 'us';

const cart = [
  { name: 'Espresso beans, 1 kg', price: 24.5, qty: 2 },
  { name: 'Ceramic cup', price: 12.0, qty: 1 },
  { name: 'Milk frother', price: 37.76, qty: 1 },
];
const currency = 'USD';
const cartTotal = cart.reduce((sum, i) => sum + Math.round(i.price * 100) * i.qty, 0); // cents

type OrderStatus = 'CREATED' | 'PAID' | 'DECLINED' | 'CANCELED' | 'FAILED';
interface Order {
  id: string;
  transactionId: string | null;
  total: string;
  currency: string;
  status: OrderStatus;
  referenceId: string | null;
  card: string | null;
  detail: string | null;
  createdAt: number;
}

const publicFiles: Record<string, { type: string; body: string }> = {
  '/shop.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(new URL('../public/shop.js', import.meta.url), 'utf8'),
  },
  '/shop.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(new URL('../public/shop.css', import.meta.url), 'utf8'),
  },
};

function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · Demo shop</title><link rel="stylesheet" href="/shop.css"><script src="${esc(platformUrl)}/gsmpi/sdk/samsungpay_web_sdk.js" defer></script><script src="/shop.js" defer></script></head><body><header><a href="/">☕ Demo coffee shop</a></header><main>${body}</main></body></html>`;
}

function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

async function main(): Promise<void> {
  let identity: Awaited<ReturnType<typeof onboard>> | undefined;
  let client: WebCheckoutClient | undefined;
  let ordersPath = '';
  const orders = new Map<string, Order>();

  function save(): void {
    writeFileSync(ordersPath, `${JSON.stringify([...orders.values()], null, 2)}\n`);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`shop error: ${(err as Error).message}\n`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page('Error', '<h1>Something went wrong</h1>'));
      }
    });
  });

  function send(res: http.ServerResponse, status: number, html: string): void {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'self'; script-src 'self' ${platformUrl}; style-src 'self'; form-action 'self' ${platformUrl}`,
    });
    res.end(html);
  }

  function redirect(res: http.ServerResponse, location: string): void {
    res.writeHead(303, { location });
    res.end();
  }

  async function chosenCountry(req: http.IncomingMessage): Promise<string> {
    let text = '';
    for await (const chunk of req) {
      text += chunk;
      if (text.length > 1024) return countryCode;
    }
    try {
      const c = (JSON.parse(text || '{}') as { country?: unknown }).country;
      return typeof c === 'string' && countryCodes.includes(c) ? c : countryCode;
    } catch {
      return countryCode;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const file = publicFiles[url.pathname];
    if (file) {
      res.writeHead(200, { 'content-type': file.type });
      res.end(file.body);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' });
      res.end();
      return;
    }
    if (!client || !identity) {
      res.writeHead(503);
      res.end('starting');
      return;
    }
    if (url.pathname === '/samsungpay/integration/health') {
      await createHealthHandler(client)(req, res);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      const rows = cart
        .map(
          (i) =>
            `<tr><td>${esc(i.name)}</td><td class="num">${i.qty}</td><td class="num">${money(Math.round(i.price * 100) * i.qty)}</td></tr>`,
        )
        .join('');
      const note = url.searchParams.has('canceled')
        ? // Samsung Pay sends the shopper to the cancel URL both when they cancel on the checkout
          // page and when they decline in the wallet: the shop cannot tell which (PROTOCOLS.md 4.3).
          '<p class="status failed" data-testid="shop-canceled">The payment was not made: it was canceled on the checkout page or declined in the wallet. Your cart is still here.</p>'
        : '';
      send(
        res,
        200,
        page(
          'Cart',
          `<h1>Your cart</h1>${note}<table><thead><tr><th>Item</th><th class="num">Qty</th><th class="num">${currency}</th></tr></thead><tbody>${rows}<tr class="total"><td>Total</td><td></td><td class="num" data-testid="shop-total">${money(cartTotal)}</td></tr></tbody></table>
          <p><label>Checkout country and language <select name="country" data-country data-testid="shop-country">${countryCodes.map((c) => `<option value="${c}"${c === countryCode ? ' selected' : ''}>${c}</option>`).join('')}</select></label></p>
          <button type="button" class="pay" data-pay data-testid="pay-with-samsung-pay">Pay with Samsung Pay</button><p class="status" data-pay-status></p>`,
        ),
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/orders') {
      const shopUrl = `http://${req.headers.host}`;
      const chosen = await chosenCountry(req);
      const order: Order = {
        id: randomBytes(6).toString('hex'),
        transactionId: null,
        total: money(cartTotal),
        currency,
        status: 'CREATED',
        referenceId: null,
        card: null,
        detail: null,
        createdAt: Date.now(),
      };
      const callbackUrl = `${shopUrl}/callback?order=${order.id}`;
      try {
        const t = await client.transactions.create({
          callback: callbackUrl,
          orderNumber: order.id,
          amount: { total: order.total, currency },
          merchant: { name: 'Demo coffee shop', url: new URL(shopUrl).hostname, reference: order.id },
          allowedBrands: ['VI', 'MC'],
        });
        order.transactionId = t.id;
        orders.set(order.id, order);
        save();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: t.id,
            href: t.href,
            encInfo: t.encInfo,
            serviceId: client.serviceId,
            callbackUrl,
            cancelUrl: `${shopUrl}/?canceled=${order.id}`,
            countryCode: chosen,
          }),
        );
      } catch (err) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error:
              err instanceof WebCheckoutApiError
                ? `${err.resultCode}: ${err.resultMessage}`
                : 'could not reach Samsung Pay',
          }),
        );
      }
      return;
    }
    if (req.method === 'GET' && url.pathname === '/callback') {
      const order = orders.get(url.searchParams.get('order') ?? '');
      const referenceId = url.searchParams.get('ref_id');
      if (!order || !referenceId) {
        send(res, 400, page('Error', '<h1>Unknown order</h1>'));
        return;
      }
      if (order.status === 'CREATED') {
        order.referenceId = referenceId;
        try {
          const response = await client.credentials.retrieve(referenceId);
          const credentials = decryptCredentials(response['3DS'].data, identity.merchantKeyPem);
          order.card = `${response.card_brand} •••• ${response.card_last4digits}`;
          const result = await charge(platformUrl, credentials, client.serviceId);
          order.status = result.approved ? 'PAID' : 'DECLINED';
          order.detail = result.approved
            ? null
            : [result.reason, result.declineCode].filter(Boolean).join(' / ');
          await client.notifications.send({
            reference: referenceId,
            status: result.approved ? 'CHARGED' : 'REJECTED',
            provider: 'Demo acquirer',
          });
        } catch (err) {
          order.status = 'FAILED';
          order.detail =
            err instanceof WebCheckoutApiError
              ? `${err.resultCode}: ${err.resultMessage}`
              : (err as Error).message;
        }
        save();
      }
      redirect(res, `/orders/${order.id}`);
      return;
    }
    const match = /^\/orders\/([0-9a-f]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      const order = orders.get(match[1] ?? '');
      if (!order) {
        send(res, 404, page('Not found', '<h1>Order not found</h1>'));
        return;
      }
      const headline =
        order.status === 'PAID'
          ? '<h1 class="paid" data-testid="order-paid">Paid — thank you!</h1>'
          : order.status === 'DECLINED'
            ? '<h1 class="failed" data-testid="order-declined">Payment declined</h1>'
            : order.status === 'FAILED'
              ? '<h1 class="failed" data-testid="order-failed">Payment failed</h1>'
              : '<h1 data-testid="order-open">Awaiting payment</h1>';
      send(
        res,
        200,
        page(
          `Order ${order.id}`,
          `${headline}<dl><dt>Order</dt><dd>${esc(order.id)}</dd><dt>Total</dt><dd>${esc(order.total)} ${esc(order.currency)}</dd><dt>Card</dt><dd>${esc(order.card ?? '-')}</dd><dt>Samsung Pay reference</dt><dd>${esc(order.referenceId ?? '-')}</dd>${order.detail ? `<dt>Detail</dt><dd data-testid="order-detail">${esc(order.detail)}</dd>` : ''}</dl><p><a href="/">Back to the shop</a></p>`,
        ),
      );
      return;
    }
    send(res, 404, page('Not found', '<h1>Not found</h1>'));
  }

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const shopUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  identity = await onboard({ platformUrl, home, shopUrl });
  ordersPath = join(home, 'demos', 'shop', 'orders.json');
  if (existsSync(ordersPath)) {
    for (const o of JSON.parse(readFileSync(ordersPath, 'utf8')) as Order[]) orders.set(o.id, o);
  }
  client = new WebCheckoutClient({ baseUrl: platformUrl, serviceId: identity.serviceId });
  process.stdout.write(`${JSON.stringify({ demo: 'shop', url: shopUrl, flow: 'web-checkout' })}\n`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo shop failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
