// "Pay with Samsung Pay": create the transaction on the shop's server, then hand over to
// SamsungPay.connect exactly as the seed's sample does.
(() => {
  var button = document.querySelector('[data-pay]');
  var status = document.querySelector('[data-pay-status]');
  if (!button) return;
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Connecting to Samsung Pay…';
    var country = document.querySelector('[data-country]');
    fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ country: country ? country.value : undefined }),
    })
      .then((res) =>
        res.json().then((body) => {
          if (!res.ok) throw new Error(body.error || 'could not start the payment');
          return body;
        }),
      )
      .then((t) => {
        window.SamsungPay.connect(
          t.id,
          t.href,
          t.serviceId,
          t.callbackUrl,
          t.cancelUrl,
          t.countryCode,
          t.encInfo.mod,
          t.encInfo.exp,
          t.encInfo.keyId,
        );
      })
      .catch((err) => {
        button.disabled = false;
        status.textContent = err.message;
      });
  });
})();
