// Scanning images posted to the wallet (issue 9): the size is capped from the PNG header before
// anything is inflated, and decoding runs on a worker thread so that other requests go on.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { testDbKinds } from '../core/test-kit.ts';
import type { StartedSession } from '../wallet/service.ts';
import { decodeQrPng, pngDimensions, qrDecoderKey, qrPngDataUrl } from './qr.ts';
import { type S2pTestBed, startS2pTestBed } from './test-support.ts';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A white 1-bit grayscale PNG: a few kilobytes however many pixels it announces. */
function blankPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + Math.ceil(width / 8), 0xff);
  row[0] = 0; // filter: none
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

it('reads the size of a PNG from its header', () => {
  assert.deepEqual(pngDimensions(blankPng(8000, 8000)), { width: 8000, height: 8000 });
  assert.equal(pngDimensions(Buffer.from('not a png')), undefined);
  assert.equal(decodeQrPng(blankPng(8000, 8000)), undefined);
});

for (const kind of testDbKinds()) {
  describe(`scanning an image in the wallet (${kind.name})`, () => {
    let bed: S2pTestBed;
    let user: StartedSession;
    const decode = async (image: string) => {
      const res = await fetch(`${bed.urls.url}/wallet/api/s2p/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ image }),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };

    before(async () => {
      bed = await startS2pTestBed({ kind });
      user = await bed.signUp(`scanner-${kind.name}@example.com`);
    });
    after(() => bed.close());

    it('still reads a real QR code', async () => {
      const res = await decode(await qrPngDataUrl('https://example.com/v1/initiate/abc'));
      assert.equal(res.status, 200);
      assert.equal(res.json['text'], 'https://example.com/v1/initiate/abc');
    });

    it('refuses an 8000×8000 image from its header, without decoding it', async () => {
      let started = 0;
      const count = () => {
        started += 1;
      };
      bed.platform.app.ctx.state.get(qrDecoderKey).events.on('start', count);
      const res = await decode(dataUrl(blankPng(8000, 8000)));
      bed.platform.app.ctx.state.get(qrDecoderKey).events.off('start', count);
      assert.equal(res.status, 400);
      const error = res.json['error'] as { details: { field: string; reason: string }[] };
      assert.equal(error.details[0]?.field, 'image');
      assert.match(error.details[0]?.reason ?? '', /at most 4096×4096/);
      assert.equal(started, 0, 'no decode was started');
    });

    it('answers other requests while a large image is being decoded', async () => {
      const order: string[] = [];
      const started = once(bed.platform.app.ctx.state.get(qrDecoderKey).events, 'start');
      const scan = decode(dataUrl(blankPng(2800, 2800))).then((r) => {
        order.push('decode');
        return r;
      });
      await started;
      const health = await fetch(`${bed.urls.url}/healthz`);
      order.push('healthz');
      assert.equal(health.status, 200);
      const res = await scan;
      assert.equal(res.status, 400, 'a blank image holds no QR code');
      assert.deepEqual(order, ['healthz', 'decode']);
    });
  });
}
