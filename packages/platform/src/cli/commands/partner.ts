// `cardport partner ...`: onboarding through the admin API (/admin/v1/partners). Keys that belong
// to the partner (its client key, a generated partner CA) are made here, locally, and never travel
// to the platform; only CSRs and certificates do.
// This file: list, show, revoke, update; create and sign-outbound are in partner-create.ts.

import type {
  PartnerDetails,
  PartnerSummary,
  PartnersAnswer,
  RevokedCertificate,
} from '../../admin/answers.ts';
import { parseDuration } from '../../core/clock.ts';
import { CliError } from '../cli-error.ts';
import { type Command, type CommandInput, optionalString, stringList, table } from '../command.ts';
import { partnerCreate, partnerSignOutbound } from './partner-create.ts';

function positionalId(positionals: string[], what: string, usage: string): string {
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new CliError(`give exactly one ${what}: ${usage}`, 2);
  return id;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

export const partnerList: Command = {
  name: 'partner list',
  summary: 'list partners',
  options: {},
  async run({ admin }) {
    const { partners } = await admin().request<PartnersAnswer>('GET', '/partners');
    const text = partners.length
      ? table(
          ['PARTNER ID', 'STATUS', 'CREATED', 'NAME'],
          partners.map((p) => [p.partnerId, p.status, iso(p.createdAt), p.name]),
        )
      : 'no partners yet: cardport partner create --name NAME';
    return { json: { partners }, text };
  },
};

function describePartner(p: PartnerDetails): string {
  return [
    `partner ${p.partnerId}: ${p.name}`,
    `  status        ${p.status}${p.revokedAt === null ? '' : ` since ${iso(p.revokedAt)}`}`,
    `  notify URL    ${p.notifyUrl ?? '-'}`,
    `  allowed IPs   ${p.allowIps.length ? p.allowIps.join(', ') : 'any'}`,
    `  strict mode   ${p.strict ? 'on: deviations are refused' : 'off: deviations are accepted with a Cardport-Warning'}`,
    `  welcome URL   lifetime ${Math.round(p.options.welcomeUrlLifetimeMs / 1000)} s`,
    `  outbound mTLS ${p.outbound.configured ? 'configured' : 'pending: cardport partner sign-outbound'}`,
    `  server trust  ${p.serverTrust.source ?? 'system roots'}`,
    '  certificates:',
    ...p.certificates.map(
      (c) =>
        `    ${c.certificateId}  ${c.status.padEnd(7)}  until ${iso(c.notAfter)}  sha256 ${c.fingerprint256}`,
    ),
  ].join('\n');
}

export const partnerShow: Command = {
  name: 'partner show',
  summary: 'show a partner: status, certificates, allow-list, outbound mTLS',
  positionals: 'ID',
  options: {},
  async run({ admin, positionals }) {
    const id = positionalId(positionals, 'partner id', 'cardport partner show ID');
    const p = await admin().request<PartnerDetails>('GET', `/partners/${encodeURIComponent(id)}`);
    return { json: { ...p }, text: describePartner(p) };
  },
};

export const partnerRevoke: Command = {
  name: 'partner revoke',
  summary: 'revoke a partner, or one of its certificates with --certificate',
  positionals: 'ID',
  options: {
    certificate: { type: 'string', description: 'revoke only this certificateId', valueName: 'CID' },
  },
  async run({ admin, positionals, values }) {
    const id = encodeURIComponent(positionalId(positionals, 'partner id', 'cardport partner revoke ID'));
    const certificateId = optionalString(values, 'certificate');
    if (certificateId) {
      const c = await admin().request<RevokedCertificate>(
        'POST',
        `/partners/${id}/certificates/${encodeURIComponent(certificateId)}/revoke`,
      );
      return {
        json: { ...c },
        text: `certificate ${c.certificateId} of partner ${positionals[0]} is ${c.status}`,
      };
    }
    const p = await admin().request<PartnerSummary>('POST', `/partners/${id}/revoke`);
    return { json: { ...p }, text: `partner ${p.partnerId} is ${p.status}` };
  },
};

function parseBooleanFlag(values: CommandInput['values'], flag: string): boolean | undefined {
  const v = optionalString(values, flag);
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new CliError(`--${flag} must be true or false`, 2);
}

export const partnerUpdate: Command = {
  name: 'partner update',
  summary: "change a partner's name, notify URL, allow-list, options or strict mode",
  positionals: 'ID',
  options: {
    name: { type: 'string', description: 'new name', valueName: 'NAME' },
    'notify-url': {
      type: 'string',
      description: 'new notify base URL ("none" removes it)',
      valueName: 'URL',
    },
    'allow-ip': {
      type: 'string',
      multiple: true,
      description: 'replaces the allow-list ("any" clears it)',
      valueName: 'CIDR',
    },
    'welcome-url-lifetime': {
      type: 'string',
      description: 'S2P welcome URL lifetime, e.g. 10m or 24h',
      valueName: 'DURATION',
    },
    'accept-opaque-issuer-blobs': {
      type: 'string',
      description: 'true or false',
      valueName: 'BOOL',
    },
    strict: {
      type: 'boolean',
      description: 'refuse every deviation from the documents instead of warning (docs/compatibility.md)',
    },
    'no-strict': {
      type: 'boolean',
      description: 'accept known deviations with a Cardport-Warning (default)',
    },
  },
  async run({ admin, positionals, values }) {
    const id = positionalId(positionals, 'partner id', 'cardport partner update ID [options]');
    const name = optionalString(values, 'name');
    const notifyUrl = optionalString(values, 'notify-url');
    const allowIps = stringList(values, 'allow-ip');
    const lifetime = optionalString(values, 'welcome-url-lifetime');
    let welcomeUrlLifetimeMs: number | undefined;
    if (lifetime) {
      try {
        welcomeUrlLifetimeMs = parseDuration(lifetime);
      } catch (err) {
        throw new CliError(`--welcome-url-lifetime: ${(err as Error).message}`, 2);
      }
    }
    const acceptOpaque = parseBooleanFlag(values, 'accept-opaque-issuer-blobs');
    if (values['strict'] === true && values['no-strict'] === true)
      throw new CliError('give --strict or --no-strict, not both', 2);
    const strict = values['strict'] === true ? true : values['no-strict'] === true ? false : undefined;
    const options = {
      ...(welcomeUrlLifetimeMs === undefined ? {} : { welcomeUrlLifetimeMs }),
      ...(acceptOpaque === undefined ? {} : { acceptOpaqueIssuerBlobs: acceptOpaque }),
    };
    const body = {
      ...(name ? { name } : {}),
      ...(notifyUrl ? { notifyUrl: notifyUrl === 'none' ? null : notifyUrl } : {}),
      ...(allowIps.length ? { allowIps: allowIps.includes('any') ? [] : allowIps } : {}),
      ...(Object.keys(options).length ? { options } : {}),
      ...(strict === undefined ? {} : { strict }),
    };
    if (Object.keys(body).length === 0) throw new CliError('nothing to change: give at least one option', 2);
    const p = await admin().request<PartnerSummary>('PATCH', `/partners/${encodeURIComponent(id)}`, body);
    const mode = strict === undefined ? '' : strict ? ' (strict mode on)' : ' (strict mode off)';
    return { json: { ...p }, text: `updated partner ${p.partnerId}${mode}` };
  },
};

export const partnerCommands: Command[] = [
  partnerCreate,
  partnerSignOutbound,
  partnerList,
  partnerShow,
  partnerRevoke,
  partnerUpdate,
];
