import type { Queryable } from '../core/db.ts';
import { MIN_RSA_BITS, parseCsr } from '../core/pki.ts';
import { merchantKeyId, newCardId, newServiceId } from './ids.ts';
import { cachedLookup } from './lookup-cache.ts';
import type { PartnerDeps } from './onboarding-support.ts';
import { inField, requireActive, requirePartner, withFreshIds } from './onboarding-support.ts';
import {
  type CreateCardInput,
  type CreateServiceInput,
  createCardSchema,
  createServiceSchema,
  parseInput,
} from './schemas.ts';
import type { Card, CheckoutService, Partner } from './store.ts';
import * as store from './store.ts';

// --- cards --------------------------------------------------------------------------------------

/** Registers an Add to Wallet card (type and subType checked against PROTOCOLS.md 2.3). */
export async function createCard(
  deps: Pick<PartnerDeps, 'db' | 'clock'>,
  input: CreateCardInput,
): Promise<Card> {
  const body = parseInput(createCardSchema, input);
  return withFreshIds(() =>
    deps.db.transaction(async (tx) => {
      requireActive(await requirePartner(tx, body.partnerId));
      const card: Card = {
        cardId: newCardId(),
        partnerId: body.partnerId,
        type: body.type,
        subType: body.subType,
        partnerUrl: body.partnerUrl,
        createdAt: deps.clock.now(),
      };
      await store.createCard(tx, card);
      return card;
    }),
  );
}

export function findCard(q: Queryable, cardId: string): Promise<Card | undefined> {
  return cachedLookup(q, 'cards', cardId, () => store.findCard(q, cardId));
}

export function listCards(q: Queryable, filter: { partnerId?: string } = {}): Promise<Card[]> {
  return store.listCards(q, filter);
}

// --- checkout services --------------------------------------------------------------------------

/** Registers a Web Checkout service; keeps the merchant's public key from its CSR (RSA >= 2048). */
export async function createService(
  deps: Pick<PartnerDeps, 'db' | 'clock'>,
  input: CreateServiceInput,
): Promise<CheckoutService> {
  const body = parseInput(createServiceSchema, input);
  const csr = await inField('csrPem', () => parseCsr(body.csrPem, { minRsaBits: MIN_RSA_BITS }));
  return withFreshIds(() =>
    deps.db.transaction(async (tx) => {
      requireActive(await requirePartner(tx, body.partnerId));
      const service: CheckoutService = {
        serviceId: newServiceId(),
        partnerId: body.partnerId,
        name: body.name,
        merchantPublicKeyPem: csr.publicKeyPem,
        merchantKeyId: merchantKeyId(csr.publicKey),
        domains: body.domains,
        healthUrl: body.healthUrl ?? null,
        createdAt: deps.clock.now(),
      };
      await store.createService(tx, service);
      return service;
    }),
  );
}

export function findService(q: Queryable, serviceId: string): Promise<CheckoutService | undefined> {
  return cachedLookup(q, 'services', serviceId, () => store.findService(q, serviceId));
}

export function listServices(q: Queryable, filter: { partnerId?: string } = {}): Promise<CheckoutService[]> {
  return store.listServices(q, filter);
}

/** A partner by id, or undefined. */
export function findPartner(q: Queryable, partnerId: string): Promise<Partner | undefined> {
  return cachedLookup(q, 'partners', partnerId, () => store.findPartner(q, partnerId));
}
