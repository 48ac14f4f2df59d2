import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registrationSchema } from '@cardport/protocol';
import { pngFromDataUrl, qrPngDataUrl } from '../../save-to-pay/qr.ts';
import { type S2pTestBed, startS2pTestBed, validRegistration } from '../../save-to-pay/test-support.ts';
import { TEST_ADMIN_TOKEN } from '../../testing/index.ts';
import { main } from '../main.ts';

describe('cardport wallet scan and s2p switch', () => {
  let bed: S2pTestBed;
  let env: Record<string, string | undefined>;
  before(async () => {
    bed = await startS2pTestBed();
    env = {
      CARDPORT_URL: bed.urls.url,
      CARDPORT_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      CARDPORT_HOME: bed.platform.app.ctx.config.home,
    };
  });
  after(async () => {
    await bed?.close();
  });

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }
  const register = async () =>
    registrationSchema.parse(
      (await bed.api({ path: '/ext/v1/registrations', body: validRegistration })).json,
    );

  it('scans a welcome URL by reading the QR off the page, and provisions the card', async () => {
    const user = await bed.signUp('cli.scan@example.com');
    const reg = await register();
    const r = await run('wallet', 'scan', '--account', 'cli.scan@example.com', reg.welcomeUrl, '--json');
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.regId, reg.id);
    assert.equal(json.outcome, 'PROVISIONED');
    assert.equal(json.walletId, user.device.walletId);
    assert.equal(json.fundingLast4, '1111');
  });

  it('scans a PNG of the QR code and the QR content itself; the same card again fails CARD_ALREADY_PRESENT', async () => {
    await bed.signUp('cli.png@example.com');
    const first = await register();
    const file = join(bed.platform.app.ctx.config.home, 'qr.png');
    const initiateUrl = first.welcomeUrl.replace('/welcome/', '/initiate/');
    writeFileSync(file, pngFromDataUrl(await qrPngDataUrl(initiateUrl)) as Buffer);
    const a = await run('wallet', 'scan', '--account', 'cli.png@example.com', file, '--json');
    assert.equal(a.code, 0, a.stderr);
    assert.equal(JSON.parse(a.stdout).outcome, 'PROVISIONED');
    const second = await register();
    const b = await run(
      'wallet',
      'scan',
      '--account',
      'cli.png@example.com',
      second.welcomeUrl.replace('/welcome/', '/initiate/'),
    );
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /Not added: CARD_ALREADY_PRESENT/);
  });

  it('fails clearly for an unknown account, a used code and a file without a QR code', async () => {
    const reg = await register();
    const unknown = await run('wallet', 'scan', '--account', 'nobody@example.com', reg.welcomeUrl);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /wallet account not found/);
    const file = join(bed.platform.app.ctx.config.home, 'not-a-qr.png');
    writeFileSync(file, 'not a png');
    const bad = await run('wallet', 'scan', '--account', 'cli.scan@example.com', file);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /no QR code found/);
  });

  it('switches the partner API off (503.2) and on again', async () => {
    const off = await run('s2p', 'switch', '--api', 'off', '--retry-after', '5', '--json');
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(JSON.parse(off.stdout), { api: 'off', load: 'normal', retryAfterSeconds: 5 });
    const res = await bed.api({ path: '/ext/v1/registrations', body: validRegistration });
    assert.equal(res.status, 503);
    const on = await run('s2p', 'switch', '--api', 'on');
    assert.equal(on.code, 0, on.stderr);
    assert.match(on.stdout, /api on/);
    const bad = await run('s2p', 'switch', '--api', 'maybe');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /api: must be on or off/);
  });
});
