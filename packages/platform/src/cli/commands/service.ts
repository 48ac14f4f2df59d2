// `cardport service ...`: Web Checkout services through the admin API. The merchant key's CSR
// (RSA >= 2048) gives the public key that receives the payment credentials (PROTOCOLS.md 4.2).
import { parseCsr } from '../../core/pki.ts';
import { CliError, type Command, optionalString, requireString, stringList } from '../command.ts';
import { checkFlag, readFlagFile } from './partner.ts';

interface CheckoutService {
  serviceId: string;
  partnerId: string;
  name: string;
  merchantKeyId: string;
  domains: string[];
  healthUrl: string | null;
  createdAt: number;
}

export const serviceCreate: Command = {
  name: 'service create',
  summary: 'register a Web Checkout service for a partner; prints the serviceId',
  options: {
    partner: { type: 'string', description: 'the partner id', valueName: 'ID' },
    name: { type: 'string', description: 'the service name', valueName: 'N' },
    csr: { type: 'string', description: 'CSR of the merchant key (RSA >= 2048)', valueName: 'FILE' },
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
    requireString(values, 'csr');
    const csrPem = readFlagFile(values, 'csr') as string;
    await checkFlag('csr', () => parseCsr(csrPem));
    const domains = stringList(values, 'domain');
    if (domains.length === 0) throw new CliError('--domain is required (repeat it for several hosts)', 2);
    const healthUrl = optionalString(values, 'health-url');
    const service = await admin().request<CheckoutService>('POST', '/services', {
      partnerId,
      name,
      csrPem,
      domains,
      ...(healthUrl ? { healthUrl } : {}),
    });
    return {
      json: { ...service },
      text: `created service ${service.serviceId} (${service.name}) for partner ${service.partnerId}\n  kid ${service.merchantKeyId}\n  domains ${service.domains.join(', ')}`,
    };
  },
};

export const serviceList: Command = {
  name: 'service list',
  summary: 'list Web Checkout services',
  options: { partner: { type: 'string', description: 'only the services of this partner', valueName: 'ID' } },
  async run({ admin, values }) {
    const partnerId = optionalString(values, 'partner');
    const { services } = await admin().request<{ services: CheckoutService[] }>(
      'GET',
      `/services${partnerId ? `?partnerId=${encodeURIComponent(partnerId)}` : ''}`,
    );
    const text = services.length
      ? services.map((s) => `${s.serviceId}  ${s.partnerId}  ${s.name}  [${s.domains.join(', ')}]`).join('\n')
      : 'no services yet: cardport service create --partner ID --name N --csr FILE --domain HOST';
    return { json: { services }, text };
  },
};

export const serviceCommands: Command[] = [serviceCreate, serviceList];
