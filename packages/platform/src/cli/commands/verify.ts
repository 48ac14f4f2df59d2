import { writeFileSync } from 'node:fs';
import { type CheckResult, toJUnit, type VerifyReport, verifyProducts } from '../../verify/report.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, requireString } from '../command.ts';

// `cardport verify <product> --partner ID`: the conformance kit (docs/verify.md). The checks run
// inside the platform (POST /admin/v1/verify), which holds the keys and identities they need.

const mark = { pass: 'PASS', fail: 'FAIL', warn: 'WARN' } as const;

function checkText(c: CheckResult): string {
  const lines = [`${mark[c.status]}  ${c.id}  ${c.title}`, `      ${c.finding}`];
  if (c.status !== 'pass') {
    lines.push(`      request:  ${c.evidence.request}`, `      answer:   ${c.evidence.answer}`);
    lines.push(`      required: ${c.evidence.required}`);
    if (c.evidence.deliveryId)
      lines.push(`      delivery: ${c.evidence.deliveryId} (cardport deliveries show)`);
  }
  return lines.join('\n');
}

export function reportText(r: VerifyReport): string {
  return [
    `cardport verify ${r.product}${r.faults ? ' --faults' : ''}: partner ${r.partnerId}`,
    '',
    ...r.checks.map(checkText),
    '',
    `${r.summary.pass} passed, ${r.summary.fail} failed, ${r.summary.warn} warned: ${r.ok ? 'OK' : 'NOT CONFORMANT'}`,
  ].join('\n');
}

export const verify: Command = {
  name: 'verify',
  summary:
    "check a partner's own server as the platform will call it (save-to-pay, add-to-wallet, web-checkout); exit 1 on any failure",
  positionals: 'PRODUCT',
  options: {
    partner: { type: 'string', description: 'the partner ID', valueName: 'PARTNER_ID' },
    faults: { type: 'boolean', description: 'also send duplicates the partner must absorb' },
    junit: { type: 'string', description: 'write a JUnit XML report to FILE (for CI)', valueName: 'FILE' },
    reg: {
      type: 'string',
      description: 'save-to-pay: a registration the partner created (for WA_READY)',
      valueName: 'REG_ID',
    },
    card: {
      type: 'string',
      description: "add-to-wallet: the card ID (default: the partner's first)",
      valueName: 'CARD_ID',
    },
    ref: {
      type: 'string',
      description: 'add-to-wallet: a refId the partner knows (Get Card Data)',
      valueName: 'REF_ID',
    },
    link: {
      type: 'string',
      description: 'add-to-wallet: a sample link whose cdata is checked',
      valueName: 'URL',
    },
    service: {
      type: 'string',
      description: "web-checkout: the service ID (default: the partner's first)",
      valueName: 'SERVICE_ID',
    },
    'await-transaction': {
      type: 'boolean',
      description:
        "web-checkout: wait for the partner's next transaction (up to --wait, default 120 s), approve it with --account, and check the credentials are fetched and the result notified within --window (default 60 s)",
    },
    account: {
      type: 'string',
      description: 'web-checkout: the sandbox wallet account that approves (with --await-transaction)',
      valueName: 'EMAIL',
    },
    wait: {
      type: 'string',
      description: 'web-checkout: seconds to wait for the transaction (1-180)',
      valueName: 'S',
    },
    window: {
      type: 'string',
      description: 'web-checkout: seconds the partner has after approval (1-100)',
      valueName: 'S',
    },
  },
  async run({ admin, values, positionals }) {
    const product = positionals[0];
    if (!product || positionals.length > 1 || !(verifyProducts as readonly string[]).includes(product)) {
      throw new CliError(`give one PRODUCT: ${verifyProducts.join(', ')}`, 2);
    }
    const partnerId = requireString(values, 'partner');
    const body: Record<string, unknown> = { product, partnerId, faults: values['faults'] === true };
    for (const [flag, field] of [
      ['reg', 'regId'],
      ['card', 'cardId'],
      ['ref', 'refId'],
      ['link', 'link'],
      ['service', 'serviceId'],
    ] as const) {
      const v = optionalString(values, flag);
      if (v !== undefined) body[field] = v;
    }
    if (values['await-transaction'] === true) {
      if (product !== 'web-checkout') throw new CliError('--await-transaction is for web-checkout', 2);
      body['awaitTransaction'] = true;
      body['account'] = requireString(values, 'account');
      for (const [flag, field, max] of [
        ['wait', 'waitSeconds', 180],
        ['window', 'windowSeconds', 100],
      ] as const) {
        const v = optionalString(values, flag);
        if (v === undefined) continue;
        if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > max)
          throw new CliError(`--${flag} must be a number of seconds from 1 to ${max}`, 2);
        body[field] = Number(v);
      }
    }
    const { report } = await admin().request<{ report: VerifyReport }>('POST', '/verify', body);
    const junit = optionalString(values, 'junit');
    if (junit) {
      try {
        writeFileSync(junit, toJUnit([report]));
      } catch (err) {
        throw new CliError(`cannot write the JUnit report to ${junit}: ${(err as Error).message}`);
      }
    }
    return { json: { report }, text: reportText(report), exitCode: report.ok ? 0 : 1 };
  },
};
