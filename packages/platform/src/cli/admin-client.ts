import { readFileSync } from 'node:fs';
import { adminTokenPath, readRuntime } from '../core/home.ts';
import { CliError } from './command.ts';

/** The admin API of a running platform (`/admin/v1/...`), as the CLI uses it. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Finds the platform: CARDPORT_URL or what `up` recorded in the home folder; token from the home folder. */
  static fromEnvironment(env: Record<string, string | undefined>, home: string): AdminClient {
    const url = env['CARDPORT_URL'] ?? readRuntime(home)?.url;
    if (!url) {
      throw new CliError(
        `no running platform found: start one with 'cardport up' or set CARDPORT_URL (home: ${home})`,
      );
    }
    let token: string;
    try {
      token = (env['CARDPORT_ADMIN_TOKEN'] ?? readFileSync(adminTokenPath(home), 'utf8')).trim();
    } catch {
      throw new CliError(
        `cannot read the admin token at ${adminTokenPath(home)} (set CARDPORT_HOME or CARDPORT_ADMIN_TOKEN)`,
      );
    }
    return new AdminClient(url.replace(/\/+$/, ''), token);
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/admin/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new CliError(`cannot reach the platform at ${this.baseUrl}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { raw: text.slice(0, 200) };
    }
    if (!res.ok) {
      const err = (
        json as { error?: { code?: string; message?: string; details?: { field: string; reason: string }[] } }
      ).error;
      // A detail the message already says is not printed again.
      const message = err?.message ?? res.statusText;
      const details =
        err?.details
          ?.filter((d) => !message.includes(d.reason))
          .map((d) => `\n  ${d.field}: ${d.reason}`)
          .join('') ?? '';
      throw new CliError(`${err?.code ?? res.status}: ${message}${details}`);
    }
    return json as T;
  }
}
