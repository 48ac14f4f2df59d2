// A merchant key pair and its CSR (PKCS#10), for registering a Web Checkout service: the public
// key in the CSR is what payment credentials are encrypted to. Real partners often use openssl
// (`openssl req -new -newkey rsa:2048 -nodes ...`); this does the same with node:crypto only.
import { generateKeyPair, type KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';

const generateRsa = promisify(generateKeyPair);

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

function oid(text: string): Buffer {
  const parts = text.split('.').map(Number);
  const bytes: number[] = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const sha256WithRsa = der(0x30, oid('1.2.840.113549.1.1.11'), der(0x05));

/** A PKCS#10 CSR PEM for the key pair, subject `CN=<commonName>[, O=<organization>]`, signed with SHA-256. */
export function createCsr(
  keys: { publicKey: KeyObject; privateKey: KeyObject },
  subject: { commonName: string; organization?: string },
): string {
  const rdn = (type: string, value: string) =>
    der(0x31, der(0x30, oid(type), der(0x0c, Buffer.from(value, 'utf8'))));
  const name = der(
    0x30,
    ...(subject.organization ? [rdn('2.5.4.10', subject.organization)] : []),
    rdn('2.5.4.3', subject.commonName),
  );
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const info = der(0x30, der(0x02, Buffer.from([0])), name, spki, der(0xa0));
  const signature = sign('sha256', info, keys.privateKey);
  const csr = der(0x30, info, sha256WithRsa, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = csr
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN CERTIFICATE REQUEST-----\n${b64}\n-----END CERTIFICATE REQUEST-----\n`;
}

/** A new RSA-2048 merchant key (PKCS#8 PEM) and its CSR. */
export async function generateMerchantKey(subject: {
  commonName: string;
  organization?: string;
}): Promise<{ privateKeyPem: string; csrPem: string }> {
  const keys = await generateRsa('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    csrPem: createCsr(keys, subject),
  };
}
