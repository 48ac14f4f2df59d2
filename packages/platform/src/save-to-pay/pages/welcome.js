// Welcome page script: polls the registration's status (works whichever process serves it),
// updates the page, tells the embedding s2p.js (postMessage to the origin it named, and only
// that origin) and, outside an iframe, goes to the partner's welcomeCallbackUrl on a final state.
(() => {
  const root = document.querySelector('[data-s2p-token]');
  if (!root) return;
  const token = root.getAttribute('data-s2p-token');
  const callback = root.getAttribute('data-s2p-callback') || '';
  const status = document.querySelector('[data-testid="s2p-status"]');
  const text = {
    waiting: 'Waiting for your wallet to scan the code…',
    linked: 'Your wallet is connected. Adding the card…',
    provisioned: 'Done: the card is in your Samsung Wallet.',
    failed: 'The card could not be added.',
    expired: 'This link has expired.',
  };
  const failedText = {
    CARD_ALREADY_PRESENT: 'This card is already in that wallet.',
    CANCELED: 'Adding the card was canceled.',
    PROVISION_FAILURE: 'The card could not be added.',
  };
  const final = (s) => s === 'provisioned' || s === 'failed' || s === 'expired';
  const embedded = window.parent !== window;
  let parentOrigin = null;
  const m = /(?:^#|&)origin=([^&]+)/.exec(location.hash);
  if (m) {
    try {
      parentOrigin = new URL(decodeURIComponent(m[1])).origin;
    } catch (_e) {
      parentOrigin = null;
    }
  }
  const tell = (message) => {
    if (embedded && parentOrigin)
      window.parent.postMessage(
        { type: 'cardport:s2p', callbackUrl: callback || undefined, ...message },
        parentOrigin,
      );
  };
  let state = root.getAttribute('data-s2p-state');
  let errorCode = root.getAttribute('data-s2p-error') || undefined;
  // A scan refused for a mismatching account: the registration still waits for the right one.
  let refusedScan;
  const refusedText = {
    email:
      'The wallet that scanned this code is signed in with a different email address than the one the bank knows. Sign in to the wallet with that account, then scan again.',
    phone:
      'The wallet that scanned this code has a different phone number than the one the bank knows. Use the wallet of that account, then scan again.',
  };
  const render = () => {
    root.setAttribute('data-s2p-state', state);
    if (status) {
      const refused = state === 'waiting' && refusedScan ? refusedText[refusedScan] : undefined;
      status.textContent =
        refused ||
        (state === 'failed' && errorCode ? failedText[errorCode] || text.failed : text[state] || '');
      if (refused) {
        status.setAttribute('data-s2p-refused', refusedScan);
        status.scrollIntoView({ block: 'nearest' });
      } else status.removeAttribute('data-s2p-refused');
      status.className = `s2p-status notice ${state === 'provisioned' ? 'notice-success' : state === 'failed' || state === 'expired' || refused ? 'notice-error' : 'notice-info'}`;
    }
  };
  const announce = () => {
    tell({ event: 'state', state, errorCode });
    if (final(state) && !embedded && callback) {
      setTimeout(() => location.assign(callback), 1500);
    }
  };
  render();
  tell({ event: 'ready', state, errorCode });
  if (final(state)) announce();
  const poll = async () => {
    if (final(state)) return;
    try {
      const res = await fetch(`/s2p/v1/welcome/${encodeURIComponent(token)}/status`, { cache: 'no-store' });
      if (res.ok) {
        const body = await res.json();
        if (body.state !== state || body.errorCode !== errorCode || body.refusedScan !== refusedScan) {
          state = body.state;
          errorCode = body.errorCode;
          refusedScan = body.refusedScan;
          render();
          announce();
        }
      }
    } catch (_e) {
      tell({ event: 'network-error' });
    }
    if (!final(state)) setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
  const close = document.querySelector('[data-s2p-cancel]');
  // Inside s2p.js's modal the library draws its own close button.
  if (close && embedded && parentOrigin) close.hidden = true;
  if (close) {
    close.addEventListener('click', () => {
      if (embedded) tell({ event: 'close', state, errorCode });
      else if (callback) location.assign(callback);
      else history.back();
    });
  }
  window.addEventListener('message', (event) => {
    if (!parentOrigin || event.origin !== parentOrigin || event.source !== window.parent) return;
    const data = event.data;
    if (data && data.type === 'cardport:s2p' && data.command === 'state')
      tell({ event: 'state', state, errorCode });
  });
})();
