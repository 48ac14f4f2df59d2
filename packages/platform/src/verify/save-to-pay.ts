// Save to Pay checks (docs/verify.md): the partner's notification endpoint, driven as the platform
// drives it (WA_READY synchronously, WA_PROVISIONED / WA_PROVISION_FAILURE), and probed with
// identities the platform would never present.
import { ENCRYPTED_DATA_MAX_LENGTH, S2P_HEADERS, waReadyResponseSchema } from '@cardport/protocol';
import { newHexId, newUuidId } from '../core/ids.ts';
import { findPartner, resolveOutboundIdentity } from '../partners/service.ts';
import { answerOf, is2xx, SYNC_BUDGET_MS, send, type VerifyDeps } from './context.ts';
import { describeProbe, probeHttps, strangerIdentity } from './probe.ts';
import type { CheckResult } from './report.ts';

export interface S2pVerifyInput {
  partnerId: string;
  /** A registration the partner created (it answers WA_READY only for its own); a fresh id otherwise. */
  regId?: string | undefined;
  faults: boolean;
}

const notifyDoc = 'PROTOCOLS.md 1.7: POST {notifyUrl}/notifications over mutual TLS, answered 200';

export async function verifySaveToPay(deps: VerifyDeps, input: S2pVerifyInput): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const partner = await findPartner(deps.db, input.partnerId);
  const notifyUrl = partner?.notifyUrl ? `${partner.notifyUrl.replace(/\/+$/, '')}/notifications` : undefined;
  if (!notifyUrl) {
    results.push({
      id: 's2p.notify-url',
      title: 'the partner has a notification URL',
      status: 'fail',
      finding: 'no notification URL is registered: the platform cannot reach the partner',
      evidence: {
        request: '(none)',
        answer: '(none)',
        required: 'a notify URL registered with the partner (cardport partner update --notify-url)',
      },
    });
    return results;
  }
  const regId = input.regId ?? `verify-${newHexId(16)}`;
  const suffix = newHexId(8);
  const device = { id: `verify-device-${suffix}`, locale: { country: 'US' } };
  const body = (type: string, extra: Record<string, unknown> = {}) => ({
    event: { regId, type, ...extra },
    user: { id: `verify-user-${suffix}` },
    device,
    wallet: { id: `verify-wallet-${suffix}` },
  });
  const headers = () => ({ [S2P_HEADERS.requestId]: newUuidId(), [S2P_HEADERS.partnerId]: input.partnerId });
  const call = (type: string, kind: string, extra?: Record<string, unknown>, h = headers()) =>
    send(
      deps,
      { partnerId: input.partnerId, method: 'POST', url: notifyUrl, headers: h, body: body(type, extra) },
      kind,
    );

  // WA_READY: a well-formed answer carrying the issuerBlob, within the time budget.
  const ready = await call('WA_READY', 'verify.s2p.wa_ready');
  const parsed = ready.response ? waReadyResponseSchema.safeParse(ready.response.json) : undefined;
  const blob = parsed?.success ? parsed.data.card.data.encryptedData : undefined;
  const blobRequired = `${notifyDoc}; the answer to WA_READY is {"card":{"data":{"encryptedData":"<issuerBlob>"}}}, a string of 1 to ${ENCRYPTED_DATA_MAX_LENGTH} characters (a compact JWE)`;
  results.push(
    !is2xx(ready)
      ? {
          id: 's2p.wa-ready.blob',
          title: 'WA_READY is answered with an issuerBlob',
          status: 'fail',
          finding: ready.response
            ? `the partner answered WA_READY with HTTP ${ready.response.status}`
            : `the partner did not answer WA_READY: ${ready.error}`,
          evidence: {
            request: ready.request,
            answer: answerOf(ready),
            required: blobRequired,
            ...dlv(ready),
          },
        }
      : blob === undefined
        ? {
            id: 's2p.wa-ready.blob',
            title: 'WA_READY is answered with an issuerBlob',
            status: 'fail',
            finding:
              'the partner answered WA_READY without card.data.encryptedData (or with one over the size limit)',
            evidence: {
              request: ready.request,
              answer: answerOf(ready),
              required: blobRequired,
              ...dlv(ready),
            },
          }
        : {
            id: 's2p.wa-ready.blob',
            title: 'WA_READY is answered with an issuerBlob',
            status: blob.split('.').length === 5 ? 'pass' : 'warn',
            finding:
              blob.split('.').length === 5
                ? `issuerBlob present (${blob.length} characters, compact JWE)`
                : `issuerBlob present (${blob.length} characters) but not a compact JWE: the token service will refuse it`,
            evidence: {
              request: ready.request,
              answer: `HTTP ${ready.response!.status}, card.data.encryptedData of ${blob.length} characters (not shown)`,
              required: blobRequired,
              ...dlv(ready),
            },
          },
  );
  const latency = ready.response?.latencyMs;
  results.push({
    id: 's2p.wa-ready.time',
    title: 'WA_READY is answered within the time budget',
    status: latency !== undefined && latency <= SYNC_BUDGET_MS ? 'pass' : 'fail',
    finding:
      latency === undefined
        ? `no answer within ${SYNC_BUDGET_MS} ms`
        : `answered in ${latency} ms (budget ${SYNC_BUDGET_MS} ms)`,
    evidence: {
      request: ready.request,
      answer: answerOf(ready),
      required: `the platform waits ${SYNC_BUDGET_MS} ms for WA_READY while the user looks at the phone`,
      ...dlv(ready),
    },
  });

  // The outcome notifications are acknowledged.
  for (const [type, id, extra] of [
    ['WA_PROVISIONED', 's2p.ack.provisioned', undefined],
    ['WA_PROVISION_FAILURE', 's2p.ack.provision-failure', { desc: 'cardport verify: a test failure' }],
  ] as const) {
    const sent = await call(type, `verify.s2p.${type.toLowerCase()}`, extra);
    results.push({
      id,
      title: `${type} is acknowledged`,
      status: is2xx(sent) ? 'pass' : 'fail',
      finding: is2xx(sent)
        ? `acknowledged with HTTP ${sent.response!.status}`
        : `not acknowledged: ${answerOf(sent)}`,
      evidence: {
        request: sent.request,
        answer: answerOf(sent),
        required: `${notifyDoc}; anything else makes the platform retry the notification`,
        ...dlv(sent),
      },
    });
  }

  // Mutual TLS: the partner must refuse clients the platform would never be.
  const identity = await resolveOutboundIdentity(deps.db, deps.keys, input.partnerId);
  const tlsRequired =
    'PROTOCOLS.md 1.7: the notification endpoint is mutual TLS; only the platform, presenting the client certificate the partner registered, may get through';
  if (!notifyUrl.startsWith('https:')) {
    for (const id of ['s2p.mtls.no-certificate', 's2p.mtls.other-ca']) {
      results.push({
        id,
        title: id.endsWith('no-certificate')
          ? 'a client without a certificate is refused'
          : 'a client certificate from another CA is refused',
        status: 'fail',
        finding: 'the notification URL is plain HTTP: anyone can call it',
        evidence: { request: `POST ${notifyUrl}`, answer: '(no TLS)', required: tlsRequired },
      });
    }
  } else {
    const ca = identity?.ca ?? [];
    const bare = await probeHttps(notifyUrl, { ca, body: JSON.stringify(body('WA_PROVISIONED')) });
    results.push(
      refusal(
        's2p.mtls.no-certificate',
        'a client without a certificate is refused',
        notifyUrl,
        bare,
        tlsRequired,
      ),
    );
    const stranger = await strangerIdentity();
    const foreign = await probeHttps(notifyUrl, {
      ca,
      ...stranger,
      body: JSON.stringify(body('WA_PROVISIONED')),
    });
    results.push(
      refusal(
        's2p.mtls.other-ca',
        'a client certificate from another CA is refused',
        notifyUrl,
        foreign,
        tlsRequired,
      ),
    );
  }

  if (input.faults) {
    // A duplicate delivery: the same notification (same Request-Id) twice, as a retry would send it.
    const h = headers();
    const first = await call('WA_PROVISIONED', 'verify.s2p.duplicate', undefined, h);
    const second = await call('WA_PROVISIONED', 'verify.s2p.duplicate', undefined, h);
    const ok = is2xx(first) && is2xx(second);
    results.push({
      id: 's2p.faults.duplicate-provisioned',
      title: 'a duplicate WA_PROVISIONED is acknowledged and not provisioned twice',
      status: ok ? 'pass' : 'fail',
      finding: ok
        ? 'both copies acknowledged'
        : `the duplicate was not acknowledged (${answerOf(second)}): a retried notification would be retried until it dies`,
      evidence: {
        request: `${second.request} (twice, same Request-Id ${h[S2P_HEADERS.requestId]})`,
        answer: `first: ${answerOf(first)}; second: ${answerOf(second)}`,
        required:
          'docs/reliability.md: delivery is at least once; the partner must treat a repeated notification as already handled and answer 200',
        ...dlv(second),
      },
    });
  }
  return results;
}

function refusal(
  id: string,
  title: string,
  url: string,
  outcome: Awaited<ReturnType<typeof probeHttps>>,
  required: string,
): CheckResult {
  const refused = outcome.error !== undefined || outcome.status === 401 || outcome.status === 403;
  return {
    id,
    title,
    status: refused ? 'pass' : 'fail',
    finding: refused
      ? `refused (${describeProbe(outcome)})`
      : `the partner accepted the connection and answered HTTP ${outcome.status}: it does not check client certificates`,
    evidence: { request: `POST ${url}`, answer: describeProbe(outcome), required },
  };
}

const dlv = (s: { deliveryId?: string }) => (s.deliveryId ? { deliveryId: s.deliveryId } : {});
