// The wallet's Scan tab: reads a code from the camera, an uploaded picture or a pasted link.
// A Save to Pay code runs the wallet side of the flow through the device API: initiate (the
// platform calls the bank with WA_READY and returns the issuerBlob), then provision (token
// service). An Add to Wallet or checkout code opens the wallet screen that adds the pass or
// approves the payment. Bundled by esbuild (core/bundles.ts servePageScript) and served as
// /wallet/s2p/assets/scan.js.
import type { InitiateResult, ProvisionResult } from '../provisioning.ts';

/** POST /wallet/api/s2p/decode */
interface DecodeAnswer {
  text: string;
}

/** The main listener's refusal: `{error: {code, message}}`. */
interface ErrorAnswer {
  error?: { code?: string; message?: string };
}

/** A refusal of the device API, with the platform's error code. */
class ApiError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.code = code;
  }
}

type Outcome = 'info' | 'success' | 'error' | 'idle';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const csrfToken = document.querySelector('meta[name="cardport-csrf"]')?.getAttribute('content') ?? '';

async function api<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    // The session's CSRF token (wallet/csrf.ts), from the page the wallet rendered.
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const { error } = json as ErrorAnswer;
    throw new ApiError(error?.message || `HTTP ${res.status}`, error?.code);
  }
  return json as T;
}

// Every code Cardport draws leads somewhere in this wallet: a Save to Pay code links a
// registration here; an Add to Wallet code (/wallet/app/add-card) and a checkout code
// (/wallet/payments/checkout/…) open their own wallet screen.
const walletScreens = [/^\/wallet\/app\/add-card$/, /^\/wallet\/payments\/checkout\/[^/]+$/];

type Target = { kind: 's2p'; url: string } | { kind: 'screen'; url: string } | { kind: 'unknown' };

function route(text: string): Target {
  let url: URL;
  try {
    url = new URL(text, location.href);
  } catch {
    return { kind: 'unknown' };
  }
  if (/\/s2p\/v1\/initiate\/[^/]+$/.test(url.pathname)) return { kind: 's2p', url: url.href };
  if (url.origin === location.origin && walletScreens.some((re) => re.test(url.pathname)))
    return { kind: 'screen', url: url.pathname + url.search };
  return { kind: 'unknown' };
}

function start(root: Element): void {
  const result = root.querySelector<HTMLElement>('[data-s2p-result]');
  const inputs = root.querySelector<HTMLElement>('[data-s2p-inputs]');
  const form = root.querySelector<HTMLFormElement>('[data-s2p-paste]');
  const fileInput = root.querySelector<HTMLInputElement>('[data-s2p-file]');
  const video = root.querySelector<HTMLVideoElement>('[data-s2p-video]');
  const camera = root.querySelector<HTMLButtonElement>('[data-s2p-camera]');
  if (!result || !form || !fileInput || !video || !camera) return;

  const show = (kind: Outcome, message: string, extra?: HTMLElement): void => {
    result.replaceChildren();
    // The inputs step aside once a code is being handled; they come back after an error.
    if (inputs) inputs.hidden = kind !== 'error' && kind !== 'idle';
    const box = el('div', {
      class: `notice notice-${kind}`,
      role: kind === 'error' ? 'alert' : 'status',
      'data-s2p-outcome': kind,
    });
    box.appendChild(el('p', {}, message));
    result.appendChild(box);
    if (extra) result.appendChild(extra);
  };

  const provision = async (init: InitiateResult): Promise<void> => {
    show('info', `Adding ${init.card.cardName}…`);
    try {
      const r = await api<ProvisionResult>(
        `/wallet/api/s2p/registrations/${encodeURIComponent(init.regId)}/provision`,
        { issuerBlob: init.issuerBlob },
      );
      if (r.outcome === 'PROVISIONED') {
        const done = el('div');
        const link = el('a', { class: 'button primary block', href: '/wallet/app' }, 'Open the wallet');
        done.appendChild(link);
        show(
          'success',
          `${init.card.cardName} is in your wallet (•••• ${r.fundingLast4 || r.tokenPanLast4}).`,
          done,
        );
      } else if (r.error === 'CARD_ALREADY_PRESENT') {
        show('error', 'This card is already in this wallet.');
      } else {
        show('error', `The card could not be added: ${r.message}`);
      }
    } catch (e) {
      show('error', `The card could not be added: ${messageOf(e)}`);
    }
  };

  const confirm = (init: InitiateResult): void => {
    const box = el('div', { class: 's2p-confirm' });
    if (init.card.cardArtUrl) box.appendChild(el('img', { src: init.card.cardArtUrl, alt: '' }));
    box.appendChild(el('h2', {}, init.card.cardName));
    box.appendChild(el('p', { class: 's2p-muted' }, `From ${init.card.partnerName}`));
    if (init.card.partnerTncUrl) {
      box.appendChild(
        el('a', { href: init.card.partnerTncUrl, target: '_blank', rel: 'noopener' }, 'Terms and conditions'),
      );
    }
    const add = el(
      'button',
      { type: 'button', class: 'button primary block', 'data-testid': 's2p-add' },
      'Add card',
    );
    const cancel = el(
      'button',
      { type: 'button', class: 'button block', 'data-testid': 's2p-cancel' },
      'Cancel',
    );
    add.addEventListener('click', () => provision(init));
    cancel.addEventListener('click', async () => {
      try {
        await api<unknown>(`/wallet/api/s2p/registrations/${encodeURIComponent(init.regId)}/cancel`, {});
        show('info', 'Canceled: the card was not added.');
      } catch (e) {
        show('error', messageOf(e));
      }
    });
    box.appendChild(add);
    box.appendChild(cancel);
    show('info', 'Connected to the bank. Add this card?', box);
  };

  const initiate = async (text: string): Promise<void> => {
    const target = route(text);
    if (target.kind === 'screen') {
      show('info', 'Opening…');
      location.assign(target.url);
      return;
    }
    if (target.kind !== 's2p') {
      show(
        'error',
        'This code is not one the wallet knows: scan an "Add to Samsung Wallet", "Add to wallet" or checkout code.',
      );
      return;
    }
    const url = target.url;
    show('info', 'Connecting to the bank…');
    try {
      confirm(await api<InitiateResult>('/wallet/api/s2p/initiate', { url }));
    } catch (e) {
      show('error', messageOf(e));
    }
  };

  const decodeCanvas = async (canvas: HTMLCanvasElement): Promise<string> => {
    const { text } = await api<DecodeAnswer>('/wallet/api/s2p/decode', {
      image: canvas.toDataURL('image/png'),
    });
    return text;
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const url = new FormData(form).get('url');
    if (typeof url === 'string' && url.trim()) initiate(url.trim());
    else show('error', 'Paste the link of the code first.');
  });

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    show('info', 'Reading the code…');
    try {
      const bitmap = await createImageBitmap(file);
      const canvas = el('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
      await initiate(await decodeCanvas(canvas));
    } catch (e) {
      show('error', messageOf(e) || 'No code found in that picture.');
    }
  });

  camera.addEventListener('click', async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      show('error', 'This browser has no camera access: upload a picture or paste the link.');
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      show('info', 'Point the camera at the code…');
      const canvas = el('canvas');
      const tick = async (): Promise<void> => {
        if (!video.srcObject) return;
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext('2d')?.drawImage(video, 0, 0);
        try {
          const text = await decodeCanvas(canvas);
          for (const t of stream.getTracks()) t.stop();
          video.srcObject = null;
          video.hidden = true;
          await initiate(text);
          return;
        } catch {
          setTimeout(tick, 700);
        }
      };
      setTimeout(tick, 500);
    } catch {
      show('error', 'The camera is not available: upload a picture or paste the link.');
    }
  });

  if (inputs && root.querySelector<HTMLInputElement>('[data-testid="s2p-link"]')?.value) {
    root.querySelector<HTMLButtonElement>('[data-testid="s2p-continue"]')?.focus();
  }
}

const root = document.querySelector('[data-s2p-scan]');
if (root) start(root);
