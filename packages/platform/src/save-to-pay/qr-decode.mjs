// Reading QR codes out of PNG images: plain JavaScript so that it runs in a worker thread under
// any loader (the CLI registers tsx for the main thread only). The platform decodes in a worker
// (qr.ts) so that a large image never stalls the event loop; the CLI decodes inline.
import { createRequire } from 'node:module';
import { isMainThread, parentPort } from 'node:worker_threads';

// jsqr and pngjs (CommonJS) are loaded on the first decode, not at the platform's start: only a
// wallet scan decodes. `require` keeps them loaded after the first call, and the decode stays
// synchronous (the CLI's `cardport wallet scan` calls it inline).
const require = createRequire(import.meta.url);

/** @returns {{ PNG: typeof import('pngjs').PNG, jsQR: typeof import('jsqr').default }} */
function decoders() {
  const jsQRModule = require('jsqr');
  // jsqr is CommonJS with `exports.default`.
  return { PNG: require('pngjs').PNG, jsQR: jsQRModule.default ?? jsQRModule };
}

/** The largest image we decode: QR screenshots of phones and desktops fit well within it. */
export const MAX_QR_IMAGE_SIDE = 4096;
export const MAX_QR_IMAGE_PIXELS = 8_000_000;

/**
 * Width and height from a PNG's IHDR chunk, read before any decompression, or undefined when the
 * bytes are no PNG. A 10 KB file can announce 8000×8000 pixels: check these first.
 */
export function pngDimensions(png) {
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature) return undefined;
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Whether the image's announced size is within the decoding limits. */
export function qrImageWithinLimits(png) {
  const size = pngDimensions(png);
  if (!size) return false;
  return (
    size.width > 0 &&
    size.height > 0 &&
    size.width <= MAX_QR_IMAGE_SIDE &&
    size.height <= MAX_QR_IMAGE_SIDE &&
    size.width * size.height <= MAX_QR_IMAGE_PIXELS
  );
}

/** The text of the QR code in a PNG image, or undefined when it holds none or is too large. */
export function decodeQrPng(png) {
  if (!qrImageWithinLimits(png)) return undefined;
  try {
    const { PNG, jsQR } = decoders();
    const image = PNG.sync.read(png);
    const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    return code?.data || undefined;
  } catch {
    return undefined;
  }
}

// As a worker: decode each posted image and answer with its id.
if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (job) => {
    port.postMessage({ id: job.id, text: decodeQrPng(Buffer.from(job.png)) });
  });
}
