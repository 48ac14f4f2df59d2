// Progressive enhancement for the wallet pages (they work without it): the device switcher
// submits on change, and ids copy to the clipboard on click. Bundled by esbuild
// (core/bundles.ts servePageScript) and served as /wallet/assets/wallet.js.

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-autosubmit]')) {
  const select = form.querySelector('select');
  if (select) select.addEventListener('change', () => form.requestSubmit());
}
for (const el of document.querySelectorAll<HTMLElement>('[data-js-hide]')) el.hidden = true;
for (const el of document.querySelectorAll<HTMLElement>('[data-copy]')) {
  el.title = 'Click to copy';
  el.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText((el.textContent ?? '').trim());
      el.classList.add('copied');
      setTimeout(() => el.classList.remove('copied'), 1200);
    } catch {
      // Clipboard access needs a secure context or permission; selecting the text still works.
    }
  });
}

export {};
