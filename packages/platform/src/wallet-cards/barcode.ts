// The barcode of a pass (`barcode.*` attributes, PROTOCOLS.md 2.3), drawn by the platform: the one
// renderer behind the landing page's preview, the add page and the wallet's pass page. QR codes
// come from `qrcode`, every other symbology from `bwip-js`, both as SVG in a data: URL (an <img>
// runs no script, and the pages' CSP allows `img-src data:`). A value the symbology cannot encode
// gives a note saying why, never an error.
import { appStateKey } from '../core/app-state.ts';

export interface BarcodeImage {
  /** The symbology (ZXing name, e.g. CODE_128), or SERIALNUMBER for a number shown as text. */
  format: string;
  value: string;
  /** The barcode as an SVG data: URL; absent when nothing is drawn (serial numbers, `error`). */
  image?: string;
  /** How the image is laid out: square (QR, Aztec, Data Matrix) or wide (linear, PDF417). */
  shape?: 'square' | 'wide';
  /** The image's natural size in CSS pixels. */
  width?: number;
  height?: number;
  /** Why the value could not be drawn in its symbology (shown as "cannot draw this barcode: …"). */
  error?: string;
}

interface Symbology {
  bcid: string;
  /** linear: bars only, stretched to the box; stacked (PDF417) and matrix keep their proportions. */
  kind: 'linear' | 'stacked' | 'matrix';
  options?: Record<string, number>;
}

const linear = (bcid: string): Symbology => ({ bcid, kind: 'linear', options: { scale: 2, height: 12 } });

/** ZXing names (`barcode.ptSubFormat`) → bwip-js symbologies. QR_CODE is drawn by `qrcode`. */
const symbologies: Readonly<Record<string, Symbology>> = {
  CODE_128: linear('code128'),
  CODE_39: linear('code39'),
  CODE_93: linear('code93'),
  EAN_13: linear('ean13'),
  EAN_8: linear('ean8'),
  UPC_A: linear('upca'),
  UPC_E: linear('upce'),
  ITF: linear('interleaved2of5'),
  CODABAR: linear('rationalizedCodabar'),
  PDF_417: { bcid: 'pdf417', kind: 'stacked', options: { scale: 3 } },
  AZTEC: { bcid: 'azteccode', kind: 'matrix', options: { scale: 4 } },
  APIAZTEC: { bcid: 'azteccode', kind: 'matrix', options: { scale: 4 } },
  DATA_MATRIX: { bcid: 'datamatrix', kind: 'matrix', options: { scale: 4 } },
};

/** The symbologies drawn: QR_CODE and every key of the bwip-js table. */
export const drawnSymbologies: readonly string[] = ['QR_CODE', ...Object.keys(symbologies)];

/** Longest value drawn: more than any symbology holds, and bounds the work per pass. */
const MAX_VALUE_LENGTH = 4096;
const SQUARE_SIZE = 132;
const MAX_WIDE_WIDTH = 400;
const LINEAR_HEIGHT = 64;

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** bwip-js errors read `bwipp.ean13badLength#6878: EAN-13 must be 12 or 13 digits`. */
function reasonOf(err: unknown, format: string): string {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const reason = message.replace(/^bwip(?:p|-js)[\w.]*(?:#\d+)?:\s*/i, '').trim();
  return reason && reason.length <= 300 ? reason : `the value cannot be encoded as ${format}`;
}

/** Which symbology the attributes ask for: `ptSubFormat`, else what serialType/ptFormat imply. */
export function barcodeSymbology(attributes: Record<string, unknown>): string {
  const serialType = String(attributes['barcode.serialType'] ?? '');
  const ptFormat = String(attributes['barcode.ptFormat'] ?? '');
  const sub = attributes['barcode.ptSubFormat'];
  if (typeof sub === 'string' && sub.trim() !== '') return sub.trim().toUpperCase();
  if (serialType === 'QRCODE' || ptFormat.startsWith('QRCODE')) return 'QR_CODE';
  if (serialType === 'SERIALNUMBER' || ptFormat === 'SERIAL') return 'SERIALNUMBER';
  return 'CODE_128';
}

/** ZXing's Codabar writer adds A…A when the value has no start/stop characters; so do we. */
function codabarText(value: string): string {
  return /^[ABCD]/i.test(value) ? value : `A${value}A`;
}

/**
 * Images drawn lately, by symbology and value (least recently used first): the image depends on
 * the symbology and the value only, so every check of the same link and every view of the same
 * pass draws it once. One per app (`ctx.state`, {@link barcodeImagesKey}).
 */
export class BarcodeImages {
  readonly #drawn = new Map<string, Promise<BarcodeImage>>();
  readonly #max: number;

  constructor(max = 1000) {
    this.#max = max;
  }

  get size(): number {
    return this.#drawn.size;
  }

  /** The image of `value` in `format`, drawn on first use. */
  image(format: string, value: string): Promise<BarcodeImage> {
    const key = `${format}\n${value}`;
    let drawn = this.#drawn.get(key);
    if (drawn) {
      this.#drawn.delete(key); // most recently used last
    } else {
      drawn = draw(format, value);
      if (this.#drawn.size >= this.#max) this.#drawn.delete(this.#drawn.keys().next().value as string);
    }
    this.#drawn.set(key, drawn);
    return drawn;
  }
}

/** The app's drawn barcode images. */
export const barcodeImagesKey = appStateKey('wallet-cards.barcodes', () => new BarcodeImages());

/**
 * Renders `barcode.value` as the card would show it: `ptSubFormat` names the symbology (ZXing
 * names), `ptFormat`/`serialType` how it is presented. Returns null without a value; never throws
 * for a value or symbology it cannot draw (the result's `error` says why). `images` is the app's
 * memo; without it the image is drawn afresh.
 */
export async function renderBarcode(
  attributes: Record<string, unknown>,
  images?: BarcodeImages,
): Promise<BarcodeImage | null> {
  const value = attributes['barcode.value'];
  if (typeof value !== 'string' || value === '') return null;
  const format = barcodeSymbology(attributes);
  return { ...(await (images ? images.image(format, value) : draw(format, value))) };
}

async function draw(format: string, value: string): Promise<BarcodeImage> {
  if (format === 'SERIALNUMBER') return { format, value };
  if (value.length > MAX_VALUE_LENGTH) {
    return { format, value, error: `the value is longer than ${MAX_VALUE_LENGTH} characters` };
  }
  if (format === 'QR_CODE') {
    try {
      // The encoders load on the first barcode drawn, not at the platform's start.
      const { default: QRCode } = await import('qrcode');
      const svg = await QRCode.toString(value, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return {
        format,
        value,
        image: svgDataUrl(svg),
        shape: 'square',
        width: SQUARE_SIZE,
        height: SQUARE_SIZE,
      };
    } catch (err) {
      return { format, value, error: reasonOf(err, format) };
    }
  }
  const symbology = symbologies[format];
  if (!symbology) {
    return { format, value, error: `${format} is not a symbology the sandbox draws` };
  }
  try {
    const { default: bwipjs } = await import('bwip-js');
    const svg = bwipjs.toSVG({
      bcid: symbology.bcid,
      text: format === 'CODABAR' ? codabarText(value) : value,
      ...symbology.options,
    });
    if (symbology.kind === 'matrix') {
      return {
        format,
        value,
        image: svgDataUrl(svg),
        shape: 'square',
        width: SQUARE_SIZE,
        height: SQUARE_SIZE,
      };
    }
    const [, , w = 0, h = 0] = (/viewBox="([^"]*)"/.exec(svg)?.[1] ?? '').split(/\s+/).map(Number);
    const width = Math.min(MAX_WIDE_WIDTH, Math.round(w) || MAX_WIDE_WIDTH);
    if (symbology.kind === 'linear') {
      // Bars only vary across: a long value is narrowed to the box, not shortened.
      const stretched = svg.replace('<svg ', '<svg preserveAspectRatio="none" ');
      return { format, value, image: svgDataUrl(stretched), shape: 'wide', width, height: LINEAR_HEIGHT };
    }
    const height = w > 0 && h > 0 ? Math.max(1, Math.round((h * width) / w)) : LINEAR_HEIGHT;
    return { format, value, image: svgDataUrl(svg), shape: 'wide', width, height };
  } catch (err) {
    return { format, value, error: reasonOf(err, format) };
  }
}
