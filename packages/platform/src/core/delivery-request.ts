// One outbound request, checked and serialized once (method, absolute http(s) URL, one-line
// headers, JSON body), and the partner's answer as callers see it.
import type { RawResponse } from './delivery-http.ts';
import type { OutboundRequest, OutboundResponse } from './delivery-types.ts';
import { invalidInput, isPlatformError } from './errors.ts';

const methods = new Set<string>(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']);
export const kindPattern = /^[A-Za-z0-9_.:-]{1,100}$/;

export interface PreparedRequest {
  method: OutboundRequest['method'];
  url: URL;
  headers: Record<string, string>;
  bodyText: string | undefined;
}

export function prepareRequest(req: OutboundRequest): PreparedRequest {
  if (!methods.has(req.method)) {
    throw invalidInput('unsupported method', [
      { field: 'method', reason: 'one of GET, POST, PUT, DELETE, HEAD' },
    ]);
  }
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw invalidInput('partner URL is not an absolute URL', [
      { field: 'url', reason: 'absolute http(s) URL' },
    ]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidInput('partner URL must use http or https', [
      { field: 'url', reason: 'absolute http(s) URL' },
    ]);
  }
  if (req.partnerId !== null && (typeof req.partnerId !== 'string' || req.partnerId === '')) {
    throw invalidInput('partnerId must be a partner id or null', [
      { field: 'partnerId', reason: 'string or null' },
    ]);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (typeof v !== 'string' || /[\r\n]/.test(v) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) {
      throw invalidInput('invalid header', [
        { field: `headers.${k}`, reason: 'a token name and a one-line value' },
      ]);
    }
    headers[k.toLowerCase()] = v;
  }
  let bodyText: string | undefined;
  if (req.body !== undefined) {
    try {
      bodyText = JSON.stringify(req.body);
    } catch {
      throw invalidInput('body is not serializable as JSON', [{ field: 'body', reason: 'JSON value' }]);
    }
    if (bodyText === undefined) {
      throw invalidInput('body is not serializable as JSON', [{ field: 'body', reason: 'JSON value' }]);
    }
    headers['content-type'] ??= 'application/json';
  }
  headers['user-agent'] ??= 'Cardport';
  return { method: req.method, url, headers, bodyText };
}

function parseJson(res: RawResponse): unknown {
  if (res.truncated || res.body === '') return undefined;
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

export function toOutbound(res: RawResponse, latencyMs: number, attempts: number): OutboundResponse {
  const json = parseJson(res);
  return {
    status: res.status,
    headers: res.headers,
    body: res.body,
    ...(json === undefined ? {} : { json }),
    truncated: res.truncated,
    latencyMs,
    attempts,
  };
}

export function safeHookError(err: unknown, hook: string): string {
  // PlatformError messages are safe by contract; anything else may carry secrets: logs only.
  return isPlatformError(err) ? `${hook} hook failed: ${err.message}` : `${hook} hook failed (see the logs)`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function hostOf(url: URL): string {
  return url.host;
}
