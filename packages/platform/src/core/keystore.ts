import { hkdfSync } from 'node:crypto';
import type { Queryable } from './db.ts';
import { seal, unseal } from './secrets.ts';

export interface StoredKey {
  name: string;
  privateKeyPem: string | undefined;
  publicKeyPem: string | undefined;
  certificatePem: string | undefined;
}

export interface NewKey {
  privateKeyPem?: string;
  publicKeyPem?: string;
  certificatePem?: string;
}

/** Named keys and certificates of the platform; private keys sealed with the master key at rest. */
export class KeyStore {
  readonly #masterKey: Buffer;
  constructor(
    masterKey: Buffer,
    private readonly clock: { now(): number },
  ) {
    this.#masterKey = masterKey;
  }

  /**
   * A 32-byte key for one purpose (e.g. `wallet-csrf`), derived from the master key with HKDF-SHA256:
   * stable across restarts and processes sharing the home, never the master key itself.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#masterKey, Buffer.alloc(0), `cardport:${purpose}`, 32));
  }

  async get(q: Queryable, name: string): Promise<StoredKey | undefined> {
    const rows = await q.query<{
      certificate_pem: string | null;
      public_key_pem: string | null;
      private_key_sealed: string | null;
    }>('SELECT certificate_pem, public_key_pem, private_key_sealed FROM platform_keys WHERE name = $1', [
      name,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      name,
      certificatePem: row.certificate_pem ?? undefined,
      publicKeyPem: row.public_key_pem ?? undefined,
      privateKeyPem: row.private_key_sealed
        ? unseal(this.#masterKey, row.private_key_sealed, `platform_keys:${name}`).toString('utf8')
        : undefined,
    };
  }

  /** Inserts the key unless one of that name exists; returns whichever is stored (first writer wins). */
  async putIfAbsent(q: Queryable, name: string, key: NewKey): Promise<StoredKey> {
    await q.query(
      `INSERT INTO platform_keys (name, certificate_pem, public_key_pem, private_key_sealed, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING`,
      [
        name,
        key.certificatePem ?? null,
        key.publicKeyPem ?? null,
        key.privateKeyPem ? seal(this.#masterKey, key.privateKeyPem, `platform_keys:${name}`) : null,
        this.clock.now(),
      ],
    );
    const stored = await this.get(q, name);
    if (!stored) throw new Error(`key ${name} vanished after insert`);
    return stored;
  }

  /** Returns the named key, creating it with `create` the first time (e.g. the sandbox root CA). */
  async getOrCreate(q: Queryable, name: string, create: () => Promise<NewKey> | NewKey): Promise<StoredKey> {
    return (await this.get(q, name)) ?? this.putIfAbsent(q, name, await create());
  }

  /** Seals an arbitrary secret for a row of another table, bound to `context`. */
  seal(plaintext: string | Buffer, context: string): string {
    return seal(this.#masterKey, plaintext, context);
  }

  unseal(sealed: string, context: string): Buffer {
    return unseal(this.#masterKey, sealed, context);
  }
}
