// State that lives as long as one app: caches, registries of wallet tabs, timers. A domain
// declares a typed key with the function that creates its state; the app creates it on first use
// and drops it with the app. No module holds mutable state of its own, so two apps in one process
// (tests build many) never share a cache, and nothing survives a rebuilt app.

export interface AppStateKey<T> {
  readonly name: string;
  readonly create: () => T;
}

/** Declares a piece of per-app state; call at module level, it holds nothing itself. */
export function appStateKey<T>(name: string, create: () => T): AppStateKey<T> {
  return Object.freeze({ name, create });
}

export class AppState {
  readonly #values = new Map<AppStateKey<unknown>, unknown>();

  /** The app's value for `key`, created on first use. */
  get<T>(key: AppStateKey<T>): T {
    if (!this.#values.has(key)) this.#values.set(key, key.create());
    return this.#values.get(key) as T;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The state of the app this listener belongs to (createHttpApp; buildApp passes ctx.state). */
    appState: AppState;
  }
}
