// Web Checkout checks (docs/verify.md): the partner's health endpoint, both ways.
import { listServices } from '../partners/service.ts';
import { probeServiceHealth } from '../web-checkout/health.ts';
import type { VerifyDeps } from './context.ts';
import type { CheckResult } from './report.ts';
import { awaitDefaults, verifyTransaction } from './web-checkout-transaction.ts';

export interface WcVerifyInput {
  partnerId: string;
  serviceId?: string | undefined;
  faults: boolean;
  /** `--await-transaction`: wait for the partner's next transaction and approve it with this account. */
  awaitTransaction?:
    | { account: string; waitMs?: number | undefined; windowMs?: number | undefined }
    | undefined;
}

const healthDoc =
  'PROTOCOLS.md 4 (seed 004 Appendix B): HEAD {healthUrl} answers 2xx, and on the way the partner calls HEAD /ops/v1/internal/health on the platform';

export async function verifyWebCheckout(deps: VerifyDeps, input: WcVerifyInput): Promise<CheckResult[]> {
  const services = await listServices(deps.db, { partnerId: input.partnerId });
  const service = input.serviceId ? services.find((s) => s.serviceId === input.serviceId) : services[0];
  if (!service) {
    return [
      {
        id: 'wc.service',
        title: 'the partner has a checkout service',
        status: 'fail',
        finding: input.serviceId
          ? `service ${input.serviceId} is not this partner's`
          : 'no checkout service: create one with cardport service create',
        evidence: { request: '(none)', answer: '(none)', required: 'a Web Checkout service' },
      },
    ];
  }
  const transaction = input.awaitTransaction
    ? await verifyTransaction(deps, {
        serviceId: service.serviceId,
        account: input.awaitTransaction.account,
        waitMs: input.awaitTransaction.waitMs ?? awaitDefaults.waitMs,
        windowMs: input.awaitTransaction.windowMs ?? awaitDefaults.windowMs,
      })
    : [];
  if (!service.healthUrl) {
    return [
      {
        id: 'wc.health',
        title: 'the health endpoint answers and calls back',
        status: 'fail',
        finding: 'the service has no health URL registered',
        evidence: { request: '(none)', answer: '(none)', required: healthDoc },
      },
      ...transaction,
    ];
  }
  const probe = await probeServiceHealth(deps, { serviceId: service.serviceId });
  const answer = `${probe.httpStatus === null ? probe.detail : `HTTP ${probe.httpStatus}`}; callback ${probe.callbackSeen ? 'seen' : 'not seen'}`;
  return [
    {
      id: 'wc.health.answer',
      title: 'the health endpoint answers 2xx',
      status: probe.ok ? 'pass' : 'fail',
      finding: probe.ok ? `healthy (${probe.latencyMs} ms)` : `unhealthy: ${probe.detail}`,
      evidence: { request: `HEAD ${service.healthUrl}`, answer, required: healthDoc },
    },
    {
      id: 'wc.health.callback',
      title: 'the health check calls the platform back',
      status: probe.callbackSeen ? 'pass' : 'fail',
      finding: probe.callbackSeen
        ? 'the partner called HEAD /ops/v1/internal/health during the check'
        : 'the partner did not call HEAD /ops/v1/internal/health during the check',
      evidence: { request: `HEAD ${service.healthUrl}`, answer, required: healthDoc },
    },
    ...transaction,
  ];
}
