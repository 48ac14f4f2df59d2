// The checkout page's only script: while the wallet has not answered, poll the status and
// reload when it changes (the server renders every state, including the redirect).
import type { CheckoutView } from '../checkout-session.ts';

/** GET /gsmpi/api/checkout/:token. */
type CheckoutStatus = Pick<CheckoutView, 'status' | 'expired' | 'redirectUrl'>;

function watch(root: Element): void {
  const initial = root.getAttribute('data-checkout-status');
  const url = root.getAttribute('data-status-url');
  if (!url || (initial !== 'CREATED' && initial !== 'PENDING')) return;
  const statusUrl = url;
  function poll(): void {
    fetch(statusUrl, { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then((res) => (res.ok ? (res.json() as Promise<CheckoutStatus>) : null))
      .then((body) => {
        if (body && body.status !== initial) {
          window.location.reload();
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(() => {
        setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, 1000);
}

const root = document.querySelector('[data-checkout-status]');
if (root) watch(root);
