// The Samsung Server API partners call (PROTOCOLS.md 3.2): AUTH token authentication, Update
// Notification and Cancel Notification. routes.ts checks the headers and the body first.
import { isJoseError, type JoseError, verifyAuthToken } from '@cardport/jose';
import type { CancelNotification, UpdateNotification } from '@cardport/protocol';
import { authNow } from '../core/clock.ts';
import { notFound, PlatformError } from '../core/errors.ts';
import { type Card as CardRegistration, findCard, findPartnerCertificate } from '../partners/service.ts';
import { certificateRefusal, partnerIsActive } from '../partners/standing.ts';
import { LinkError } from './errors.ts';
import type { WalletCardsDeps } from './model.ts';
import { type CardDataAnswer, enqueueCardState, getCardData } from './partner-calls.ts';
import { changePassState, removePass } from './passes.ts';
import * as store from './store.ts';

/** The request a Server API call came with: its headers, present (routes.ts checks them). */
export interface PartnerCallAuth {
  /** The `Authorization` header: `Bearer <AUTH token>`. */
  authorization: string;
  /** The `x-smcs-partner-id` header. */
  partnerId: string;
  method: string;
  /** The request path (no query): the AUTH token must be bound to it. */
  path: string;
  cardId: string;
}

function unauthorized(message: string): PlatformError {
  return new PlatformError('UNAUTHORIZED', message);
}

/**
 * Authenticates a Server API call (its headers checked present by the route): the AUTH token signed by the partner
 * certificate its certificateId names, `cty: AUTH`, utc within 30 s, bound to this method and
 * path; `x-smcs-partner-id` is the token's partner and the card's owner. Returns the card.
 */
export async function authenticatePartnerCall(
  deps: Pick<WalletCardsDeps, 'db' | 'clock'>,
  req: PartnerCallAuth,
): Promise<CardRegistration> {
  let partnerId: string;
  try {
    const { header } = await verifyAuthToken(req.authorization, {
      method: req.method,
      path: req.path,
      now: () => authNow(deps.clock),
      expected: { partnerId: req.partnerId },
      resolveKey: async (h) => {
        if (!h.certificateId) return undefined;
        const cert = await findPartnerCertificate(deps.db, h.certificateId);
        if (!cert || cert.partnerId !== h.partnerId || certificateRefusal(cert) !== null) return undefined;
        if (!(await partnerIsActive(deps.db, cert.partnerId))) return undefined;
        return cert.publicKey;
      },
    });
    partnerId = header.partnerId;
  } catch (err) {
    if (!isJoseError(err)) throw err;
    const messages: Partial<Record<JoseError['code'], string>> = {
      ERR_TOKEN_EXPIRED: 'AUTH token expired: its utc is older than 30 s',
      ERR_TOKEN_FROM_FUTURE: 'AUTH token utc lies in the future',
      ERR_JWS_SIGNATURE_INVALID: 'AUTH token signature does not verify with the partner certificate',
      ERR_KEY_NOT_FOUND: 'AUTH token names no active certificate of its partner',
      ERR_AUTH_BINDING_MISMATCH: `AUTH token is bound to another request: ${err.message}`,
      ERR_HEADER_MISMATCH: 'x-smcs-partner-id is not the partner of the AUTH token',
    };
    throw unauthorized(messages[err.code] ?? `invalid AUTH token: ${err.message}`);
  }
  const registration = await findCard(deps.db, req.cardId);
  if (!registration) throw notFound(`card ${req.cardId}`);
  if (registration.partnerId !== partnerId) {
    throw unauthorized(`card ${req.cardId} belongs to another partner`);
  }
  return registration;
}

/** What a notification changed: HTTP 200 when something, 204 when no wallet held it [ours]. */
export interface NotificationResult {
  changed: number;
}

/**
 * Update Notification (PROTOCOLS.md 3.2): UPDATED → Get Card Data, then every wallet holding the
 * refId gets the new data (204 from the partner removes it everywhere) and Send Card State UPDATED
 * goes out; EXPIRED, REDEEMED, HELD, DELETED → the state changes in every wallet.
 */
export async function notifyUpdate(
  deps: WalletCardsDeps,
  input: { registration: CardRegistration; notification: UpdateNotification },
): Promise<NotificationResult> {
  const { registration, notification: body } = input;
  if (body.card.type !== registration.type) {
    throw new PlatformError('INVALID_INPUT', `card.type must be ${registration.type}`, {
      details: [{ field: 'card.type', reason: `must be ${registration.type}` }],
    });
  }
  let changed = 0;
  for (const item of body.card.data) {
    if (item.state === 'UPDATED') {
      const holders = await store.countWalletCardsByRef(deps.db, registration.cardId, item.refId);
      if (holders === 0) continue;
      let answer: CardDataAnswer;
      try {
        answer = await getCardData(deps, registration, item.refId);
      } catch (err) {
        if (err instanceof LinkError) {
          throw new PlatformError('SERVICE_UNAVAILABLE', `could not refresh ${item.refId}: ${err.message}`);
        }
        throw err;
      }
      changed += await deps.db.transaction(async (tx) => {
        const cards = await store.lockWalletCardsByRef(tx, registration.cardId, item.refId);
        for (const c of cards) {
          if (answer.kind === 'gone') {
            await removePass(deps, tx, c, 'Get Card Data 204');
          } else {
            await changePassState(deps, tx, c, {
              state: 'UPDATED',
              cause: 'update notification',
              ...(answer.card.data[0] ? { data: answer.card.data[0] } : {}),
            });
            await enqueueCardState(deps, tx, registration, c, 'UPDATED');
          }
        }
        return cards.length;
      });
    } else {
      const state = item.state;
      changed += await deps.db.transaction(async (tx) => {
        const cards = await store.lockWalletCardsByRef(tx, registration.cardId, item.refId);
        for (const c of cards) await changePassState(deps, tx, c, { state, cause: 'update notification' });
        return cards.length;
      });
    }
  }
  return { changed };
}

/**
 * Cancel Notification (PROTOCOLS.md 3.2): every pass of the event (ticket eventId; boarding pass
 * vehicleNumber and, when given, estimatedOrActualStartDate) becomes CANCELED.
 */
export async function notifyCancel(
  deps: WalletCardsDeps,
  input: { registration: CardRegistration; notification: CancelNotification },
): Promise<NotificationResult> {
  const { registration, notification: body } = input;
  if (body.card.type !== registration.type) {
    throw new PlatformError('INVALID_INPUT', `card.type must be ${registration.type}`, {
      details: [{ field: 'card.type', reason: `must be ${registration.type}` }],
    });
  }
  return deps.db.transaction(async (tx) => {
    let changed = 0;
    for (const item of body.card.data) {
      const cards = await store.lockWalletCardsByEvent(tx, registration.cardId, {
        ...(item.eventId !== undefined ? { eventId: item.eventId } : {}),
        ...(item.vehicleNumber !== undefined ? { vehicleNumber: item.vehicleNumber } : {}),
        ...(item.estimatedOrActualStartDate !== undefined
          ? { startDate: item.estimatedOrActualStartDate }
          : {}),
      });
      for (const c of cards) {
        if (c.state === 'CANCELED') continue;
        await changePassState(deps, tx, c, { state: 'CANCELED', cause: 'cancel notification' });
        changed++;
      }
    }
    return { changed };
  });
}
