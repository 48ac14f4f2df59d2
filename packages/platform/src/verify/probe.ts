// Raw HTTPS probes of a partner's server with an identity the platform would never present: no
// client certificate, or one from a CA the partner does not trust. The partner must refuse both.
import https from 'node:https';
import { createCa, generateKeyAndCsr, signCsr } from '../core/pki.ts';

export interface ProbeOutcome {
  /** The partner let the request through to HTTP and answered with this status. */
  status?: number;
  body?: string;
  /** The TLS handshake or the connection failed: the partner refused. */
  error?: string;
}

export async function probeHttps(
  url: string,
  options: { ca: string[]; cert?: string; key?: string; body?: string; timeoutMs?: number },
): Promise<ProbeOutcome> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: target.hostname,
        port: target.port || 443,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        // Only the partner's refusal of the client is under test: its server certificate is not.
        rejectUnauthorized: false,
        ...(options.cert ? { cert: options.cert, key: options.key } : {}),
        agent: false,
        timeout: options.timeoutMs ?? 5000,
        headers: { 'content-type': 'application/json', 'user-agent': 'Cardport verify' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 2000) text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (err) => resolve({ error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within the timeout')));
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ error: err.code ? `${err.code}: ${err.message}` : err.message }),
    );
    req.end(options.body ?? '{}');
  });
}

/** A throwaway CA and a client certificate it issued: an identity no partner should trust. */
export async function strangerIdentity(): Promise<{ cert: string; key: string }> {
  const ca = await createCa({ commonName: 'Cardport verify: untrusted CA' });
  const { privateKeyPem, csrPem } = await generateKeyAndCsr({ commonName: 'Cardport verify stranger' });
  const cert = await signCsr(ca, csrPem, { usage: 'client' });
  return { cert: cert.certificatePem, key: privateKeyPem };
}

/** How a refusal reads in a report. */
export function describeProbe(o: ProbeOutcome): string {
  return o.error !== undefined ? `connection refused: ${o.error}` : `HTTP ${o.status} ${excerptBody(o.body)}`;
}

const excerptBody = (b: string | undefined) => (b ? b.slice(0, 200) : '(empty body)');
