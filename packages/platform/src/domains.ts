import type { DomainModule } from './core/domain.ts';

/** Every domain, in mount order. Each is a folder under src/ with a `module.ts`. */
export const domains: DomainModule[] = [];
