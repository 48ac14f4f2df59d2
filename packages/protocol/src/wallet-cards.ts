// Add to Wallet and Server interaction wire contracts: seeds 002 and 003, PROTOCOLS.md §2.3 and §3.
// The card object (cdata plaintext, Get Card Data answer), the Samsung Server API bodies (Update
// and Cancel Notification), and the Partner Server API (Get Card Data, Send Card State).
//
// Leniency [ours]: card objects come from partners in many shapes and the public lists are
// incomplete, so unknown members and unknown attributes are kept as they came (looseObject) and
// only what is documented is checked.
import { z } from 'zod';
import { attributeFormatIssue, checkCardAttributes } from './card-attributes.ts';
import { CARD_TYPE_MAX_LENGTH, cardSubTypes, cardTypeNames, isCardType } from './card-types.ts';
import { countryCodeSchema, httpUrlSchema } from './data-types.ts';
import { customIssue, type FieldIssue } from './validation.ts';

/** Host of Add to Wallet links [seed]. */
export const ATW_LINK_BASE_URL = 'https://a.swallet.link';
/** Base URL of the real Samsung Server API [seed]; regional hosts come as Send Card State's callback. */
export const WALLET_SERVER_API_BASE_URL = 'https://tsapi-card.walletsvc.samsung.com';

/**
 * Server API paths: the seed's form first, then the regional forms seen in real integrations
 * (PROTOCOLS.md 3.2 [impl]); the platform accepts them all.
 */
export const WALLET_SERVER_PATHS = {
  updateNotification: [
    '/wltex/cards/{cardId}/notification',
    '/{cc2}/wltex/cards/{cardId}/notification',
    '/{cc2}/wltex/cards/{cardId}/updates',
  ],
  cancelNotification: [
    '/wltex/cards/{cardId}/cancellation',
    '/{cc2}/wltex/cards/{cardId}/cancellation',
    '/{cc2}/wltex/cards/{cardId}/cancels',
  ],
} as const;

/** Partner Server API path under the partner's URL: Get Card Data (GET) and Send Card State (POST). */
export const PARTNER_CARD_PATH = '/cards/{cardId}/{refId}';

/** `card.data[]` holds at most 10 objects [seed] (newer docs say 6; the seed's 10 is accepted). */
export const CARD_DATA_MAX_ITEMS = 10;
/** `refId`, `cardId`, `eventId`, `vehicleNumber`: String(32) [seed]. */
export const ID_MAX_LENGTH = 32;
/** `language`: String(8) [seed]. */
export const LANGUAGE_MAX_LENGTH = 8;
/** `state`: String(16) [seed]. */
export const STATE_MAX_LENGTH = 16;
/** Long(13): epoch milliseconds with at most 13 digits [seed]. */
export const LONG13_MAX = 9_999_999_999_999;

/**
 * A String(32) id that goes into URL paths (`/cards/{cardId}/{refId}`): not empty, and without
 * whitespace, `/`, `?`, `#` or `%`, which would change the path [ours; the seed only gives the length].
 */
export const pathIdSchema = z
  .string()
  .min(1)
  .max(ID_MAX_LENGTH)
  .regex(/^[^\s/?#%]+$/, { error: 'must not contain whitespace, /, ?, # or %' });

export const refIdSchema = pathIdSchema;
export const cardIdSchema = pathIdSchema;

/** Long(13) epoch milliseconds. */
export const long13Schema = z.int().min(0).max(LONG13_MAX);

export const languageSchema = z.string().min(1).max(LANGUAGE_MAX_LENGTH);

/** `card.type`: one of the ATW card types (PROTOCOLS.md 2.3). */
export const cardTypeSchema = z
  .string()
  .max(CARD_TYPE_MAX_LENGTH)
  .refine(isCardType, { error: `must be one of: ${cardTypeNames.join(', ')}` });

/** Card states a wallet card can be in [seed]. */
export const cardStates = [
  'CREATED',
  'UPDATED',
  'EXPIRED',
  'REDEEMED',
  'HELD',
  'DELETED',
  'CANCELED',
] as const;
export type CardState = (typeof cardStates)[number];

/** Attributes: flat dotted keys (`barcode.value`, `logoImage.darkUrl`); unknown ones are kept. */
export const cardAttributesSchema = z.record(z.string(), z.unknown());
export type CardAttributes = z.infer<typeof cardAttributesSchema>;

export const cardLocalizationSchema = z.looseObject({
  language: languageSchema,
  attributes: cardAttributesSchema,
});
export type CardLocalization = z.infer<typeof cardLocalizationSchema>;

/**
 * One `card.data[]` object. `updatedAt` is Mandatory in the seed's table but both seed examples
 * omit it, so it is optional here [ours]: readers use `createdAt` when it is absent. `state`
 * appears in Get Card Data answers only.
 */
export const cardDataSchema = cardDataShape(refIdSchema);
export type CardData = z.infer<typeof cardDataSchema>;

function cardDataShape(refId: z.ZodType<string>) {
  return z.looseObject({
    refId,
    createdAt: long13Schema,
    updatedAt: long13Schema.optional(),
    state: z.enum(cardStates).optional(),
    language: languageSchema,
    attributes: cardAttributesSchema,
    localization: z.array(cardLocalizationSchema).optional(),
  });
}

function walletCardShape(subTypeRequired: boolean, data: z.ZodType<CardData> = cardDataSchema) {
  const subType = z.string().min(1).max(CARD_TYPE_MAX_LENGTH);
  return z
    .looseObject({
      type: cardTypeSchema,
      subType: subTypeRequired ? subType : subType.optional(),
      data: z.array(data).min(1).max(CARD_DATA_MAX_ITEMS),
    })
    .superRefine((card, ctx) => {
      const { type, subType: sub } = card;
      // A subType over 16 characters already has its issue; one per field is enough.
      if (
        sub !== undefined &&
        sub.length <= CARD_TYPE_MAX_LENGTH &&
        isCardType(type) &&
        !cardSubTypes(type).includes(sub)
      ) {
        ctx.addIssue(
          customIssue(`must be one of: ${cardSubTypes(type).join(', ')} (for ${type})`, ['subType']),
        );
      }
      const seen = new Set<string>();
      card.data.forEach((item, i) => {
        if (seen.has(item.refId)) ctx.addIssue(customIssue('duplicate refId', ['data', i, 'refId']));
        seen.add(item.refId);
        for (const [key, value] of Object.entries(item.attributes)) {
          const reason = attributeFormatIssue(key, value);
          if (reason) ctx.addIssue(customIssue(reason, ['data', i, 'attributes', key], 'format'));
        }
        item.localization?.forEach((loc, j) => {
          for (const [key, value] of Object.entries(loc.attributes)) {
            const reason = attributeFormatIssue(key, value);
            if (reason)
              ctx.addIssue(customIssue(reason, ['data', i, 'localization', j, 'attributes', key], 'format'));
          }
        });
      });
    });
}

/**
 * The wallet card object (PROTOCOLS.md 2.3): type and subType checked against each other, 1..10
 * data objects with unique refIds, known attribute formats checked. Required attributes per type
 * are not enforced here (seed examples omit them); see {@link missingCardAttributes}.
 */
export const walletCardSchema = walletCardShape(true);
export type WalletCard = z.infer<typeof walletCardSchema>;

/** The cdata plaintext: `{"card":{...}}` (PROTOCOLS.md 2.2). */
export const cardPayloadSchema = z.looseObject({ card: walletCardSchema });
export type CardPayload = z.infer<typeof cardPayloadSchema>;

/**
 * `refId` as the platform accepts it: up to 64 characters [ours], so that the 36-character UUIDs
 * of Samsung's own sample code fit [impl, PROTOCOLS.md 2.3]; beyond 32 it is warned about.
 */
export const ACCEPTED_REF_ID_MAX_LENGTH = 64;
export const acceptedRefIdSchema = z
  .string()
  .min(1)
  .max(ACCEPTED_REF_ID_MAX_LENGTH)
  .regex(/^[^\s/?#%]+$/, { error: 'must not contain whitespace, /, ?, # or %' });
/** The cdata plaintext as the platform accepts it (see wallet-cards-lenient.ts). */
export const acceptedCardPayloadSchema = z.looseObject({
  card: walletCardShape(true, cardDataShape(acceptedRefIdSchema)),
});
/** The `{card}` form of a Get Card Data answer as the platform accepts it. */
export const acceptedCardAnswerSchema = z.looseObject({
  card: walletCardShape(false, cardDataShape(acceptedRefIdSchema)),
});

/**
 * The attributes a card's type requires that are missing, per data object, with field names
 * like `card.data[0].attributes.mainImg`. Localization overrides need not repeat them.
 */
export function missingCardAttributes(
  card: { type: string; subType?: string | undefined; data: readonly { attributes: CardAttributes }[] },
  path = 'card',
): FieldIssue[] {
  return card.data.flatMap((item, i) =>
    checkCardAttributes(card.type, item.attributes, {
      ...(card.subType === undefined ? {} : { subType: card.subType }),
      formats: false,
      path: `${path}.data[${i}].attributes`,
    }),
  );
}

// --- Samsung Server API (partner → platform), PROTOCOLS.md 3.2 ----------------------------------

/**
 * Headers of every Server API call, as Node presents them. `authorization` is `Bearer <JWS>`
 * (or the bare JWS; @cardport/jose checks it), the two ids are String(32) [seed]: the seed's own
 * examples (`req-202303140003`) are not UUIDs, so only the length is checked.
 */
export const walletServerHeadersSchema = z.looseObject({
  authorization: z.string().min(1),
  'x-smcs-partner-id': z.string().min(1).max(ID_MAX_LENGTH),
  'x-request-id': z.string().min(1).max(ID_MAX_LENGTH),
});
export type WalletServerHeaders = z.infer<typeof walletServerHeadersSchema>;

/** Path parameters of the Server API routes; `cc2` only on the regional forms. */
export const walletServerParamsSchema = z.looseObject({
  cc2: countryCodeSchema.optional(),
  cardId: cardIdSchema,
});

/** States a partner may set with Update Notification [seed]. */
export const updateNotificationStates = ['UPDATED', 'EXPIRED', 'REDEEMED', 'HELD', 'DELETED'] as const;
export type UpdateNotificationState = (typeof updateNotificationStates)[number];

/** `POST /wltex/cards/{cardId}/notification` body: `{"card":{"type","data":[{"refId","state"}]}}`. */
export const updateNotificationSchema = z.looseObject({
  card: z.looseObject({
    type: cardTypeSchema,
    data: z.array(z.looseObject({ refId: refIdSchema, state: z.enum(updateNotificationStates) })).min(1),
  }),
});
export type UpdateNotification = z.infer<typeof updateNotificationSchema>;

/** The Update Notification body as the platform accepts it: refIds up to 64 characters. */
export const acceptedUpdateNotificationSchema = z.looseObject({
  card: z.looseObject({
    type: cardTypeSchema,
    data: z
      .array(z.looseObject({ refId: acceptedRefIdSchema, state: z.enum(updateNotificationStates) }))
      .min(1),
  }),
});

/**
 * `POST /wltex/cards/{cardId}/cancellation` body. Each data object names an event: `eventId`
 * (required for tickets), or `vehicleNumber` with an optional `estimatedOrActualStartDate`
 * (required for boarding passes); other types need one of the two [ours: the seed names only
 * tickets and boarding passes]. The only state is `CANCELED`.
 */
export const cancelNotificationSchema = z.looseObject({
  card: z
    .looseObject({
      type: cardTypeSchema,
      data: z
        .array(
          z.looseObject({
            eventId: z.string().min(1).max(ID_MAX_LENGTH).optional(),
            vehicleNumber: z.string().min(1).max(ID_MAX_LENGTH).optional(),
            estimatedOrActualStartDate: long13Schema.optional(),
            state: z.literal('CANCELED'),
          }),
        )
        .min(1),
    })
    .superRefine((card, ctx) => {
      card.data.forEach((item, i) => {
        if (card.type === 'ticket' && item.eventId === undefined) {
          ctx.addIssue(customIssue('required for ticket cards', ['data', i, 'eventId'], 'missing'));
        } else if (card.type === 'boardingpass' && item.vehicleNumber === undefined) {
          ctx.addIssue(
            customIssue('required for boardingpass cards', ['data', i, 'vehicleNumber'], 'missing'),
          );
        } else if (item.eventId === undefined && item.vehicleNumber === undefined) {
          ctx.addIssue(
            customIssue('eventId or vehicleNumber is required', ['data', i, 'eventId'], 'missing'),
          );
        }
      });
    }),
});
export type CancelNotification = z.infer<typeof cancelNotificationSchema>;

// --- Partner Server API (platform → partner), PROTOCOLS.md 3.3 ----------------------------------

/** Path parameters of `GET|POST {partnerUrl}/cards/{cardId}/{refId}`. */
export const partnerCardParamsSchema = z.looseObject({ cardId: cardIdSchema, refId: refIdSchema });

/** Get Card Data query: optional `fields` [doc]. */
export const getCardDataQuerySchema = z.looseObject({ fields: z.string().optional() });

/**
 * The 200 answer of Get Card Data: `{"card":{...}}` or `{"cdata":"<token>"}` [doc]. In the
 * `card` form `subType` is optional (the seed's table leaves it out) and data objects may carry
 * `state`. A 204 (no body) means the card no longer exists.
 */
export const getCardDataResponseSchema = z.union([
  z.looseObject({ card: walletCardShape(false) }),
  z.looseObject({ cdata: z.string().min(1) }),
]);
export type GetCardDataResponse = z.infer<typeof getCardDataResponseSchema>;

/** Events of Send Card State [doc]. */
export const cardStateEvents = ['ADDED', 'UPDATED', 'DELETED', 'PROVISIONED'] as const;
export type CardStateEvent = (typeof cardStateEvents)[number];

/** Send Card State query `?cc2=..&event=..` [seed]. */
export const sendCardStateQuerySchema = z.looseObject({
  cc2: countryCodeSchema,
  event: z.enum(cardStateEvents),
});
export type SendCardStateQuery = z.infer<typeof sendCardStateQuerySchema>;

/** Send Card State body: `{"callback":"<Samsung Server API base>"}`, optional [seed]. */
export const sendCardStateBodySchema = z.looseObject({ callback: httpUrlSchema.optional() });
export type SendCardStateBody = z.infer<typeof sendCardStateBodySchema>;
