// The packages as a partner gets them from npm: every public package is built and packed, the
// tarballs (not workspace links) are installed into fresh projects outside the repository, the
// sandbox runs from its installed package (compiled JavaScript, no TypeScript loader, no bundler),
// and four kinds of partner project (plain ESM, plain CommonJS, TypeScript `module: node16`
// strict, TypeScript `moduleResolution: bundler`) typecheck and make real calls against it:
// a Web Checkout transaction whose credentials they decrypt, a cdata link the wallet accepts, and
// a Save to Pay registration over mutual TLS with the files `cardport partner create` wrote.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { generateMerchantKey } from '@cardport/sdk';
import ts from 'typescript';
import {
  fencedBlockAfter,
  freePorts,
  type InstalledSandbox,
  installedEnv,
  packPublicPackages,
  startInstalledSandbox,
} from './support.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const scenario = readFileSync(new URL('./scenario.ts.tmpl', import.meta.url), 'utf8');
const sdkNames =
  'WebCheckoutClient, decryptCredentials, ticket, createCdata, dataTransmitLink, SaveToPayClient';

const esmHeader = `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protocol from '@cardport/protocol';
import * as jose from '@cardport/jose';
import * as browser from '@cardport/browser';
import { ${sdkNames} } from '@cardport/sdk';
`;
const cjsHeader = `'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const protocol = require('@cardport/protocol');
const jose = require('@cardport/jose');
const browser = require('@cardport/browser');
const { ${sdkNames} } = require('@cardport/sdk');
`;
/** The scenario without its types: what a plain JavaScript project would have written. */
const plainScenario = ts.transpileModule(scenario, {
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
}).outputText;

const tsc = join(root, 'node_modules/typescript/bin/tsc');
const typeRoots = [join(root, 'node_modules/@types')];

interface Flavour {
  /** Short: it names the project folder and the card's refId (32 characters at most). */
  key: string;
  name: string;
  files: Record<string, string>;
  /** Typechecks and builds; returns the file to run with node. */
  prepare(dir: string): Promise<string>;
}

const flavours: Flavour[] = [
  {
    key: 'esm',
    name: 'plain ESM JavaScript',
    files: { 'package.json': '{"type":"module","private":true}', 'main.js': esmHeader + plainScenario },
    prepare: async () => 'main.js',
  },
  {
    key: 'cjs',
    name: 'plain CommonJS',
    files: { 'package.json': '{"type":"commonjs","private":true}', 'main.js': cjsHeader + plainScenario },
    prepare: async () => 'main.js',
  },
  {
    key: 'node16',
    name: 'TypeScript module node16 strict (CommonJS output)',
    files: {
      'package.json': '{"type":"commonjs","private":true}',
      'main.ts': esmHeader + scenario,
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'ES2022',
          strict: true,
          // Our declarations are checked by attw; the project's own code is checked against them.
          skipLibCheck: true,
          outDir: 'out',
          types: ['node'],
          typeRoots,
        },
        files: ['main.ts'],
      }),
    },
    async prepare(dir) {
      await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, env: installedEnv() });
      return 'out/main.js';
    },
  },
  {
    key: 'bundler',
    name: 'TypeScript moduleResolution bundler (bundled with esbuild)',
    files: {
      'package.json': '{"type":"module","private":true}',
      'main.ts': esmHeader + scenario,
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'esnext',
          moduleResolution: 'bundler',
          target: 'ES2022',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          typeRoots,
        },
        files: ['main.ts'],
      }),
    },
    async prepare(dir) {
      await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, env: installedEnv() });
      const { build } = await import('esbuild');
      await build({
        entryPoints: [join(dir, 'main.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: join(dir, 'out/main.mjs'),
        logLevel: 'error',
      });
      return 'out/main.mjs';
    },
  },
];

// The four projects run side by side: they share the sandbox but not their data.
describe('the published packages, installed from their tarballs', { concurrency: true }, () => {
  const work = mkdtempSync(join(tmpdir(), 'cardport-packaging-'));
  const consumers = join(work, 'partner');
  let sandbox: InstalledSandbox;
  let context: Record<string, string>;

  before(
    async () => {
      const tarballs = await packPublicPackages(join(work, 'tarballs'));
      // The partner's projects share one install of the four libraries (and nothing else).
      mkdirSync(consumers);
      writeFileSync(join(consumers, 'package.json'), '{"name":"partner","private":true}');
      const libraries = ['protocol', 'jose', 'sdk', 'browser'].map((n) => tarballs[n] as string);
      const [started] = await Promise.all([
        startInstalledSandbox(join(work, 'sandbox'), tarballs),
        run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...libraries], {
          cwd: consumers,
          env: installedEnv(),
        }),
      ]);
      sandbox = started;

      // Onboarding with the installed CLI, as the partner would.
      const partnerDir = join(work, 'partner-files');
      const created = await sandbox.cli('partner', 'create', '--name', 'Packaging Bank', '--out', partnerDir);
      const partnerId = created['partnerId'] as string;
      const card = await sandbox.cli(
        'card',
        'create',
        '--partner',
        partnerId,
        '--type',
        'ticket',
        '--subtype',
        'movies',
        '--partner-url',
        'http://127.0.0.1:9',
      );
      const merchant = await generateMerchantKey({ commonName: 'Packaging merchant' });
      writeFileSync(join(work, 'merchant.key'), merchant.privateKeyPem);
      writeFileSync(join(work, 'merchant.csr'), merchant.csrPem);
      const service = await sandbox.cli(
        'service',
        'create',
        '--partner',
        partnerId,
        '--name',
        'Packaging shop',
        '--csr',
        join(work, 'merchant.csr'),
        '--domain',
        'shop.example',
      );
      const email = 'packaging@example.com';
      await sandbox.cli('wallet', 'account', 'create', '--email', email);
      await sandbox.cli('wallet', 'add-test-card', '--account', email, '--brand', 'MC');
      context = {
        url: sandbox.url,
        mtlsUrl: sandbox.mtlsUrl,
        adminToken: readFileSync(join(sandbox.home, 'admin-token'), 'utf8').trim(),
        partnerDir,
        serviceId: service['serviceId'] as string,
        cardId: card['cardId'] as string,
        merchantKey: join(work, 'merchant.key'),
        email,
      };
    },
    { timeout: 600_000 },
  );
  after(async () => {
    await sandbox?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('runs the sandbox from its installed package: compiled JavaScript, prebuilt browser bundles, no TypeScript loader or bundler', async () => {
    const modules = join(sandbox.dir, 'node_modules');
    assert.ok(existsSync(join(modules, '@cardport/platform/dist/cli/main.mjs')));
    assert.equal(existsSync(join(modules, '@cardport/platform/src')), false);
    assert.equal(existsSync(join(modules, 'tsx')), false, 'tsx must not be installed with the platform');
    assert.equal(
      existsSync(join(modules, 'esbuild')),
      false,
      'esbuild must not be installed with the platform',
    );
    assert.equal((await fetch(`${sandbox.url}/healthz`)).status, 200);
    for (const path of [
      '/s2p/libs/js/s2p.min.js',
      '/atw/libs/add-to-wallet.js',
      '/gsmpi/sdk/samsungpay_web_sdk.js',
    ]) {
      const res = await fetch(`${sandbox.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /javascript/);
      assert.ok((await res.text()).length > 1000, path);
    }
    // The page scripts, prebuilt beside the compiled pages (dist/**/<name>.browser.js): with no
    // esbuild installed, a missing one could not be bundled and would not answer 200.
    for (const path of [
      '/s2p/v1/assets/welcome.js',
      '/wallet/s2p/assets/scan.js',
      '/wallet/assets/wallet.js',
      '/atw/assets/landing.js',
      '/gsmpi/assets/checkout.js',
      '/admin/assets/dashboard.js',
    ]) {
      const res = await fetch(`${sandbox.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /javascript/);
      assert.match(await res.text(), /^("use strict";)?\(\(\)=>\{/, path);
    }
    // The stylesheets and the icon, copied beside the compiled modules and served by @fastify/static.
    for (const [path, type] of [
      ['/assets/cardport.css', /^text\/css/],
      ['/favicon.ico', /^image\/svg\+xml/],
      ['/s2p/v1/assets/s2p.css', /^text\/css/],
      ['/atw/assets/passes.css', /^text\/css/],
      ['/gsmpi/assets/checkout.css', /^text\/css/],
      ['/admin/web-checkout/assets/dashboard.css', /^text\/css/],
      ['/wallet/payments-assets/payments.css', /^text\/css/],
    ] as const) {
      const res = await fetch(`${sandbox.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', type, path);
      assert.ok(res.headers.get('etag'), path);
      assert.ok((await res.text()).length > 100, path);
    }
    // …and nothing else of their folders: the compiled modules never answer.
    assert.equal((await fetch(`${sandbox.url}/gsmpi/assets/checkout.mjs`)).status, 404);
    const docs = await fetch(`${sandbox.url}/docs/topics/web-checkout`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /Web Checkout/);
  });

  it("runs the shell recipe of docs/ci.md as written: start, health, onboard with --json, the partner's tests, the delivery log", async () => {
    const page = readFileSync(join(root, 'docs/ci.md'), 'utf8');
    const recipe = fencedBlockAfter(page, '## The recipe in plain shell', 'sh');
    const partnerTest = fencedBlockAfter(page, '## Your tests read the onboarding files', 'js');
    // The GitHub Actions job runs the very same recipe.
    const job = fencedBlockAfter(page, '## A GitHub Actions job', 'yaml');
    const step = /run: \|\n((?: {10}.*\n|\n)+)/.exec(job)?.[1] ?? '';
    assert.equal(step.replace(/^ {10}/gm, '').trimEnd(), recipe.trimEnd());

    // The partner's project: the installed platform and SDK, and the page's test as its `npm test`.
    const project = sandbox.dir;
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ ...pkg, scripts: { test: 'node --test' } }),
    );
    mkdirSync(join(project, 'test'), { recursive: true });
    writeFileSync(join(project, 'test/save-to-pay.test.mjs'), partnerTest);
    const [port, mtlsPort] = await freePorts(2);
    const { stdout } = await run('bash', ['-c', recipe], {
      cwd: project,
      env: installedEnv({ CARDPORT_PORT: String(port), CARDPORT_MTLS_PORT: String(mtlsPort) }),
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { code?: number; stdout?: string; stderr?: string }) => {
      const log = existsSync(join(project, 'cardport.log'))
        ? readFileSync(join(project, 'cardport.log'), 'utf8')
        : '';
      throw new Error(
        `the recipe exited with ${err.code}:\n${err.stdout}\n${err.stderr}\ncardport.log:\n${log}`,
      );
    });
    assert.match(stdout, /# pass 1\n/);
    assert.match(stdout, /# fail 0\n/);
    const onboarded = JSON.parse(readFileSync(join(project, 'cardport-partner.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.match(String(onboarded['partnerId']), /^[0-9]+$/);
    assert.ok(existsSync(join(project, 'cardport-partner/client.key')));
    const deliveries = JSON.parse(readFileSync(join(project, 'cardport-deliveries.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.ok(Array.isArray(deliveries['deliveries']), JSON.stringify(deliveries));
    assert.ok(existsSync(join(project, 'cardport.log')));
  });

  for (const flavour of flavours) {
    it(`a ${flavour.name} project ${flavour.files['tsconfig.json'] ? 'typechecks, then ' : ''}creates, decrypts, links and registers against the sandbox`, async () => {
      const slug = flavour.key;
      const dir = join(consumers, slug);
      mkdirSync(dir);
      for (const [name, text] of Object.entries(flavour.files)) writeFileSync(join(dir, name), text);
      writeFileSync(join(dir, 'context.json'), JSON.stringify({ ...context, flavour: slug }));
      const entry = await flavour.prepare(dir);
      const { stdout } = await run(process.execPath, [entry, 'context.json'], {
        cwd: dir,
        env: installedEnv(),
      });
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      assert.equal(result['flavour'], slug);
      assert.match(String(result['transactionId']), /^[A-Za-z0-9-]+$/);
      assert.equal(result['amount'], '1234');
      assert.equal(result['currency'], 'USD');
      assert.match(String(result['tokenPan']), /^[0-9]{13,19}$/);
      const refId = `pkg-${slug}`;
      assert.deepEqual(result['cards'], [`${context['cardId']}/${refId}`]);
      assert.equal(result['registrationStatus'], 'PENDING');
      assert.ok(String(result['welcomeUrl']).startsWith(`${sandbox.url}/s2p/v1/welcome/`));
      assert.deepEqual(result['exports'], { protocol: 'function', jose: 'function', browser: 'function' });
    });
  }
});
