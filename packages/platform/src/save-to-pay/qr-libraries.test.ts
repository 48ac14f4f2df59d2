// The QR libraries load on first use (issue 13, a lean start): importing the Save to Pay routes'
// QR module loads neither the encoder (qrcode) nor the decoder (jsqr, pngjs); the first code drawn
// loads the encoder, the first image read loads the decoder. Checked in a fresh process, whose
// module cache holds only what that process loaded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const qrModule = new URL('./qr.ts', import.meta.url).href;

const script = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const loaded = () => ['qrcode', 'jsqr', 'pngjs'].filter((name) =>
  Object.keys(require.cache).some((path) => path.includes('/node_modules/' + name + '/')));
const steps = {};
const qr = await import(${JSON.stringify(qrModule)});
steps.imported = loaded();
const dataUrl = await qr.qrPngDataUrl('https://example.com/v1/initiate/lazy');
steps.drawn = loaded();
steps.text = qr.decodeQrPng(qr.pngFromDataUrl(dataUrl));
steps.read = loaded();
console.log(JSON.stringify(steps));
`;

test('loads the QR encoder on the first code drawn and the decoder on the first image read, not on import', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const steps = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
  assert.deepEqual(steps, {
    imported: [],
    // qrcode draws its PNG with pngjs.
    drawn: ['qrcode', 'pngjs'],
    text: 'https://example.com/v1/initiate/lazy',
    read: ['qrcode', 'jsqr', 'pngjs'],
  });
});
