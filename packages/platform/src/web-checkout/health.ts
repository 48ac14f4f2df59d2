// The bidirectional health check (seed 004 Appendix B): the platform probes a service's
// registered health URL (HEAD), and the partner's handler calls our HEAD /ops/v1/internal/health
// on the way. The callbacks are counted in the database (migration 0018), so a probe sees a
// callback that reached another process sharing the database.
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { newUuidId } from '../core/ids.ts';
import { findService, listServices } from '../partners/service.ts';
import { partnerIsActive } from '../partners/standing.ts';
import type { WebCheckoutDeps } from './deps.ts';
import * as store from './store.ts';

/** HEAD /ops/v1/internal/health: counts the partner's half of the bidirectional check. */
export function recordHealthCallback(deps: Pick<WebCheckoutDeps, 'db' | 'clock'>): Promise<void> {
  return store.recordHealthCallback(deps.db, deps.clock.now());
}

export interface HealthProbe extends store.HealthProbeRow {}

/**
 * Probes a service's registered health URL (HEAD). Healthy is a 2xx answer; a health callback
 * received while the probe ran is `callbackSeen`.
 */
export async function probeServiceHealth(
  deps: WebCheckoutDeps,
  input: { serviceId: string; trigger?: 'manual' | 'scheduled' },
): Promise<HealthProbe> {
  const { serviceId, trigger = 'manual' } = input;
  const service = await findService(deps.db, serviceId);
  if (!service) throw notFound('service');
  if (!service.healthUrl) {
    throw invalidInput('the service has no health URL: register one with the service', [
      { field: 'healthUrl', reason: 'not registered' },
    ]);
  }
  const before = await store.countHealthCallbacks(deps.db);
  const callbackSeen = async () => (await store.countHealthCallbacks(deps.db)) > before;
  let probe: HealthProbe;
  const base = {
    probeId: newUuidId(),
    serviceId,
    url: service.healthUrl,
    trigger,
    probedAt: deps.clock.now(),
  };
  try {
    const res = await deps.delivery.call(
      { partnerId: service.partnerId, method: 'HEAD', url: service.healthUrl },
      { kind: 'web-checkout.health', retries: 0 },
    );
    const ok = res.status >= 200 && res.status < 300;
    probe = {
      ...base,
      ok,
      httpStatus: res.status,
      detail: ok ? 'healthy' : `answered ${res.status}`,
      latencyMs: Math.round(res.latencyMs),
      callbackSeen: await callbackSeen(),
    };
  } catch (err) {
    probe = {
      ...base,
      ok: false,
      httpStatus: null,
      detail: err instanceof PlatformError ? err.message : 'unreachable',
      latencyMs: null,
      callbackSeen: await callbackSeen(),
    };
  }
  await store.insertHealthProbe(deps.db, probe);
  return probe;
}

/** Services of active partners with a registered health URL (the periodic probe's targets). */
export async function listHealthProbeTargets(q: Queryable): Promise<string[]> {
  const targets: string[] = [];
  for (const s of await listServices(q)) {
    if (s.healthUrl && (await partnerIsActive(q, s.partnerId))) targets.push(s.serviceId);
  }
  return targets;
}

export async function listHealthProbes(deps: WebCheckoutDeps, serviceId: string): Promise<HealthProbe[]> {
  if (!(await findService(deps.db, serviceId))) throw notFound('service');
  return store.listHealthProbes(deps.db, serviceId);
}
