// @cardport/platform/testing: the test harness of the platform and of partners' own tests. A
// platform built with assembleApp on a real database (PGlite, or PostgreSQL with DATABASE_URL),
// certificates generated at test time, onboarded partners and clients for the mTLS listener.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type App, assembleApp } from '../app.ts';
import { ManualClock } from '../core/clock.ts';
import type { Db } from '../core/db.ts';
import type { DomainModule } from '../core/domain.ts';
import type { Logger } from '../core/logger.ts';
import { generateKeyAndCsr } from '../core/pki.ts';
import { silentLogger, testConfig, testDbKinds, testKeyStore } from '../core/test-kit.ts';
import { partnersModule } from '../partners/module.ts';
import type { CreatePartnerInput } from '../partners/schemas.ts';
import { type CreatedPartner, createPartner } from '../partners/service.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestPlatform {
  app: App;
  db: Db;
  clock: ManualClock;
  /** Listens both apps on 127.0.0.1 port 0; returns their base URLs. */
  listen(): Promise<{ url: string; mtlsUrl: string; mtlsPort: number }>;
  close(): Promise<void>;
}

/**
 * Builds the platform (partners module plus `modules`) on a fresh database of the given kind
 * (PGlite by default), with a manual clock and the admin token {@link TEST_ADMIN_TOKEN}.
 */
export async function startTestPlatform(
  options: {
    kind?: ReturnType<typeof testDbKinds>[number];
    modules?: DomainModule[];
    /** Routes to add to the mTLS app before it is ready (tests hit them). */
    mtlsRoutes?: (app: App['mtls']) => void;
    /** Logger of both apps (silent by default). */
    log?: Logger;
  } = {},
): Promise<TestPlatform> {
  const kind = options.kind ?? (testDbKinds()[0] as ReturnType<typeof testDbKinds>[number]);
  const testDb = await kind.open();
  const { db } = testDb;
  const config = testConfig();
  const log = options.log ?? silentLogger;
  const clock = new ManualClock();
  const keys = testKeyStore(clock);
  const app = await assembleApp({
    config,
    db,
    clock,
    log,
    keys,
    adminToken: TEST_ADMIN_TOKEN,
    modules: [partnersModule, ...(options.modules ?? []).filter((m) => m !== partnersModule)],
  });
  options.mtlsRoutes?.(app.mtls);
  let listening = false;
  return {
    app,
    db,
    clock,
    async listen() {
      await app.main.listen({ host: '127.0.0.1', port: 0 });
      await app.mtls.listen({ host: '127.0.0.1', port: 0 });
      listening = true;
      const port = (app.main.server.address() as AddressInfo).port;
      const mtlsPort = (app.mtls.server.address() as AddressInfo).port;
      return { url: `http://127.0.0.1:${port}`, mtlsUrl: `https://127.0.0.1:${mtlsPort}`, mtlsPort };
    },
    async close() {
      if (listening) await Promise.all([app.main.close(), app.mtls.close()]);
      else await Promise.all([app.main.close(), app.mtls.close()]).catch(() => {});
      config.cleanup();
      await testDb.dispose();
    },
  };
}

export interface TestPartner extends CreatedPartner {
  /** The partner's own private key (generated here, as the CLI would). */
  clientKeyPem: string;
}

/** Onboards a partner through the service with a freshly generated key and CSR. */
export async function onboardTestPartner(
  platform: TestPlatform,
  input: Partial<CreatePartnerInput> = {},
): Promise<TestPartner> {
  const { privateKeyPem, csrPem } = await generateKeyAndCsr({ commonName: input.name ?? 'Test partner' });
  const created = await createPartner(platform.app.ctx, { name: 'Test partner', csrPem, ...input });
  return { ...created, clientKeyPem: privateKeyPem };
}

export interface MtlsResponse {
  status: number;
  body: string;
  json: unknown;
}

/** One HTTPS request to the mTLS listener with the given client identity (a fresh connection). */
export function mtlsRequest(
  port: number,
  options: {
    path?: string;
    method?: string;
    cert?: string;
    key?: string;
    ca: string;
    headers?: Record<string, string>;
    localAddress?: string;
    maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';
  },
): Promise<MtlsResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/test/whoami',
        method: options.method ?? 'GET',
        ca: options.ca,
        ...(options.cert ? { cert: options.cert } : {}),
        ...(options.key ? { key: options.key } : {}),
        headers: options.headers ?? {},
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
        ...(options.minVersion ? { minVersion: options.minVersion } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// The database, key and clock helpers the harness is built on, for tests that need less than a platform.
export {
  ManualClock,
  silentLogger,
  type TestDb,
  type TestDbKind,
  testConfig,
  testDbKinds,
  testKeyStore,
} from '../core/test-kit.ts';
/** Every domain of the platform, in mount order: `startTestPlatform({ modules: domains })`. */
export { domains } from '../domains.ts';
