import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { registerDeliveryRoutes } from '../../admin/routes.ts';
import { createDelivery, type Delivery } from '../../core/delivery.ts';
import { type Receiver, startReceiver } from '../../core/delivery-test-support.ts';
import { adminGuard, createHttpApp } from '../../core/http.ts';
import { ManualClock, silentLogger, type TestDb, testConfig, testDbKinds } from '../../core/test-kit.ts';
import { main } from '../main.ts';

describe('cardport deliveries', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let delivery: Delivery;
  let receiver: Receiver;
  const config = testConfig();
  const clock = new ManualClock();
  let env: Record<string, string | undefined>;
  let deadId = '';
  let deliveredId = '';

  before(async () => {
    t = await testDbKinds()[0]!.open();
    receiver = await startReceiver((req, res) => {
      res.writeHead(req.path === '/gone' ? 404 : 200).end('{"answer":"here"}');
    });
    delivery = createDelivery({ db: t.db, clock, log: silentLogger, resolveIdentity: async () => undefined });
    app = createHttpApp({ logger: silentLogger });
    registerDeliveryRoutes(app, { delivery, requireAdmin: adminGuard('cli-token') });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    env = { CARDPORT_URL: url, CARDPORT_ADMIN_TOKEN: 'cli-token', CARDPORT_HOME: config.home };
    deliveredId = (
      await delivery.enqueue(t.db, {
        kind: 'wallet.card_state',
        partnerId: 'partner-1',
        method: 'POST',
        url: `${receiver.url}/ok`,
        body: { callback: 'https://us-tsapi.example' },
      })
    ).id;
    clock.advance(1000);
    deadId = (
      await delivery.enqueue(t.db, {
        kind: 's2p.notification',
        partnerId: 'partner-2',
        method: 'POST',
        url: `${receiver.url}/gone`,
        body: { event: { type: 'WA_PROVISIONED' } },
      })
    ).id;
    await delivery.runDue();
  });
  after(async () => {
    await app.close();
    await delivery.close();
    await receiver.close();
    await t.dispose();
    config.cleanup();
  });

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  it('lists deliveries as a table, newest first', async () => {
    const r = await run('deliveries', 'list');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(
      lines[0] ?? '',
      /^ID\s+CREATED\s+KIND\s+PARTNER\s+STATUS\s+ATTEMPTS\s+LAST RESULT\s+REQUEST$/,
    );
    assert.match(
      lines[1] ?? '',
      new RegExp(
        `^${deadId}\\s+2026-01-01T00:00:01Z\\s+s2p.notification\\s+partner-2\\s+dead\\s+1\\s+HTTP 404: not retryable`,
      ),
    );
    assert.match(
      lines[2] ?? '',
      new RegExp(`^${deliveredId}\\s.*\\sdelivered\\s+1\\s+HTTP 200\\s+POST ${receiver.url}/ok$`),
    );
  });

  it('filters with --status, --kind and --partner, and prints one JSON object with --json', async () => {
    const r = await run('deliveries', 'list', '--status', 'dead', '--json');
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(
      json.deliveries.map((d: { id: string }) => d.id),
      [deadId],
    );
    const byKind = JSON.parse(
      (await run('deliveries', 'list', '--kind', 'wallet.card_state', '--json')).stdout,
    );
    assert.deepEqual(
      byKind.deliveries.map((d: { id: string }) => d.id),
      [deliveredId],
    );
    const byPartner = JSON.parse(
      (await run('deliveries', 'list', '--partner', 'partner-2', '--json')).stdout,
    );
    assert.deepEqual(
      byPartner.deliveries.map((d: { id: string }) => d.id),
      [deadId],
    );
    const none = await run('deliveries', 'list', '--status', 'failed');
    assert.equal(none.stdout, 'no deliveries match');
  });

  it('rejects a bad --status or --limit with a usage error', async () => {
    const r = await run('deliveries', 'list', '--status', 'lost');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--status must be one of pending, in_flight, delivered, dead, failed/);
    const l = await run('deliveries', 'list', '--limit', 'many', '--json');
    assert.equal(l.code, 2);
    assert.match(JSON.parse(l.stderr).error.message, /--limit must be a number/);
  });

  it('shows one delivery with its attempts', async () => {
    const r = await run('deliveries', 'show', deadId);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^delivery ${deadId}$`, 'm'));
    assert.match(r.stdout, /kind\s+s2p.notification \(durable\)/);
    assert.match(r.stdout, /status\s+dead/);
    assert.match(r.stdout, /body\s+\{"event":\{"type":"WA_PROVISIONED"\}\}/);
    assert.match(r.stdout, /^#\s+STARTED\s+WORKER\s+LATENCY\s+HTTP\s+OUTCOME\s+ERROR$/m);
    assert.match(
      r.stdout,
      /^1\s+2026-01-01T00:00:01Z\s+\S+\s+\d+ ms\s+404\s+dead\s+HTTP 404: not retryable$/m,
    );
    assert.match(r.stdout, /last response: \{"answer":"here"\}/);
    const json = JSON.parse((await run('deliveries', 'show', deadId, '--json')).stdout);
    assert.equal(json.delivery.id, deadId);
    assert.equal(json.attempts[0].httpStatus, 404);
  });

  it('says clearly when the delivery does not exist or no ID is given', async () => {
    const r = await run('deliveries', 'show', 'dlv_missing');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'cardport deliveries show: NOT_FOUND: delivery not found');
    const noId = await run('deliveries', 'replay');
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /give exactly one delivery ID/);
  });

  it('replays a dead delivery, which the worker then delivers, and refuses to replay it twice', async () => {
    const r = await run('deliveries', 'replay', deadId);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `replaying ${deadId} (s2p.notification): pending, due 2026-01-01T00:00:01Z`);
    const twice = await run('deliveries', 'replay', deadId, '--json');
    assert.equal(twice.code, 1);
    assert.match(JSON.parse(twice.stderr).error.message, /CONFLICT: delivery is pending/);
    receiver.handle((_req, res) => {
      res.writeHead(200).end();
    });
    assert.equal(await delivery.runDue(), 1);
    const json = JSON.parse((await run('deliveries', 'show', deadId, '--json')).stdout);
    assert.equal(json.delivery.status, 'delivered');
    assert.deepEqual(
      json.attempts.map((a: { outcome: string }) => a.outcome),
      ['dead', 'delivered'],
    );
  });

  it('has --help for each command', async () => {
    for (const name of ['list', 'show', 'replay']) {
      const r = await run('deliveries', name, '--help');
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: cardport deliveries ${name}`));
    }
  });
});
