// Demo partners on the landing page. They run on their own ports (`cardport up --demo` starts the
// examples that exist), so whoever starts one registers its link here at runtime.

export type FlowId = 'save-to-pay' | 'add-to-wallet' | 'web-checkout';

export interface DemoPartnerLink {
  /** The flow the demo shows; without it the demo is listed but not attached to a flow. */
  flow?: FlowId;
  /** E.g. "Demo bank". */
  name: string;
  url: string;
  description?: string;
}

const links = new Map<string, DemoPartnerLink>();

/** Shows a running demo partner on the landing page (same name again replaces it). */
export function registerDemoPartner(link: DemoPartnerLink): void {
  if (!/^https?:\/\//.test(link.url)) throw new TypeError('demo partner url must be absolute http(s)');
  links.set(link.name, link);
}

export function unregisterDemoPartner(name: string): void {
  links.delete(name);
}

export function demoPartners(): DemoPartnerLink[] {
  return [...links.values()];
}
