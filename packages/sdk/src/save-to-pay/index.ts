// Save to Pay for partners: the inbound API client, the notification endpoint, and the sandbox
// issuerBlob (docs/save-to-pay.md, docs/token-service.md).
import { createPublicKey, type KeyObject } from 'node:crypto';

export { createIssuerBlob, type IssuerBlobBinding, type IssuerBlobCard } from '@cardport/jose';
export type {
  CreateRegistrationRequest,
  Registration,
  S2PResponse,
  SaveToPayUiErrorCode,
  SaveToPayUiStatus,
} from '@cardport/protocol';
export type {
  RegistrationResult,
  RequestOptions,
  SaveToPayClientOptions,
  SaveToPayEnvironment,
} from './client.ts';
export { SANDBOX_S2P_BASE_URL, SaveToPayApiError, SaveToPayClient } from './client.ts';
export type {
  NotificationAnswer,
  NotificationContext,
  NotificationHandlers,
  NotificationInput,
  SaveToPayNotification,
  SaveToPayNotificationsHandler,
  WaProvisionedNotification,
  WaProvisionFailureNotification,
  WaReadyNotification,
} from './notifications.ts';
export {
  createNotificationsHandler,
  NotificationError,
  notificationServerTlsOptions,
  parseNotification,
  verifyPlatformClient,
} from './notifications.ts';

/** The sandbox token service's public key (`GET {platformUrl}/tsp/v1/public-key.pem`). */
export async function fetchTspPublicKey(platformUrl: string): Promise<KeyObject> {
  const res = await fetch(`${platformUrl.replace(/\/+$/, '')}/tsp/v1/public-key.pem`);
  if (!res.ok) throw new Error(`TSP public key: HTTP ${res.status}`);
  return createPublicKey(await res.text());
}
