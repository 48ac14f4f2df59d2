// Helpers for the delivery tests and benchmark: real loopback receivers (HTTP and HTTPS with
// client certificates) and certificates made at test time. Nothing here fakes the network.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  /** Subject CN of the client certificate, on an mTLS receiver. */
  clientCn?: string | undefined;
}

export type ReceiverHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export interface Receiver {
  url: string;
  port: number;
  /** Every request that arrived, in order (also those never answered). */
  requests: ReceivedRequest[];
  /** Replaces the behaviour for the next requests. */
  handle(handler: ReceiverHandler): void;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  port?: number;
  tls?: https.ServerOptions;
}

/** A loopback receiver (port 0 unless told) answering 200 `{"ok":true}` until told otherwise. */
export async function startReceiver(
  handler?: ReceiverHandler,
  options: ReceiverOptions = {},
): Promise<Receiver> {
  let current: ReceiverHandler =
    handler ??
    ((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  const requests: ReceivedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const socket = req.socket as TLSSocket;
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json,
        clientCn: peer?.subject?.CN as string | undefined,
      };
      requests.push(received);
      Promise.resolve(current(received, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    handle(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago (nothing listens on it now): a receiver that is down. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestCa {
  certPem: string;
  /** Issues a certificate for a client (clientAuth) or a server on 127.0.0.1 (serverAuth). */
  issue(cn: string, usage: 'client' | 'server'): Promise<{ certPem: string; keyPem: string }>;
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** A throwaway CA made with @peculiar/x509 and WebCrypto (P-256). */
export async function createTestCa(name: string): Promise<TestCa> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 86_400_000);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys,
    notBefore,
    notAfter,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: caCert.toString('pem'),
    async issue(cn, usage) {
      const leafKeys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
      const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          [usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth],
          false,
        ),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      ];
      if (usage === 'server') {
        extensions.push(
          new x509.SubjectAlternativeNameExtension([
            { type: 'ip', value: '127.0.0.1' },
            { type: 'dns', value: 'localhost' },
          ]),
        );
      }
      const cert = await x509.X509CertificateGenerator.create({
        subject: `CN=${cn}`,
        issuer: caCert.subject,
        notBefore,
        notAfter,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        signingAlgorithm: alg,
        extensions,
      });
      const keyDer = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
      return { certPem: cert.toString('pem'), keyPem: pem('PRIVATE KEY', keyDer) };
    },
  };
}

/** Polls `check` until it holds (bounded): for waiting on background workers, not for timing. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  what: string,
  limitMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
