// Welcome page script: polls the registration's status (works whichever process serves it),
// updates the page, tells the embedding s2p.js (postMessage to the origin it named, and only
// that origin) and, outside an iframe, goes to the partner's welcomeCallbackUrl on a final state.
// Bundled by esbuild (core/bundles.ts servePageScript) and served as /s2p/v1/assets/welcome.js.
import type { RefusedScan } from '../refused-scans.ts';
import type { WelcomeState } from '../welcome.ts';

/** GET /s2p/v1/welcome/{token}/status (save-to-pay/routes.ts). */
interface WelcomeStatus {
  state: WelcomeState;
  errorCode?: string;
  refusedScan?: RefusedScan;
}

/** What the page tells the embedding s2p.js (`{type: 'cardport:s2p', event, …}`). */
type Message =
  | { event: 'ready' | 'state' | 'close'; state: string; errorCode: string | undefined }
  | { event: 'network-error' };

const text: Record<WelcomeState, string> = {
  waiting: 'Waiting for your wallet to scan the code…',
  linked: 'Your wallet is connected. Adding the card…',
  provisioned: 'Done: the card is in your Samsung Wallet.',
  failed: 'The card could not be added.',
  expired: 'This link has expired.',
};
const failedText: Record<string, string | undefined> = {
  CARD_ALREADY_PRESENT: 'This card is already in that wallet.',
  CANCELED: 'Adding the card was canceled.',
  PROVISION_FAILURE: 'The card could not be added.',
};
// A scan refused for a mismatching account: the registration still waits for the right one.
const refusedText: Record<RefusedScan, string> = {
  email:
    'The wallet that scanned this code is signed in with a different email address than the one the bank knows. Sign in to the wallet with that account, then scan again.',
  phone:
    'The wallet that scanned this code has a different phone number than the one the bank knows. Use the wallet of that account, then scan again.',
};

const isFinal = (s: string) => s === 'provisioned' || s === 'failed' || s === 'expired';

/** The origin the embedding s2p.js named in the fragment (`#origin=…`), if any. */
function parentOriginOf(hash: string): string | null {
  const m = /(?:^#|&)origin=([^&]+)/.exec(hash);
  if (!m?.[1]) return null;
  try {
    return new URL(decodeURIComponent(m[1])).origin;
  } catch {
    return null;
  }
}

function start(root: Element): void {
  const token = root.getAttribute('data-s2p-token') ?? '';
  const callback = root.getAttribute('data-s2p-callback') || '';
  const status = document.querySelector<HTMLElement>('[data-testid="s2p-status"]');
  const embedded = window.parent !== window;
  const parentOrigin = parentOriginOf(location.hash);
  const tell = (message: Message): void => {
    if (embedded && parentOrigin)
      window.parent.postMessage(
        { type: 'cardport:s2p', callbackUrl: callback || undefined, ...message },
        parentOrigin,
      );
  };
  // The server renders one of the WelcomeState names; the status answer holds the later ones.
  let state = root.getAttribute('data-s2p-state') ?? '';
  let errorCode = root.getAttribute('data-s2p-error') || undefined;
  let refusedScan: RefusedScan | undefined;
  const render = (): void => {
    root.setAttribute('data-s2p-state', state);
    if (!status) return;
    const refused = state === 'waiting' && refusedScan ? refusedText[refusedScan] : undefined;
    status.textContent =
      refused ||
      (state === 'failed' && errorCode
        ? failedText[errorCode] || text.failed
        : (text as Record<string, string | undefined>)[state] || '');
    if (refused && refusedScan) {
      status.setAttribute('data-s2p-refused', refusedScan);
      status.scrollIntoView({ block: 'nearest' });
    } else status.removeAttribute('data-s2p-refused');
    status.className = `s2p-status notice ${state === 'provisioned' ? 'notice-success' : state === 'failed' || state === 'expired' || refused ? 'notice-error' : 'notice-info'}`;
  };
  const announce = (): void => {
    tell({ event: 'state', state, errorCode });
    if (isFinal(state) && !embedded && callback) {
      setTimeout(() => location.assign(callback), 1500);
    }
  };
  render();
  tell({ event: 'ready', state, errorCode });
  if (isFinal(state)) announce();
  const poll = async (): Promise<void> => {
    if (isFinal(state)) return;
    try {
      const res = await fetch(`/s2p/v1/welcome/${encodeURIComponent(token)}/status`, { cache: 'no-store' });
      if (res.ok) {
        const body = (await res.json()) as WelcomeStatus;
        if (body.state !== state || body.errorCode !== errorCode || body.refusedScan !== refusedScan) {
          state = body.state;
          errorCode = body.errorCode;
          refusedScan = body.refusedScan;
          render();
          announce();
        }
      }
    } catch {
      tell({ event: 'network-error' });
    }
    if (!isFinal(state)) setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
  const close = document.querySelector<HTMLElement>('[data-s2p-cancel]');
  // Inside s2p.js's modal the library draws its own close button.
  if (close && embedded && parentOrigin) close.hidden = true;
  if (close) {
    close.addEventListener('click', () => {
      if (embedded) tell({ event: 'close', state, errorCode });
      else if (callback) location.assign(callback);
      else history.back();
    });
  }
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!parentOrigin || event.origin !== parentOrigin || event.source !== window.parent) return;
    const data = event.data;
    if (
      data &&
      typeof data === 'object' &&
      'type' in data &&
      data.type === 'cardport:s2p' &&
      'command' in data &&
      data.command === 'state'
    )
      tell({ event: 'state', state, errorCode });
  });
}

const root = document.querySelector('[data-s2p-token]');
if (root) start(root);
