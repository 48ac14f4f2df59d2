// The demo issuer's pages: plain server-rendered HTML.
import type { IssuerState, Order } from './app.ts';
import { FLIGHT, SHOW, showTime } from './app.ts';

const esc = (s: unknown) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const style = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f5f3ef; color: #1d1b20; }
  header { background: #1d1b20; color: #fff; padding: 14px 24px; display: flex; gap: 20px; align-items: center; }
  header a { color: #f2c14e; text-decoration: none; }
  header strong { font-size: 1.1rem; flex: 1; }
  main { max-width: 960px; margin: 24px auto; padding: 0 16px; }
  .products { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 18px; }
  .product { background: #fff; border-radius: 14px; overflow: hidden; box-shadow: 0 4px 16px rgb(0 0 0 / 8%); }
  .product img { width: 100%; height: 150px; object-fit: cover; display: block; background: #0b3a66; }
  .product img.logo { object-fit: contain; padding: 35px; box-sizing: border-box; }
  .product div { padding: 14px 16px; }
  .product h2 { margin: 0 0 4px; }
  input { font: inherit; padding: 6px 8px; border: 1px solid #bbb; border-radius: 8px; }
  button.buy { font: inherit; font-weight: 600; background: #7a1f5c; color: #fff; border: 0; border-radius: 8px; padding: 8px 14px; cursor: pointer; }
  table { width: 100%; border-collapse: collapse; background: #fff; border-radius: 12px; overflow: hidden; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #eee; font-size: 0.92rem; vertical-align: top; }
  code { font-size: 0.85em; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; background: #e6e1f0; font-size: 0.8rem; font-weight: 600; }
  .notice { background: #fff8db; border: 1px solid #f2c14e; padding: 10px 14px; border-radius: 10px; }
  .buttons { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 12px 0; }
  .muted { color: #6b6470; }
  button.action { font: inherit; font-weight: 600; background: #fff; color: #7a1f5c; border: 1px solid #7a1f5c; border-radius: 8px; padding: 6px 12px; cursor: pointer; }
  button.action.danger { background: #b42318; border-color: #b42318; color: #fff; }
  form.inline { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
  .badge-bad { background: #fee4e2; color: #b42318; }
  table { display: block; overflow-x: auto; }
`;

function layout(title: string, body: string, platformUrl?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · Cardport Cinema & Air</title><style>${style}</style>${
    platformUrl ? `<script src="${esc(platformUrl)}/atw/libs/add-to-wallet.js" defer></script>` : ''
  }</head><body><header><strong>Cardport Cinema &amp; Air</strong><a href="/">Shop</a><a href="/backoffice">Back office</a></header><main>${body}</main></body></html>`;
}

export function shopPage(o: {
  platformUrl: string;
  showing: { eventId: string; startDate: number };
  canceled: string[];
}): string {
  return layout(
    'Shop',
    `<h1>Tickets and flights</h1>
    <p class="muted">A demo issuer of the Cardport sandbox: buy, then add the pass to the virtual Samsung Wallet.</p>
    <div class="products">
      <form class="product" method="post" action="/buy/ticket">
        <img src="/img/poster.svg" alt="">
        <div><h2>${esc(SHOW.title)}</h2><p class="muted" data-testid="show-time">${esc(SHOW.screen)} · ${esc(showTime(o.showing.startDate))}</p>
        ${o.canceled.length ? `<p class="notice">An earlier showing was canceled: tickets are for this one.</p>` : ''}
        <p><label>Name <input name="holder" value="Kim Ki-taek" maxlength="40"></label></p>
        <button class="buy" type="submit" data-testid="buy-ticket">Buy movie ticket</button></div>
      </form>
      <form class="product" method="post" action="/buy/boardingpass">
        <img class="logo" src="/img/air.svg" alt="" width="64" height="64">
        <div><h2>${esc(FLIGHT.number)} ${esc(FLIGHT.from)} → ${esc(FLIGHT.to)}</h2><p class="muted">Cardport Air · Economy</p>
        <p><label>Passenger <input name="holder" value="HONG/GILDONG" maxlength="40"></label></p>
        <button class="buy" type="submit" data-testid="buy-boardingpass">Buy boarding pass</button></div>
      </form>
    </div>`,
    o.platformUrl,
  );
}

export function orderPage(o: { platformUrl: string; order: Order; pdataLink: string }): string {
  const { order } = o;
  const what =
    order.product === 'ticket' ? `${SHOW.title}, seat ${order.seat}` : `${FLIGHT.number}, seat ${order.seat}`;
  return layout(
    'Your order',
    `<h1>Thank you!</h1>
    <p>Your ${order.product === 'ticket' ? 'movie ticket' : 'boarding pass'}: <strong data-testid="order-summary">${esc(what)}</strong>. Reference <code data-testid="order-ref">${esc(order.refId)}</code>.</p>
    <h2>Add it to Samsung Wallet</h2>
    <div class="buttons">
      <div data-add-to-wallet data-testid="atw-cdata" data-link-endpoint="/orders/${esc(order.refId)}/link?kind=cdata"></div>
      <span class="muted">Data Transmit: the card travels in the link, made when you click (valid 30 s).</span>
    </div>
    <div class="buttons">
      <div data-add-to-wallet data-testid="atw-pdata" data-label="Add to Samsung Wallet (Data Fetch)" data-link="${esc(o.pdataLink)}"></div>
      <span class="muted">Data Fetch: the link carries only the reference; Samsung asks our server for the card.</span>
    </div>
    <p><a href="/backoffice">Back office</a></p>`,
    o.platformUrl,
  );
}

export function backOfficePage(o: {
  state: IssuerState;
  showing: { eventId: string; startDate: number };
  message: string | undefined;
}): string {
  const { state } = o;
  const statesOf = (refId: string) => state.states.filter((s) => s.refId === refId);
  const rows = state.orders
    .map((order) => {
      const told = statesOf(order.refId)
        .map(
          (s) =>
            `<div data-testid="told-state"><span class="badge">${esc(s.event)}</span> cc2 <code>${esc(s.cc2)}</code>${s.callback ? ` callback <code>${esc(s.callback)}</code>` : ''}</div>`,
        )
        .join('');
      return `<tr data-ref-id="${esc(order.refId)}">
        <td><code>${esc(order.refId)}</code><br>${order.product === 'ticket' ? 'Movie ticket' : 'Boarding pass'} · ${esc(order.holder)}</td>
        <td>${esc(order.eventId)}<br><span class="muted">${esc(showTime(order.startDate))}</span>${(state.canceled ?? []).includes(order.eventId) ? ' <span class="badge badge-bad">canceled</span>' : ''}</td>
        <td data-testid="seat">${esc(order.seat)}</td>
        <td data-testid="states">${told || '<span class="muted">nothing yet</span>'}</td>
        <td><form class="inline" method="post" action="/backoffice/orders/${esc(order.refId)}/seat"><label>New seat <input name="seat" size="4" maxlength="8" placeholder="H7" data-testid="new-seat"></label> <button class="action" type="submit" data-testid="change-seat">Change seat</button></form></td>
      </tr>`;
    })
    .join('');
  return layout(
    'Back office',
    `<h1>Back office</h1>
    ${o.message ? `<p class="notice" data-testid="backoffice-message">${esc(o.message)}</p>` : ''}
    <div class="buttons">
      <form method="post" action="/backoffice/ticket/${esc(o.showing.eventId)}/cancel"><button class="action danger" type="submit" data-testid="cancel-show">Cancel the ${esc(showTime(o.showing.startDate))} show (${esc(o.showing.eventId)})</button></form>
      <form method="post" action="/backoffice/boardingpass/${esc(FLIGHT.number)}/cancel"><button class="action danger" type="submit" data-testid="cancel-flight">Cancel flight ${esc(FLIGHT.number)}</button></form>
    </div>
    <h2>Orders and the card states Samsung told us</h2>
    ${state.orders.length ? `<table><thead><tr><th>Order</th><th>Event</th><th>Seat</th><th>Card states (Send Card State)</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="muted">No orders yet.</p>'}
    <h2>Log</h2><ul>${state.log.map((l) => `<li>${esc(new Date(l.at).toISOString())} ${esc(l.text)}</li>`).join('')}</ul>`,
  );
}
