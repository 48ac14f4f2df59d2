// Applies partner colours (data-bg-color, data-font-color, checked #RRGGBB by the server) to
// passes: the pages' CSP allows no inline style attributes, but scripts may set styles.
// The wallet's card list includes this script once per pass, so it is a closed scope that runs
// its set-up once (a top-level `const` would be redeclared by the second copy).
(() => {
  if (window.cardportApplyPassColors) return;
  const passColor = /^#[0-9A-Fa-f]{6}$/;

  function applyPassColors(root) {
    for (const el of (root || document).querySelectorAll('.pass[data-bg-color], .pass[data-font-color]')) {
      const bg = el.getAttribute('data-bg-color');
      const fg = el.getAttribute('data-font-color');
      if (bg && passColor.test(bg)) el.style.background = bg;
      if (fg && passColor.test(fg)) el.style.color = fg;
    }
  }

  window.cardportApplyPassColors = applyPassColors;
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => applyPassColors());
  else applyPassColors();
})();
