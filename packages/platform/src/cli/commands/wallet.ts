import type { AccountDetail, AccountsAnswer, CreatedAccount } from '../../admin/answers.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, requireString, table } from '../command.ts';

// `cardport wallet ...`: sandbox wallet accounts through the admin API (/admin/v1/wallet/...).

function describeAccount(a: CreatedAccount | AccountDetail): string[] {
  return [
    `  userId    ${a.userId}`,
    `  email     ${a.account.email}`,
    `  phone     ${a.account.phone ?? '-'}`,
    `  country   ${a.account.country}`,
    `  deviceId  ${a.deviceId ?? '-'}`,
    `  walletId  ${a.walletId ?? '-'}`,
    '  devices:',
    ...a.devices.map(
      (d) =>
        `    ${d.deviceId}  ${d.name} (${d.model}), IMEI ....${d.imeiLast4}, serial ....${d.serialLast4}, locale ${d.locale.country}, wallet ${d.walletId}`,
    ),
  ];
}

export const walletAccountCreate: Command = {
  name: 'wallet account create',
  summary: 'create a sandbox wallet account with its first device; prints userId, deviceId and walletId',
  options: {
    email: {
      type: 'string',
      description: 'the account email (unique, case-insensitive)',
      valueName: 'EMAIL',
    },
    phone: { type: 'string', description: 'phone number: digits, +, (, ) and -', valueName: 'PHONE' },
    country: { type: 'string', description: 'two-letter country code (default US)', valueName: 'CC' },
  },
  async run({ admin, values }) {
    const email = requireString(values, 'email');
    const phone = optionalString(values, 'phone');
    const country = optionalString(values, 'country');
    const a = await admin().request<CreatedAccount>('POST', '/wallet/accounts', {
      email,
      ...(phone ? { phone } : {}),
      ...(country ? { country } : {}),
    });
    return {
      json: {
        userId: a.userId,
        deviceId: a.deviceId,
        walletId: a.walletId,
        account: a.account,
        devices: a.devices,
      },
      text: [`created wallet account ${a.account.email}`, ...describeAccount(a)].join('\n'),
    };
  },
};

export const walletAccountShow: Command = {
  name: 'wallet account show',
  summary: 'show a sandbox wallet account with its devices and wallet items',
  positionals: '[EMAIL]',
  options: {
    email: {
      type: 'string',
      description: 'the account email (or give it as the argument)',
      valueName: 'EMAIL',
    },
  },
  async run({ admin, values, positionals }) {
    if (positionals.length > 1) throw new CliError('give at most one EMAIL', 2);
    const email = optionalString(values, 'email') ?? positionals[0];
    if (!email) throw new CliError('--email is required', 2);
    const a = await admin().request<AccountDetail>('GET', `/wallet/accounts/${encodeURIComponent(email)}`);
    const items = a.items;
    return {
      json: { ...a },
      text: [
        `wallet account ${a.account.email}`,
        ...describeAccount(a),
        `  items (${items.length}):`,
        ...(items.length
          ? items.map((i) => `    ${i.itemId}  ${i.kind}  ${i.state}  ${i.title}`)
          : ['    none yet']),
      ].join('\n'),
    };
  },
};

export const walletAccountList: Command = {
  name: 'wallet account list',
  summary: 'list sandbox wallet accounts, newest first',
  options: {
    limit: { type: 'string', description: 'how many (1-1000, default 100)', valueName: 'N' },
  },
  async run({ admin, values }) {
    const limit = optionalString(values, 'limit');
    if (limit !== undefined && !/^\d{1,4}$/.test(limit))
      throw new CliError('--limit must be a number from 1 to 1000', 2);
    const { accounts } = await admin().request<AccountsAnswer>(
      'GET',
      `/wallet/accounts${limit ? `?limit=${limit}` : ''}`,
    );
    return {
      json: { accounts },
      text: accounts.length
        ? table(
            ['USER ID', 'EMAIL', 'COUNTRY', 'PHONE'],
            accounts.map((a) => [a.userId, a.email, a.country, a.phone ?? '-']),
          )
        : 'no wallet accounts yet (create one with: cardport wallet account create --email E)',
    };
  },
};

export const walletCommands: Command[] = [walletAccountCreate, walletAccountShow, walletAccountList];
