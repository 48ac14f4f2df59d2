// Applies partner colours (data-bg-color, data-font-color, checked #RRGGBB by the server) to
// passes: the pages' CSP allows no inline style attributes, but scripts may set styles.
// The wallet's card list includes this script once per pass, so it runs its set-up once (the
// bundle is an IIFE: a second copy finds the function already installed and stops).
// Bundled by esbuild (core/bundles.ts servePageScript) and served as /atw/assets/pass.js.

declare global {
  interface Window {
    cardportApplyPassColors?: (root?: ParentNode) => void;
  }
}

const passColor = /^#[0-9A-Fa-f]{6}$/;

function applyPassColors(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('.pass[data-bg-color], .pass[data-font-color]')) {
    const bg = el.getAttribute('data-bg-color');
    const fg = el.getAttribute('data-font-color');
    if (bg && passColor.test(bg)) el.style.background = bg;
    if (fg && passColor.test(fg)) el.style.color = fg;
  }
}

if (!window.cardportApplyPassColors) {
  window.cardportApplyPassColors = applyPassColors;
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => applyPassColors());
  else applyPassColors();
}

export {};
