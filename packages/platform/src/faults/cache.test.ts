import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { AppState } from '../core/app-state.ts';
import { type TestDb, testDbKinds } from '../core/test-kit.ts';
import { faultSettingsKey } from './service.ts';

let t: TestDb;
before(async () => {
  const kind = testDbKinds()[0];
  assert.ok(kind);
  t = await kind.open();
});
after(async () => t.dispose());

it("keeps each app's copy of the fault settings to itself, and reads again once cleared", async () => {
  const a = new AppState();
  const b = new AppState();
  assert.notEqual(a.get(faultSettingsKey), b.get(faultSettingsKey));
  const first = await a.get(faultSettingsKey).all(t.db);
  assert.equal(await a.get(faultSettingsKey).all(t.db), first, 'served from the cache within the second');
  a.get(faultSettingsKey).clear();
  assert.notEqual(await a.get(faultSettingsKey).all(t.db), first, 'read again after a change');
});
