// Save to Pay's issuerBlobs (PROTOCOLS.md 1.6 step 5; the sandbox format in docs/token-service.md):
// decrypted with the token service key, checked against the device and wallet they are bound to,
// and tokenized; an opaque issuer-specific blob becomes a token of network UNKNOWN when allowed.
import { createPrivateKey } from 'node:crypto';
import { DEFAULT_ISSUER_BLOB_MAX_LENGTH, decryptIssuerBlob, isJoseError } from '@cardport/jose';
import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import { hmac, issuerBlobKey, secretKey, type TspDeps, tspKeyNames } from './keys.ts';
import { parseInput, type TokenizeIssuerBlobInput, tokenizeIssuerBlobInput } from './schemas.ts';
import { fail, issueToken, type TokenizeResult, tokenizeCard } from './tokens.ts';

/** Whether a blob claims the sandbox format (so failing to read it is an error, not an opaque blob). */
function claimsSandboxFormat(blob: string): boolean {
  const parts = blob.split('.');
  if (parts.length !== 5) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as unknown;
    return (
      typeof header === 'object' && header !== null && (header as { alg?: unknown }).alg === 'RSA-OAEP-256'
    );
  } catch {
    return false;
  }
}

/**
 * Tokenizes a Save to Pay issuerBlob into a device token in the wallet that initiated
 * (PROTOCOLS.md 1.6 step 5; the sandbox format is in docs/token-service.md). Checks, in order:
 * the blob decrypts (else UNREADABLE_BLOB, unless it is an opaque issuer-specific blob and the
 * partner opted in: then a card of network UNKNOWN), its binding to this device and wallet
 * (BINDING_MISMATCH), the PAN (INVALID_PAN), magic PANs (DECLINED, CARD_EXPIRED), the expiry on
 * the injected clock (CARD_EXPIRED), and that the wallet has no live token of that funding card
 * (CARD_ALREADY_PRESENT).
 *
 * @example
 *   const result = await tokenizeIssuerBlob(tx, ctx, { issuerBlob, deviceId, walletId, acceptOpaqueBlobs: false });
 *   if (!result.ok) return reportFailure(result.reason); // e.g. WA_PROVISION_FAILURE + CARD_ALREADY_PRESENT
 */
export async function tokenizeIssuerBlob(
  q: Queryable,
  deps: TspDeps,
  input: TokenizeIssuerBlobInput,
): Promise<TokenizeResult> {
  const parsed = parseInput(tokenizeIssuerBlobInput, input, 'tokenization request');
  const blob = parsed.issuerBlob.trim();
  const binding = { deviceId: parsed.deviceId, walletId: parsed.walletId };
  if (blob.length === 0) return fail('UNREADABLE_BLOB', 'the issuerBlob is empty');
  if (blob.length > DEFAULT_ISSUER_BLOB_MAX_LENGTH) {
    return fail('UNREADABLE_BLOB', `the issuerBlob exceeds ${DEFAULT_ISSUER_BLOB_MAX_LENGTH} characters`);
  }
  const key = await issuerBlobKey(q, deps);
  if (!key.privateKeyPem) throw new PlatformError('INTERNAL', 'TSP key has no private half');
  let payload: ReturnType<typeof decryptIssuerBlob>['payload'];
  try {
    payload = decryptIssuerBlob(blob, createPrivateKey(key.privateKeyPem)).payload;
  } catch (err) {
    if (!isJoseError(err)) throw err;
    if (claimsSandboxFormat(blob)) {
      return fail(
        'UNREADABLE_BLOB',
        err.code === 'ERR_PAYLOAD_INVALID'
          ? `the issuerBlob decrypts but its card is malformed: ${err.message}`
          : 'the issuerBlob does not decrypt with the token service key (encrypted to another key, or damaged)',
      );
    }
    if (!parsed.acceptOpaqueBlobs) {
      return fail(
        'UNREADABLE_BLOB',
        'the issuerBlob is not in the sandbox format and the partner has not opted in to opaque blobs',
      );
    }
    const fingerprintKey = await secretKey(q, deps, tspKeyNames.panFingerprint);
    // An issuer-specific blob: no PAN, expiry or binding to check; the same blob twice is one card.
    return issueToken(
      q,
      deps,
      {
        brand: 'UNKNOWN',
        fingerprint: hmac(fingerprintKey, 'opaque-blob', blob),
        last4: null,
        expMonth: null,
        expYear: null,
        paymentOutcome: null,
        cardholderName: parsed.cardholderHint ?? null,
        source: 'OPAQUE_BLOB',
      },
      binding,
    );
  }
  if (payload.deviceId !== binding.deviceId || payload.walletId !== binding.walletId) {
    return fail('BINDING_MISMATCH', 'the issuerBlob is bound to another device or wallet');
  }
  return tokenizeCard(
    q,
    deps,
    { ...payload, cardholderName: payload.cardholderName ?? parsed.cardholderHint },
    binding,
    'ISSUER_BLOB',
  );
}
