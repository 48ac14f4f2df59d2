// The admin API's answers as types, in one place for its clients (the CLI, the dashboard's
// script). Types only: importing this file loads none of the server's code. Each answer is the
// `z.infer` of the response schema its route declares (so the OpenAPI document, the server and
// its clients read one declaration); where the declared schema is loose (`looseObject`), the type
// says the fields the route fills in from the service's own result types.
import type { z } from 'zod';
import type { clearFaultsResponse, faultsListResponse, faultsResponse } from '../faults/schemas.ts';
import type {
  cardsResponse,
  partnersResponse,
  revokedCertificateResponse,
  servicesResponse,
} from '../partners/api-schemas.ts';
import type { InitiateResult, ProvisionResult } from '../save-to-pay/provisioning.ts';
import type { scanResponse, switchesResponse } from '../save-to-pay/schemas.ts';
import type { verifyResponse } from '../verify/schemas.ts';
import type {
  accountDetailResponse,
  accountsResponse,
  accountWithItemsResponse,
} from '../wallet/api-schemas.ts';
import type { WalletDevice } from '../wallet/schemas.ts';
import type { accountPassesResponse, addedPassesResponse } from '../wallet-cards/schemas.ts';
import type {
  addedTestCard,
  adminTransactions,
  automatedAnswer,
  healthProbes,
  probedHealth,
} from '../web-checkout/schemas.ts';
import type { DeliveryEvent, requestSummary } from './console-routes.ts';
import type { requestEntryResponse, timelineResponse } from './console-schemas.ts';
import type { AttemptView, DeliveryView } from './routes.ts';
import type {
  advancedClockResponse,
  clockResponse,
  deliveriesResponse,
  replayedResponse,
} from './schemas.ts';

export type { PartnerDetails, PartnerSummary } from '../partners/api-schemas.ts';
/** POST /admin/v1/partners */
export type { CreatedPartner } from '../partners/partners.ts';

export type { AttemptView, DeliveryEvent, DeliveryView };

// --- partners, cards, services -------------------------------------------------------------------

/** GET /admin/v1/partners */
export type PartnersAnswer = z.infer<typeof partnersResponse>;
/** POST /admin/v1/partners/:partnerId/certificates/:certificateId/revoke */
export type RevokedCertificate = z.infer<typeof revokedCertificateResponse>;
/** One Add to Wallet card registration: POST /admin/v1/cards, GET /admin/v1/cards/:cardId. */
export type CardView = CardsAnswer['cards'][number];
/** GET /admin/v1/cards */
export type CardsAnswer = z.infer<typeof cardsResponse>;
/** One Web Checkout service: POST /admin/v1/services, GET /admin/v1/services/:serviceId. */
export type ServiceView = ServicesAnswer['services'][number];
/** GET /admin/v1/services */
export type ServicesAnswer = z.infer<typeof servicesResponse>;

// --- deliveries, requests, timeline ----------------------------------------------------------------

/** GET /admin/v1/deliveries */
export type DeliveriesAnswer = z.infer<typeof deliveriesResponse>;
/** GET /admin/v1/deliveries/:id */
export interface DeliveryDetailsAnswer {
  delivery: DeliveryView;
  attempts: AttemptView[];
}
/** POST /admin/v1/deliveries/:id/replay */
export type ReplayedAnswer = z.infer<typeof replayedResponse>;
/** One entry of GET /admin/v1/requests (bodies only on the single entry). */
export type RequestSummary = ReturnType<typeof requestSummary>;
/** GET /admin/v1/requests */
export interface RequestsAnswer {
  requests: RequestSummary[];
}
/** GET /admin/v1/requests/:id: one call with its bodies. */
export type RequestEntryAnswer = z.infer<typeof requestEntryResponse>;

/** One attempt of a delivery in a timeline. */
export type TimelineAttempt = Pick<
  AttemptView,
  'attempt' | 'startedAt' | 'latencyMs' | 'httpStatus' | 'outcome' | 'error' | 'retryAt'
>;
/** What the wallet's user did, in a timeline. */
export interface TimelineWalletAction {
  action: string;
  accountId: string;
  detail?: Record<string, string | number | boolean | null>;
}
/**
 * One line of an object's timeline. The declared schema names `type` and `at` only (each item
 * carries its record under the name of its type); these are the records console-routes.ts puts.
 */
export type TimelineItem =
  | { type: 'request'; at: number; request: RequestSummary }
  | { type: 'delivery'; at: number; delivery: DeliveryEvent & { attemptList: TimelineAttempt[] } }
  | { type: 'wallet'; at: number; action: TimelineWalletAction };
/** GET /admin/v1/timeline/:objectId */
export type TimelineAnswer = Omit<z.infer<typeof timelineResponse>, 'items'> & { items: TimelineItem[] };

// --- the sandbox clock, faults, verify ---------------------------------------------------------------

/** GET /admin/v1/clock, POST /admin/v1/clock/reset */
export type ClockAnswer = z.infer<typeof clockResponse>;
/** POST /admin/v1/clock/advance */
export type AdvancedClockAnswer = z.infer<typeof advancedClockResponse>;
/** One partner's fault settings with what they injected so far. */
export type FaultsView = FaultsAnswer['faults'];
/** GET or PUT /admin/v1/faults/:partnerId */
export type FaultsAnswer = z.infer<typeof faultsResponse>;
/** GET /admin/v1/faults */
export type FaultsListAnswer = z.infer<typeof faultsListResponse>;
/** DELETE /admin/v1/faults/:partnerId */
export type ClearedFaultsAnswer = z.infer<typeof clearFaultsResponse>;
/** POST /admin/v1/verify */
export type VerifyAnswer = z.infer<typeof verifyResponse>;

// --- the wallet, Add to Wallet, Save to Pay, Web Checkout ----------------------------------------------

/** One wallet device, as the admin accounts API shows it. */
export type DeviceView = WalletDevice;
/** POST /admin/v1/wallet/accounts: the account and its first device. */
export type CreatedAccount = z.infer<typeof accountDetailResponse>;
/** GET /admin/v1/wallet/accounts/:email: the account, its devices and its wallet items. */
export type AccountDetail = z.infer<typeof accountWithItemsResponse>;
/** GET /admin/v1/wallet/accounts */
export type AccountsAnswer = z.infer<typeof accountsResponse>;
/** One pass in a wallet, with its state history. */
export type PassView = AddedPassesAnswer['cards'][number];
/** POST /admin/v1/wallet-cards */
export type AddedPassesAnswer = z.infer<typeof addedPassesResponse>;
/** GET /admin/v1/wallet-cards?email= */
export type AccountPassesAnswer = z.infer<typeof accountPassesResponse>;

/** GET and PUT /admin/v1/save-to-pay/switches */
export type SwitchesAnswer = z.infer<typeof switchesResponse>;
/**
 * POST /admin/v1/save-to-pay/scan: the card shown to the user, the device, and the provisioning
 * outcome (the declared schema is loose: these are the fields save-to-pay/admin-routes.ts puts).
 */
export type ScanAnswer = z.infer<typeof scanResponse> &
  Pick<InitiateResult, 'card' | 'emailMatches' | 'phoneMatches'> & {
    deviceId: string;
    walletId: string;
  } & ProvisionResult;

/** POST /admin/v1/web-checkout/test-cards */
export type AddedTestCard = z.infer<typeof addedTestCard>;
/** POST /admin/v1/web-checkout/approvals */
export type AutomatedAnswer = z.infer<typeof automatedAnswer>;
/** GET /admin/v1/web-checkout/transactions */
export type AdminTransactionsAnswer = z.infer<typeof adminTransactions>;
/** POST /admin/v1/web-checkout/services/:serviceId/health-probes */
export type HealthProbe = z.infer<typeof probedHealth>;
/** GET /admin/v1/web-checkout/services/:serviceId/health-probes */
export type HealthProbesAnswer = z.infer<typeof healthProbes>;
