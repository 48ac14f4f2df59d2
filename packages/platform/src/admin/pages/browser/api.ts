// The dashboard's client of the admin JSON API: the session cookie goes along (same origin), the
// browser adds Origin to the POSTs. A 401 hands over to the login form.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};

/** What to do when the session is missing or expired (show the login form). */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** The platform's refusal: `{error: {code, message, details?}}` (core/http.ts). */
interface Refusal {
  error?: { code?: string; message?: string };
}

/**
 * Calls the admin API; `T` is the answer the route declares, from admin/answers.ts (the type of
 * what the server sends: the script trusts its own platform).
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/admin/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let answer: unknown = null;
  try {
    answer = await res.json();
  } catch {}
  if (res.status === 401) {
    onUnauthorized();
    throw new ApiError(401, 'unauthorized');
  }
  if (!res.ok) throw new ApiError(res.status, (answer as Refusal | null)?.error?.message || res.statusText);
  return answer as T;
}

/** The status of a failed call (0 when it was not an API error). */
export function statusOf(err: unknown): number {
  return err instanceof ApiError ? err.status : 0;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * What a panel says when its load failed: nothing on 401 (the sign-in form is shown instead),
 * `absent` when the platform has no such API (404), else the panel's name and the error.
 */
export function failureNote(err: unknown, panel: string, absent: string): string | undefined {
  const status = statusOf(err);
  if (status === 401) return undefined;
  return status === 404 ? absent : `${panel}: ${messageOf(err)}`;
}
