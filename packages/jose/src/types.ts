import type { KeyObject } from 'node:crypto';

/** A value or a promise of it: key resolvers may look keys up in a database. */
export type Awaitable<T> = T | Promise<T>;

/**
 * The protected header Samsung puts on partner JWS tokens: cdata (`cty: "CARD"`, PROTOCOLS.md
 * 2.2) and AUTH tokens (`cty: "AUTH"`, PROTOCOLS.md 3.1). Unknown extra members are kept.
 */
export interface PartnerJwsHeader {
  readonly alg: 'RS256';
  readonly cty: string;
  /** `"3"` today; the old `"1"` had no certificateId. */
  readonly ver: '3' | '1';
  /** Numeric string, e.g. 19 digits. */
  readonly partnerId: string;
  /** Short id of the partner certificate (case-sensitive); absent when `ver` is `"1"`. */
  readonly certificateId?: string;
  /** Creation time, epoch milliseconds. */
  readonly utc: number;
  readonly [member: string]: unknown;
}

/** Picks the key for a token from its (not yet verified) protected header. */
export type KeyResolver<H> = (header: H) => Awaitable<KeyObject | undefined>;

/** Values the verifier requires in the header, e.g. the partner a request is authenticated as. */
export interface ExpectedPartner {
  readonly partnerId?: string;
  readonly certificateId?: string;
}
