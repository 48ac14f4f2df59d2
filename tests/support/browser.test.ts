import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertChromium, ChromiumNotFoundError, chromiumPath, launchBrowser } from './browser.ts';

it('uses CHROMIUM_PATH, else Debian’s /usr/bin/chromium', () => {
  assert.equal(chromiumPath({}), '/usr/bin/chromium');
  assert.equal(chromiumPath({ CHROMIUM_PATH: '/opt/chrome/chrome' }), '/opt/chrome/chrome');
});

it('fails (never skips) with install instructions when Chromium is missing', async () => {
  const missing = '/nonexistent/chromium';
  assert.throws(
    () => assertChromium(missing),
    (err: unknown) => {
      assert.ok(err instanceof ChromiumNotFoundError);
      assert.match(err.message, /apt-get install chromium/);
      assert.match(err.message, /CHROMIUM_PATH/);
      assert.match(err.message, /\/nonexistent\/chromium/);
      return true;
    },
  );
  await assert.rejects(launchBrowser({ env: { CHROMIUM_PATH: missing } }), ChromiumNotFoundError);
});
