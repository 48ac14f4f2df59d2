// The checkout page's only script: while the wallet has not answered, poll the status and
// reload when it changes (the server renders every state, including the redirect).
(() => {
  var root = document.querySelector('[data-checkout-status]');
  if (!root) return;
  var initial = root.getAttribute('data-checkout-status');
  var url = root.getAttribute('data-status-url');
  if (initial !== 'CREATED' && initial !== 'PENDING') return;
  function poll() {
    fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then((res) => (res.ok ? res.json() : null))
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
})();
