// Demo partners on the landing page. They run on their own ports (`cardport up --demo` starts the
// examples that exist), so whoever starts one registers its link in the app's state at runtime.
import { type AppState, appStateKey } from '../core/app-state.ts';

export type FlowId = 'save-to-pay' | 'add-to-wallet' | 'web-checkout';

export interface DemoPartnerLink {
  /** The flow the demo shows; without it the demo is listed but not attached to a flow. */
  flow?: FlowId;
  /** E.g. "Demo bank". */
  name: string;
  url: string;
  description?: string;
}

/** The app's demo partner links, by name (`ctx.state.get(demoPartnersKey)`). */
export const demoPartnersKey = appStateKey('site.demoPartners', () => new Map<string, DemoPartnerLink>());

/** Shows a running demo partner on the landing page (same name again replaces it). */
export function registerDemoPartner(state: AppState, link: DemoPartnerLink): void {
  if (!/^https?:\/\//.test(link.url)) throw new TypeError('demo partner url must be absolute http(s)');
  state.get(demoPartnersKey).set(link.name, link);
}

export function unregisterDemoPartner(state: AppState, name: string): void {
  state.get(demoPartnersKey).delete(name);
}

export function demoPartners(state: AppState): DemoPartnerLink[] {
  return [...state.get(demoPartnersKey).values()];
}
