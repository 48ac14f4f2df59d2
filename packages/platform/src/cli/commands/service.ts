// `cardport service ...`: Web Checkout services through the admin API. The merchant key's CSR
// (RSA >= 2048) gives the public key that receives the payment credentials (PROTOCOLS.md 4.2).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServicesAnswer, ServiceView } from '../../admin/answers.ts';
import { generateKeyAndCsr, parseCsr } from '../../core/pki.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, requireString, stringList, table } from '../command.ts';
import { checkFlag, privateKeyHint, readFlagFile } from './files.ts';

export const serviceCreate: Command = {
  name: 'service create',
  summary: 'register a Web Checkout service for a partner; prints the serviceId',
  options: {
    partner: { type: 'string', description: 'the partner id', valueName: 'ID' },
    name: { type: 'string', description: 'the service name', valueName: 'N' },
    csr: {
      type: 'string',
      description: 'CSR of the merchant key (RSA >= 2048); without it, --out makes key + CSR here',
      valueName: 'FILE',
    },
    out: {
      type: 'string',
      description: 'with no --csr: write a new merchant key (merchant-key.pem) and its CSR here',
      valueName: 'DIR',
    },
    domain: {
      type: 'string',
      multiple: true,
      description: 'host name of the pages allowed to start a checkout',
      valueName: 'HOST',
    },
    'health-url': { type: 'string', description: "the partner's own health endpoint", valueName: 'URL' },
  },
  async run({ admin, values }) {
    const partnerId = requireString(values, 'partner');
    const name = requireString(values, 'name');
    const out = optionalString(values, 'out');
    let made: { dir: string; key: string; csr: string } | undefined;
    let csrPem = readFlagFile(values, 'csr');
    if (csrPem) await checkFlag('csr', () => parseCsr(csrPem as string));
    else if (out) {
      // The merchant key stays on this machine: only its CSR travels (PROTOCOLS.md 4.2).
      const key = await generateKeyAndCsr({ commonName: name });
      const dir = resolve(out);
      mkdirSync(dir, { recursive: true });
      made = { dir, key: join(dir, 'merchant-key.pem'), csr: join(dir, 'merchant.csr') };
      try {
        writeFileSync(made.key, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
        writeFileSync(made.csr, key.csrPem, { mode: 0o644, flag: 'wx' });
      } catch (err) {
        throw new CliError(
          `--out ${out}: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'a merchant key is already there' : (err as Error).message}`,
          2,
        );
      }
      csrPem = key.csrPem;
    } else
      throw new CliError(
        '--csr FILE is required, or --out DIR to make the merchant key and its CSR here.\n' +
          'To make them yourself: openssl req -new -newkey rsa:2048 -nodes -keyout merchant-key.pem -out merchant.csr -subj "/CN=My Shop"',
        2,
      );
    const domains = stringList(values, 'domain');
    if (domains.length === 0) throw new CliError('--domain is required (repeat it for several hosts)', 2);
    const healthUrl = optionalString(values, 'health-url');
    const service = await admin().request<ServiceView>('POST', '/services', {
      partnerId,
      name,
      csrPem,
      domains,
      ...(healthUrl ? { healthUrl } : {}),
    });
    return {
      json: { ...service, ...(made ? { files: { merchantKey: made.key, csr: made.csr } } : {}) },
      text: [
        `created service ${service.serviceId} (${service.name}) for partner ${service.partnerId}`,
        `  kid ${service.merchantKeyId}`,
        `  domains ${service.domains.join(', ')}`,
        ...(made
          ? [`  merchant key ${made.key}`, `  CSR          ${made.csr}`, ...privateKeyHint(made.dir)]
          : []),
      ].join('\n'),
    };
  },
};

export const serviceList: Command = {
  name: 'service list',
  summary: 'list Web Checkout services',
  options: { partner: { type: 'string', description: 'only the services of this partner', valueName: 'ID' } },
  async run({ admin, values }) {
    const partnerId = optionalString(values, 'partner');
    const { services } = await admin().request<ServicesAnswer>(
      'GET',
      `/services${partnerId ? `?partnerId=${encodeURIComponent(partnerId)}` : ''}`,
    );
    const text = services.length
      ? table(
          ['SERVICE ID', 'PARTNER ID', 'NAME', 'DOMAINS'],
          services.map((s) => [s.serviceId, s.partnerId, s.name, s.domains.join(', ')]),
        )
      : 'no services yet: cardport service create --partner ID --name N --csr FILE --domain HOST';
    return { json: { services }, text };
  },
};

export const serviceCommands: Command[] = [serviceCreate, serviceList];
