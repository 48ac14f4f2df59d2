// s2p.js: window.spay.saveToPayUI exactly as the seed's IDL (seed 001 §3.4.14, PROTOCOLS.md 1.8).
// Shows the welcome page in a modal iframe and learns its state by postMessage. Origin checks both
// ways [ours]: the iframe URL names this page's origin (`#origin=`), the welcome page posts only
// to it, and this library accepts only messages whose origin is the welcome URL's and whose
// source is its own iframe. No dependencies.
//
// Resolution (seed): desktop, tablet and iOS resolve when the iframe closes (by the user or
// closeWelcomeModal); Android phones resolve as soon as the session ends (success, failure,
// expiry, user cancel) with isIframeClosed false.

export type Status = 'SUCCESS' | 'FAILURE' | 'DEVICE_NOT_SUPPORTED' | 'DEFAULT_PENDING';
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'PROVISION_FAILURE'
  | 'NETWORK_ERROR'
  | 'UNKNOWN_ERROR'
  | 'CARD_ALREADY_PRESENT'
  | 'CANCELED';
export interface S2PRequest {
  welcomeUrl: string;
}
export interface Details {
  errorCode: ErrorCode;
  message?: string;
}
export interface S2PResponse {
  status: Status;
  isIframeClosed: boolean;
  details?: Details;
}

type WelcomeState = 'waiting' | 'linked' | 'provisioned' | 'failed' | 'expired';

interface Session {
  overlay: HTMLElement;
  iframe: HTMLIFrameElement;
  origin: string;
  state: WelcomeState | undefined;
  errorCode: ErrorCode | undefined;
  networkError: boolean;
  resolve: ((r: S2PResponse) => void) | undefined;
  redirectOnFinal: boolean;
  callbackUrl: string | undefined;
  onMessage: (event: MessageEvent) => void;
  done: boolean;
}

const errorCodes: ErrorCode[] = [
  'INVALID_INPUT',
  'PROVISION_FAILURE',
  'NETWORK_ERROR',
  'UNKNOWN_ERROR',
  'CARD_ALREADY_PRESENT',
  'CANCELED',
];
const states: WelcomeState[] = ['waiting', 'linked', 'provisioned', 'failed', 'expired'];
const isFinal = (s: WelcomeState | undefined) => s === 'provisioned' || s === 'failed' || s === 'expired';

let current: Session | undefined;

function isAndroidMobile(): boolean {
  const ua = navigator.userAgent || '';
  return /Android/i.test(ua) && /Mobile/i.test(ua);
}

function failure(errorCode: ErrorCode, message: string, isIframeClosed: boolean): S2PResponse {
  return { status: 'FAILURE', isIframeClosed, details: { errorCode, message } };
}

/** What the session amounts to now. */
function outcome(s: Session, isIframeClosed: boolean): S2PResponse {
  switch (s.state) {
    case 'provisioned':
      return { status: 'SUCCESS', isIframeClosed };
    case 'failed': {
      const code = s.errorCode ?? 'PROVISION_FAILURE';
      return failure(
        code,
        code === 'CARD_ALREADY_PRESENT' ? 'The card is already in the wallet' : 'The card could not be added',
        isIframeClosed,
      );
    }
    case 'expired':
      return failure('UNKNOWN_ERROR', 'The welcome URL has expired', isIframeClosed);
    case 'linked':
      // The wallet is still provisioning: the partner learns the end from its notifications.
      return { status: 'DEFAULT_PENDING', isIframeClosed };
    default:
      if (s.networkError)
        return failure('NETWORK_ERROR', 'The welcome page could not be reached', isIframeClosed);
      return failure('CANCELED', 'The user closed the welcome UI', isIframeClosed);
  }
}

function finish(s: Session, response: S2PResponse): void {
  if (s.done) return;
  s.done = true;
  window.removeEventListener('message', s.onMessage);
  s.overlay.remove();
  if (current === s) current = undefined;
  s.resolve?.(response);
}

function validWelcomeUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function open(
  request: S2PRequest,
  resolve: ((r: S2PResponse) => void) | undefined,
  redirectOnFinal: boolean,
): void {
  const url = validWelcomeUrl(request?.welcomeUrl);
  if (!url) {
    resolve?.(failure('INVALID_INPUT', 'welcomeUrl must be an absolute http(s) URL', false));
    return;
  }
  if (typeof window.postMessage !== 'function' || typeof document.createElement !== 'function') {
    resolve?.({ status: 'DEVICE_NOT_SUPPORTED', isIframeClosed: false });
    return;
  }
  if (current) finish(current, outcome(current, true));
  const overlay = document.createElement('div');
  overlay.setAttribute('data-s2p-modal', '');
  overlay.setAttribute('role', 'dialog');
  overlay.setAttribute('aria-modal', 'true');
  overlay.setAttribute('aria-label', 'Add to Samsung Wallet');
  overlay.style.cssText =
    'position:fixed;inset:0;z-index:2147483647;background:rgba(16,24,40,.55);display:flex;align-items:center;justify-content:center';
  const frame = document.createElement('div');
  frame.style.cssText =
    'position:relative;width:min(440px,100vw);height:min(720px,100vh);background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 20px 50px rgba(0,0,0,.3)';
  const close = document.createElement('button');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close');
  close.setAttribute('data-s2p-close', '');
  close.textContent = '×';
  close.style.cssText =
    'position:absolute;top:6px;right:8px;z-index:1;border:0;background:transparent;font-size:28px;line-height:1;cursor:pointer;color:#475467';
  const iframe = document.createElement('iframe');
  iframe.title = 'Add to Samsung Wallet';
  iframe.setAttribute('data-s2p-iframe', '');
  iframe.style.cssText = 'border:0;width:100%;height:100%';
  iframe.src = `${url.href.split('#')[0]}#origin=${encodeURIComponent(window.location.origin)}`;
  const s: Session = {
    overlay,
    iframe,
    origin: url.origin,
    state: undefined,
    errorCode: undefined,
    networkError: false,
    resolve,
    redirectOnFinal,
    callbackUrl: undefined,
    done: false,
    onMessage: (event: MessageEvent) => {
      if (event.origin !== s.origin || event.source !== iframe.contentWindow) return;
      const data = event.data as Record<string, unknown> | null;
      if (data?.['type'] !== 'cardport:s2p') return;
      const kind = data['event'];
      if (kind === 'network-error') {
        s.networkError = true;
        return;
      }
      const state = data['state'];
      if (typeof state === 'string' && (states as string[]).includes(state)) s.state = state as WelcomeState;
      const code = data['errorCode'];
      s.errorCode =
        typeof code === 'string' && (errorCodes as string[]).includes(code) ? (code as ErrorCode) : undefined;
      const callback = data['callbackUrl'];
      if (typeof callback === 'string' && validWelcomeUrl(callback)) s.callbackUrl = callback;
      if (kind === 'close') {
        finish(s, outcome(s, true));
        return;
      }
      if (isFinal(s.state)) {
        if (s.redirectOnFinal && s.callbackUrl) {
          const target = s.callbackUrl;
          finish(s, outcome(s, false));
          window.location.assign(target);
        } else if (isAndroidMobile()) {
          finish(s, outcome(s, false));
        }
      }
    },
  };
  close.addEventListener('click', () => finish(s, outcome(s, true)));
  window.addEventListener('message', s.onMessage);
  frame.appendChild(close);
  frame.appendChild(iframe);
  overlay.appendChild(frame);
  document.body.appendChild(overlay);
  current = s;
}

export const saveToPayUI = {
  /** Shows the welcome UI; goes to welcomeCallbackUrl (if registered) when a final state is reached. */
  showWelcomeModal(r: S2PRequest): void {
    open(r, undefined, true);
  },
  /** Shows the welcome UI; resolves with the status (see the resolution rules above). */
  showWelcomeModalPromise(r: S2PRequest): Promise<S2PResponse> {
    return new Promise((resolve) => open(r, resolve, false));
  },
  /** Closes the modal; a pending promise resolves with the current status, isIframeClosed true. */
  closeWelcomeModal(): void {
    if (current) finish(current, outcome(current, true));
  },
};

declare global {
  interface Window {
    spay?: { saveToPayUI?: typeof saveToPayUI } & Record<string, unknown>;
  }
}

if (typeof window !== 'undefined') {
  window.spay = window.spay ?? {};
  window.spay.saveToPayUI = saveToPayUI;
}
