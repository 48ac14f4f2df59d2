// Web Checkout dashboard: every value reaches the DOM through textContent (partner data is untrusted).
(() => {
  function $(id) {
    return document.getElementById(id);
  }
  function el(tag, attrs, ...children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => {
      if (k === 'class') node.className = attrs[k];
      else if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    for (const c of children) {
      node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
    }
    return node;
  }
  function time(ms) {
    return typeof ms === 'number' ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '';
  }
  function api(method, path) {
    return fetch('/admin/v1' + path, {
      method: method,
      // The dashboard session cookie (set once per browser by POST /admin/session).
      credentials: 'same-origin',
    }).then((res) =>
      res
        .json()
        .catch(() => null)
        .then((body) => {
          if (res.status === 401) {
            showLogin('Enter the admin token to open the dashboard in this browser.');
            throw new Error('unauthorized');
          }
          if (!res.ok) throw new Error(body?.error?.message || res.statusText);
          return body;
        }),
    );
  }
  function showLogin(message) {
    $('login').hidden = false;
    $('app').hidden = true;
    $('login-message').textContent = message || '';
  }
  function showApp() {
    $('login').hidden = true;
    $('app').hidden = false;
    loadTransactions();
    loadServices();
  }
  function loadTransactions() {
    api('GET', '/web-checkout/transactions')
      .then((data) => {
        if (!data.transactions.length) {
          $('transactions').replaceChildren(el('p', { class: 'note' }, 'No transactions yet.'));
          return;
        }
        var rows = data.transactions.map((t) =>
          el(
            'tr',
            {},
            el('td', {}, time(t.createdAt)),
            el('td', {}, el('code', {}, t.transactionId)),
            el('td', {}, t.merchantName),
            el('td', {}, t.amountTotal + ' ' + t.currency),
            el('td', {}, t.expired ? 'EXPIRED' : t.status),
            el('td', {}, t.cardLast4 ? t.cardBrand + ' •••• ' + t.cardLast4 : ''),
            el('td', { 'data-testid': 'wc-payment-status' }, t.paymentStatus || ''),
            el('td', {}, el('code', {}, t.referenceId || '')),
          ),
        );
        $('transactions').replaceChildren(
          el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                el('th', {}, 'Created'),
                el('th', {}, 'Transaction'),
                el('th', {}, 'Merchant'),
                el('th', {}, 'Amount'),
                el('th', {}, 'Status'),
                el('th', {}, 'Card'),
                el('th', {}, 'Payment result'),
                el('th', {}, 'ref_id'),
              ),
            ),
            el('tbody', {}, ...rows),
          ),
        );
      })
      .catch((err) => {
        $('transactions').replaceChildren(el('p', { class: 'bad' }, err.message));
      });
  }
  function probeLine(p) {
    if (!p) return el('span', { class: 'note' }, 'not probed yet');
    return el(
      'span',
      {},
      el('span', { class: p.ok ? 'ok' : 'bad' }, p.ok ? 'healthy' : 'unhealthy'),
      (p.detail && p.detail !== 'healthy' ? ' · ' + p.detail : '') +
        (p.callbackSeen ? ' · partner called back' : '') +
        ' · ' +
        time(p.probedAt),
    );
  }
  function loadServices() {
    api('GET', '/services')
      .then((data) => {
        var services = data.services || [];
        if (!services.length) {
          $('services').replaceChildren(el('p', { class: 'note' }, 'No checkout services yet.'));
          return;
        }
        var body = el('tbody', {});
        services.forEach((s) => {
          var status = el(
            'td',
            {},
            s.healthUrl ? '…' : el('span', { class: 'note' }, 'no health URL registered'),
          );
          var action = el('td', {});
          if (s.healthUrl) {
            api('GET', '/web-checkout/services/' + encodeURIComponent(s.serviceId) + '/health-probes')
              .then((d) => {
                status.replaceChildren(probeLine(d.probes[0]));
              })
              .catch((err) => {
                status.replaceChildren(el('span', { class: 'bad' }, err.message));
              });
            action.append(
              el(
                'button',
                {
                  type: 'button',
                  class: 'button small',
                  onclick: (e) => {
                    e.target.disabled = true;
                    api(
                      'POST',
                      '/web-checkout/services/' + encodeURIComponent(s.serviceId) + '/health-probes',
                    )
                      .then((p) => {
                        status.replaceChildren(probeLine(p));
                      })
                      .catch((err) => {
                        status.replaceChildren(el('span', { class: 'bad' }, err.message));
                      })
                      .then(() => {
                        e.target.disabled = false;
                      });
                  },
                },
                'Probe now',
              ),
            );
          }
          body.append(
            el(
              'tr',
              {},
              el('td', {}, s.name),
              el('td', {}, el('code', {}, s.serviceId)),
              el('td', {}, (s.domains || []).join(', ')),
              el('td', {}, s.healthUrl || ''),
              status,
              action,
            ),
          );
        });
        $('services').replaceChildren(
          el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                el('th', {}, 'Service'),
                el('th', {}, 'serviceId'),
                el('th', {}, 'Domains'),
                el('th', {}, 'Health URL'),
                el('th', {}, 'Last probe'),
                el('th', {}, ''),
              ),
            ),
            body,
          ),
        );
      })
      .catch((err) => {
        $('services').replaceChildren(el('p', { class: 'bad' }, err.message));
      });
  }
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    fetch('/admin/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { authorization: 'Bearer ' + $('token').value.trim() },
    }).then((res) => {
      $('token').value = '';
      if (res.status === 204) showApp();
      else showLogin('The admin token was not accepted.');
    });
  });
  $('refresh').addEventListener('click', () => {
    loadTransactions();
    loadServices();
  });
  // Signed in already in this browser? The cookie is HttpOnly: ask the API.
  fetch('/admin/session', { credentials: 'same-origin' })
    .then((res) => res.json())
    .then(
      (body) => (body.signedIn ? showApp() : showLogin('')),
      () => showLogin('The platform cannot be reached.'),
    );
})();
