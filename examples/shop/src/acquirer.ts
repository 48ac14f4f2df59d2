// A simulated acquirer: before charging, it asks the card network's token service (Cardport's
// simulated TSP) whether the cryptogram is genuine for this amount, currency, merchant and time.
import type { DecryptedCredentials } from '@cardport/sdk';

export type ChargeResult =
  | { approved: true }
  | { approved: false; reason: string; declineCode?: string; message?: string };

export async function charge(
  platformUrl: string,
  credentials: DecryptedCredentials,
  merchantRef: string,
): Promise<ChargeResult> {
  const res = await fetch(`${platformUrl}/tsp/v1/cryptograms/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tokenPan: credentials.tokenPan,
      tokenPanExpiration: credentials.tokenPanExpiration,
      cryptogram: credentials.cryptogram,
      amountMinor: credentials.amount,
      currency: credentials.currency,
      merchantRef,
      utc: credentials.utc,
    }),
  });
  const verdict = (await res.json()) as {
    valid?: boolean;
    reason?: string;
    declineCode?: string;
    message?: string;
    error?: { message?: string };
  };
  if (!res.ok)
    return {
      approved: false,
      reason: 'ACQUIRER_ERROR',
      message: verdict.error?.message ?? `HTTP ${res.status}`,
    };
  if (verdict.valid) return { approved: true };
  return {
    approved: false,
    reason: verdict.reason ?? 'DECLINED',
    ...(verdict.declineCode ? { declineCode: verdict.declineCode } : {}),
    ...(verdict.message ? { message: verdict.message } : {}),
  };
}
