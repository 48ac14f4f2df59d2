// `cardport partner create` and `cardport partner sign-outbound`: onboarding through the admin API.
// Keys that belong to the partner (its client key, a generated partner CA) are made here, locally,
// and never travel to the platform; only CSRs and certificates do.
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CreatedPartner, PartnerDetails } from '../../admin/answers.ts';
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
import { type Command, optionalString, requireString, stringList } from '../command.ts';
import { checkFlag, privateKeyHint, readFlagFile } from './files.ts';

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

    const created = await admin().request<CreatedPartner>('POST', '/partners', {
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
