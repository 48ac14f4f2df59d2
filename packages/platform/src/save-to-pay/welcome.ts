// The welcome URL and what it leads to (PROTOCOLS.md 1.5): the token sealed for a registration,
// the URLs built from it, and the registration (and its live state) behind a scanned token.
import { createHmac } from 'node:crypto';
import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import { partnerIsActive } from '../partners/standing.ts';
import type { S2pDeps } from './deps.ts';
import { findRegistration, type RegistrationRow } from './store.ts';
import {
  openWelcomeToken,
  sealWelcomeToken,
  type WelcomeTokenPayload,
  welcomeTokenKey,
} from './welcome-token.ts';

/** The token for (regId, jti, exp): deterministic, so GET returns the same URL while it is valid. */
export async function welcomeToken(
  deps: Pick<S2pDeps, 'keys' | 'state'>,
  q: Queryable,
  payload: WelcomeTokenPayload,
): Promise<string> {
  const key = await welcomeTokenKey(deps, q);
  // The IV is derived from the token id, which is random and used once: one id, one plaintext.
  const iv = createHmac('sha256', key).update(`iv:${payload.jti}`).digest().subarray(0, 12);
  return sealWelcomeToken(key, payload, iv);
}

/** The welcome token of a registration as it stands. */
export function welcomeTokenOf(
  deps: Pick<S2pDeps, 'keys' | 'state'>,
  q: Queryable,
  row: Pick<RegistrationRow, 'regId' | 'welcomeTokenId' | 'welcomeExpiresAt'>,
): Promise<string> {
  return welcomeToken(deps, q, { rid: row.regId, jti: row.welcomeTokenId, exp: row.welcomeExpiresAt });
}

export function welcomeUrlFor(deps: Pick<S2pDeps, 'config'>, token: string): string {
  return `${deps.config.publicUrl}/s2p/v1/welcome/${token}`;
}

/** What the welcome QR encodes: the initiate URL of the platform (PROTOCOLS.md 1.5). */
export function initiateUrlFor(deps: Pick<S2pDeps, 'config'>, token: string): string {
  return `${deps.config.publicUrl}/s2p/v1/initiate/${token}`;
}

/** What the welcome page shows live: waiting → linked → provisioned | failed; or expired. */
export type WelcomeState = 'waiting' | 'linked' | 'provisioned' | 'failed' | 'expired';

export interface WelcomeContext {
  registration: RegistrationRow;
  state: WelcomeState;
  token: string;
  /** PROVISION_FAILURE, CARD_ALREADY_PRESENT, … for the s2p.js details. */
  errorCode?: string;
}

export function welcomeStateOf(row: RegistrationRow, now: number): WelcomeState {
  if (row.provisioning === 'PROVISIONED') return 'provisioned';
  if (row.provisioning === 'FAILED') return 'failed';
  if (row.status === 'LINKED') return 'linked';
  return row.welcomeExpiresAt <= now ? 'expired' : 'waiting';
}

/** s2p.js error code of a failed registration. */
export function uiErrorCode(row: RegistrationRow): string {
  if (row.failureError === 'CARD_ALREADY_PRESENT') return 'CARD_ALREADY_PRESENT';
  if (row.failureReason === 'CANCELED') return 'CANCELED';
  return 'PROVISION_FAILURE';
}

/**
 * The registration behind a welcome or initiate token. Undefined for a token that is not ours;
 * an expired token (or one replaced by a newer) gives state `expired` unless the registration
 * already moved on (a linked session keeps its live status).
 */
export async function openWelcome(deps: S2pDeps, token: string): Promise<WelcomeContext | undefined> {
  const key = await welcomeTokenKey(deps, deps.db);
  const payload = openWelcomeToken(key, token);
  if (!payload) return undefined;
  const row = await findRegistration(deps.db, payload.rid);
  if (!row) return undefined;
  if (!(await partnerIsActive(deps.db, row.partnerId))) throw partnerRevokedError();
  const now = deps.clock.now();
  let state = welcomeStateOf(row, now);
  const stale = payload.jti !== row.welcomeTokenId || payload.exp <= now;
  if (state === 'waiting' && stale) state = 'expired';
  return {
    registration: row,
    state,
    token,
    ...(state === 'failed' ? { errorCode: uiErrorCode(row) } : {}),
  };
}

/** A welcome, status or initiate token of a revoked partner (FORBIDDEN, `token`: partner revoked). */
export function partnerRevokedError(): PlatformError {
  return new PlatformError('FORBIDDEN', 'the bank of this link can no longer add cards to Samsung Wallet', {
    details: [{ field: 'token', reason: 'partner revoked' }],
  });
}

export function isPartnerRevokedError(err: unknown): boolean {
  return err instanceof PlatformError && err.details?.[0]?.reason === 'partner revoked';
}

/** The token of an initiate URL (what the QR encodes), a welcome URL, or a bare token. */
export function tokenFromScan(text: string): string | undefined {
  const trimmed = text.trim();
  const m = /\/s2p\/v1\/(?:initiate|welcome)\/([A-Za-z0-9_.-]+)/.exec(trimmed);
  if (m) return m[1];
  if (/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_.-]+$/.test(trimmed)) return trimmed;
  return undefined;
}
