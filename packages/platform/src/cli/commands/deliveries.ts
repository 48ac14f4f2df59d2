import type {
  DeliveriesAnswer,
  DeliveryDetailsAnswer,
  DeliveryView,
  ReplayedAnswer,
} from '../../admin/answers.ts';
import { deliveryStatuses } from '../../core/delivery-statuses.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, table } from '../command.ts';

// `cardport deliveries ...`: outbound calls to partners, through the admin API (/admin/v1/deliveries).

const statuses: readonly string[] = deliveryStatuses;

const iso = (ms: number | null | undefined) =>
  typeof ms === 'number' ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';

/** `HTTP 503; retry schedule exhausted`, `connection refused (ECONNREFUSED)`, ... (errors name the status already). */
function lastResult(d: DeliveryView): string {
  if (d.lastError) return d.lastError;
  return d.lastStatus === null ? '-' : `HTTP ${d.lastStatus}`;
}

function requireId(positionals: string[], command: string): string {
  const id = positionals[0];
  if (!id || positionals.length > 1) {
    throw new CliError(
      `give exactly one delivery ID, e.g. cardport ${command} dlv_0123456789abcdef01234567`,
      2,
    );
  }
  return id;
}

const idPath = (id: string) => `/deliveries/${encodeURIComponent(id)}`;

export const deliveriesList: Command = {
  name: 'deliveries list',
  summary: 'list outbound calls to partners (durable jobs and sync calls), newest first',
  options: {
    status: {
      type: 'string',
      description: `only this status: ${statuses.join(', ')}`,
      valueName: 'STATUS',
    },
    kind: { type: 'string', description: 'only this kind, e.g. s2p.notification', valueName: 'KIND' },
    partner: { type: 'string', description: 'only calls to this partner', valueName: 'PARTNER_ID' },
    limit: { type: 'string', description: 'at most this many (1-500, default 50)', valueName: 'N' },
  },
  async run({ admin, values }) {
    const status = optionalString(values, 'status');
    if (status && !statuses.includes(status)) {
      throw new CliError(`--status must be one of ${statuses.join(', ')}`, 2);
    }
    const limit = optionalString(values, 'limit');
    if (limit && !/^\d{1,3}$/.test(limit)) throw new CliError('--limit must be a number from 1 to 500', 2);
    const query = new URLSearchParams();
    if (status) query.set('status', status);
    const kind = optionalString(values, 'kind');
    if (kind) query.set('kind', kind);
    const partner = optionalString(values, 'partner');
    if (partner) query.set('partnerId', partner);
    if (limit) query.set('limit', limit);
    const qs = query.size ? `?${query}` : '';
    const { deliveries } = await admin().request<DeliveriesAnswer>('GET', `/deliveries${qs}`);
    const text = deliveries.length
      ? table(
          ['ID', 'CREATED', 'KIND', 'PARTNER', 'STATUS', 'ATTEMPTS', 'LAST RESULT', 'REQUEST'],
          deliveries.map((d) => [
            d.id,
            iso(d.createdAt),
            d.mode === 'sync' ? `${d.kind} (sync)` : d.kind,
            d.partnerId ?? '-',
            d.status,
            String(d.attempts),
            lastResult(d),
            `${d.method} ${d.url}`,
          ]),
        )
      : 'no deliveries match';
    return { json: { deliveries }, text };
  },
};

export const deliveriesShow: Command = {
  name: 'deliveries show',
  summary: 'show one delivery with every attempt (time, HTTP status, latency, error, response)',
  positionals: 'ID',
  options: {},
  async run({ admin, positionals }) {
    const id = requireId(positionals, 'deliveries show');
    const { delivery: d, attempts } = await admin().request<DeliveryDetailsAnswer>('GET', idPath(id));
    const lines = [
      `delivery ${d.id}`,
      `  kind        ${d.kind} (${d.mode})`,
      `  partner     ${d.partnerId ?? '-'}`,
      `  request     ${d.method} ${d.url}`,
      `  status      ${d.status}${d.status === 'pending' ? `, next attempt ${iso(d.nextAttemptAt)}` : ''}`,
      `  attempts    ${d.attempts}`,
      `  last result ${lastResult(d)}`,
      `  created     ${iso(d.createdAt)}`,
      `  delivered   ${iso(d.deliveredAt)}`,
      `  headers     ${JSON.stringify(d.headers)}`,
      `  body        ${d.body === null ? '-' : JSON.stringify(d.body)}`,
    ];
    if (d.injected) lines.push(`  injected    ${d.injected}`);
    if (attempts.length) {
      lines.push(
        '',
        table(
          ['#', 'STARTED', 'WORKER', 'LATENCY', 'HTTP', 'OUTCOME', 'ERROR'],
          attempts.map((a) => [
            String(a.attempt),
            iso(a.startedAt),
            a.worker,
            a.latencyMs === null ? '-' : `${a.latencyMs} ms`,
            a.httpStatus === null ? '-' : String(a.httpStatus),
            a.outcome === 'retry' ? `retry at ${iso(a.retryAt)}` : a.outcome,
            a.error ?? '-',
          ]),
        ),
      );
      const last = attempts.at(-1);
      if (last?.response) lines.push('', `last response: ${last.response}`);
    } else {
      lines.push('', 'no attempt yet');
    }
    return { json: { delivery: d, attempts }, text: lines.join('\n') };
  },
};

export const deliveriesReplay: Command = {
  name: 'deliveries replay',
  summary: 'send a dead (or delivered) durable job again now, with the whole retry schedule ahead of it',
  positionals: 'ID',
  options: {},
  async run({ admin, positionals }) {
    const id = requireId(positionals, 'deliveries replay');
    const { delivery } = await admin().request<ReplayedAnswer>('POST', `${idPath(id)}/replay`);
    return {
      json: { delivery },
      text: `replaying ${delivery.id} (${delivery.kind}): ${delivery.status}, due ${iso(delivery.nextAttemptAt)}`,
    };
  },
};

export const deliveriesCommands: Command[] = [deliveriesList, deliveriesShow, deliveriesReplay];
