// A scan the platform refused while the registration keeps waiting (the wallet's account does not
// match the email or phone the bank enforced): remembered so the welcome page can say so instead
// of "Waiting…", and forgotten once a scan links the registration.
import type { Queryable } from '../core/db.ts';

export type RefusedScan = 'email' | 'phone';

export async function noteRefusedScan(
  q: Queryable,
  regId: string,
  field: RefusedScan,
  now: number,
): Promise<void> {
  await q.query(
    `UPDATE s2p_registrations SET refused_scan = $2, updated_at = $3 WHERE reg_id = $1 AND status <> 'LINKED'`,
    [regId, field, now],
  );
}

export async function refusedScanOf(q: Queryable, regId: string): Promise<RefusedScan | undefined> {
  const rows = await q.query<{ refused_scan: string | null; status: string }>(
    'SELECT refused_scan, status FROM s2p_registrations WHERE reg_id = $1',
    [regId],
  );
  const r = rows[0];
  if (!r || r.status === 'LINKED') return undefined;
  return r.refused_scan === 'email' || r.refused_scan === 'phone' ? r.refused_scan : undefined;
}
