// PLACEHOLDER: the delivery engineer replaces this file (interface first, implementation to follow).
import type { Queryable } from './db.ts';

export interface OutboundRequest {
  /** The partner whose mTLS identity and trust anchors the call uses; null for plain calls. */
  partnerId: string | null;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (serialized by the delivery module). */
  body?: unknown;
}

export interface Delivery {
  enqueue(q: Queryable, job: OutboundRequest & { kind: string }): Promise<{ id: string }>;
}
