// A scan the platform refused while the registration keeps waiting (the wallet's account does not
// match the email or phone the bank enforced): remembered so the welcome page can say so instead
// of "Waiting…", and forgotten once a scan links the registration.
import type { Queryable } from '../core/db.ts';
import { findRegistration, registrations } from './store.ts';

export type RefusedScan = 'email' | 'phone';

export async function noteRefusedScan(
  q: Queryable,
  regId: string,
  field: RefusedScan,
  now: number,
): Promise<void> {
  // Only a PENDING registration (the statuses are PENDING and LINKED) keeps a refused scan.
  await registrations.patch(q, { regId, status: 'PENDING' }, { refusedScan: field, updatedAt: now });
}

export async function refusedScanOf(q: Queryable, regId: string): Promise<RefusedScan | undefined> {
  const row = await findRegistration(q, regId);
  if (!row || row.status === 'LINKED') return undefined;
  return row.refusedScan ?? undefined;
}
