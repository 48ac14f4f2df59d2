// Types of qr-decode.mjs (plain JavaScript so that it runs in a worker thread).
export declare const MAX_QR_IMAGE_SIDE: number;
export declare const MAX_QR_IMAGE_PIXELS: number;
export declare function pngDimensions(png: Buffer): { width: number; height: number } | undefined;
export declare function qrImageWithinLimits(png: Buffer): boolean;
export declare function decodeQrPng(png: Buffer): string | undefined;
