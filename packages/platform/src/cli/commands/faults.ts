import type { ClearedFaultsAnswer, FaultsAnswer, FaultsListAnswer, FaultsView } from '../../admin/answers.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, requireString } from '../command.ts';

// `cardport faults ...`: make the platform misbehave toward one partner (docs/verify.md), through
// the admin API (/admin/v1/faults).

const partnerOption = {
  partner: { type: 'string', description: 'the partner ID', valueName: 'PARTNER_ID' },
} as const;

/** `500ms`, `5s`, `2m`, `1h` or a number of milliseconds. */
export function parseDurationMs(text: string, flag: string): number {
  const m = /^(\d{1,9})(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`--${flag} must be a duration such as 500ms, 5s, 2m or 1h`, 2);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return n * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1);
}

function integer(text: string, flag: string, max: number): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) > max)
    throw new CliError(`--${flag} must be a whole number from 0 to ${max}`, 2);
  return Number(text);
}

export function describe(f: FaultsView): string {
  return [
    `faults of partner ${f.partnerId}: ${f.summary}`,
    `  duplicates      ${f.duplicates} extra cop${f.duplicates === 1 ? 'y' : 'ies'} of each notification`,
    `  delay           ${f.delayMs} ms before the first attempt`,
    `  reorder window  ${f.reorderWindowMs ? `${f.reorderWindowMs} ms (last in, first out)` : 'off'}`,
    `  fail first      ${f.failFirst} attempt${f.failFirst === 1 ? '' : 's'} of every call aborted`,
    `  inbound         ${f.inboundError ? `${f.inboundError} on ${Math.round(f.inboundRate * 100)}% of the partner's calls, Retry-After ${f.retryAfterSeconds} s (${f.inboundInjected} so far)` : 'off'}`,
  ].join('\n');
}

const path = (partnerId: string) => `/faults/${encodeURIComponent(partnerId)}`;

export const faultsSet: Command = {
  name: 'faults set',
  summary:
    'make the platform misbehave toward a partner: duplicate, delay or reorder notifications, abort the first N attempts, answer its calls with 503.1/503.2/500',
  options: {
    ...partnerOption,
    duplicates: { type: 'string', description: 'extra copies of each durable job (0-5)', valueName: 'N' },
    delay: { type: 'string', description: 'delay before the first attempt (e.g. 5s)', valueName: 'DURATION' },
    reorder: {
      type: 'string',
      description: 'deliver in reverse order within windows of this length (0 = off)',
      valueName: 'DURATION',
    },
    'fail-first': {
      type: 'string',
      description: 'abort the first N attempts of every call, so retries run (0-20)',
      valueName: 'N',
    },
    inbound: {
      type: 'string',
      description: "answer the partner's calls with 503.1, 503.2 or 500 (none = off)",
      valueName: 'ERROR',
    },
    rate: {
      type: 'string',
      description: 'share of inbound calls answered so, 0-1 (default 1)',
      valueName: 'RATE',
    },
    'retry-after': {
      type: 'string',
      description: 'Retry-After of the 503 answers, seconds',
      valueName: 'SECONDS',
    },
  },
  async run({ admin, values }) {
    const partnerId = requireString(values, 'partner');
    const body: Record<string, unknown> = {};
    const v = (name: string) => optionalString(values, name);
    if (v('duplicates') !== undefined) body['duplicates'] = integer(v('duplicates')!, 'duplicates', 5);
    if (v('delay') !== undefined) body['delayMs'] = parseDurationMs(v('delay')!, 'delay');
    if (v('reorder') !== undefined) body['reorderWindowMs'] = parseDurationMs(v('reorder')!, 'reorder');
    if (v('fail-first') !== undefined) body['failFirst'] = integer(v('fail-first')!, 'fail-first', 20);
    const inbound = v('inbound');
    if (inbound !== undefined) {
      if (!['503.1', '503.2', '500', 'none'].includes(inbound))
        throw new CliError('--inbound must be 503.1, 503.2, 500 or none', 2);
      body['inboundError'] = inbound === 'none' ? null : inbound;
    }
    const rate = v('rate');
    if (rate !== undefined) {
      const r = Number(rate);
      if (!/^\d*\.?\d+$/.test(rate) || r > 1) throw new CliError('--rate must be a number from 0 to 1', 2);
      body['inboundRate'] = r;
    }
    if (v('retry-after') !== undefined)
      body['retryAfterSeconds'] = integer(v('retry-after')!, 'retry-after', 86_400);
    if (Object.keys(body).length === 0)
      throw new CliError(
        'nothing to set: give --duplicates, --delay, --reorder, --fail-first, --inbound, --rate or --retry-after',
        2,
      );
    const { faults } = await admin().request<FaultsAnswer>('PUT', path(partnerId), body);
    return { json: { faults }, text: describe(faults) };
  },
};

export const faultsShow: Command = {
  name: 'faults show',
  summary: 'show the faults set for a partner (or for every partner without --partner)',
  options: partnerOption,
  async run({ admin, values }) {
    const partnerId = optionalString(values, 'partner');
    if (partnerId) {
      const { faults } = await admin().request<FaultsAnswer>('GET', path(partnerId));
      return { json: { faults }, text: describe(faults) };
    }
    const { faults } = await admin().request<FaultsListAnswer>('GET', '/faults');
    return {
      json: { faults },
      text: faults.length ? faults.map((f) => `${f.partnerId}  ${f.summary}`).join('\n') : 'no faults set',
    };
  },
};

export const faultsClear: Command = {
  name: 'faults clear',
  summary: 'stop injecting faults for a partner',
  options: partnerOption,
  async run({ admin, values }) {
    const partnerId = requireString(values, 'partner');
    const res = await admin().request<ClearedFaultsAnswer>('DELETE', path(partnerId));
    return {
      json: res,
      text: res.cleared
        ? `faults of partner ${partnerId} cleared`
        : `no faults were set for partner ${partnerId}`,
    };
  },
};

export const faultsCommands: Command[] = [faultsSet, faultsShow, faultsClear];
