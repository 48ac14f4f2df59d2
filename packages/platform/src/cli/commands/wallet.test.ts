import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { AppState } from '../../core/app-state.ts';
import { adminGuard, createHttpApp } from '../../core/http.ts';
import {
  ManualClock,
  silentLogger,
  type TestDb,
  testConfig,
  testDbKinds,
  testKeyStore,
} from '../../core/test-kit.ts';
import { registerWalletRoutes } from '../../wallet/routes.ts';
import { main } from '../main.ts';

describe('cardport wallet', () => {
  let t: TestDb;
  let app: FastifyInstance;
  const config = testConfig();
  let env: Record<string, string | undefined>;

  before(async () => {
    const pglite = testDbKinds()[0];
    assert.ok(pglite);
    t = await pglite.open();
    app = createHttpApp({ logger: silentLogger });
    await app.register(formbody);
    registerWalletRoutes(app, {
      db: t.db,
      clock: new ManualClock(),
      config,
      keys: testKeyStore(),
      requireAdmin: adminGuard('cli-token'),
      state: new AppState(),
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    env = { CARDPORT_URL: url, CARDPORT_ADMIN_TOKEN: 'cli-token', CARDPORT_HOME: config.home };
  });
  after(async () => {
    await app.close();
    await t.dispose();
    config.cleanup();
  });

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  it('creates an account and prints userId, deviceId and walletId as one JSON object', async () => {
    const r = await run(
      'wallet',
      'account',
      'create',
      '--email',
      'cli@example.com',
      '--phone',
      '+1-555',
      '--country',
      'ca',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.match(json.userId, /^[A-Za-z0-9]{22}$/);
    assert.match(json.deviceId, /^[A-Za-z0-9]{24}$/);
    assert.match(json.walletId, /^[A-Za-z0-9]{22}$/);
    assert.equal(json.account.country, 'CA');
    assert.equal(json.account.phone, '+1-555');
  });

  it('shows an account by email, as text and as JSON', async () => {
    const text = await run('wallet', 'account', 'show', '--email', 'CLI@example.com');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /userId\s+[A-Za-z0-9]{22}/);
    assert.match(text.stdout, /Galaxy S25/);
    assert.match(text.stdout, /none yet/);
    const json = await run('wallet', 'account', 'show', 'cli@example.com', '--json');
    assert.equal(JSON.parse(json.stdout).account.email, 'cli@example.com');
    const list = await run('wallet', 'account', 'list', '--json');
    assert.equal(JSON.parse(list.stdout).accounts.length, 1);
  });

  it('fails clearly on bad flags, bad values, duplicates and unknown accounts', async () => {
    const missing = await run('wallet', 'account', 'create', '--json');
    assert.equal(missing.code, 2);
    assert.match(JSON.parse(missing.stderr).error.message, /--email is required/);
    const bad = await run('wallet', 'account', 'create', '--email', 'x@example.com', '--country', 'Canada');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /INVALID_INPUT/);
    assert.match(bad.stderr, /country: two letters/);
    const dup = await run('wallet', 'account', 'create', '--email', 'cli@example.com');
    assert.match(dup.stderr, /CONFLICT: an account with this email already exists/);
    const unknown = await run('wallet', 'account', 'show', '--email', 'ghost@example.com');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /NOT_FOUND/);
    const flag = await run('wallet', 'account', 'create', '--emial', 'x@example.com');
    assert.equal(flag.code, 2);
    const limit = await run('wallet', 'account', 'list', '--limit', 'many');
    assert.equal(limit.code, 2);
  });

  it('has help for every wallet command', async () => {
    for (const name of ['create', 'show', 'list']) {
      const r = await run('wallet', 'account', name, '--help');
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`Usage: cardport wallet account ${name}`));
    }
  });
});
