// Save to Pay wire contracts: seed 001 §3.4.10–3.4.14, PROTOCOLS.md §1. Inbound API (partner →
// platform, /ext/v1), outbound notifications (platform → partner), error envelope, s2p.js types.
import { z } from 'zod';
import {
  countryCodeSchema,
  httpUrlSchema,
  jsonObjectSchema,
  phoneNumberSchema,
  requiredStringSchema,
  stringSchema,
  timestampSchema,
  uuidSchema,
} from './data-types.ts';
import { customIssue } from './validation.ts';

// --- Hosts and paths (seed §3.4.2, §3.4.10, §3.4.13) --------------------------------------------

/** Base URLs of the real inbound API [seed]. */
export const S2P_BASE_URLS = {
  staging: 'https://s2p-api.stg.mpay.samsung.com/ext/v1',
  production: 'https://s2p-api.mpay.samsung.com/ext/v1',
} as const;

/** Paths under the inbound base URL, and the outbound path under the partner's base URL. */
export const S2P_PATHS = {
  createRegistration: '/registrations',
  getRegistration: '/registrations/{regId}',
  notifications: '/notifications',
} as const;

// --- Headers (seed §3.4.10, §3.4.12) ------------------------------------------------------------

/** Header names of the S2P API, both directions. The response echoes the request id. */
export const S2P_HEADERS = {
  requestId: 'Request-Id',
  partnerId: 'Partner-Id',
  responseId: 'Response-Id',
} as const;

/**
 * Required headers of every inbound S2P call, as Node presents them (lower-case names). Other
 * headers pass through.
 */
export const s2pRequestHeadersSchema = z.looseObject({
  'request-id': uuidSchema,
  'partner-id': uuidSchema,
});
export type S2pRequestHeaders = z.infer<typeof s2pRequestHeadersSchema>;

// --- POST /registrations (seed §3.4.11, PROTOCOLS.md 1.3) ---------------------------------------

/** Registration status [seed]: the enum stops at LINKED. */
export const registrationStatuses = ['PENDING', 'LINKED'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];
export const registrationStatusSchema = z.enum(registrationStatuses);

/** `custom.*`: what the welcome page shows [seed]. */
export const registrationCustomSchema = z.strictObject({
  cardName: requiredStringSchema,
  cardArtUrl: httpUrlSchema,
  partnerName: requiredStringSchema,
  partnerLogoUrl: httpUrlSchema,
  partnerTncUrl: httpUrlSchema.optional(),
});
export type RegistrationCustom = z.infer<typeof registrationCustomSchema>;

// Not a seed rule [ours]: the seed types `email` as String; a value without one `@` between two
// non-empty parts cannot match any Samsung account, so the sandbox says so up front.
const emailSchema = stringSchema
  .min(1)
  .regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be an email address' })
  .meta({ description: 'Email address' });

/**
 * The body of `POST /registrations`: flat, without the seed table's `registration.` prefix, as the
 * seed example and every client send it (PROTOCOLS.md 1.3).
 *
 * Unknown fields are rejected, each named (`{field: 'enforceEmailMatch', reason: 'unknown field'}`)
 * [ours]. The real service's behaviour is not public. We refuse because a misspelt flag such as
 * `enforceEmailMatching` would otherwise be dropped without a word, switching off a security
 * check, and because a client wrapping the fields in `{"registration": {...}}` would otherwise get
 * "custom.cardName required" instead of the real mistake. Being stricter than the real service is
 * the safe direction: a body Cardport accepts is one the real service accepts too. Inside `data`
 * (an arbitrary object passed to the device) anything goes.
 */
export const createRegistrationRequestSchema = z
  .strictObject({
    email: emailSchema.optional(),
    enforceEmailMatching: z.boolean().optional(),
    hideEmail: z.boolean().optional(),
    phone: phoneNumberSchema.optional(),
    enforcePhoneMatching: z.boolean().optional(),
    hidePhone: z.boolean().optional(),
    welcomeCallbackUrl: httpUrlSchema.optional(),
    allowOfflineCommunication: z.boolean().optional(),
    data: jsonObjectSchema.optional(),
    custom: registrationCustomSchema,
  })
  .superRefine((body, ctx) => {
    // PROTOCOLS.md 1.3 [doc]: enforcing a match against a value that was not given is invalid.
    if (body.enforceEmailMatching === true && body.email === undefined) {
      ctx.addIssue(customIssue('required when enforceEmailMatching is true', ['email'], 'missing'));
    }
    if (body.enforcePhoneMatching === true && body.phone === undefined) {
      ctx.addIssue(customIssue('required when enforcePhoneMatching is true', ['phone'], 'missing'));
    }
  });
/** What a partner sends to create a registration (all flags default to false). */
export type CreateRegistrationRequest = z.infer<typeof createRegistrationRequestSchema>;

/**
 * The registration as the API returns it: `POST /registrations` (201) and
 * `GET /registrations/{regId}` (200) answer the same fields [seed]. Parsed leniently (unknown
 * fields kept), so that clients keep working when the service adds fields.
 */
export const registrationSchema = z.looseObject({
  id: uuidSchema,
  welcomeUrl: httpUrlSchema,
  status: registrationStatusSchema,
  welcomeUrlExpiration: timestampSchema,
});
export type Registration = z.infer<typeof registrationSchema>;

export const createRegistrationResponseSchema = registrationSchema;
export type CreateRegistrationResponse = Registration;
export const getRegistrationResponseSchema = registrationSchema;
export type GetRegistrationResponse = Registration;

/** Path parameters of `GET /registrations/{regId}`. */
export const getRegistrationParamsSchema = z.strictObject({ regId: uuidSchema });

// --- Outbound POST {partnerBase}/notifications (seed §3.4.13, PROTOCOLS.md 1.7) -----------------

export const notificationEventTypes = ['WA_READY', 'WA_PROVISIONED', 'WA_PROVISION_FAILURE'] as const;
export type NotificationEventType = (typeof notificationEventTypes)[number];

/** `event.error` values [seed]: only with `WA_PROVISION_FAILURE`; absent means "unknown reason". */
export const notificationEventErrors = ['CARD_ALREADY_PRESENT'] as const;
export type NotificationEventError = (typeof notificationEventErrors)[number];

export const notificationEventSchema = z.looseObject({
  regId: uuidSchema,
  type: z.enum(notificationEventTypes),
  error: z.enum(notificationEventErrors).optional(),
  desc: stringSchema.optional(),
});

export const notificationDeviceSchema = z.looseObject({
  id: requiredStringSchema,
  imeiLast4: z.string().length(4).optional(),
  serialLast4: z.string().length(4).optional(),
  locale: z.looseObject({ country: countryCodeSchema.optional() }).optional(),
});

/**
 * The body the platform POSTs to the partner. `user`, `device` and `wallet` are present for
 * payment cards; `emailMatches`/`phoneMatches` only when the registration gave an email/phone
 * [seed]. Lenient: partners must not break when the service adds fields.
 */
export const notificationSchema = z
  .looseObject({
    event: notificationEventSchema,
    user: z.looseObject({ id: requiredStringSchema }).optional(),
    emailMatches: z.boolean().optional(),
    phoneMatches: z.boolean().optional(),
    device: notificationDeviceSchema.optional(),
    wallet: z.looseObject({ id: requiredStringSchema }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.event.error !== undefined && body.event.type !== 'WA_PROVISION_FAILURE') {
      ctx.addIssue(customIssue('only allowed when event.type is WA_PROVISION_FAILURE', ['event', 'error']));
    }
  });
export type Notification = z.infer<typeof notificationSchema>;

/** `card.data.encryptedData`: the issuerBlob, String of at most 65536 characters [seed]. */
export const ENCRYPTED_DATA_MAX_LENGTH = 65536;

const encryptedCardSchema = z.looseObject({
  data: z.looseObject({ encryptedData: z.string().min(1).max(ENCRYPTED_DATA_MAX_LENGTH) }),
});

/**
 * The partner's 200 answer to a notification. `card` is required in the answer to `WA_READY`
 * unless card data came with the registration [seed]; see {@link waReadyResponseSchema}.
 */
export const notificationResponseSchema = z.looseObject({ card: encryptedCardSchema.optional() });
export type NotificationResponse = z.infer<typeof notificationResponseSchema>;

/** The answer to `WA_READY` when the issuerBlob must come from the partner. */
export const waReadyResponseSchema = z.looseObject({ card: encryptedCardSchema });
export type WaReadyResponse = z.infer<typeof waReadyResponseSchema>;

// --- Errors (seed §3.4.10, PROTOCOLS.md 1.1) ----------------------------------------------------

/**
 * Application error codes with their HTTP status and message. `400.1`, `500.1`, `503.1` and
 * `503.2` are the seed's; `403.1` and `404.1` are ours (the seed defines no code for an mTLS
 * identity mismatch or an unknown/foreign regId), and so are the HTTP-level refusals `413.1`,
 * `414.1`, `415.1` and `431.1` (body too large, path parameter too long, wrong content type,
 * headers too large), which the seed leaves unnamed.
 */
export const s2pErrors = {
  '400.1': { status: 400, message: 'Invalid Data' },
  '403.1': { status: 403, message: 'Forbidden' },
  '404.1': { status: 404, message: 'Not Found' },
  '413.1': { status: 413, message: 'Payload Too Large' },
  '414.1': { status: 414, message: 'URI Too Long' },
  '415.1': { status: 415, message: 'Unsupported Media Type' },
  '431.1': { status: 431, message: 'Request Header Fields Too Large' },
  '500.1': { status: 500, message: 'Internal Server Error' },
  '503.1': { status: 503, message: 'Service Temporarily Unavailable' },
  '503.2': { status: 503, message: 'API Temporarily Unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;
export type S2pErrorCode = keyof typeof s2pErrors;
export const s2pErrorCodes = Object.keys(s2pErrors) as S2pErrorCode[];

/** Codes that must carry a `Retry-After` header [seed]. */
export const S2P_RETRY_AFTER_CODES: readonly S2pErrorCode[] = ['503.1', '503.2'];

export const s2pErrorDetailSchema = z.looseObject({ field: z.string(), reason: z.string() });

/**
 * The error body. The seed gives codes and messages but no shape; this one is ours
 * (PROTOCOLS.md 1.1): `{"code":"400.1","message":"Invalid Data","details":[{"field","reason"}]}`.
 * `code` is parsed as any string so that clients survive codes they do not know.
 */
export const s2pErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  details: z.array(s2pErrorDetailSchema).optional(),
});
export type S2pError = z.infer<typeof s2pErrorSchema>;

export function isS2pErrorCode(value: unknown): value is S2pErrorCode {
  return typeof value === 'string' && Object.hasOwn(s2pErrors, value);
}

/** The error body for `code`, with the seed's message and optional field details. */
export function s2pErrorBody(
  code: S2pErrorCode,
  details?: readonly { field: string; reason: string }[],
): S2pError {
  return {
    code,
    message: s2pErrors[code].message,
    ...(details && details.length > 0
      ? { details: details.map(({ field, reason }) => ({ field, reason })) }
      : {}),
  };
}

// --- s2p.js (seed §3.4.14) ------------------------------------------------------------------------

/** `enum Status` of the seed's IDL. */
export const saveToPayUiStatuses = ['SUCCESS', 'FAILURE', 'DEVICE_NOT_SUPPORTED', 'DEFAULT_PENDING'] as const;
export type SaveToPayUiStatus = (typeof saveToPayUiStatuses)[number];

/** `enum ErrorCode` of the seed's IDL. */
export const saveToPayUiErrorCodes = [
  'INVALID_INPUT',
  'PROVISION_FAILURE',
  'NETWORK_ERROR',
  'UNKNOWN_ERROR',
  'CARD_ALREADY_PRESENT',
  'CANCELED',
] as const;
export type SaveToPayUiErrorCode = (typeof saveToPayUiErrorCodes)[number];

/** `dictionary S2PRequest`. */
export const s2pUiRequestSchema = z.looseObject({ welcomeUrl: httpUrlSchema });
export type S2PRequest = z.infer<typeof s2pUiRequestSchema>;

/** `dictionary Details`. */
export const s2pUiDetailsSchema = z.looseObject({
  errorCode: z.enum(saveToPayUiErrorCodes),
  message: z.string().optional(),
});
export type S2PDetails = z.infer<typeof s2pUiDetailsSchema>;

/** `dictionary S2PResponse`: what `showWelcomeModalPromise` resolves with. */
export const s2pUiResponseSchema = z.looseObject({
  status: z.enum(saveToPayUiStatuses),
  isIframeClosed: z.boolean(),
  details: s2pUiDetailsSchema.optional(),
});
export type S2PResponse = z.infer<typeof s2pUiResponseSchema>;
