// What Add to Wallet accepts beyond the documented card object (issue 8, docs/compatibility.md):
// the cdata Samsung's own sample code makes, and spellings that cannot change a card's meaning.
// Each deviation is normalised to the documented form and reported as a warning; the accepted
// schemas then check the rest as documented. No I/O.
import { enumAttributes } from './card-attributes.ts';
import { cardSubTypes, isCardType } from './card-types.ts';
import { parseWire } from './validation.ts';
import {
  ACCEPTED_REF_ID_MAX_LENGTH,
  acceptedCardAnswerSchema,
  acceptedCardPayloadSchema,
  acceptedUpdateNotificationSchema,
  ID_MAX_LENGTH,
  type UpdateNotification,
  type WalletCard,
} from './wallet-cards.ts';
import { isRecord, type LenientParseResult, type WireWarning, wireWarning } from './warnings.ts';

/** Options of {@link normaliseCardObject}. */
export interface NormaliseCardOptions {
  /** The subType the card id is registered for: an absent `card.subType` takes it. */
  registeredSubType?: string | undefined;
  /** Path of the card object in the message. Default `card`. */
  path?: string;
}

function squash(value: string): string {
  return value.toUpperCase().replace(/[\s_-]/g, '');
}

/** The listed spelling of an enum attribute value (`CODE128` → `CODE_128`), or undefined. */
export function listedAttributeValue(key: string, value: unknown): string | undefined {
  const allowed = enumAttributes[key];
  if (!allowed || typeof value !== 'string' || allowed.includes(value)) return undefined;
  const key2 = squash(value);
  return allowed.find((v) => squash(v) === key2);
}

function normaliseAttributes(attributes: unknown, path: string, warnings: WireWarning[]): unknown {
  if (!isRecord(attributes)) return attributes;
  const out: Record<string, unknown> = { ...attributes };
  for (const [key, value] of Object.entries(attributes)) {
    const listed = listedAttributeValue(key, value);
    if (listed !== undefined) {
      warnings.push(
        wireWarning(
          'ATTRIBUTE_VALUE_SPELLING',
          `${path}.${key}`,
          value,
          `one of ${(enumAttributes[key] ?? []).join(', ')} (here ${listed})`,
          'format',
        ),
      );
      out[key] = listed;
    } else if (key.endsWith('Yn') && (value === 'y' || value === 'n' || typeof value === 'boolean')) {
      const flag = value === true || value === 'y' ? 'Y' : 'N';
      warnings.push(wireWarning('YN_FLAG_SPELLING', `${path}.${key}`, value, 'Y or N', 'format'));
      out[key] = flag;
    }
  }
  return out;
}

function normaliseLong13(item: Record<string, unknown>, key: string, path: string, warnings: WireWarning[]) {
  const value = item[key];
  if (typeof value === 'string' && /^[0-9]{1,13}$/.test(value)) {
    warnings.push(
      wireWarning(
        'LONG_AS_STRING',
        `${path}.${key}`,
        value,
        'Long(13): epoch milliseconds as a JSON number',
        'type',
      ),
    );
    item[key] = Number(value);
  }
}

/**
 * Normalises a card object `{type, subType, data[]}` (PROTOCOLS.md 2.3): absent subType → the
 * registered one (or the only one the type has); refIds of 33 to 64 characters kept; barcode
 * codes in another spelling (`CODE128`) → the listed one; `y`/`n`/booleans in `…Yn` flags → Y/N;
 * Long(13) sent as digit strings → numbers. Anything else is returned as it came.
 */
export function normaliseCardObject(
  card: unknown,
  options: NormaliseCardOptions = {},
): { card: unknown; warnings: WireWarning[] } {
  const warnings: WireWarning[] = [];
  if (!isRecord(card)) return { card, warnings };
  const path = options.path ?? 'card';
  const out: Record<string, unknown> = { ...card };
  if (out['subType'] === undefined || out['subType'] === null || out['subType'] === '') {
    const type = out['type'];
    const only = typeof type === 'string' && isCardType(type) ? cardSubTypes(type) : [];
    const implied = options.registeredSubType ?? (only.length === 1 ? only[0] : undefined);
    if (implied !== undefined) {
      warnings.push(
        wireWarning(
          'SUBTYPE_MISSING',
          `${path}.subType`,
          undefined,
          `one of the subtypes of the card type; taken as ${implied}`,
          'missing',
        ),
      );
      out['subType'] = implied;
    }
  }
  if (Array.isArray(out['data'])) {
    out['data'] = out['data'].map((raw: unknown, i: number) => {
      if (!isRecord(raw)) return raw;
      const item: Record<string, unknown> = { ...raw };
      const at = `${path}.data[${i}]`;
      const refId = item['refId'];
      if (
        typeof refId === 'string' &&
        refId.length > ID_MAX_LENGTH &&
        refId.length <= ACCEPTED_REF_ID_MAX_LENGTH
      ) {
        warnings.push(
          wireWarning('REF_ID_TOO_LONG', `${at}.refId`, refId, `String(${ID_MAX_LENGTH})`, 'format'),
        );
      }
      normaliseLong13(item, 'createdAt', at, warnings);
      normaliseLong13(item, 'updatedAt', at, warnings);
      item['attributes'] = normaliseAttributes(item['attributes'], `${at}.attributes`, warnings);
      if (Array.isArray(item['localization'])) {
        item['localization'] = item['localization'].map((loc: unknown, j: number) =>
          isRecord(loc)
            ? {
                ...loc,
                attributes: normaliseAttributes(
                  loc['attributes'],
                  `${at}.localization[${j}].attributes`,
                  warnings,
                ),
              }
            : loc,
        );
      }
      return item;
    });
  }
  return { card: out, warnings };
}

/** Parses a cdata plaintext `{"card":{…}}` leniently: {@link normaliseCardObject}, then the accepted schema. */
export function parseCardPayloadLenient(
  payload: unknown,
  options: NormaliseCardOptions = {},
): LenientParseResult<{ card: WalletCard }> {
  return parseCardLenient(payload, options, true);
}

/** Parses the `{card}` form of a Get Card Data answer leniently (subType may be absent). */
export function parseCardAnswerLenient(
  payload: unknown,
  options: NormaliseCardOptions = {},
): LenientParseResult<{ card: WalletCard }> {
  return parseCardLenient(payload, options, false);
}

function parseCardLenient(
  payload: unknown,
  options: NormaliseCardOptions,
  cdata: boolean,
): LenientParseResult<{ card: WalletCard }> {
  let value = payload;
  let warnings: WireWarning[] = [];
  if (isRecord(payload)) {
    const normalised = normaliseCardObject(payload['card'], options);
    warnings = normalised.warnings;
    value = { ...payload, card: normalised.card };
  }
  const parsed = parseWire(cdata ? acceptedCardPayloadSchema : acceptedCardAnswerSchema, value);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  return { ok: true, value: parsed.value as { card: WalletCard }, warnings };
}

/**
 * Parses an Update Notification body (PROTOCOLS.md 3.2) leniently: refIds of 33 to 64 characters
 * (the UUIDs a partner put in its cdata) are accepted with a warning.
 */
export function parseUpdateNotificationLenient(body: unknown): LenientParseResult<UpdateNotification> {
  const warnings: WireWarning[] = [];
  const card = isRecord(body) ? body['card'] : undefined;
  if (isRecord(card) && Array.isArray(card['data'])) {
    card['data'].forEach((item: unknown, i: number) => {
      const refId = isRecord(item) ? item['refId'] : undefined;
      if (
        typeof refId === 'string' &&
        refId.length > ID_MAX_LENGTH &&
        refId.length <= ACCEPTED_REF_ID_MAX_LENGTH
      ) {
        warnings.push(
          wireWarning(
            'REF_ID_TOO_LONG',
            `card.data[${i}].refId`,
            refId,
            `String(${ID_MAX_LENGTH})`,
            'format',
          ),
        );
      }
    });
  }
  const parsed = parseWire(acceptedUpdateNotificationSchema, body);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  return { ok: true, value: parsed.value, warnings };
}
