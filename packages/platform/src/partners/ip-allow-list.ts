// Seed 001 §3.4.2: access is restricted to each partner's allow-listed addresses. CIDRs of both
// families; an empty list admits any address [ours: the sandbox default].
import { BlockList, isIP } from 'node:net';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) becomes `1.2.3.4`; others unchanged. */
export function normalizeAddress(address: string): string {
  const mapped = MAPPED_V4.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * Parses `addr` or `addr/prefix` into canonical CIDR text (a bare address gets /32 or /128).
 * Returns an error message instead when the text is not a CIDR.
 */
export function parseCidr(text: string): { cidr: string } | { error: string } {
  const [rawAddress = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return { error: `not a CIDR: "${text}"` };
  const address = normalizeAddress(rawAddress.toLowerCase());
  const family = isIP(address);
  if (family === 0) return { error: `not an IP address or CIDR: "${text}"` };
  const max = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))
    return { error: `bad prefix length in "${text}"` };
  // An IPv4-mapped IPv6 network (::ffff:a.b.c.d/96+n) is the IPv4 network a.b.c.d/n.
  const mappedShift = address !== rawAddress.toLowerCase() && prefixText !== undefined ? 96 : 0;
  if (Number(prefixText) < mappedShift) return { error: `prefix length of "${text}" must be at least 96` };
  const prefix = prefixText === undefined ? max : Number(prefixText) - mappedShift;
  if (prefix > max) return { error: `prefix length of "${text}" must be at most ${max}` };
  return { cidr: `${address}/${prefix}` };
}

/** An allow-list compiled for lookups. */
export class IpAllowList {
  readonly #list = new BlockList();
  readonly #empty: boolean;

  constructor(cidrs: readonly string[]) {
    this.#empty = cidrs.length === 0;
    for (const text of cidrs) {
      const parsed = parseCidr(text);
      if ('error' in parsed) throw new TypeError(parsed.error);
      const [address = '', prefix] = parsed.cidr.split('/');
      this.#list.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** True when the address is allowed (always, for an empty list). */
  allows(address: string | undefined): boolean {
    if (this.#empty) return true;
    if (!address) return false;
    const normalized = normalizeAddress(address);
    const family = isIP(normalized);
    if (family === 0) return false;
    return this.#list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  }
}
