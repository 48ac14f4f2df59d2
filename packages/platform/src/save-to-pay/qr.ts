// QR codes of the welcome page: drawn with `qrcode`, read back with pngjs + jsQR (what the
// virtual wallet's camera, image upload and `cardport wallet scan` do; qr-decode.mjs). All three
// libraries load on first use: a start to /healthz needs none of them.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { appStateKey } from '../core/app-state.ts';
import { PlatformError } from '../core/errors.ts';

export {
  decodeQrPng,
  MAX_QR_IMAGE_PIXELS,
  MAX_QR_IMAGE_SIDE,
  pngDimensions,
  qrImageWithinLimits,
} from './qr-decode.mjs';

/** A PNG data URL of the QR code of `text`. The encoder is loaded on the first code drawn. */
export async function qrPngDataUrl(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

// A few images wait for the decoding thread; beyond that the wallet is told to retry.
const MAX_WAITING_DECODES = 4;

/**
 * One decoding thread per app, started on first use and held only while it has work. It decodes
 * one image at a time, so that no request waits for another's image on the event loop.
 */
export class QrDecoder {
  /** Emits `start` when an image is handed to the decoding thread (tests order requests on it). */
  readonly events = new EventEmitter();
  #worker: Worker | undefined;
  #nextJob = 0;
  readonly #jobs = new Map<number, { resolve(text: string | undefined): void; reject(err: Error): void }>();

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(new URL('./qr-decode.mjs', import.meta.url));
    const failAll = (err: Error) => {
      if (this.#worker === w) this.#worker = undefined;
      for (const job of this.#jobs.values()) job.reject(err);
      this.#jobs.clear();
    };
    w.on('message', (m: { id: number; text: string | undefined }) => {
      const job = this.#jobs.get(m.id);
      this.#jobs.delete(m.id);
      job?.resolve(m.text);
      if (this.#jobs.size === 0) w.unref();
    });
    w.on('error', failAll);
    w.on('exit', () => failAll(new Error('the QR decoding thread stopped')));
    // Unref'd while idle (after the listeners, which ref it): it never keeps the process alive.
    w.unref();
    this.#worker = w;
    return w;
  }

  /**
   * The text of the QR code in a PNG image, decoded on the worker thread; undefined when it holds
   * none. Check the size first (qrImageWithinLimits).
   */
  decode(png: Buffer): Promise<string | undefined> {
    if (this.#jobs.size > MAX_WAITING_DECODES) {
      return Promise.reject(
        new PlatformError('SERVICE_UNAVAILABLE', 'the QR decoder is busy, retry shortly', {
          retryAfterSeconds: 1,
        }),
      );
    }
    const id = this.#nextJob++;
    return new Promise((resolve, reject) => {
      this.#jobs.set(id, { resolve, reject });
      const w = this.#thread();
      w.ref();
      w.postMessage({ id, png });
      this.events.emit('start', id);
    });
  }
}

/** The app's QR decoder (`ctx.state.get(qrDecoderKey)`). */
export const qrDecoderKey = appStateKey('save-to-pay.qrDecoder', () => new QrDecoder());

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
