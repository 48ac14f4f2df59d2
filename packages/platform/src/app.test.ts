// buildApp assembles the platform without side effects and refuses a module whose dependencies
// are not mounted before it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assembleApp } from './app.ts';
import { type Db, openDb } from './core/db.ts';
import type { DomainModule } from './core/domain.ts';
import { migrate } from './core/migrate.ts';
import { ManualClock, silentLogger, testConfig, testKeyStore } from './core/test-kit.ts';
import { domains } from './domains.ts';
import { saveToPayModule } from './save-to-pay/module.ts';
import { tspModule } from './tsp/index.ts';
import { walletModule } from './wallet/module.ts';

describe('buildApp', () => {
  let db: Db;
  const clock = new ManualClock(Date.now());
  const config = testConfig();
  const keys = testKeyStore(clock);
  before(async () => {
    db = await openDb();
    await migrate(db);
  });
  after(async () => {
    await db.close();
    config.cleanup();
  });

  const build = (modules: DomainModule[], home = config.home) =>
    assembleApp({
      config: { ...config, home },
      db,
      clock,
      log: silentLogger,
      keys,
      adminToken: 'app-test-token',
      modules,
    });

  it('builds every domain without reading or writing the home folder', async () => {
    const home = join(config.home, 'never-created');
    const before = readdirSync(config.home);
    const app = await build(domains, home);
    try {
      assert.equal(existsSync(home), false, 'the home folder was not created');
      assert.deepEqual(readdirSync(config.home), before, 'nothing was written beside it');
      const guarded = await app.main.inject({
        url: '/admin/v1/deliveries',
        headers: { authorization: 'Bearer app-test-token' },
      });
      assert.equal(guarded.statusCode, 200, 'the admin token given is the one the guard accepts');
      const refused = await app.main.inject({
        url: '/admin/v1/deliveries',
        headers: { authorization: 'Bearer other' },
      });
      assert.equal(refused.statusCode, 401);
    } finally {
      await app.ctx.delivery.close();
      await app.main.close();
      await app.mtls.close();
    }
  });

  it('declares the dependencies of the flows, and the default order satisfies them', () => {
    assert.deepEqual(saveToPayModule.dependsOn, ['wallet', 'tsp']);
    const names = domains.map((m) => m.name);
    for (const m of domains) {
      for (const dep of m.dependsOn ?? [])
        assert.ok(names.indexOf(dep) < names.indexOf(m.name), `${m.name} after ${dep}`);
    }
  });

  it('refuses a module whose dependency is not mounted, naming both', async () => {
    await assert.rejects(build([walletModule, saveToPayModule]), {
      message: 'module "save-to-pay" depends on "tsp", which is not mounted: mount "tsp" first',
    });
  });

  it('refuses a module mounted before its dependency', async () => {
    const partners = domains.find((m) => m.name === 'partners') as DomainModule;
    await assert.rejects(build([partners, walletModule, saveToPayModule, tspModule]), {
      message: 'module "save-to-pay" depends on "tsp", which is mounted after it: mount "tsp" first',
    });
  });
});
