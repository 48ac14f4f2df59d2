// @cardport/platform/testing resolves through the package's exports (to the sources here, to
// dist/testing/ when installed) and gives a whole platform with an onboarded partner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onboardTestPartner, startTestPlatform, TEST_ADMIN_TOKEN } from '@cardport/platform/testing';

test('starts a platform through @cardport/platform/testing and onboards a partner on it', async () => {
  const platform = await startTestPlatform();
  try {
    const partner = await onboardTestPartner(platform, { name: 'Testing Bank' });
    assert.match(partner.partnerId, /^[1-9]\d{31}$/);
    const res = await platform.app.main.inject({
      url: `/admin/v1/partners/${partner.partnerId}`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Testing Bank/);
  } finally {
    await platform.close();
  }
});
