// The delivery modes, statuses and attempt outcomes, written once. No imports: the CLI, the admin
// API and the dashboard read them too.

export const deliveryModes = ['durable', 'sync'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

/**
 * Every status of a delivery, in the order a job moves through them. The admin API's filter, the
 * CLI's `--status` and the dashboard's status menu all read this list. `cancelled`: never (again)
 * sent, because the outbound gate refused it (a revoked partner).
 */
export const deliveryStatuses = ['pending', 'in_flight', 'delivered', 'dead', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** What one attempt ended as (`in_flight` while it runs). */
export const attemptOutcomes = [
  'in_flight',
  'delivered',
  'retry',
  'dead',
  'failed',
  'lease_expired',
  'cancelled',
] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];
