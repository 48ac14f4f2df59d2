// Add to Wallet checks (docs/verify.md): the partner's card endpoints called as the platform calls
// them (Send Card State, Get Card Data with a platform AUTH token), the same calls with tokens the
// partner must refuse, and a sample link's cdata through the platform's own link checks.
import { generateKeyPairSync } from 'node:crypto';
import { createAuthToken } from '@cardport/jose';
import { isPlatformError } from '../core/errors.ts';
import { newHexId } from '../core/ids.ts';
import { getPlatformAuthKey, listCards } from '../partners/service.ts';
import { checkLink } from '../wallet-cards/check-link.ts';
import { getCardData, newRequestId, partnerCardUrl } from '../wallet-cards/partner-calls.ts';
import { answerOf, send, type VerifyDeps } from './context.ts';
import type { CheckResult } from './report.ts';

export interface AtwVerifyInput {
  partnerId: string;
  /** The card to use; the partner's first registered card by default. */
  cardId?: string | undefined;
  /** A refId the partner knows (Get Card Data answers for it); a fresh one otherwise. */
  refId?: string | undefined;
  /** A sample "Add to Samsung Wallet" link made by the partner: its cdata is checked. */
  link?: string | undefined;
  faults: boolean;
}

const authDoc =
  'PROTOCOLS.md 3.1/3.3: every platform call carries Authorization: Bearer <AUTH token> (RS256, cty AUTH, the platform certificateId, utc within 30 s, API.method and API.path of this request); the partner verifies it and answers 401 otherwise';

export async function verifyAddToWallet(deps: VerifyDeps, input: AtwVerifyInput): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const cards = await listCards(deps.db, { partnerId: input.partnerId });
  const card = input.cardId ? cards.find((c) => c.cardId === input.cardId) : cards[0];
  if (!card) {
    results.push({
      id: 'atw.card',
      title: 'the partner has a registered card',
      status: 'fail',
      finding: input.cardId
        ? `card ${input.cardId} is not registered to this partner`
        : 'no card is registered: register one with cardport card create',
      evidence: { request: '(none)', answer: '(none)', required: 'a card registered with a partner URL' },
    });
    return results;
  }
  const refId = input.refId ?? `verify-${newHexId(12)}`;
  const auth = await getPlatformAuthKey(deps.db, deps.keys);
  const stateUrl = `${partnerCardUrl(card.partnerUrl, card.cardId, refId)}?cc2=US&event=ADDED`;
  const path = new URL(stateUrl).pathname;
  const now = () => deps.clock.now();
  const token = (o: {
    method?: string;
    path?: string;
    key?: typeof auth.privateKey;
    cert?: string;
    at?: number;
  }) =>
    createAuthToken({
      method: o.method ?? 'POST',
      path: o.path ?? path,
      partnerId: input.partnerId,
      certificateId: o.cert ?? auth.certificateId,
      privateKey: o.key ?? auth.privateKey,
      refId,
      now: () => o.at ?? now(),
    });
  const cardState = (authorization: string, kind: string) =>
    send(
      deps,
      {
        partnerId: input.partnerId,
        method: 'POST',
        url: stateUrl,
        headers: { 'x-request-id': newRequestId(), authorization: `Bearer ${authorization}` },
        body: { callback: deps.config.publicUrl },
      },
      kind,
    );

  const valid = await cardState(token({}), 'verify.atw.card_state');
  const validOk = valid.response?.status === 200;
  results.push({
    id: 'atw.card-state.valid-token',
    title: 'Send Card State with a valid AUTH token gets 200',
    status: validOk ? 'pass' : 'fail',
    finding: validOk ? 'accepted with HTTP 200' : `not accepted: ${answerOf(valid)}`,
    evidence: {
      request: `${valid.request} with a valid AUTH token`,
      answer: answerOf(valid),
      required: `${authDoc}; Send Card State is answered 200`,
      ...dlv(valid),
    },
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const otherCertKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const bad: [string, string, string][] = [
    ['forged', 'signed with a key that is not the platform’s', token({ key: otherKey })],
    ['stale', 'issued 5 minutes ago', token({ at: now() - 5 * 60_000 })],
    ['wrong-path', 'bound to another path', token({ path: `${path}-other` })],
    ['wrong-method', 'bound to GET, sent with POST', token({ method: 'GET' })],
    [
      // Another certificate's token, its own certificateId and key. (PROTOCOLS.md 3.1 has partners
      // verify with the platform certificate; it does not make them pin the certificateId.)
      'wrong-certificate',
      'of another certificate (its certificateId and key)',
      token({ cert: `vf${newHexId(1)}`, key: otherCertKey }),
    ],
  ];
  for (const [name, what, t] of bad) {
    const sent = await cardState(t, `verify.atw.${name.replace('-', '_')}`);
    const refused = sent.response?.status === 401;
    results.push({
      id: `atw.card-state.${name}-token`,
      title: `Send Card State with a ${name} AUTH token gets 401`,
      status: refused ? 'pass' : 'fail',
      finding: refused
        ? 'refused with HTTP 401'
        : sent.response && sent.response.status < 300
          ? `accepted a token ${what} (HTTP ${sent.response.status}): the partner does not verify AUTH tokens`
          : `answered ${answerOf(sent)} instead of 401`,
      evidence: {
        request: `${sent.request} with a token ${what}`,
        answer: answerOf(sent),
        required: authDoc,
        ...dlv(sent),
      },
    });
  }

  // Get Card Data: the answer goes through the platform's own schema checks of the card type.
  const cardDataRequired =
    'PROTOCOLS.md 3.3: GET {partnerUrl}/cards/{cardId}/{refId} answers 200 {card} or {cdata} valid for the card type, or 204 when the card no longer exists (the wallet removes it)';
  try {
    const answer = await getCardData(deps, card, refId);
    results.push({
      id: 'atw.card-data',
      title: 'Get Card Data answers a card valid for its type (or 204)',
      status: 'pass',
      finding:
        answer.kind === 'gone'
          ? `HTTP 204 for refId ${refId}: the card no longer exists, the wallet would remove it`
          : `a valid ${card.type} card for refId ${refId}`,
      evidence: {
        request: `GET ${partnerCardUrl(card.partnerUrl, card.cardId, refId)}`,
        answer: answer.kind === 'gone' ? 'HTTP 204' : 'HTTP 200, card valid for its schema',
        required: cardDataRequired,
      },
    });
  } catch (err) {
    results.push({
      id: 'atw.card-data',
      title: 'Get Card Data answers a card valid for its type (or 204)',
      status: 'fail',
      finding: isPlatformError(err) ? err.message : 'the answer could not be checked',
      evidence: {
        request: `GET ${partnerCardUrl(card.partnerUrl, card.cardId, refId)}`,
        answer: isPlatformError(err)
          ? `${err.message}${err.details ? ` (${err.details.map((d) => `${d.field}: ${d.reason}`).join('; ')})` : ''}`
          : 'error',
        required: cardDataRequired,
      },
    });
  }

  if (input.link) {
    const linkRequired =
      'PROTOCOLS.md 2.1/2.2: the link carries cdata, a JWS (partner key) over a JWE (platform key) of a card valid for its type';
    try {
      const offer = await checkLink(deps, input.link);
      results.push({
        id: 'atw.link.cdata',
        title: "the sample link's cdata is valid",
        status: offer.warnings.length ? 'warn' : 'pass',
        finding: offer.warnings.length
          ? `accepted with ${offer.warnings.length} deviation(s): ${offer.warnings.map((w) => `${w.field}: ${w.reason}`).join('; ')}`
          : 'accepted without deviation',
        evidence: {
          request: 'the sample link (cdata not shown)',
          answer: 'an offer the wallet can add',
          required: linkRequired,
        },
      });
    } catch (err) {
      results.push({
        id: 'atw.link.cdata',
        title: "the sample link's cdata is valid",
        status: 'fail',
        finding: isPlatformError(err) ? err.message : 'the link could not be checked',
        evidence: {
          request: 'the sample link (cdata not shown)',
          answer:
            isPlatformError(err) && err.details
              ? err.details.map((d) => `${d.field}: ${d.reason}`).join('; ')
              : 'refused',
          required: linkRequired,
        },
      });
    }
  }

  if (input.faults) {
    const again = await cardState(token({}), 'verify.atw.duplicate');
    const ok = validOk && again.response?.status === 200;
    results.push({
      id: 'atw.faults.duplicate-card-state',
      title: 'a duplicate Send Card State is acknowledged',
      status: ok ? 'pass' : 'fail',
      finding: ok ? 'both copies answered 200' : `the duplicate got ${answerOf(again)}`,
      evidence: {
        request: `${again.request} (the same event again)`,
        answer: `first: ${answerOf(valid)}; second: ${answerOf(again)}`,
        required: 'docs/reliability.md: delivery is at least once; a repeated event must be answered 200',
        ...dlv(again),
      },
    });
  }
  return results;
}

const dlv = (s: { deliveryId?: string }) => (s.deliveryId ? { deliveryId: s.deliveryId } : {});
