// Calls from the platform to the partner's server (PROTOCOLS.md 3.1 and 3.3): the AUTH token each
// call carries, the partner's card URL, Get Card Data (synchronous, its answer checked like a
// link's card object) and Send Card State (a durable delivery queued in the caller's transaction).
import { createAuthToken } from '@cardport/jose';
import { getCardDataResponseSchema, parseWire, type WireWarning } from '@cardport/protocol';
import { authNow } from '../core/clock.ts';
import type { Queryable } from '../core/db.ts';
import type { DeliveryJob } from '../core/delivery.ts';
import { invalidInput, isPlatformError } from '../core/errors.ts';
import { newUuidId } from '../core/ids.ts';
import { type Card as CardRegistration, getPlatformAuthKey } from '../partners/service.ts';
import { checkCardObject, verifyCardToken } from './card-object.ts';
import { LinkError } from './errors.ts';
import { isSafePathSegment } from './links.ts';
import { CARD_STATE_KIND, type CheckedCard, GET_CARD_DATA_KIND, type WalletCardsDeps } from './model.ts';
import type { WalletCard } from './store.ts';

/** `x-request-id`: 32 hex characters (a UUID without hyphens, PROTOCOLS.md 3.2). */
export function newRequestId(): string {
  return newUuidId();
}

/**
 * The headers a call to the partner carries, minted when it leaves (a kind's `prepare` hook):
 * `Authorization: Bearer <AUTH token>` bound to this method and path, signed by the platform.
 */
export async function partnerCallHeaders(
  deps: Pick<WalletCardsDeps, 'db' | 'keys' | 'clock'>,
  job: Pick<DeliveryJob, 'method' | 'url' | 'partnerId'>,
): Promise<Record<string, string>> {
  const auth = await getPlatformAuthKey(deps.db, deps.keys);
  const url = new URL(job.url);
  const refId = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  const token = createAuthToken({
    method: job.method,
    path: url.pathname,
    partnerId: job.partnerId ?? '',
    certificateId: auth.certificateId,
    privateKey: auth.privateKey,
    ...(refId ? { refId } : {}),
    now: () => authNow(deps.clock),
  });
  return { authorization: `Bearer ${token}` };
}

/** `{partnerUrl}/cards/{cardId}/{refId}` (PROTOCOLS.md 3.3). */
export function partnerCardUrl(partnerUrl: string, cardId: string, refId: string): string {
  // Checked again here, where the path is built: no value reaches a partner call unchecked.
  for (const [field, value] of [
    ['cardId', cardId],
    ['refId', refId],
  ] as const) {
    if (!isSafePathSegment(value)) {
      throw invalidInput(`${field} cannot be placed in the partner's URL`, [
        { field, reason: '1 to 64 of A-Z a-z 0-9 . _ ~ -, not . or ..' },
      ]);
    }
  }
  return `${partnerUrl.replace(/\/+$/, '')}/cards/${encodeURIComponent(cardId)}/${encodeURIComponent(refId)}`;
}

export type CardDataAnswer =
  | { kind: 'card'; card: CheckedCard; deviations: WireWarning[] }
  | { kind: 'gone' };

/**
 * Calls the partner's Get Card Data for one refId and checks the answer: `{card}` or `{cdata}`
 * (verified like a link's), 204 when the card no longer exists. 401/5xx/no answer are
 * PARTNER_REFUSED / PARTNER_UNAVAILABLE with the status named.
 */
export async function getCardData(
  deps: Pick<WalletCardsDeps, 'db' | 'keys' | 'clock' | 'delivery' | 'log'>,
  registration: CardRegistration,
  refId: string,
): Promise<CardDataAnswer> {
  const url = partnerCardUrl(registration.partnerUrl, registration.cardId, refId);
  let res: Awaited<ReturnType<WalletCardsDeps['delivery']['call']>>;
  try {
    res = await deps.delivery.call(
      {
        partnerId: registration.partnerId,
        method: 'GET',
        url,
        headers: { 'x-request-id': newRequestId(), accept: 'application/json' },
      },
      { kind: GET_CARD_DATA_KIND },
    );
  } catch (err) {
    if (isPlatformError(err) && err.code === 'PARTNER_UNREACHABLE') {
      deps.log.warn({ cardId: registration.cardId, err: err.message }, 'Get Card Data: no answer');
      throw new LinkError(
        'PARTNER_UNAVAILABLE',
        `Get Card Data got no answer from the partner: ${err.message}`,
      );
    }
    throw err;
  }
  deps.log.info({ cardId: registration.cardId, status: res.status }, 'Get Card Data answered');
  if (res.status === 204) return { kind: 'gone' };
  if (res.status === 401 || res.status === 403) {
    throw new LinkError(
      'PARTNER_REFUSED',
      `Get Card Data: the partner refused the platform's AUTH token (HTTP ${res.status})`,
    );
  }
  if (res.status !== 200) {
    throw new LinkError('PARTNER_UNAVAILABLE', `Get Card Data: the partner answered HTTP ${res.status}`);
  }
  const answer = parseWire(getCardDataResponseSchema, res.json);
  if (!answer.ok && (res.json === undefined || typeof res.json !== 'object')) {
    throw new LinkError('INVALID_CARD', 'Get Card Data answered 200 without a JSON {card} or {cdata}', {
      field: 'body',
      reason: 'JSON {card} or {cdata}',
    });
  }
  const body = res.json as { card?: unknown; cdata?: unknown };
  const { card: checked, deviations } =
    typeof body.cdata === 'string'
      ? checkCardObject(registration, await verifyCardToken(deps, registration, body.cdata))
      : checkCardObject(registration, body, { subTypeOptional: true });
  const data = checked.data.filter((d) => d.refId === refId);
  if (data.length === 0) {
    throw new LinkError('INVALID_CARD', `Get Card Data answered without a data object of refId ${refId}`, {
      field: 'card.data',
      reason: `no refId ${refId}`,
    });
  }
  return { kind: 'card', card: { ...checked, data }, deviations };
}

/** Queues Send Card State for a pass (PROTOCOLS.md 3.3), in the caller's transaction. */
export async function enqueueCardState(
  deps: Pick<WalletCardsDeps, 'delivery' | 'config'>,
  q: Queryable,
  registration: CardRegistration,
  c: Pick<WalletCard, 'refId' | 'cc2'>,
  event: 'ADDED' | 'UPDATED' | 'DELETED',
): Promise<void> {
  const query = new URLSearchParams({ cc2: c.cc2, event }).toString();
  await deps.delivery.enqueue(q, {
    kind: CARD_STATE_KIND,
    partnerId: registration.partnerId,
    method: 'POST',
    url: `${partnerCardUrl(registration.partnerUrl, registration.cardId, c.refId)}?${query}`,
    headers: { 'x-request-id': newRequestId() },
    body: { callback: deps.config.publicUrl },
  });
}
