// QR codes of the welcome page: drawn with `qrcode`, read back with pngjs + jsQR (what the
// virtual wallet's camera, image upload and `cardport wallet scan` do).
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

// jsqr is CommonJS with `exports.default`; under ESM interop the function may sit one level down.
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/** A PNG data URL of the QR code of `text`. */
export function qrPngDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

/** The text of the QR code in a PNG image, or undefined when the image holds none (never throws). */
export function decodeQrPng(png: Buffer): string | undefined {
  try {
    const image = PNG.sync.read(png);
    const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    return code?.data || undefined;
  } catch {
    return undefined;
  }
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
