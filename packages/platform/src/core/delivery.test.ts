import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './clock.ts';
import { createDelivery, type Delivery, type DeliveryOptions, retryScheduleMs } from './delivery.ts';
import { freePort, type Receiver, startReceiver, waitFor } from './delivery-test-support.ts';
import { isPlatformError, PlatformError } from './errors.ts';
import { silentLogger, type TestDb, testDbKinds } from './test-kit.ts';

const noIdentity = async () => undefined;

for (const kind of testDbKinds()) {
  describe(`delivery on ${kind.name}`, () => {
    let testDb: TestDb;
    const open: Delivery[] = [];
    const receivers: Receiver[] = [];

    before(async () => {
      testDb = await kind.open();
    });
    after(async () => {
      await Promise.all(open.map((d) => d.close()));
      await Promise.all(receivers.map((r) => r.close()));
      await testDb.dispose();
    });

    /** A delivery module on an empty queue (tests share one database). */
    async function setup(options: Partial<DeliveryOptions> = {}) {
      await testDb.db.query('DELETE FROM deliveries');
      const clock = new ManualClock();
      const delivery = createDelivery({
        db: testDb.db,
        clock,
        log: silentLogger,
        resolveIdentity: noIdentity,
        // Jitter fixed at its top (+10%), so advancing by 1.1x a delay always reaches the retry.
        random: () => 1,
        ...options,
      });
      open.push(delivery);
      return { clock, delivery };
    }

    async function receiver(...args: Parameters<typeof startReceiver>) {
      const r = await startReceiver(...args);
      receivers.push(r);
      return r;
    }

    it('delivers a job with its method, headers and JSON body, and records the attempt', async () => {
      const r = await receiver();
      const { delivery } = await setup();
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.plain',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/notifications?x=1`,
        headers: { 'Request-Id': 'req-1' },
        body: { event: { type: 'WA_PROVISIONED' } },
      });
      assert.equal(await delivery.runDue(), 1);
      assert.equal(r.requests.length, 1);
      const got = r.requests[0]!;
      assert.equal(got.method, 'POST');
      assert.equal(got.path, '/notifications?x=1');
      assert.equal(got.headers['request-id'], 'req-1');
      assert.equal(got.headers['content-type'], 'application/json');
      assert.deepEqual(got.json, { event: { type: 'WA_PROVISIONED' } });
      const details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'delivered');
      assert.equal(details?.delivery.attempts, 1);
      assert.equal(details?.delivery.lastStatus, 200);
      assert.equal(details?.attempts.length, 1);
      assert.equal(details?.attempts[0]?.outcome, 'delivered');
      assert.equal(details?.attempts[0]?.httpStatus, 200);
      assert.equal(details?.attempts[0]?.response, '{"ok":true}');
      assert.equal(await delivery.runDue(), 0, 'a delivered job is not sent again');
    });

    it('retries a job whose receiver was down once the clock reaches the first retry', async () => {
      const port = await freePort();
      const { clock, delivery } = await setup();
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.down',
        partnerId: null,
        method: 'POST',
        url: `http://127.0.0.1:${port}/n`,
        body: { n: 1 },
      });
      assert.equal(await delivery.runDue(), 1);
      let details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'pending');
      assert.match(details?.attempts[0]?.error ?? '', /connection refused/);
      assert.equal(details?.attempts[0]?.outcome, 'retry');
      assert.equal(details?.delivery.nextAttemptAt, clock.now() + retryScheduleMs[0]! * 1.1);
      assert.equal(await delivery.runDue(), 0, 'not retried before the schedule says so');

      const r = await receiver(undefined, { port });
      clock.advance(retryScheduleMs[0]! * 1.1);
      assert.equal(await delivery.runDue(), 1);
      details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'delivered');
      assert.deepEqual(
        details?.attempts.map((a) => a.outcome),
        ['retry', 'delivered'],
      );
      assert.equal(r.requests.length, 1);
    });

    it('gives up on a slow receiver at the timeout and retries the job', async () => {
      const r = await receiver((_req, _res) => {
        // Never answers: the attempt must end at the timeout.
      });
      const { clock, delivery } = await setup({ timeoutMs: 200, leaseMs: 60_000 });
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.slow',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/slow`,
        body: {},
      });
      assert.equal(await delivery.runDue(), 1);
      let details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'pending');
      assert.match(details?.attempts[0]?.error ?? '', /no complete answer within 200 ms/);
      r.handle((_req, res) => {
        res.writeHead(204).end();
      });
      clock.advance(retryScheduleMs[0]! * 1.1);
      assert.equal(await delivery.runDue(), 1);
      details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'delivered');
      assert.equal(details?.delivery.lastStatus, 204);
      assert.equal(r.requests.length, 2);
    });

    it('waits at least as long as a 503 Retry-After asks before retrying', async () => {
      const r = await receiver((_req, res) => {
        res.writeHead(503, { 'retry-after': '120' }).end('busy');
      });
      const { clock, delivery } = await setup();
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.busy',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/busy`,
        body: {},
      });
      const start = clock.now();
      assert.equal(await delivery.runDue(), 1);
      let details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'pending');
      assert.equal(details?.delivery.lastStatus, 503);
      assert.ok((details?.delivery.nextAttemptAt ?? 0) >= start + 120_000);
      assert.equal(details?.attempts[0]?.retryAt, details?.delivery.nextAttemptAt);
      clock.advance(60_000);
      assert.equal(await delivery.runDue(), 0, 'the schedule (5 s) alone would have retried by now');
      r.handle((_req, res) => {
        res.writeHead(200).end();
      });
      clock.advance(60_000);
      assert.equal(await delivery.runDue(), 1);
      details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'delivered');
    });

    it('marks a job dead once the schedule is exhausted, runs onDead, and delivers it on replay', async () => {
      const r = await receiver((_req, res) => {
        res.writeHead(500).end('{"error":"boom"}');
      });
      const { clock, delivery } = await setup();
      const deadJobs: string[] = [];
      delivery.registerKind('test.exhaust', {
        onDead: async (q, job) => {
          const rows = await q.query<{ status: string }>('SELECT status FROM deliveries WHERE id = $1', [
            job.id,
          ]);
          deadJobs.push(`${job.id}:${rows[0]?.status}`);
        },
      });
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.exhaust',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/x`,
        body: {},
      });
      assert.equal(await delivery.runDue(), 1);
      for (const delay of retryScheduleMs) {
        clock.advance(delay * 1.1);
        assert.equal(await delivery.runDue(), 1);
      }
      let details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'dead');
      assert.equal(details?.delivery.attempts, retryScheduleMs.length + 1);
      assert.match(details?.delivery.lastError ?? '', /retry schedule exhausted/);
      assert.deepEqual(
        deadJobs,
        [`${id}:dead`],
        'onDead ran once, inside the transaction that marked it dead',
      );
      clock.advance(24 * 3_600_000);
      assert.equal(await delivery.runDue(), 0, 'a dead job stays dead');

      r.handle((_req, res) => {
        res.writeHead(200).end();
      });
      const replayed = await delivery.replay(id);
      assert.equal(replayed.status, 'pending');
      assert.equal(await delivery.runDue(), 1);
      details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'delivered');
      assert.equal(details?.attempts.length, retryScheduleMs.length + 2, 'the attempt history is kept');
      assert.equal(details?.attempts.at(-1)?.outcome, 'delivered');
      assert.equal(r.requests.length, retryScheduleMs.length + 2);
    });

    it('gives a replayed job the whole schedule again', async () => {
      const r = await receiver((_req, res) => {
        res.writeHead(404).end();
      });
      const { delivery } = await setup();
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.replay-schedule',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/x`,
      });
      await delivery.runDue();
      r.handle((_req, res) => {
        res.writeHead(503).end();
      });
      await delivery.replay(id);
      await delivery.runDue();
      const details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'pending', 'a 503 after replay is retried, not dead');
    });

    it('marks a job dead at once on a 4xx other than 408 and 429', async () => {
      const r = await receiver((_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"400.1"}');
      });
      const { delivery } = await setup();
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.rejected',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/x`,
        body: {},
      });
      assert.equal(await delivery.runDue(), 1);
      const details = await delivery.get(id);
      assert.equal(details?.delivery.status, 'dead');
      assert.equal(details?.delivery.lastError, 'HTTP 400: not retryable');
      assert.equal(details?.attempts[0]?.response, '{"code":"400.1"}');
    });

    it('retries a 429 and a 408 like a 5xx', async () => {
      const statuses = [429, 408, 200];
      const r = await receiver((_req, res) => {
        res.writeHead(statuses.shift() ?? 200).end();
      });
      const { clock, delivery } = await setup();
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.throttled',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/x`,
      });
      await delivery.runDue();
      clock.advance(retryScheduleMs[0]! * 1.1);
      await delivery.runDue();
      clock.advance(retryScheduleMs[1]! * 1.1);
      await delivery.runDue();
      const details = await delivery.get(id);
      assert.deepEqual(
        details?.attempts.map((a) => a.httpStatus),
        [429, 408, 200],
      );
      assert.equal(details?.delivery.status, 'delivered');
    });

    it('writes the job in the caller transaction: a rolled back transaction leaves neither row nor job', async () => {
      await testDb.db.exec('CREATE TABLE delivery_test_orders (id TEXT PRIMARY KEY)');
      const r = await receiver();
      const { delivery } = await setup();
      const job = { kind: 'test.tx', partnerId: null, method: 'POST' as const, url: `${r.url}/tx` };
      let rolledBackId = '';
      await assert.rejects(
        testDb.db.transaction(async (tx) => {
          await tx.query("INSERT INTO delivery_test_orders (id) VALUES ('lost')");
          rolledBackId = (await delivery.enqueue(tx, { ...job, body: { order: 'lost' } })).id;
          throw new Error('crash between the state change and the commit');
        }),
        /crash between/,
      );
      const committedId = await testDb.db.transaction(async (tx) => {
        await tx.query("INSERT INTO delivery_test_orders (id) VALUES ('kept')");
        return (await delivery.enqueue(tx, { ...job, body: { order: 'kept' } })).id;
      });
      const orders = await testDb.db.query<{ id: string }>('SELECT id FROM delivery_test_orders ORDER BY id');
      assert.deepEqual(
        orders.map((o) => o.id),
        ['kept'],
      );
      assert.equal(await delivery.get(rolledBackId), undefined);
      assert.equal((await delivery.get(committedId))?.delivery.status, 'pending');
      assert.equal(await delivery.runDue(), 1);
      assert.deepEqual(
        r.requests.map((q) => q.json),
        [{ order: 'kept' }],
      );
    });

    it('mints extra headers with the prepare hook at every attempt and never stores them', async () => {
      const statuses = [503, 200];
      const r = await receiver((_req, res) => {
        res.writeHead(statuses.shift() ?? 200).end();
      });
      const { clock, delivery } = await setup();
      delivery.registerKind('test.auth', {
        prepare: async (job) => ({ Authorization: `Bearer token-${job.attempt}-${clock.now()}` }),
      });
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.auth',
        partnerId: null,
        method: 'POST',
        url: `${r.url}/auth`,
      });
      const t0 = clock.now();
      await delivery.runDue();
      clock.advance(retryScheduleMs[0]! * 1.1);
      await delivery.runDue();
      assert.deepEqual(
        r.requests.map((q) => q.headers.authorization),
        [`Bearer token-1-${t0}`, `Bearer token-2-${t0 + retryScheduleMs[0]! * 1.1}`],
      );
      const stored = await testDb.db.query<{ headers: unknown }>(
        'SELECT headers FROM deliveries WHERE id = $1',
        [id],
      );
      assert.doesNotMatch(JSON.stringify(stored[0]?.headers), /token-/);
    });

    it('runs onDelivered in the transaction that marks the job delivered, and survives a failing hook', async () => {
      const r = await receiver((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      });
      const { delivery } = await setup();
      await testDb.db.exec('CREATE TABLE delivery_test_marks (id TEXT PRIMARY KEY)');
      const seen: unknown[] = [];
      delivery.registerKind('test.hook-ok', {
        onDelivered: async (q, job, response) => {
          seen.push(response.json);
          await q.query('INSERT INTO delivery_test_marks (id) VALUES ($1)', [job.id]);
        },
      });
      delivery.registerKind('test.hook-fails', {
        onDelivered: async (q, job) => {
          await q.query('INSERT INTO delivery_test_marks (id) VALUES ($1)', [job.id]);
          throw new PlatformError('CONFLICT', 'state moved on');
        },
      });
      const ok = await delivery.enqueue(testDb.db, {
        kind: 'test.hook-ok',
        partnerId: null,
        method: 'POST',
        url: r.url,
      });
      const failing = await delivery.enqueue(testDb.db, {
        kind: 'test.hook-fails',
        partnerId: null,
        method: 'POST',
        url: r.url,
      });
      assert.equal(await delivery.runDue(), 2);
      assert.deepEqual(seen, [{ received: true }]);
      const marks = await testDb.db.query<{ id: string }>('SELECT id FROM delivery_test_marks');
      assert.deepEqual(
        marks.map((m) => m.id),
        [ok.id],
        "the failing hook's writes were rolled back",
      );
      const details = await delivery.get(failing.id);
      assert.equal(details?.delivery.status, 'delivered');
      assert.match(details?.attempts[0]?.error ?? '', /onDelivered hook failed: state moved on/);
    });

    it('does not let a second worker take a leased job, and fences the stale worker after the lease expired', async () => {
      // The first request is held until the second arrives, so both workers overlap for sure.
      const held: ServerResponse[] = [];
      const r = await receiver((_req, res) => {
        held.push(res);
        if (held.length === 2) for (const h of held) h.writeHead(200).end();
      });
      const leaseClock = new ManualClock(1_000_000);
      const { delivery: first } = await setup({
        leaseClock,
        timeoutMs: 5000,
        leaseMs: 10_000,
        workerName: 'first',
      });
      const { delivery: second } = await setup({
        leaseClock,
        timeoutMs: 5000,
        leaseMs: 10_000,
        workerName: 'second',
      });
      const { id } = await first.enqueue(testDb.db, {
        kind: 'test.lease',
        partnerId: null,
        method: 'POST',
        url: r.url,
      });
      const running = first.runDue();
      await waitFor(() => r.requests.length === 1, 'the first worker to send');
      assert.equal(await second.runDue(), 0, 'the job is leased to the first worker');
      leaseClock.advance(10_000);
      assert.equal(await second.runDue(), 1);
      assert.equal(await running, 1);
      const details = await first.get(id);
      assert.equal(details?.delivery.status, 'delivered');
      assert.deepEqual(
        details?.attempts.map((a) => [a.worker, a.outcome]),
        [
          ['first', 'lease_expired'],
          ['second', 'delivered'],
        ],
      );
    });

    it('drains on stop: the background worker finishes the attempt in flight', async () => {
      let hold: ServerResponse | undefined;
      const r = await receiver((_req, res) => {
        hold = res;
      });
      const { delivery } = await setup();
      delivery.start({ pollMs: 20, concurrency: 2 });
      const { id } = await delivery.enqueue(testDb.db, {
        kind: 'test.drain',
        partnerId: null,
        method: 'POST',
        url: r.url,
      });
      await waitFor(() => hold !== undefined, 'the worker to send');
      let stopped = false;
      const stopping = delivery.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(stopped, false, 'stop waits for the attempt in flight');
      hold?.writeHead(200).end();
      await stopping;
      assert.equal((await delivery.get(id))?.delivery.status, 'delivered');
      const later = await delivery.enqueue(testDb.db, {
        kind: 'test.drain',
        partnerId: null,
        method: 'POST',
        url: r.url,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(
        (await delivery.get(later.id))?.delivery.status,
        'pending',
        'a stopped worker claims nothing',
      );
    });

    it('wakes its worker once the enqueuing transaction commits, without waiting for a poll', async () => {
      const r = await receiver();
      const { delivery } = await setup();
      // A poll this long never comes within the test: only the wake-up after the commit delivers.
      delivery.start({ pollMs: 600_000, concurrency: 2 });
      const { id } = await testDb.db.transaction(async (tx) => {
        const queued = await delivery.enqueue(tx, {
          kind: 'test.wake',
          partnerId: null,
          method: 'POST',
          url: r.url,
        });
        // Still uncommitted: a worker woken now would claim nothing and sleep until its poll.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return queued;
      });
      await waitFor(
        async () => (await delivery.get(id))?.delivery.status === 'delivered',
        'the job delivered',
      );
      assert.equal(r.requests.length, 1);
      await delivery.stop();
    });

    if (kind.name === 'postgres') {
      it('wakes the worker of another process through one NOTIFY sent after the commit', async () => {
        const r = await receiver();
        const { clock, delivery: producer } = await setup();
        const other = createDelivery({
          db: await testDb.openAnother(),
          clock,
          log: silentLogger,
          resolveIdentity: noIdentity,
          workerName: 'the other process',
        });
        open.push(other);
        other.start({ pollMs: 600_000, concurrency: 4 });
        // Let the other worker open its LISTEN connection first, so the jobs below are announced by
        // NOTIFY. (Committed earlier, they would be found by the look it takes once listening: no
        // poll either way, but then NOTIFY would not be what this test exercises.)
        await new Promise((resolve) => setTimeout(resolve, 200));
        const ids = await Promise.all(
          [1, 2, 3].map((n) =>
            testDb.db.transaction(async (tx) => {
              const queued = await producer.enqueue(tx, {
                kind: 'test.notify',
                partnerId: null,
                method: 'POST',
                url: r.url,
                body: { n },
              });
              return queued.id;
            }),
          ),
        );
        await waitFor(
          async () =>
            (await Promise.all(ids.map((id) => producer.get(id)))).every(
              (d) => d?.delivery.status === 'delivered',
            ),
          'the jobs delivered by the other process',
        );
        const details = await Promise.all(ids.map((id) => producer.get(id)));
        assert.deepEqual(
          details.map((d) => d?.attempts.map((a) => a.worker)),
          [['the other process'], ['the other process'], ['the other process']],
        );
        await other.stop();
      });
    }

    it('redacts issuer blobs and tokens from the stored response excerpt', async () => {
      const r = await receiver((_req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ card: { data: { encryptedData: 'SECRET-BLOB' } }, token: 'SECRET-TOKEN' }));
      });
      const { delivery } = await setup();
      const response = await delivery.call({ partnerId: null, method: 'POST', url: r.url, body: {} });
      assert.deepEqual(response.json, {
        card: { data: { encryptedData: 'SECRET-BLOB' } },
        token: 'SECRET-TOKEN',
      });
      const [record] = await delivery.list({ mode: 'sync', limit: 1 });
      const details = await delivery.get(record!.id);
      assert.doesNotMatch(details?.attempts[0]?.response ?? '', /SECRET/);
      assert.match(details?.attempts[0]?.response ?? '', /\[redacted\]/);
    });

    it('rejects a job with a bad URL, method, kind or header, and writes nothing', async () => {
      const { delivery } = await setup();
      const before = (await delivery.list({ limit: 500 })).length;
      const bad = [
        { kind: 'test.bad', partnerId: null, method: 'POST' as const, url: 'ftp://example.test/x' },
        { kind: 'test.bad', partnerId: null, method: 'POST' as const, url: 'not a url' },
        { kind: 'test.bad', partnerId: null, method: 'PATCH' as 'POST', url: 'http://127.0.0.1/x' },
        { kind: 'bad kind!', partnerId: null, method: 'POST' as const, url: 'http://127.0.0.1/x' },
        {
          kind: 'test.bad',
          partnerId: null,
          method: 'POST' as const,
          url: 'http://127.0.0.1/x',
          headers: { 'x-evil': 'a\r\nb' },
        },
      ];
      for (const job of bad) {
        await assert.rejects(delivery.enqueue(testDb.db, job), (err: unknown) => {
          assert.ok(isPlatformError(err));
          assert.equal(err.code, 'INVALID_INPUT');
          return true;
        });
      }
      assert.equal((await delivery.list({ limit: 500 })).length, before);
    });

    describe('sync calls', () => {
      it('returns status, headers, body and JSON, and records the call', async () => {
        const r = await receiver((req, res) => {
          res
            .writeHead(200, {
              'content-type': 'application/json',
              'response-id': String(req.headers['request-id']),
            })
            .end('{"card":{"data":{"encryptedData":"blob"}}}');
        });
        const { delivery } = await setup();
        const res = await delivery.call(
          {
            partnerId: null,
            method: 'POST',
            url: `${r.url}/notifications`,
            headers: { 'Request-Id': 'r-9', Authorization: 'Bearer secret-auth' },
            body: { event: { type: 'WA_READY' } },
          },
          { kind: 'test.wa_ready' },
        );
        assert.equal(res.status, 200);
        assert.equal(res.headers['response-id'], 'r-9');
        assert.deepEqual(res.json, { card: { data: { encryptedData: 'blob' } } });
        assert.equal(res.attempts, 1);
        assert.equal(r.requests[0]?.headers.authorization, 'Bearer secret-auth');
        const [record] = await delivery.list({ kind: 'test.wa_ready' });
        assert.equal(record?.mode, 'sync');
        assert.equal(record?.status, 'delivered');
        assert.equal(record?.headers['authorization'], '[redacted]', 'credentials are not stored');
        await assert.rejects(delivery.replay(record!.id), /cannot be replayed/);
      });

      it('retries a 5xx quickly and returns the answer that follows', async () => {
        const statuses = [502, 500, 200];
        const r = await receiver((_req, res) => {
          res.writeHead(statuses.shift() ?? 200).end('done');
        });
        const { delivery } = await setup({ syncRetryDelaysMs: [1] });
        const res = await delivery.call({ partnerId: null, method: 'GET', url: `${r.url}/cards/1/2` });
        assert.equal(res.status, 200);
        assert.equal(res.body, 'done');
        assert.equal(res.attempts, 3);
        assert.equal(r.requests.length, 3);
      });

      it('does not retry a 4xx and hands it to the caller', async () => {
        const r = await receiver((_req, res) => {
          res.writeHead(401).end();
        });
        const { delivery } = await setup();
        const res = await delivery.call(
          { partnerId: null, method: 'GET', url: r.url },
          { kind: 'test.sync401' },
        );
        assert.equal(res.status, 401);
        assert.equal(res.attempts, 1);
        assert.equal(r.requests.length, 1);
        const [record] = await delivery.list({ kind: 'test.sync401' });
        assert.equal(record?.status, 'failed');
      });

      it('throws PARTNER_UNREACHABLE with a safe message after its retries when nobody listens', async () => {
        const port = await freePort();
        const { delivery } = await setup({ syncRetryDelaysMs: [1] });
        await assert.rejects(
          delivery.call(
            {
              partnerId: null,
              method: 'POST',
              url: `http://127.0.0.1:${port}/n`,
              headers: { authorization: 'Bearer secret-auth' },
              body: { pan: '4111111111111111' },
            },
            { kind: 'test.unreachable', retries: 2 },
          ),
          (err: unknown) => {
            assert.ok(isPlatformError(err));
            assert.equal(err.code, 'PARTNER_UNREACHABLE');
            assert.equal(err.status, 502);
            assert.match(err.message, /did not answer: connection refused .*\(3 attempts\)/);
            assert.doesNotMatch(err.message, /secret|4111111111111111/);
            return true;
          },
        );
        const [record] = await delivery.list({ kind: 'test.unreachable' });
        assert.equal(record?.status, 'failed');
        assert.equal(record?.attempts, 3);
      });

      it('throws PARTNER_UNREACHABLE when the partner does not answer within the timeout', async () => {
        const r = await receiver(() => {});
        const { delivery } = await setup({ syncRetryDelaysMs: [1] });
        await assert.rejects(
          delivery.call({ partnerId: null, method: 'GET', url: r.url }, { timeoutMs: 100, retries: 1 }),
          /did not answer: no complete answer within 100 ms \(2 attempts\)/,
        );
        assert.equal(r.requests.length, 2);
      });
    });
  });
}
