// The "Add to Samsung Wallet" button for partner pages (PROTOCOLS.md 2.1). A Data Transmit link's
// cdata expires 30 s after it was made, so the button asks the partner's server for the link
// when it is clicked (`getLink` or a `data-link-endpoint` answering `{"link": "..."}`), then opens
// it. Data Fetch (pdata) links do not expire and can be given as they are (`link`).
// Declarative use, no inline script needed:
//   <div data-add-to-wallet data-link-endpoint="/links/ticket/42"></div>
//   <script src="{platform}/atw/libs/add-to-wallet.js"></script>

export interface AddToWalletOptions {
  /** A ready link (pdata links, which do not expire). */
  link?: string;
  /** Makes the link on click (cdata links): typically a fetch to your server. */
  getLink?: () => Promise<string> | string;
  /** Button text; default "Add to Samsung Wallet". */
  label?: string;
  /** Open in a new tab instead of this one. */
  newTab?: boolean;
  /** Called with the error when the link could not be made. */
  onError?: (err: unknown) => void;
}

const walletIcon =
  '<svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="6" width="18" height="13" rx="3"/><path d="M3 10h18M16 14.5h2"/></svg>';

function style(el: HTMLElement, css: Record<string, string>): void {
  for (const k of Object.keys(css)) el.style.setProperty(k, css[k] as string);
}

/** Fetches `{link}` from a partner endpoint (POST, same-origin credentials). */
export async function linkFromEndpoint(endpoint: string): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`link endpoint answered HTTP ${res.status}`);
  const body = (await res.json()) as { link?: unknown };
  if (typeof body.link !== 'string') throw new Error('link endpoint did not answer {"link": "..."}');
  return body.link;
}

/** Renders the button into `target` (an element or a selector) and returns it. */
export function addToWalletButton(target: Element | string, options: AddToWalletOptions): HTMLButtonElement {
  const host = typeof target === 'string' ? document.querySelector(target) : target;
  if (!host) throw new Error(`addToWalletButton: no element ${String(target)}`);
  if (!options.link && !options.getLink) throw new TypeError('addToWalletButton needs link or getLink');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'add-to-samsung-wallet';
  button.setAttribute('data-testid', 'add-to-samsung-wallet');
  button.innerHTML = walletIcon;
  const text = document.createElement('span');
  text.textContent = options.label ?? 'Add to Samsung Wallet';
  button.appendChild(text);
  style(button, {
    display: 'inline-flex',
    'align-items': 'center',
    gap: '8px',
    padding: '10px 18px',
    'border-radius': '999px',
    border: '0',
    background: '#000',
    color: '#fff',
    font: '600 15px/1.2 system-ui, sans-serif',
    cursor: 'pointer',
  });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const link = options.link ?? (await (options.getLink as () => Promise<string> | string)());
      if (options.newTab) window.open(link, '_blank', 'noopener');
      else window.location.assign(link);
    } catch (err) {
      if (options.onError) options.onError(err);
      else console.error('Add to Samsung Wallet:', err);
    } finally {
      button.disabled = false;
    }
  });
  host.appendChild(button);
  return button;
}

/** Turns every `[data-add-to-wallet]` element (with data-link or data-link-endpoint) into a button. */
export function enhanceAddToWalletButtons(root: ParentNode = document): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-add-to-wallet]'))) {
    if (el.dataset['enhanced']) continue;
    el.dataset['enhanced'] = '1';
    const endpoint = el.dataset['linkEndpoint'];
    const link = el.dataset['link'];
    addToWalletButton(el, {
      ...(link ? { link } : {}),
      ...(endpoint ? { getLink: () => linkFromEndpoint(endpoint) } : {}),
      ...(el.dataset['label'] ? { label: el.dataset['label'] } : {}),
      newTab: el.dataset['newTab'] === 'true',
    });
  }
}

declare global {
  interface Window {
    cardport?: {
      addToWalletButton?: typeof addToWalletButton;
      enhanceAddToWalletButtons?: typeof enhanceAddToWalletButtons;
    };
  }
}

if (typeof window !== 'undefined') {
  window.cardport = window.cardport ?? {};
  window.cardport.addToWalletButton = addToWalletButton;
  window.cardport.enhanceAddToWalletButtons = enhanceAddToWalletButtons;
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => enhanceAddToWalletButtons());
  else enhanceAddToWalletButtons();
}
