// The onboarding commands against a platform listening on port 0, run through main() as a user would.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCa, generateKeyAndCsr, signCsr } from '../../core/pki.ts';
import { resolveOutboundIdentity } from '../../partners/service.ts';
import { mtlsRequest, startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../../testing/index.ts';
import { main } from '../main.ts';

describe('cardport partner, card and service commands', () => {
  let p: TestPlatform;
  let mtlsPort: number;
  let work: string;
  let env: Record<string, string>;

  before(async () => {
    p = await startTestPlatform({
      mtlsRoutes: (app) => {
        app.get('/test/whoami', async (req) => ({ partner: req.partner }));
      },
    });
    const urls = await p.listen();
    mtlsPort = urls.mtlsPort;
    work = mkdtempSync(join(tmpdir(), 'cardport-cli-'));
    env = {
      CARDPORT_URL: urls.url,
      CARDPORT_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      CARDPORT_HOME: join(work, 'home'),
    };
  });

  after(async () => {
    await p.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env });
    const stdout = out.join('\n');
    let json: Record<string, unknown> = {};
    if (argv.includes('--json') && code === 0) json = JSON.parse(stdout) as Record<string, unknown>;
    return { code, stdout, stderr: err.join('\n'), json };
  }

  const partnerCount = async () =>
    Number((await p.db.query<{ n: number }>('SELECT count(*)::int AS n FROM partners'))[0]?.n);

  function file(path: string): string {
    return readFileSync(path, 'utf8');
  }

  test('partner create makes the key locally, writes every file, and the files work for mTLS both ways', async () => {
    const out = join(work, 'bank');
    const r = await run(
      'partner',
      'create',
      '--name',
      'CLI Bank',
      '--out',
      out,
      '--allow-ip',
      '127.0.0.1',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const { partnerId, certificateId } = r.json as { partnerId: string; certificateId: string };
    assert.match(partnerId, /^[1-9][0-9]{31}$/);
    assert.match(certificateId, /^[A-Za-z0-9]{4}$/);
    const files = r.json['files'] as Record<string, string>;
    for (const key of [
      'caCertificate',
      'clientCertificate',
      'clientKey',
      'clientCsr',
      'platformCertificate',
      'authCertificate',
      'outboundCsr',
      'outboundCertificate',
      'partnerCaCertificate',
      'partnerCaKey',
      'partnerServerCertificate',
      'partnerServerKey',
      'partner',
    ]) {
      assert.ok(files[key] && existsSync(files[key]), `missing ${key}`);
    }
    assert.equal(statSync(files['clientKey'] as string).mode & 0o777, 0o600);
    assert.equal(statSync(files['partnerCaKey'] as string).mode & 0o777, 0o600);

    // Inbound: the written client key and certificate are served on the mTLS listener.
    const inbound = await mtlsRequest(mtlsPort, {
      cert: file(files['clientCertificate'] as string),
      key: file(files['clientKey'] as string),
      ca: file(files['caCertificate'] as string),
    });
    assert.equal(inbound.status, 200);
    assert.deepEqual(inbound.json, { partner: { partnerId, certificateId } });

    // Outbound: the platform's identity is accepted by a partner server built from the written files.
    const identity = await resolveOutboundIdentity(p.db, p.app.ctx.keys, partnerId);
    assert.ok(identity);
    const server = https.createServer(
      {
        key: file(files['partnerServerKey'] as string),
        cert: file(files['partnerServerCertificate'] as string),
        ca: file(files['partnerCaCertificate'] as string),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.end(String(peer.subject?.CN));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(
            {
              host: '127.0.0.1',
              port,
              path: '/',
              cert: identity.cert,
              key: identity.key,
              ca: identity.ca,
              agent: false,
            },
            (res) => {
              let text = '';
              res.on('data', (c) => {
                text += c;
              });
              res.on('end', () => resolve(text));
            },
          )
          .on('error', reject);
      });
      assert.match(body, new RegExp(`Cardport platform outbound ${partnerId}`));
    } finally {
      server.close();
    }
  });

  test('partner create with --csr and a partner CA key signs the outbound CSR with that CA', async () => {
    const dir = join(work, 'given');
    const { csrPem } = await generateKeyAndCsr({ commonName: 'Given CSR bank' });
    const ca = await createCa({ commonName: 'Own CA' });
    const csrFile = join(work, 'given.csr');
    const caFile = join(work, 'own-ca.crt');
    const caKeyFile = join(work, 'own-ca.key');
    writeFileSync(csrFile, csrPem);
    writeFileSync(caFile, ca.certificatePem);
    writeFileSync(caKeyFile, ca.privateKeyPem);
    const r = await run(
      'partner',
      'create',
      '--name',
      'Given',
      '--csr',
      csrFile,
      '--partner-ca',
      caFile,
      '--partner-ca-key',
      caKeyFile,
      '--notify-url',
      'https://given.example',
      '--out',
      dir,
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const files = r.json['files'] as Record<string, string>;
    assert.equal(files['clientKey'], undefined);
    assert.equal(files['partnerCaKey'], undefined);
    assert.ok(files['outboundCertificate']);
    const identity = await resolveOutboundIdentity(p.db, p.app.ctx.keys, String(r.json['partnerId']));
    assert.deepEqual(identity?.ca, [ca.certificatePem]);
  });

  test('partner create with --partner-ca but no key explains sign-outbound, which then completes it', async () => {
    const ca = await createCa({ commonName: 'Offline CA' });
    const caFile = join(work, 'offline-ca.crt');
    writeFileSync(caFile, ca.certificatePem);
    const created = await run(
      'partner',
      'create',
      '--name',
      'Offline',
      '--partner-ca',
      caFile,
      '--out',
      join(work, 'offline'),
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /platform-outbound\.csr/);
    assert.match(created.stdout, /cardport partner sign-outbound --partner \d{32}/);
    const partnerId = /created partner (\d{32})/.exec(created.stdout)?.[1] as string;
    assert.equal(await resolveOutboundIdentity(p.db, p.app.ctx.keys, partnerId), undefined);

    const csr = file(join(work, 'offline', 'platform-outbound.csr'));
    const signed = await signCsr(ca, csr, { usage: 'client' });
    const certFile = join(work, 'offline-outbound.crt');
    writeFileSync(certFile, signed.certificatePem);
    const r = await run(
      'partner',
      'sign-outbound',
      '--partner',
      partnerId,
      '--cert',
      certFile,
      '--ca',
      caFile,
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.json['outbound'] as { configured: boolean }).configured, true);
    assert.ok(await resolveOutboundIdentity(p.db, p.app.ctx.keys, partnerId));
  });

  test('partner create refuses bad input with a clear error and creates nothing', async () => {
    const before = await partnerCount();
    const notCsr = join(work, 'not.csr');
    writeFileSync(notCsr, 'just some text');
    const short = await generateKeyAndCsr({ commonName: 'short', bits: 1024 });
    const shortCsr = join(work, 'short.csr');
    writeFileSync(shortCsr, short.csrPem);
    const cases: [string[], RegExp][] = [
      [['--csr', notCsr], /--csr: CSR is not a PEM certificate request/],
      [['--csr', shortCsr], /RSA-1024: at least 2048 bits/],
      [['--csr', join(work, 'missing.csr')], /--csr .*cannot read the file \(ENOENT\)/],
      [['--partner-ca-key', shortCsr], /--partner-ca-key needs --partner-ca/],
      [['--partner-ca', shortCsr], /--partner-ca: CA certificate is a PEM CERTIFICATE REQUEST/],
      [['--allow-ip', '10.0.0.0/99', '--out', join(work, 'bad-ip')], /allowIps\.0/],
      [['--notify-url', 'mailto:x@y', '--out', join(work, 'bad-url')], /notifyUrl/],
    ];
    for (const [flags, message] of cases) {
      const r = await run('partner', 'create', '--name', 'Bad', ...flags);
      assert.notEqual(r.code, 0, flags.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    const missingName = await run('partner', 'create', '--json');
    assert.equal(missingName.code, 2);
    assert.match(JSON.parse(missingName.stderr).error.message, /--name is required/);
    assert.equal(await partnerCount(), before);
    assert.equal(existsSync(join(work, 'bad-ip')), false);
  });

  test('partner create refuses an --out folder that already holds partner files', async () => {
    const before = await partnerCount();
    const r = await run('partner', 'create', '--name', 'Again', '--out', join(work, 'bank'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /already holds/);
    assert.equal(await partnerCount(), before);
  });

  test('partner list, show, update and revoke', async () => {
    const created = await run(
      'partner',
      'create',
      '--name',
      'Lifecycle',
      '--out',
      join(work, 'life'),
      '--json',
    );
    const partnerId = String(created.json['partnerId']);
    const certificateId = String(created.json['certificateId']);
    const list = await run('partner', 'list', '--json');
    assert.ok((list.json['partners'] as { partnerId: string }[]).some((x) => x.partnerId === partnerId));
    const listText = await run('partner', 'list');
    assert.match(listText.stdout, new RegExp(`${partnerId}\\s+active`));
    const show = await run('partner', 'show', partnerId);
    assert.match(show.stdout, new RegExp(`${certificateId}\\s+active`));
    assert.match(show.stdout, /outbound mTLS configured/);
    const updated = await run('partner', 'update', partnerId, '--welcome-url-lifetime', '10m', '--json');
    assert.equal((updated.json['options'] as { welcomeUrlLifetimeMs: number }).welcomeUrlLifetimeMs, 600_000);
    assert.equal(updated.json['strict'], false, 'strict mode is off by default');
    const strict = await run('partner', 'update', partnerId, '--strict');
    assert.equal(strict.code, 0, strict.stderr);
    assert.match(strict.stdout, /strict mode on/);
    assert.match((await run('partner', 'show', partnerId)).stdout, /strict mode\s+on/);
    const lenient = await run('partner', 'update', partnerId, '--no-strict', '--json');
    assert.equal(lenient.json['strict'], false);
    const both = await run('partner', 'update', partnerId, '--strict', '--no-strict');
    assert.equal(both.code, 2);
    const revokedCert = await run('partner', 'revoke', partnerId, '--certificate', certificateId, '--json');
    assert.equal(revokedCert.json['status'], 'revoked');
    const revoked = await run('partner', 'revoke', partnerId, '--json');
    assert.equal(revoked.json['status'], 'revoked');
    const unknown = await run('partner', 'show', '5'.repeat(32));
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /NOT_FOUND/);
    const noId = await run('partner', 'show');
    assert.equal(noId.code, 2);
  });

  test('card create validates type and subtype and prints the cardId; card list shows it', async () => {
    const created = await run(
      'partner',
      'create',
      '--name',
      'Issuer',
      '--out',
      join(work, 'issuer'),
      '--json',
    );
    const partnerId = String(created.json['partnerId']);
    const card = await run(
      'card',
      'create',
      '--partner',
      partnerId,
      '--type',
      'boardingpass',
      '--subtype',
      'airlines',
      '--partner-url',
      'https://issuer.example',
      '--json',
    );
    assert.equal(card.code, 0, card.stderr);
    assert.match(String(card.json['cardId']), /^[a-z0-9]{13}$/);
    const bad = await run(
      'card',
      'create',
      '--partner',
      partnerId,
      '--type',
      'boardingpass',
      '--subtype',
      'movies',
      '--partner-url',
      'https://issuer.example',
    );
    assert.equal(bad.code, 1);
    // The sentence is printed once, not again as a detail line.
    assert.equal(bad.stderr.match(/"movies" is not a subtype of boardingpass/g)?.length, 1, bad.stderr);
    const list = await run('card', 'list', '--partner', partnerId);
    assert.match(list.stdout, /^CARD ID +TYPE\/SUBTYPE +PARTNER ID +PARTNER URL$/m);
    assert.match(list.stdout, new RegExp(String(card.json['cardId'])));
    const missing = await run('card', 'create', '--partner', partnerId);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--type is required/);
  });

  test('service create keeps the merchant key from the CSR and prints the serviceId; service list shows it', async () => {
    const created = await run('partner', 'create', '--name', 'Shop', '--out', join(work, 'shop'), '--json');
    const partnerId = String(created.json['partnerId']);
    const merchant = await generateKeyAndCsr({ commonName: 'merchant' });
    const csrFile = join(work, 'merchant.csr');
    const keyFile = join(work, 'merchant.key');
    writeFileSync(csrFile, merchant.csrPem);
    writeFileSync(keyFile, merchant.privateKeyPem);
    const service = await run(
      'service',
      'create',
      '--partner',
      partnerId,
      '--name',
      'Shop',
      '--csr',
      csrFile,
      '--domain',
      'shop.example',
      '--domain',
      'localhost',
      '--health-url',
      'https://shop.example/health',
      '--json',
    );
    assert.equal(service.code, 0, service.stderr);
    assert.match(String(service.json['serviceId']), /^[0-9a-f]{32}$/);
    assert.deepEqual(service.json['domains'], ['shop.example', 'localhost']);
    const list = await run('service', 'list', '--json');
    assert.ok(
      (list.json['services'] as { serviceId: string }[]).some(
        (s) => s.serviceId === service.json['serviceId'],
      ),
    );
    const bad = await run(
      'service',
      'create',
      '--partner',
      partnerId,
      '--name',
      'S',
      '--csr',
      keyFile,
      '--domain',
      'a.example',
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /private key/);
    assert.ok(!bad.stderr.includes(merchant.privateKeyPem.split('\n')[1] as string));
    const noDomain = await run('service', 'create', '--partner', partnerId, '--name', 'S', '--csr', csrFile);
    assert.equal(noDomain.code, 2);
    // No CSR: the command says how to make one, or makes the merchant key itself with --out.
    const noCsr = await run(
      'service',
      'create',
      '--partner',
      partnerId,
      '--name',
      'S',
      '--domain',
      'a.example',
    );
    assert.equal(noCsr.code, 2);
    assert.match(noCsr.stderr, /--out DIR.*\n.*openssl req -new -newkey rsa:2048/);
    const made = await run(
      'service',
      'create',
      '--partner',
      partnerId,
      '--name',
      'Made',
      '--domain',
      'made.example',
      '--out',
      join(work, 'made'),
    );
    assert.equal(made.code, 0, made.stderr);
    assert.match(readFileSync(join(work, 'made', 'merchant.csr'), 'utf8'), /BEGIN CERTIFICATE REQUEST/);
    assert.equal(statSync(join(work, 'made', 'merchant-key.pem')).mode & 0o777, 0o600);
    const listed = await run('service', 'list');
    assert.match(listed.stdout, /^SERVICE ID +PARTNER ID +NAME +DOMAINS$/m);
  });

  test('every onboarding command has --help', async () => {
    for (const name of [
      ['partner', 'create'],
      ['partner', 'sign-outbound'],
      ['partner', 'list'],
      ['partner', 'show'],
      ['partner', 'revoke'],
      ['partner', 'update'],
      ['card', 'create'],
      ['card', 'list'],
      ['service', 'create'],
      ['service', 'list'],
    ]) {
      const r = await run(...name, '--help');
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`Usage: cardport ${name.join(' ')}`));
    }
  });
});
