// QR codes of the welcome page: drawn with `qrcode`, read back with pngjs + jsQR (what the
// virtual wallet's camera, image upload and `cardport wallet scan` do; qr-decode.mjs).
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import QRCode from 'qrcode';
import { PlatformError } from '../core/errors.ts';

export {
  decodeQrPng,
  MAX_QR_IMAGE_PIXELS,
  MAX_QR_IMAGE_SIDE,
  pngDimensions,
  qrImageWithinLimits,
} from './qr-decode.mjs';

/** A PNG data URL of the QR code of `text`. */
export function qrPngDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

/** Emits `start` when an image is handed to the decoding thread (tests order requests on it). */
export const qrDecodeEvents = new EventEmitter();

// One decoding thread, started on first use and held only while it has work. It
// decodes one image at a time; a few more wait, beyond that the wallet is told to retry.
const MAX_WAITING_DECODES = 4;
let worker: Worker | undefined;
let nextJob = 0;
const jobs = new Map<number, { resolve(text: string | undefined): void; reject(err: Error): void }>();

function decoder(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./qr-decode.mjs', import.meta.url));
  const failAll = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const job of jobs.values()) job.reject(err);
    jobs.clear();
  };
  w.on('message', (m: { id: number; text: string | undefined }) => {
    const job = jobs.get(m.id);
    jobs.delete(m.id);
    job?.resolve(m.text);
    if (jobs.size === 0) w.unref();
  });
  w.on('error', failAll);
  w.on('exit', () => failAll(new Error('the QR decoding thread stopped')));
  // Unref'd while idle (after the listeners, which ref it): it never keeps the process alive.
  w.unref();
  worker = w;
  return w;
}

/**
 * The text of the QR code in a PNG image, decoded on a worker thread so that no request waits for
 * another's image; undefined when it holds none. Check the size first (qrImageWithinLimits).
 */
export function decodeQrPngOffThread(png: Buffer): Promise<string | undefined> {
  if (jobs.size > MAX_WAITING_DECODES) {
    return Promise.reject(
      new PlatformError('SERVICE_UNAVAILABLE', 'the QR decoder is busy, retry shortly', {
        retryAfterSeconds: 1,
      }),
    );
  }
  const id = nextJob++;
  return new Promise((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    const w = decoder();
    w.ref();
    w.postMessage({ id, png });
    qrDecodeEvents.emit('start', id);
  });
}

/** The bytes of a `data:image/png;base64,…` URL, or undefined. */
export function pngFromDataUrl(dataUrl: string): Buffer | undefined {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl.trim());
  return m?.[1] ? Buffer.from(m[1], 'base64') : undefined;
}

/** The QR image data URL marked `data-s2p-qr` in a welcome page's HTML. */
export function qrDataUrlInPage(pageHtml: string): string | undefined {
  const m = /<img[^>]*data-s2p-qr[^>]*src="(data:image\/png;base64,[A-Za-z0-9+/=]+)"/.exec(pageHtml);
  return m?.[1];
}
