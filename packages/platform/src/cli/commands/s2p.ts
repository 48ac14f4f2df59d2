import { existsSync, readFileSync } from 'node:fs';
import type { ScanAnswer, SwitchesAnswer } from '../../admin/answers.ts';
import { decodeQrPng, pngFromDataUrl, qrDataUrlInPage } from '../../save-to-pay/qr.ts';
import { CliError } from '../cli-error.ts';
import { type Command, optionalString, requireString } from '../command.ts';

// `cardport wallet scan` (what the phone does with a Save to Pay QR code) and
// `cardport s2p switch` (the 503.1 / 503.2 switches of the partner API), through the admin API.

/**
 * TARGET as a phone would read it: a PNG file of the QR code, a welcome URL (the QR is read off
 * that page, as a phone reads it off a screen), or the QR's content itself (the initiate URL).
 */
export async function resolveScanTarget(target: string): Promise<string> {
  if (existsSync(target)) {
    const text = decodeQrPng(readFileSync(target));
    if (!text) throw new CliError(`no QR code found in ${target} (a PNG image is expected)`);
    return text;
  }
  if (/\/s2p\/v1\/welcome\//.test(target)) {
    let page: string;
    try {
      const res = await fetch(target);
      page = await res.text();
    } catch (err) {
      throw new CliError(`cannot open the welcome page: ${(err as Error).message}`);
    }
    const dataUrl = qrDataUrlInPage(page);
    if (!dataUrl) {
      if (page.includes('data-s2p-state="expired"')) throw new CliError('the welcome URL has expired');
      throw new CliError('the welcome page shows no QR code (invalid, expired or already used)');
    }
    const text = decodeQrPng(pngFromDataUrl(dataUrl) as Buffer);
    if (!text) throw new CliError('the QR code on the welcome page could not be read');
    return text;
  }
  return target;
}

export const walletScan: Command = {
  name: 'wallet scan',
  summary:
    'scan a Save to Pay QR code with a wallet account: links it, the bank answers WA_READY, the card is provisioned',
  positionals: 'TARGET',
  options: {
    account: { type: 'string', description: 'the wallet account email', valueName: 'EMAIL' },
    device: { type: 'string', description: "the device (default: the account's first)", valueName: 'ID' },
  },
  async run({ admin, values, positionals }) {
    const account = requireString(values, 'account');
    const deviceId = optionalString(values, 'device');
    const target = positionals[0];
    if (!target || positionals.length > 1)
      throw new CliError('give one TARGET: the QR content, a PNG of the QR, or a welcome URL', 2);
    const url = await resolveScanTarget(target);
    const r = await admin().request<ScanAnswer>('POST', '/save-to-pay/scan', {
      account,
      url,
      ...(deviceId ? { deviceId } : {}),
    });
    const text =
      r.outcome === 'PROVISIONED'
        ? `Added ${r.card.cardName} (${r.card.partnerName}) to wallet ${r.walletId}: ${r.brand} •••• ${r.fundingLast4 ?? '-'}, token ${r.tokenRef}\n  regId ${r.regId}`
        : `Not added: ${r.error ?? r.reason} (${r.message})\n  regId ${r.regId}`;
    return { json: { ...r }, text };
  },
};

export const s2pSwitch: Command = {
  name: 's2p switch',
  summary: 'show or set the Save to Pay API switches: --api off answers 503.2, --load shed answers 503.1',
  options: {
    api: { type: 'string', description: 'on or off', valueName: 'on|off' },
    load: { type: 'string', description: 'normal or shed', valueName: 'normal|shed' },
    'retry-after': { type: 'string', description: 'Retry-After seconds (default 30)', valueName: 'SECONDS' },
  },
  async run({ admin, values }) {
    const api = optionalString(values, 'api');
    const load = optionalString(values, 'load');
    const retryAfter = optionalString(values, 'retry-after');
    const patch = {
      ...(api ? { api } : {}),
      ...(load ? { load } : {}),
      ...(retryAfter ? { retryAfterSeconds: Number(retryAfter) } : {}),
    };
    const r = Object.keys(patch).length
      ? await admin().request<SwitchesAnswer>('PUT', '/save-to-pay/switches', patch)
      : await admin().request<SwitchesAnswer>('GET', '/save-to-pay/switches');
    return {
      json: { ...r },
      text: `api ${r.api}, load ${r.load}, Retry-After ${r.retryAfterSeconds} s`,
    };
  },
};

export const s2pCommands: Command[] = [walletScan, s2pSwitch];
