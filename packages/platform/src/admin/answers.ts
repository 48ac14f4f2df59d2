// The admin API's answers as types, in one place for its clients (the CLI, the dashboard's
// script). Types only: importing this file loads none of the server's code.
import type { DeliveryEvent, requestSummary } from './console-routes.ts';
import type { AttemptView, DeliveryView } from './routes.ts';

export type { PartnerDetails, PartnerSummary } from '../partners/api-schemas.ts';
/** POST /admin/v1/partners */
export type { CreatedPartner } from '../partners/partners.ts';

export type { AttemptView, DeliveryEvent, DeliveryView };
/** One entry of GET /admin/v1/requests (bodies only on the single entry). */
export type RequestSummary = ReturnType<typeof requestSummary>;
/** GET /admin/v1/deliveries/:id */
export interface DeliveryDetailsAnswer {
  delivery: DeliveryView;
  attempts: AttemptView[];
}
