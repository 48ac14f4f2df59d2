// The landing page: what the sandbox is, and a way into each flow, the wallet, the dashboard and the docs.
import { html, type Markup } from '../../core/html.ts';
import type { DemoPartnerLink, FlowId } from '../demo-partners.ts';
import { sitePage } from './frame.ts';

export interface FlowInfo {
  id: FlowId;
  name: string;
  issue: number;
  summary: string;
  /** OpenAPI tags of the flow's APIs; the flow counts as available once one is registered. */
  tags: string[];
}

export const flows: readonly FlowInfo[] = [
  {
    id: 'save-to-pay',
    name: 'Save to Pay',
    issue: 3,
    summary:
      'Push provisioning: a bank registers a card over mutual TLS and shows a welcome page with a QR code; the wallet scans it and the card is tokenized onto the phone.',
    tags: ['save-to-pay'],
  },
  {
    id: 'add-to-wallet',
    name: 'Add to Wallet',
    issue: 4,
    summary:
      'Links carrying a signed, encrypted cdata token add tickets, boarding passes, coupons and more to the wallet; partners keep them current through the Server API.',
    tags: ['wallet-cards', 'add-to-wallet'],
  },
  {
    id: 'web-checkout',
    name: 'Web Checkout',
    issue: 5,
    summary:
      'A shop starts a transaction, the buyer approves it on their phone, and the shop receives an encrypted payment credential for its payment gateway.',
    tags: ['web-checkout'],
  },
];

export interface LandingView {
  /** OpenAPI tags registered so far. */
  tags: Set<string>;
  demoPartners: DemoPartnerLink[];
  publicUrl: string;
}

function flowTile(flow: FlowInfo, view: LandingView): Markup {
  const tag = flow.tags.find((t) => view.tags.has(t));
  const demos = view.demoPartners.filter((d) => d.flow === flow.id);
  return html`<article class="tile" data-flow="${flow.id}">
    <h3>${flow.name} ${tag ? html`<span class="badge badge-active">Available</span>` : html`<span class="badge badge-soon">Arrives with issue #${flow.issue}</span>`}</h3>
    <p>${flow.summary}</p>
    <div class="tile-links">
      ${tag ? html`<a href="/docs#tag-${tag}">API reference</a>` : ''}
      ${demos.map((d) => html`<a href="${d.url}">${d.name}</a>`)}
      <a href="/wallet">Open the wallet</a>
    </div>
  </article>`;
}

export function landingPage(view: LandingView): string {
  return sitePage(
    'Cardport sandbox',
    'home',
    html`<section class="hero">
        <h1>The Samsung Wallet partner platform, on your machine</h1>
        <p class="lead">Cardport is an open, self-hosted sandbox of the wallet operator’s side of Save to Pay, Add to Wallet and Web Checkout: wire-compatible APIs, the pages users see, a virtual phone that plays the wallet, and a sandbox clock you can move. Point your partner code at it, run the flows by hand or from CI, and inspect every call the platform makes to you.</p>
      </section>

      <h2>Flows</h2>
      <div class="grid">${flows.map((f) => flowTile(f, view))}</div>

      <h2>Tools</h2>
      <div class="grid">
        <article class="tile">
          <h3>Virtual wallet</h3>
          <p>A phone in the browser: a sandbox account, its devices, and the wallet’s cards. It scans QR codes, adds cards and approves payments as the flows arrive.</p>
          <div class="tile-links"><a href="/wallet">Open the wallet</a><a href="/docs#tag-wallet">Automation API</a></div>
        </article>
        <article class="tile">
          <h3>Dashboard</h3>
          <p>Partners, their certificates and every outbound delivery with its attempts; replay a dead delivery with one click.</p>
          <div class="tile-links"><a href="/admin">Open the dashboard</a></div>
        </article>
        <article class="tile">
          <h3>Docs</h3>
          <p>The OpenAPI 3.1 document of every public API of this sandbox, and the project’s guides.</p>
          <div class="tile-links"><a href="/docs">Read the docs</a><a href="/docs/openapi.json">openapi.json</a></div>
        </article>
      </div>

      <h2>Demo partners</h2>
      ${
        view.demoPartners.length
          ? html`<ul>${view.demoPartners.map((d) => html`<li><a href="${d.url}">${d.name}</a>${d.description ? html` <span class="muted">${d.description}</span>` : ''}</li>`)}</ul>`
          : html`<p class="muted" data-testid="no-demo-partners">No demo partner is running. <code>npm start</code> (<code>cardport up --demo</code>) starts the demo bank, issuer and shop of the flows that have landed.</p>`
      }

      <h2>From the command line</h2>
      <pre><code>cardport partner create --name "My bank" --out ./my-bank
cardport wallet account create --email tester@example.com
cardport deliveries list --status dead
cardport clock advance 24h</code></pre>
      <p class="fineprint">Every command takes <code>--help</code> and <code>--json</code>. This sandbox runs at <code>${view.publicUrl}</code>.</p>`,
  );
}
