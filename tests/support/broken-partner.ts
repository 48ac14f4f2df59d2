// A deliberately broken partner for the conformance kit's tests (issue 14): one server holding a
// Save to Pay notification endpoint and Add to Wallet card endpoints, with exactly four defects:
// - it never verifies the AUTH token of Send Card State (any Bearer is accepted);
// - it answers WA_READY without an issuerBlob;
// - it accepts a client that presents no certificate (it only refuses certificates it cannot verify);
// - it answers 500 when a notification comes again (same Request-Id).
// Everything else is as the documents say.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCa, generateKeyAndCsr, signCsr } from '../../packages/platform/src/core/pki.ts';

export interface BrokenPartner {
  url: string;
  /** The partner's CA: issued its server certificate; signs the platform's outbound CSR. */
  ca: { certificatePem: string; privateKeyPem: string };
  /** Notification types received, in order. */
  received: string[];
  close(): Promise<void>;
}

export async function startBrokenPartner(): Promise<BrokenPartner> {
  const ca = await createCa({ commonName: 'Broken partner CA' });
  const server = await generateKeyAndCsr({ commonName: '127.0.0.1' });
  const cert = await signCsr(ca, server.csrPem, { usage: 'server', hostnames: ['127.0.0.1'] });
  const seenRequestIds = new Set<string>();
  const received: string[] = [];
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const srv = https.createServer(
    {
      cert: cert.certificatePem,
      key: server.privateKeyPem,
      ca: ca.certificatePem,
      requestCert: true,
      // Defect: the handshake lets everyone in; only a presented-but-unverified certificate is refused below.
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const presented = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
      if (presented && !socket.authorized) return json(res, 403, { error: 'certificate not trusted' });
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        text += c;
      });
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://broken');
        if (req.method === 'POST' && url.pathname === '/notifications') {
          const body = JSON.parse(text || '{}') as { event?: { type?: string } };
          const type = body.event?.type ?? '?';
          received.push(type);
          const requestId = String(req.headers['request-id'] ?? '');
          // Defect: a repeated notification is an error instead of "already handled".
          if (seenRequestIds.has(requestId)) return json(res, 500, { error: 'duplicate' });
          seenRequestIds.add(requestId);
          // Defect: WA_READY without card.data.encryptedData.
          if (type === 'WA_READY') return json(res, 200, {});
          return json(res, 200, {});
        }
        const card = /^\/wallet-api\/cards\/[^/]+\/[^/]+$/.exec(url.pathname);
        if (card && req.method === 'POST') {
          // Defect: Send Card State never looks at the Authorization header.
          res.writeHead(200).end();
          return;
        }
        if (card && req.method === 'GET') {
          // Get Card Data as documented: this card no longer exists.
          res.writeHead(204).end();
          return;
        }
        json(res, 404, { error: 'not found' });
      });
    },
  );
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    ca,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      }),
  };
}
