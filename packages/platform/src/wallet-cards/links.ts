// Add to Wallet links (PROTOCOLS.md 2.1): every path form, and the `#Clip?cdata=` / `#Clip?pdata=`
// fragment. The landing page's script sends the link it was opened with; the CLI sends the link it
// was given; both are read here, so there is one parser.
import { LinkError } from './errors.ts';

/** A link, taken apart. */
export interface ParsedLink {
  /** `v1` and `v3` are `/atw/...`; `wlt` is the legacy `/wlt/{productId}/{cardId}`. */
  form: 'v1' | 'v3' | 'wlt';
  cardId: string;
  /** Only in `/atw/v3/{certificateId}/{cardId}` (Data Fetch). */
  certificateId?: string;
  /** Only in the legacy form. */
  productId?: string;
  cdata?: string;
  pdata?: string;
}

const segment = /^[^\s/?#%]{1,64}$/;

/**
 * A value the platform places into a partner's URL path (a refId, a cardId): RFC 3986 unreserved
 * characters only, 1 to 64 of them (refId is String(32); UUIDs of 36 are accepted), and never a
 * dot segment (`.`, `..`), which would move the call to another path of the partner.
 */
export function isSafePathSegment(value: string): boolean {
  return /^[A-Za-z0-9._~-]{1,64}$/.test(value) && value !== '.' && value !== '..';
}

/**
 * Reads an Add to Wallet link: an absolute URL on any host, or a path starting with `/`.
 *
 * @example
 *   parseLink('https://a.swallet.link/atw/v3/3hdpej5kn9k00#Clip?pdata=ref-1')
 *   // { form: 'v3', cardId: '3hdpej5kn9k00', pdata: 'ref-1' }
 */
export function parseLink(link: string): ParsedLink {
  if (typeof link !== 'string' || link.length === 0) {
    throw new LinkError('MALFORMED_LINK', 'the link is empty', { field: 'link', reason: 'required' });
  }
  let url: URL;
  try {
    url = new URL(link, 'https://a.swallet.link');
  } catch {
    throw new LinkError('MALFORMED_LINK', 'the link is not a URL', { field: 'link', reason: 'not a URL' });
  }
  const parts = url.pathname.split('/').filter((p) => p !== '');
  let parsed: Omit<ParsedLink, 'cdata' | 'pdata'> | undefined;
  const ok = (...values: (string | undefined)[]) => values.every((v) => v !== undefined && segment.test(v));
  if (parts[0] === 'atw' && (parts[1] === 'v1' || parts[1] === 'v3') && parts.length === 3 && ok(parts[2])) {
    parsed = { form: parts[1], cardId: parts[2] as string };
  } else if (parts[0] === 'atw' && parts[1] === 'v3' && parts.length === 4 && ok(parts[2], parts[3])) {
    parsed = { form: 'v3', certificateId: parts[2] as string, cardId: parts[3] as string };
  } else if (parts[0] === 'wlt' && parts.length === 3 && ok(parts[1], parts[2])) {
    parsed = { form: 'wlt', productId: parts[1] as string, cardId: parts[2] as string };
  }
  if (!parsed) {
    throw new LinkError(
      'MALFORMED_LINK',
      'the link path is none of /atw/v1/{cardId}, /atw/v3/{cardId}, /atw/v3/{certificateId}/{cardId}, /wlt/{productId}/{cardId}',
      { field: 'link', reason: 'unknown path form' },
    );
  }
  // PROTOCOLS.md 2.1: the hash name is `#Clip`, capital C, then a query.
  const hash = url.hash;
  if (!hash.startsWith('#Clip?')) {
    throw new LinkError('MALFORMED_LINK', 'the link has no #Clip?cdata=… or #Clip?pdata=… fragment', {
      field: 'link',
      reason: hash.toLowerCase().startsWith('#clip')
        ? '#Clip must be written with a capital C'
        : 'missing #Clip',
    });
  }
  const query = new URLSearchParams(hash.slice('#Clip?'.length));
  const cdata = query.get('cdata') ?? undefined;
  const pdata = query.get('pdata') ?? undefined;
  if ((cdata === undefined) === (pdata === undefined) || cdata === '' || pdata === '') {
    throw new LinkError('MALFORMED_LINK', 'the link must carry exactly one of cdata and pdata', {
      field: 'link',
      reason: 'one of cdata, pdata',
    });
  }
  if (pdata !== undefined && !isSafePathSegment(pdata)) {
    throw new LinkError('MALFORMED_LINK', 'pdata must be a refId: 1 to 64 letters, digits, or . _ ~ -', {
      field: 'pdata',
      reason: 'not a refId (1-64 of A-Z a-z 0-9 . _ ~ -, not . or ..)',
    });
  }
  if (parsed.certificateId !== undefined && pdata === undefined) {
    throw new LinkError('MALFORMED_LINK', '/atw/v3/{certificateId}/{cardId} links carry pdata, not cdata', {
      field: 'link',
      reason: 'pdata expected',
    });
  }
  return { ...parsed, ...(cdata !== undefined ? { cdata } : {}), ...(pdata !== undefined ? { pdata } : {}) };
}
