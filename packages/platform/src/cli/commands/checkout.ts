import type {
  AddedTestCard,
  AdminTransactionsAnswer,
  AutomatedAnswer,
  HealthProbe,
  HealthProbesAnswer,
} from '../../admin/answers.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, requireString, table } from '../command.ts';

// Web Checkout automation through the admin API (/admin/v1/web-checkout/...): test cards in a
// wallet, answering a payment request as the person would, transactions and health probes.

export const walletAddTestCard: Command = {
  name: 'wallet add-test-card',
  summary: "add a sandbox test card (documented test PAN) to an account's wallet for Web Checkout",
  options: {
    account: { type: 'string', description: 'the wallet account email', valueName: 'EMAIL' },
    brand: { type: 'string', description: 'VI, MC, AX or DS', valueName: 'BRAND' },
    pan: {
      type: 'string',
      description: 'a documented test or magic PAN of that brand (default: next free test PAN)',
      valueName: 'PAN',
    },
    device: {
      type: 'string',
      description: "device id (default: the account's first device)",
      valueName: 'ID',
    },
  },
  async run({ admin, values }) {
    const account = requireString(values, 'account');
    const brand = requireString(values, 'brand').toUpperCase();
    if (!['VI', 'MC', 'AX', 'DS'].includes(brand)) throw new CliError('--brand must be VI, MC, AX or DS', 2);
    const pan = optionalString(values, 'pan');
    const deviceId = optionalString(values, 'device');
    const card = await admin().request<AddedTestCard>('POST', '/web-checkout/test-cards', {
      account,
      brand,
      ...(pan ? { pan } : {}),
      ...(deviceId ? { deviceId } : {}),
    });
    return {
      json: { ...card },
      text: `added ${card.brand} test card ending ${card.fundingLast4 ?? '????'} (token ....${card.tokenPanLast4}) to wallet ${card.walletId}`,
    };
  },
};

export const walletApprove: Command = {
  name: 'wallet approve',
  summary:
    'answer a Web Checkout payment request as the person would: enter the account, approve (or decline) on the phone',
  options: {
    account: { type: 'string', description: 'the wallet account email', valueName: 'EMAIL' },
    transaction: {
      type: 'string',
      description: 'the transaction id (from POST /ops/v1/transactions)',
      valueName: 'ID',
    },
    card: {
      type: 'string',
      description: 'pay with the card ending in these 4 digits (default: the first that can pay)',
      valueName: 'LAST4',
    },
    decline: { type: 'boolean', description: 'decline instead of approving' },
  },
  async run({ admin, values }) {
    const account = requireString(values, 'account');
    const transactionId = requireString(values, 'transaction');
    const cardLast4 = optionalString(values, 'card');
    if (cardLast4 !== undefined && !/^[0-9]{4}$/.test(cardLast4))
      throw new CliError('--card must be 4 digits', 2);
    const answer = await admin().request<AutomatedAnswer>('POST', '/web-checkout/approvals', {
      account,
      transactionId,
      ...(cardLast4 ? { cardLast4 } : {}),
      ...(values['decline'] === true ? { decline: true } : {}),
    });
    const text =
      answer.status === 'APPROVED'
        ? `approved with ${answer.cardBrand} ....${answer.cardLast4}\nref_id    ${answer.referenceId}\nredirect  ${answer.redirectUrl}`
        : `declined\nredirect  ${answer.redirectUrl ?? '(the checkout page was not opened: no cancel URL yet)'}`;
    return { json: { ...answer, ref_id: answer.referenceId }, text };
  },
};

export const checkoutTransactions: Command = {
  name: 'checkout transactions',
  summary: 'list Web Checkout transactions, newest first, with their status and notified payment result',
  options: { service: { type: 'string', description: 'only this serviceId', valueName: 'ID' } },
  async run({ admin, values }) {
    const serviceId = optionalString(values, 'service');
    const { transactions } = await admin().request<AdminTransactionsAnswer>(
      'GET',
      `/web-checkout/transactions${serviceId ? `?serviceId=${encodeURIComponent(serviceId)}` : ''}`,
    );
    return {
      json: { transactions },
      text: transactions.length
        ? table(
            ['TRANSACTION ID', 'STATUS', 'AMOUNT', 'MERCHANT', 'PAYMENT'],
            transactions.map((t) => [
              t.transactionId,
              t.expired ? 'EXPIRED' : t.status,
              `${t.amountTotal} ${t.currency}`,
              t.merchantName,
              t.paymentStatus ?? '-',
            ]),
          )
        : 'no transactions',
    };
  },
};

export const checkoutHealth: Command = {
  name: 'checkout health',
  summary:
    "probe a checkout service's registered health URL now (bidirectional check) and show recent probes",
  positionals: 'SERVICE_ID',
  options: { 'list-only': { type: 'boolean', description: 'show recent probes without probing' } },
  async run({ admin, values, positionals }) {
    const serviceId = positionals[0];
    if (!serviceId) throw new CliError('SERVICE_ID is required', 2);
    const path = `/web-checkout/services/${encodeURIComponent(serviceId)}/health-probes`;
    const probe = values['list-only'] === true ? undefined : await admin().request<HealthProbe>('POST', path);
    const { probes } = await admin().request<HealthProbesAnswer>('GET', path);
    const line = (p: HealthProbe) =>
      `${new Date(p.probedAt).toISOString()}  ${p.ok ? 'healthy  ' : 'UNHEALTHY'}  ${p.detail}${p.callbackSeen ? ' (partner called back)' : ''}`;
    return {
      json: { ...(probe ? { probe } : {}), probes },
      text: [probe ? `${probe.url}: ${line(probe)}` : '', 'recent probes:', ...probes.map(line)]
        .filter(Boolean)
        .join('\n'),
    };
  },
};

export const checkoutCommands: Command[] = [
  walletAddTestCard,
  walletApprove,
  checkoutTransactions,
  checkoutHealth,
];
