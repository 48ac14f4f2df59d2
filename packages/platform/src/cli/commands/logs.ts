// `cardport logs` and `cardport listen`: the console's request log and event stream from a
// terminal, the way `stripe logs tail` and `stripe listen` show a Stripe account's traffic.
import type { DeliveryEvent, RequestSummary } from '../../admin/answers.ts';
import type { AdminClient } from '../admin-client.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, table } from '../command.ts';

// The admin API's own types, declared once where the answers are made (type imports only: the
// CLI loads none of the server's code).
type DeliverySummary = DeliveryEvent;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const partnerLabel = (r: { partnerId: string | null; partnerName?: string | null }) =>
  r.partnerName ?? r.partnerId ?? '-';

function requestRow(r: RequestSummary): string[] {
  const notes = [
    r.injected ? `injected ${r.injected}` : '',
    r.warnings.length ? `${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''}` : '',
    r.error ?? '',
  ].filter(Boolean);
  return [
    iso(r.at),
    r.family,
    partnerLabel(r),
    `${r.method} ${r.path}`,
    String(r.status),
    `${Math.round(r.latencyMs)} ms`,
    r.requestId,
    notes.join('; '),
  ];
}
const requestHeader = ['TIME', 'FAMILY', 'PARTNER', 'REQUEST', 'STATUS', 'LATENCY', 'REQUEST ID', 'NOTES'];

function deliveryLine(d: DeliverySummary): string {
  const result = d.lastError ?? (d.lastStatus === null ? '' : `HTTP ${d.lastStatus}`);
  return `${iso(d.updatedAt)}  --> ${d.kind}  ${d.method} ${d.url}  ${d.status} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${result ? `  ${result}` : ''}  [${d.id}]`;
}

function checkPartner(values: Record<string, unknown>): string | undefined {
  const partnerId = optionalString(values as never, 'partner');
  if (partnerId !== undefined && !/^[1-9][0-9]{31}$/.test(partnerId))
    throw new CliError('--partner must be a partner id (32 digits)', 2);
  return partnerId;
}

/** Runs until SIGINT/SIGTERM (or the platform ends the stream). */
async function follow(
  client: AdminClient,
  query: string,
  onEvent: Parameters<AdminClient['stream']>[1],
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await client.stream(`/events${query}`, onEvent, controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export const logs: Command = {
  name: 'logs',
  summary:
    'the request log: inbound partner calls (newest last); --follow streams new calls and deliveries live',
  options: {
    follow: {
      type: 'boolean',
      short: 'f',
      description: 'keep streaming new calls and deliveries (Ctrl+C stops)',
    },
    partner: { type: 'string', description: 'only this partner', valueName: 'ID' },
    limit: {
      type: 'string',
      description: 'how many past calls to show first (1-1000, default 20)',
      valueName: 'N',
    },
  },
  async run({ admin, values, stdout }) {
    const partnerId = checkPartner(values);
    const limit = optionalString(values, 'limit') ?? '20';
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)
      throw new CliError('--limit must be a number from 1 to 1000', 2);
    const query = new URLSearchParams({ limit, ...(partnerId ? { partnerId } : {}) });
    const { requests } = await admin().request<{ requests: (RequestSummary & Record<string, unknown>)[] }>(
      'GET',
      `/requests?${query}`,
    );
    const past = [...requests].reverse();
    if (!values['follow']) {
      return {
        json: { requests: past },
        text: past.length ? table(requestHeader, past.map(requestRow)) : 'no calls recorded yet',
      };
    }
    const json = values['json'] === true;
    if (json) for (const r of past) stdout(JSON.stringify({ type: 'request', ...r }));
    else {
      stdout(past.length ? table(requestHeader, past.map(requestRow)) : 'no calls recorded yet');
      stdout('Following new calls and deliveries (Ctrl+C to stop)…');
    }
    const after = past.at(-1)?.id ?? 0;
    await follow(
      admin(),
      `?${new URLSearchParams({ after: String(after), ...(partnerId ? { partnerId } : {}) })}`,
      ({ name, data }) => {
        if (json) stdout(JSON.stringify({ type: name, ...(data as object) }));
        else if (name === 'request')
          stdout(
            requestRow(data as RequestSummary)
              .join('  ')
              .trimEnd(),
          );
        else if (name === 'delivery') stdout(deliveryLine(data as DeliverySummary));
      },
    );
    return { json: {}, text: '', silent: true };
  },
};

export const listen: Command = {
  name: 'listen',
  summary:
    'stream the sandbox events (calls and deliveries) live; --forward POSTs each one as JSON to a URL of yours',
  options: {
    forward: { type: 'string', description: 'POST every event as JSON to this URL', valueName: 'URL' },
    partner: { type: 'string', description: 'only the events of this partner', valueName: 'ID' },
  },
  async run({ admin, values, stdout, stderr }) {
    const partnerId = checkPartner(values);
    const forward = optionalString(values, 'forward');
    if (forward !== undefined) {
      let url: URL;
      try {
        url = new URL(forward);
      } catch {
        throw new CliError('--forward must be an absolute http(s) URL', 2);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new CliError('--forward must be an absolute http(s) URL', 2);
    }
    const json = values['json'] === true;
    if (!json)
      stdout(
        `Ready! Streaming the sandbox's events${forward ? `, forwarding to ${forward}` : ''} (Ctrl+C to stop).`,
      );
    await follow(
      admin(),
      partnerId ? `?${new URLSearchParams({ partnerId })}` : '',
      async ({ name, id, data }) => {
        const event = { type: name, ...(id ? { id } : {}), data };
        let line =
          name === 'request'
            ? requestRow(data as RequestSummary)
                .join('  ')
                .trimEnd()
            : name === 'delivery'
              ? deliveryLine(data as DeliverySummary)
              : `${name} ${JSON.stringify(data)}`;
        if (forward) {
          try {
            const res = await fetch(forward, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'cardport-event': name },
              body: JSON.stringify(event),
              signal: AbortSignal.timeout(10_000),
            });
            line += `  => ${forward} [${res.status}]`;
          } catch (err) {
            line += `  => ${forward} [failed: ${(err as Error).message}]`;
            if (json) stderr(`forward failed: ${(err as Error).message}`);
          }
        }
        stdout(json ? JSON.stringify(event) : line);
      },
    );
    return { json: {}, text: '', silent: true };
  },
};

export const logsCommands: Command[] = [logs, listen];
