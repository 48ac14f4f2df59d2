// The bank page: registers the chosen card with the bank's server, opens the welcome modal with
// s2p.js, shows the promise's result and the notifications the bank's server received.
(() => {
  const result = document.getElementById('result');
  const events = document.getElementById('events');
  const form = document.getElementById('options');
  const outcomeSection = document.getElementById('outcome');
  // On a phone the Outcome section sits below the cards: each change of the result brings it into
  // view, so the user who comes back from the wallet (or closes the modal) sees what happened.
  // Only a change scrolls: the poll repeats the same text every second.
  let shown = false;
  const show = (text) => {
    if (result.textContent === text) return;
    result.textContent = text;
    shown = true;
    outcomeSection.scrollIntoView({ block: 'nearest' });
  };
  // The notifications line grows as they arrive: once an outcome is shown, the section it makes
  // taller stays in view too (it used to slide below the fold on a phone after the scroll).
  const note = (text) => {
    if (events.textContent === text) return;
    events.textContent = text;
    if (shown) outcomeSection.scrollIntoView({ block: 'nearest' });
  };
  let polling;
  const poll = (regId) => {
    clearInterval(polling);
    const tick = async () => {
      const res = await fetch(`/api/registrations/${encodeURIComponent(regId)}`);
      if (res.ok) {
        const body = await res.json();
        note(body.events.length ? `Notified: ${body.events.join(' → ')}` : 'No notification yet.');
        // The promise of showWelcomeModalPromise resolves when the modal closes (desktop): until
        // then the bank's server already knows the outcome from its notifications.
        if (result.getAttribute('data-status')) return;
        if (body.events.includes('WA_PROVISIONED'))
          show('The card is in the wallet. Close the window to finish.');
        else if (body.events.some((e) => e.startsWith('WA_PROVISION_FAILURE')))
          show('The wallet could not add the card. Close the window to finish.');
        else if (body.events.includes('WA_READY')) show('The wallet is adding the card…');
      }
    };
    tick();
    polling = setInterval(tick, 1000);
  };
  for (const button of document.querySelectorAll('[data-add]')) {
    button.addEventListener('click', async () => {
      const data = new FormData(form);
      show('Registering…');
      const res = await fetch('/api/registrations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          card: button.getAttribute('data-add'),
          email: data.get('email') || undefined,
          enforceEmailMatching: data.get('enforceEmailMatching') === 'on',
          allowOfflineCommunication: data.get('allowOfflineCommunication') === 'on',
        }),
      });
      const body = await res.json();
      if (!res.ok) {
        show(`Could not register: ${body.error}`);
        return;
      }
      show('Waiting for the wallet…');
      result.removeAttribute('data-status');
      result.setAttribute('data-reg-id', body.regId);
      poll(body.regId);
      const outcome = await window.spay.saveToPayUI.showWelcomeModalPromise({ welcomeUrl: body.welcomeUrl });
      show(`${outcome.status}${outcome.details ? ` (${outcome.details.errorCode})` : ''}`);
      result.setAttribute('data-status', outcome.status);
      if (outcome.details) result.setAttribute('data-error-code', outcome.details.errorCode);
    });
  }
})();
