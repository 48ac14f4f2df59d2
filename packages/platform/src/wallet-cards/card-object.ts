// cdata and card objects (PROTOCOLS.md 2.2 and 2.3): a cdata token verified with the partner's
// certificate and decrypted with the platform key made for that partner, and a card object
// checked against its card registration. JOSE failures become the link's refusal reasons.
import { type CdataHeader, isJoseError, type JoseError, verifyCdata } from '@cardport/jose';
import {
  CARD_DATA_MAX_ITEMS,
  missingCardAttributes,
  parseCardAnswerLenient,
  parseCardPayloadLenient,
  type WireWarning,
} from '@cardport/protocol';
import { authNow } from '../core/clock.ts';
import type { FieldIssue } from '../core/errors.ts';
import {
  type Card as CardRegistration,
  findPartner,
  findPartnerCertificate,
  getPartnerPlatformKey,
  showPartner,
} from '../partners/service.ts';
import { certificateRefusal } from '../partners/standing.ts';
import { LinkError } from './errors.ts';
import type { CheckedCard, WalletCardsDeps } from './model.ts';

function joseToLinkError(err: JoseError): LinkError {
  const member = err.member;
  switch (err.code) {
    case 'ERR_TOKEN_EXPIRED':
      return new LinkError('TOKEN_EXPIRED', 'the cdata token has expired: it is older than 30 s by its utc', {
        field: 'cdata',
        reason: 'utc older than 30 s',
      });
    case 'ERR_TOKEN_FROM_FUTURE':
      return new LinkError('TOKEN_FROM_FUTURE', 'the cdata token’s utc lies in the future', {
        field: 'cdata',
        reason: 'utc ahead of real time',
      });
    case 'ERR_JWS_SIGNATURE_INVALID':
      return new LinkError(
        'BAD_SIGNATURE',
        'the cdata signature does not verify with the partner certificate it names',
        { field: 'cdata', reason: 'bad RS256 signature' },
      );
    case 'ERR_JWS_ALG_NOT_ALLOWED':
    case 'ERR_JWE_ALG_NOT_ALLOWED':
      return new LinkError('ALG_NOT_ALLOWED', err.message, {
        field: `cdata.${member ?? 'alg'}`,
        reason: 'JWS RS256 over JWE RSA1_5/A128GCM only',
      });
    case 'ERR_JWE_DECRYPTION_FAILED':
      return new LinkError(
        'CANNOT_DECRYPT',
        'the cdata cannot be decrypted with the platform key of this partner: encrypt to the platform certificate you got at onboarding',
        { field: 'cdata', reason: 'JWE decryption failed' },
      );
    case 'ERR_HEADER_INVALID':
    case 'ERR_HEADER_MISMATCH': {
      const reasons: Record<string, LinkError['reason']> = {
        cty: 'WRONG_CTY',
        ver: 'WRONG_VER',
        partnerId: 'WRONG_PARTNER_ID',
        certificateId: 'WRONG_CERTIFICATE_ID',
      };
      const reason = (member && reasons[member]) || 'MALFORMED_TOKEN';
      return new LinkError(reason, `cdata header: ${err.message}`, {
        field: `cdata.header.${member ?? ''}`,
        reason: err.message,
      });
    }
    case 'ERR_KEY_NOT_FOUND':
      return new LinkError('WRONG_CERTIFICATE_ID', 'no partner certificate matches the cdata certificateId', {
        field: 'cdata.header.certificateId',
        reason: 'unknown certificate',
      });
    case 'ERR_PAYLOAD_INVALID':
      return new LinkError('INVALID_CARD', 'the decrypted cdata is not a JSON card object', {
        field: 'card',
        reason: 'not JSON',
      });
    default:
      return new LinkError('MALFORMED_TOKEN', `the cdata is not a valid token: ${err.message}`, {
        field: 'cdata',
        reason: 'malformed JWS/JWE',
      });
  }
}

/**
 * Verifies and decrypts a cdata token for a registered card (PROTOCOLS.md 2.2): the partner
 * certificate named by certificateId must be the card owner's, the platform key is the one made
 * for that partner, utc within 30 s of real time (the sandbox clock moves business time only).
 */
export async function verifyCardToken(
  deps: Pick<WalletCardsDeps, 'db' | 'keys' | 'clock'>,
  registration: CardRegistration,
  token: string,
  options: { certificateId?: string } = {},
): Promise<unknown> {
  try {
    const { card } = await verifyCdata(token, {
      now: () => authNow(deps.clock),
      resolvePartnerKey: async (h: CdataHeader) => {
        if (h.partnerId !== registration.partnerId) {
          if (await findPartner(deps.db, h.partnerId)) {
            throw new LinkError(
              'CARD_OF_ANOTHER_PARTNER',
              `card ${registration.cardId} belongs to another partner than the one that signed the cdata`,
              { field: 'cardId', reason: 'not a card of the signing partner' },
            );
          }
          throw new LinkError('WRONG_PARTNER_ID', 'the cdata partnerId is not a known partner', {
            field: 'cdata.header.partnerId',
            reason: 'unknown partner',
          });
        }
        let certificateId = h.certificateId;
        if (certificateId === undefined) {
          // ver "1" predates certificate ids: the partner's first active certificate.
          const partner = await showPartner(deps.db, h.partnerId);
          certificateId = partner.certificates.find((c) => c.status === 'active')?.certificateId;
        }
        const cert = certificateId ? await findPartnerCertificate(deps.db, certificateId) : undefined;
        if (!cert || cert.partnerId !== h.partnerId) {
          throw new LinkError(
            'WRONG_CERTIFICATE_ID',
            'the cdata certificateId is not a certificate of this partner',
            { field: 'cdata.header.certificateId', reason: 'unknown certificate for this partner' },
          );
        }
        const refused = certificateRefusal(cert);
        if (refused !== null) {
          throw new LinkError('WRONG_CERTIFICATE_ID', `the certificate named by the cdata is ${refused}`, {
            field: 'cdata.header.certificateId',
            reason: refused,
          });
        }
        if (options.certificateId !== undefined && options.certificateId !== certificateId) {
          throw new LinkError('WRONG_CERTIFICATE_ID', 'the cdata certificateId is not the one of the link', {
            field: 'cdata.header.certificateId',
            reason: 'differs from the link',
          });
        }
        return cert.publicKey;
      },
      platformPrivateKey: async () =>
        (await getPartnerPlatformKey(deps.db, deps.keys, registration.partnerId))?.privateKey,
    });
    return card;
  } catch (err) {
    if (isJoseError(err)) throw joseToLinkError(err);
    throw err;
  }
}

/**
 * Checks a card object against its registration (PROTOCOLS.md 2.3): type and subType of the
 * registration, at most 10 data objects, the card schema (field named, why). `subTypeOptional`
 * for Get Card Data answers, whose table leaves subType out.
 */
export function checkCardObject(
  registration: CardRegistration,
  payload: unknown,
  options: { subTypeOptional?: boolean } = {},
): { card: CheckedCard; warnings: FieldIssue[]; deviations: WireWarning[] } {
  const raw = (payload as { card?: { type?: unknown; subType?: unknown; data?: unknown } } | null)?.card;
  if (!raw || typeof raw !== 'object') {
    throw new LinkError('INVALID_CARD', 'the card object has no card member', {
      field: 'card',
      reason: 'required',
    });
  }
  const subType = raw.subType ?? (options.subTypeOptional ? registration.subType : undefined);
  if (typeof raw.type === 'string' && raw.type !== registration.type) {
    throw new LinkError(
      'TYPE_MISMATCH',
      `card.type ${raw.type} is not the type this card id is registered for (${registration.type})`,
      { field: 'card.type', reason: `must be ${registration.type}` },
    );
  }
  if (typeof subType === 'string' && subType !== registration.subType) {
    throw new LinkError(
      'TYPE_MISMATCH',
      `card.subType ${subType} is not the subtype this card id is registered for (${registration.subType})`,
      { field: 'card.subType', reason: `must be ${registration.subType}` },
    );
  }
  if (Array.isArray(raw.data) && raw.data.length > CARD_DATA_MAX_ITEMS) {
    throw new LinkError(
      'TOO_MANY_DATA',
      `card.data holds ${raw.data.length} objects; at most ${CARD_DATA_MAX_ITEMS} are allowed`,
      { field: 'card.data', reason: `at most ${CARD_DATA_MAX_ITEMS} objects` },
    );
  }
  // Accepted deviations (docs/compatibility.md) are normalised and reported, not refused.
  const lenient = options.subTypeOptional ? parseCardAnswerLenient : parseCardPayloadLenient;
  const parsed = lenient(
    { ...(payload as object), card: subType === undefined ? raw : { ...raw, subType } },
    { registeredSubType: registration.subType },
  );
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new LinkError(
      'INVALID_CARD',
      first ? `invalid card object: ${first.field} ${first.reason}` : 'invalid card object',
      ...parsed.issues.map(({ field, reason }) => ({ field, reason })),
    );
  }
  const card = parsed.value.card as unknown as CheckedCard;
  return { card, warnings: missingCardAttributes(card), deviations: parsed.warnings };
}
