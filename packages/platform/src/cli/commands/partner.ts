// `cardport partner ...`: onboarding through the admin API (/admin/v1/partners). Keys that belong
// to the partner (its client key, a generated partner CA) are made here, locally, and never travel
// to the platform; only CSRs and certificates do.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseDuration } from '../../core/clock.ts';
import { isPlatformError } from '../../core/errors.ts';
import {
  type CaMaterial,
  CertificateAuthority,
  createCa,
  generateKeyAndCsr,
  generateRsaKeyPair,
  parseCsr,
  splitCertificates,
} from '../../core/pki.ts';
import { CliError } from '../cli-error.ts';
import {
  type Command,
  type CommandInput,
  optionalString,
  requireString,
  stringList,
  table,
} from '../command.ts';

/** Reads a file named by a flag; a missing or unreadable file is a usage error naming the flag. */
/** Private keys written under the working directory: a reminder to keep them out of git. */
export function privateKeyHint(dir: string): string[] {
  const inside = relative(process.cwd(), resolve(dir));
  if (inside.startsWith('..') || isAbsolute(inside)) return [];
  return [
    '',
    `Private keys are in ${inside || '.'}/: add it to .gitignore (echo '${inside || '.'}/' >> .gitignore).`,
  ];
}

export function readFlagFile(values: CommandInput['values'], flag: string): string | undefined {
  const path = optionalString(values, flag);
  if (!path) return undefined;
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (err) {
    throw new CliError(
      `--${flag} ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      2,
    );
  }
}

/** Runs a local check; its INVALID_INPUT message becomes a usage error naming the flag. */
export async function checkFlag<T>(flag: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isPlatformError(err) && err.code === 'INVALID_INPUT')
      throw new CliError(`--${flag}: ${err.message}`, 2);
    throw err;
  }
}

function positionalId(positionals: string[], what: string, usage: string): string {
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new CliError(`give exactly one ${what}: ${usage}`, 2);
  return id;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

// --- partner create -------------------------------------------------------------------------------

/** File names written into --out, by their key in the `files` JSON object. */
const fileNames = {
  caCertificate: 'sandbox-ca.crt',
  clientCertificate: 'client.crt',
  clientKey: 'client.key',
  clientCsr: 'client.csr',
  platformCertificate: 'platform-encryption.crt',
  authCertificate: 'platform-auth.crt',
  outboundCsr: 'platform-outbound.csr',
  outboundCertificate: 'platform-outbound.crt',
  partnerCaCertificate: 'partner-ca.crt',
  partnerCaKey: 'partner-ca.key',
  partnerServerCertificate: 'partner-server.crt',
  partnerServerKey: 'partner-server.key',
  partner: 'partner.json',
} as const;
type FileKey = keyof typeof fileNames;
const privateFiles = new Set<FileKey>(['clientKey', 'partnerCaKey', 'partnerServerKey']);

/** Fails before anything is created when `dir` cannot take the files (or would overwrite some). */
function checkOutDir(dir: string, keys: FileKey[]): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`--out ${dir} exists and is not a directory`, 2);
    const clashes = keys.map((k) => fileNames[k]).filter((name) => existsSync(join(dir, name)));
    if (clashes.length)
      throw new CliError(`--out ${dir} already holds ${clashes.join(', ')}: choose another folder`, 2);
  }
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new CliError(`--out ${dir}: ${existing} is not writable`, 2);
  }
}

function writeFiles(dir: string, contents: Partial<Record<FileKey, string>>): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const written: Record<string, string> = {};
  for (const [key, text] of Object.entries(contents) as [FileKey, string][]) {
    const path = join(dir, fileNames[key]);
    writeFileSync(path, text, { mode: privateFiles.has(key) ? 0o600 : 0o644, flag: 'wx' });
    written[key] = path;
  }
  return written;
}

interface CreatedPartnerResponse {
  partnerId: string;
  certificateId: string;
  name: string;
  clientCertificatePem: string;
  caCertificatePem: string;
  platformCertificatePem: string;
  authCertificatePem: string;
  outboundCsrPem: string;
}

export const partnerCreate: Command = {
  name: 'partner create',
  summary:
    'register a partner: signs its CSR (or makes key + CSR locally) and writes every certificate it needs',
  options: {
    name: { type: 'string', description: 'the partner name', valueName: 'NAME' },
    csr: {
      type: 'string',
      description: "the partner's CSR (RSA >= 2048); without it a key and CSR are made locally into --out",
      valueName: 'FILE',
    },
    out: {
      type: 'string',
      description: 'folder for the files (default ./cardport-partner-<id>)',
      valueName: 'DIR',
    },
    'notify-url': {
      type: 'string',
      description: 'partner base URL for S2P notifications',
      valueName: 'URL',
    },
    'partner-ca': {
      type: 'string',
      description: "the partner's CA certificate that signs the platform's outbound client certificate",
      valueName: 'FILE',
    },
    'partner-ca-key': {
      type: 'string',
      description: 'its private key: the CLI signs the outbound CSR locally (else use partner sign-outbound)',
      valueName: 'FILE',
    },
    'partner-server-ca': {
      type: 'string',
      description: "CA(s) to trust for the partner's server certificate (default: the partner CA)",
      valueName: 'FILE',
    },
    'allow-ip': {
      type: 'string',
      multiple: true,
      description: 'source address or CIDR allowed on the mTLS API (default: any)',
      valueName: 'CIDR',
    },
  },
  async run({ admin, values }) {
    const name = requireString(values, 'name');
    if (values['partner-ca-key'] && !values['partner-ca'])
      throw new CliError('--partner-ca-key needs --partner-ca (the certificate of that key)', 2);
    // Every local input is read and checked before anything is created on the platform.
    const givenCsr = readFlagFile(values, 'csr');
    if (givenCsr) await checkFlag('csr', () => parseCsr(givenCsr));
    const partnerCaPem = readFlagFile(values, 'partner-ca');
    const partnerCaKeyPem = readFlagFile(values, 'partner-ca-key');
    let partnerCa: CaMaterial | undefined;
    if (partnerCaPem && partnerCaKeyPem) {
      partnerCa = { certificatePem: partnerCaPem, privateKeyPem: partnerCaKeyPem };
      await checkFlag('partner-ca', () => CertificateAuthority.load(partnerCa as CaMaterial));
    } else if (partnerCaPem) {
      await checkFlag('partner-ca', () => splitCertificates(partnerCaPem, 'CA certificate'));
    }
    const partnerServerCaPem = readFlagFile(values, 'partner-server-ca');
    if (partnerServerCaPem) await checkFlag('partner-server-ca', () => splitCertificates(partnerServerCaPem));
    const notifyUrl = optionalString(values, 'notify-url');
    const allowIps = stringList(values, 'allow-ip');
    const outFlag = optionalString(values, 'out');

    const generateCa = !partnerCaPem;
    const planned: FileKey[] = [
      'caCertificate',
      'clientCertificate',
      'platformCertificate',
      'authCertificate',
      'outboundCsr',
      'partner',
      ...(givenCsr ? [] : (['clientKey', 'clientCsr'] as FileKey[])),
      ...(partnerCa || generateCa ? (['outboundCertificate'] as FileKey[]) : []),
      ...(generateCa ? (['partnerCaCertificate', 'partnerCaKey'] as FileKey[]) : []),
      ...(generateCa && !partnerServerCaPem
        ? (['partnerServerCertificate', 'partnerServerKey'] as FileKey[])
        : []),
    ];
    if (outFlag) checkOutDir(resolve(outFlag), planned);
    else checkOutDir(resolve('.'), []);

    const clientKey = givenCsr ? undefined : await generateKeyAndCsr({ commonName: name });
    if (generateCa) partnerCa = await createCa({ commonName: `${name} partner CA`, organization: name });
    const server =
      generateCa && !partnerServerCaPem && partnerCa
        ? await (async () => {
            const pair = await generateRsaKeyPair();
            const ca = await CertificateAuthority.load(partnerCa as CaMaterial);
            const cert = await ca.issue({
              publicKeyPem: pair.publicKeyPem,
              commonName: `${name} server`,
              usage: 'server',
              hostnames: ['localhost', '127.0.0.1', '::1'],
            });
            return { keyPem: pair.privateKeyPem, certPem: cert.certificatePem };
          })()
        : undefined;

    const created = await admin().request<CreatedPartnerResponse>('POST', '/partners', {
      name,
      csrPem: givenCsr ?? clientKey?.csrPem,
      ...(notifyUrl ? { notifyUrl } : {}),
      ...(allowIps.length ? { allowIps } : {}),
      ...(partnerServerCaPem ? { partnerServerCaPem } : {}),
    });

    // From here the partner exists: the files are written whatever happens next.
    let outboundCertificatePem: string | undefined;
    let outboundError: string | undefined;
    if (partnerCa) {
      try {
        const ca = await CertificateAuthority.load(partnerCa);
        outboundCertificatePem = (await ca.signCsr(created.outboundCsrPem, { usage: 'client' }))
          .certificatePem;
        await admin().request('POST', `/partners/${created.partnerId}/outbound-certificate`, {
          certificatePem: outboundCertificatePem,
          partnerCaPem: partnerCa.certificatePem,
        });
      } catch (err) {
        outboundError = (err as Error).message;
      }
    }
    const dir = resolve(outFlag ?? `cardport-partner-${created.partnerId}`);
    const files = writeFiles(dir, {
      caCertificate: created.caCertificatePem,
      clientCertificate: created.clientCertificatePem,
      ...(clientKey ? { clientKey: clientKey.privateKeyPem, clientCsr: clientKey.csrPem } : {}),
      platformCertificate: created.platformCertificatePem,
      authCertificate: created.authCertificatePem,
      outboundCsr: created.outboundCsrPem,
      ...(outboundCertificatePem ? { outboundCertificate: outboundCertificatePem } : {}),
      ...(generateCa && partnerCa
        ? { partnerCaCertificate: partnerCa.certificatePem, partnerCaKey: partnerCa.privateKeyPem }
        : {}),
      ...(server ? { partnerServerCertificate: server.certPem, partnerServerKey: server.keyPem } : {}),
      partner: `${JSON.stringify({ partnerId: created.partnerId, certificateId: created.certificateId, name }, null, 2)}\n`,
    });
    const signOutbound = `cardport partner sign-outbound --partner ${created.partnerId} --cert FILE --ca FILE`;
    if (outboundError) {
      throw new CliError(
        `partner ${created.partnerId} was created and its files written to ${dir}, but registering the outbound certificate failed: ${outboundError}\nRetry with: ${signOutbound}`,
      );
    }
    const pending = !partnerCa;
    const text = [
      `created partner ${created.partnerId} (${name}), certificateId ${created.certificateId}`,
      `files in ${dir}:`,
      ...Object.entries(files).map(([k, path]) => `  ${k.padEnd(26)} ${path}`),
      ...privateKeyHint(dir),
      ...(pending
        ? [
            '',
            `The platform's outbound CSR is ${files['outboundCsr']}.`,
            `Sign it with your CA (clientAuth), then run: ${signOutbound}`,
          ]
        : []),
    ].join('\n');
    return {
      json: {
        partnerId: created.partnerId,
        certificateId: created.certificateId,
        files,
        outboundCertificatePending: pending,
      },
      text,
    };
  },
};

// --- partner sign-outbound -----------------------------------------------------------------------

export const partnerSignOutbound: Command = {
  name: 'partner sign-outbound',
  summary: "register the outbound client certificate your CA issued from the platform's outbound CSR",
  options: {
    partner: { type: 'string', description: 'the partner id', valueName: 'ID' },
    cert: {
      type: 'string',
      description: 'the certificate your CA issued (PEM, chain allowed)',
      valueName: 'FILE',
    },
    ca: { type: 'string', description: 'your CA certificate(s) (PEM)', valueName: 'FILE' },
  },
  async run({ admin, values }) {
    const partnerId = requireString(values, 'partner');
    requireString(values, 'cert');
    requireString(values, 'ca');
    const certificatePem = readFlagFile(values, 'cert') as string;
    const partnerCaPem = readFlagFile(values, 'ca') as string;
    await checkFlag('cert', () => splitCertificates(certificatePem));
    await checkFlag('ca', () => splitCertificates(partnerCaPem));
    const details = await admin().request<PartnerDetails>(
      'POST',
      `/partners/${partnerId}/outbound-certificate`,
      {
        certificatePem,
        partnerCaPem,
      },
    );
    return {
      json: { partnerId, outbound: details.outbound, serverTrust: details.serverTrust },
      text: `registered the outbound certificate of partner ${partnerId}; the platform trusts ${
        details.serverTrust.source === 'given' ? 'the server CA given at creation' : 'this CA'
      } for your server`,
    };
  },
};

// --- partner list / show / revoke / update -------------------------------------------------------

interface PartnerSummary {
  partnerId: string;
  name: string;
  status: string;
  notifyUrl: string | null;
  allowIps: string[];
  options: { welcomeUrlLifetimeMs: number; acceptOpaqueIssuerBlobs: boolean };
  strict?: boolean;
  createdAt: number;
  revokedAt: number | null;
}

interface PartnerDetails extends PartnerSummary {
  certificates: {
    certificateId: string;
    status: string;
    fingerprint256: string;
    notAfter: number;
    revokedAt: number | null;
  }[];
  outbound: { configured: boolean; certificatePem: string | null };
  serverTrust: { source: string | null; caFingerprints: string[] };
}

export const partnerList: Command = {
  name: 'partner list',
  summary: 'list partners',
  options: {},
  async run({ admin }) {
    const { partners } = await admin().request<{ partners: PartnerSummary[] }>('GET', '/partners');
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
      const c = await admin().request<{ certificateId: string; status: string }>(
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
