import { readFileSync } from 'node:fs';
import { adminTokenPath, readRuntime } from '../core/home.ts';
import { CliError } from './cli-error.ts';

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

  /**
   * Reads the admin API's server-sent event stream until `signal` aborts or the server ends it;
   * calls `onEvent` for each event (its name and parsed data).
   */
  async stream(
    path: string,
    onEvent: (event: { name: string; id: string | undefined; data: unknown }) => Promise<void> | void,
    signal?: AbortSignal,
  ): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/admin/v1${path}`, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) return;
      throw new CliError(`cannot reach the platform at ${this.baseUrl}: ${(err as Error).message}`);
    }
    if (!res.ok || !res.body) throw new CliError(`the event stream answered HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          let name = 'message';
          let id: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) name = line.slice(7);
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(data.join('\n'));
          } catch {
            parsed = data.join('\n');
          }
          await onEvent({ name, id, data: parsed });
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      throw new CliError(`the event stream broke: ${(err as Error).message}`);
    }
  }
}
