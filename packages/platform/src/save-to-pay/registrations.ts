// The partner's Save to Pay API (PROTOCOLS.md 1.3–1.4, seed 001 §3.4): create and retrieve a
// registration. Input arrives validated (api-routes.ts). A registration without offline
// invitations is one autocommit INSERT shared with the registrations arriving at the same time
// (group commit, core/group-commit.ts); with invitations, its messages commit in its transaction.
import type { CreateRegistrationRequest, RegistrationStatus } from '@cardport/protocol';
import { appStateKey } from '../core/app-state.ts';
import type { Queryable } from '../core/db.ts';
import { notFound } from '../core/errors.ts';
import { type GroupCommit, groupCommit } from '../core/group-commit.ts';
import { newHexId, newUuidId } from '../core/ids.ts';
import { findPartner } from '../partners/service.ts';
import type { S2pDeps } from './deps.ts';
import { sendOfflineInvitations } from './mailbox.ts';
import {
  findRegistration,
  type InsertOutcome,
  insertRegistration,
  insertRegistrations,
  type NewRegistration,
  type ProvisioningStatus,
  type RegistrationRow,
  renewWelcomeToken,
} from './store.ts';
import { welcomeTokenOf, welcomeUrlFor } from './welcome.ts';
import { welcomeTokenKey } from './welcome-token.ts';

/**
 * The registration as the API answers it. `status` keeps the seed's enum (PENDING | LINKED) so
 * old clients keep working; `provisioningStatus` (and `provisioningError`) report what happened
 * after LINKED [ours, docs/save-to-pay.md].
 */
export interface RegistrationView {
  id: string;
  welcomeUrl: string;
  status: RegistrationStatus;
  welcomeUrlExpiration: number;
  provisioningStatus: ProvisioningStatus;
  provisioningError?: string;
}

/** Rows per multi-row INSERT: enough for 50+ concurrent partners' calls in one statement. */
const MAX_ROWS_PER_INSERT = 64;

// One writer per app and database: the batches it writes are autocommit statements.
const writerState = appStateKey('save-to-pay.registrationWriter', () => ({
  writer: undefined as GroupCommit<NewRegistration, InsertOutcome> | undefined,
}));

function registrationWriter(deps: Pick<S2pDeps, 'db' | 'log' | 'state'>) {
  const held = deps.state.get(writerState);
  held.writer ??= groupCommit<NewRegistration, InsertOutcome>({
    maxBatch: MAX_ROWS_PER_INSERT,
    writeBatch: (rows) => insertRegistrations(deps.db, rows),
    writeOne: (row) => insertRegistration(deps.db, row),
    onBatchError: (err, size) =>
      deps.log.warn(
        { size, err: (err as Error).message },
        'S2P registration batch failed: writing each alone',
      ),
  });
  return held.writer;
}

async function view(deps: S2pDeps, q: Queryable, row: RegistrationRow): Promise<RegistrationView> {
  const token = await welcomeTokenOf(deps, q, row);
  return {
    id: row.regId,
    welcomeUrl: welcomeUrlFor(deps, token),
    status: row.status,
    welcomeUrlExpiration: row.welcomeExpiresAt,
    provisioningStatus: row.provisioning,
    ...(row.provisioning === 'FAILED' ? { provisioningError: row.failureError ?? 'UNKNOWN' } : {}),
  };
}

async function lifetimeMs(q: Queryable, partnerId: string): Promise<number> {
  const partner = await findPartner(q, partnerId);
  if (!partner) throw notFound('partner');
  return partner.options.welcomeUrlLifetimeMs;
}

export interface CreateRegistrationInput {
  /** The partner bound to the connection's client certificate. */
  partnerId: string;
  /** The Request-Id header: the same one from the same partner answers the same registration. */
  requestId: string;
  request: CreateRegistrationRequest;
}

/** POST /registrations. The same Request-Id from the same partner never creates a second one. */
export async function createRegistration(
  deps: S2pDeps,
  input: CreateRegistrationInput,
): Promise<{ registration: RegistrationView; created: boolean }> {
  const { partnerId, requestId, request } = input;
  const lifetime = await lifetimeMs(deps.db, partnerId);
  // Outside any transaction: the key is created (once) in its own commit, then kept by the app.
  await welcomeTokenKey(deps, deps.db);
  const now = deps.clock.now();
  const row: NewRegistration = {
    regId: newUuidId(),
    partnerId,
    requestId,
    request,
    welcomeTokenId: newHexId(16),
    welcomeExpiresAt: now + lifetime,
    createdAt: now,
  };
  if (request.allowOfflineCommunication !== true) {
    const outcome = await registrationWriter(deps).write(row);
    return { registration: await view(deps, deps.db, outcome.row), created: outcome.created };
  }
  // With offline invitations, the invitations are written in the registration's transaction.
  return deps.db.transaction(async (tx) => {
    const outcome = await insertRegistration(tx, row);
    const registration = await view(deps, tx, outcome.row);
    if (outcome.created) await sendOfflineInvitations(tx, deps, outcome.row, registration.welcomeUrl);
    return { registration, created: outcome.created };
  });
}

/** GET /registrations/{regId}: another partner's regId is not found; an expired URL is replaced. */
export async function retrieveRegistration(
  deps: S2pDeps,
  input: { partnerId: string; regId: string },
): Promise<RegistrationView> {
  const { partnerId, regId } = input;
  await welcomeTokenKey(deps, deps.db);
  const current = await findRegistration(deps.db, regId);
  if (!current || current.partnerId !== partnerId) throw notFound('registration');
  if (current.welcomeExpiresAt > deps.clock.now()) return view(deps, deps.db, current);
  const lifetime = await lifetimeMs(deps.db, partnerId);
  return deps.db.transaction(async (tx) => {
    const row = await findRegistration(tx, regId, { lock: true });
    if (!row) throw notFound('registration');
    const now = deps.clock.now();
    if (row.welcomeExpiresAt > now) return view(deps, tx, row);
    const renewed = await renewWelcomeToken(tx, regId, newHexId(16), now + lifetime, now);
    return view(deps, tx, renewed ?? row);
  });
}
