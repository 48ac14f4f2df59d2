// HTTP of Add to Wallet: the landing page of links and its check API here; the wallet's pages,
// device API and admin API in pass-routes.ts; the Samsung Server API in server-api-routes.ts.
// All of them share one scope: the request log, the domain's error format and inbound faults.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serveBrowserBundle, servePageScript } from '../core/bundles.ts';
import type { AppContext } from '../core/context.ts';
import { registerErrorFamily } from '../core/families.ts';
import { platformRaw, registerPlatformFamily } from '../core/http.ts';
import { registerPagePolicy } from '../core/page-policy.ts';
import { describeApi, type ZodTypeProvider } from '../core/routes.ts';
import { serveStaticFiles } from '../core/static-files.ts';
import { addWarnings } from '../core/warnings.ts';
import { atwPartnerOf, inboundFaults } from '../faults/service.ts';
import { recordRequests } from '../partners/request-log.ts';
import { checkLink, getOffer } from './check-link.ts';
import { landingPage } from './pages/views.ts';
import { registerPassRoutes } from './pass-routes.ts';
import { errorHandler, languagesOf, offerWithPreview } from './route-support.ts';
import { checkedLinkResponse, checkLinkBody, linkErrorReasonList, linkErrorSchema } from './schemas.ts';
import { registerServerApiRoutes } from './server-api-routes.ts';

/** The page scripts served under /atw/assets/<name>.js (pages/<name>.browser.ts). */
export const pageScriptNames = ['landing', 'pass'] as const;

const landingCsp = [
  "default-src 'self'",
  "img-src 'self' data: https: http:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function registerWalletCardsRoutes(app: FastifyInstance, ctx: AppContext): void {
  // The "Add to Samsung Wallet" button for partner pages (packages/browser/src/add-to-wallet.ts).
  serveBrowserBundle(app, ctx.state, '/atw/libs/add-to-wallet.js', 'add-to-wallet.ts');

  serveStaticFiles(app, {
    root: new URL('./pages/', import.meta.url),
    prefix: '/atw/assets/',
    files: { 'passes.css': 'no-cache' },
  });
  for (const name of pageScriptNames) {
    servePageScript(
      app,
      ctx.state,
      `/atw/assets/${name}.js`,
      new URL(`./pages/${name}.browser.ts`, import.meta.url),
    );
  }

  registerErrorFamily(app, { prefix: '/atw/api/', handler: errorHandler, raw: platformRaw, jsonOnly: true });
  registerPlatformFamily(app, '/wltex/', {
    jsonOnly: true,
    headers: ['authorization', 'x-smcs-partner-id', 'x-request-id'],
  });
  app.register(async (scope) => {
    recordRequests(scope, ctx, 'atw', {
      only: (url) => /^\/(atw\/(v1|v3|api)\/|wlt\/|([a-z]{2}\/)?wltex\/)/.test(url),
    });
    scope.setErrorHandler(errorHandler);
    scope.addHook('preHandler', inboundFaults(ctx.db, 'atw', atwPartnerOf));
    describeApi(scope, {
      tags: [
        {
          name: 'add-to-wallet',
          description:
            'Add to Samsung Wallet links (cdata / pdata), the virtual wallet’s passes, and the Samsung Server API partners call (Update and Cancel Notification).',
        },
      ],
    });
    registerLinkRoutes(scope, ctx);
    registerPassRoutes(scope, ctx);
    registerServerApiRoutes(scope, ctx);
  });
}

/** The landing page of links (PROTOCOLS.md 2.1) and the check API its script calls. */
function registerLinkRoutes(scope: FastifyInstance, ctx: AppContext): void {
  // The landing page's policy, once for each of its link prefixes.
  for (const prefix of ['/atw/v1/', '/atw/v3/', '/wlt/']) {
    registerPagePolicy(scope, {
      prefix,
      contentSecurityPolicy: landingCsp,
      referrerPolicy: 'no-referrer',
      cacheControl: 'no-store',
    });
  }
  const landing = async (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').send(landingPage());
  for (const path of [
    '/atw/v1/:cardId',
    '/atw/v3/:cardId',
    '/atw/v3/:certificateId/:cardId',
    '/wlt/:productId/:cardId',
  ]) {
    scope.get(path, landing);
  }

  const api = scope.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/atw/api/links/check',
    {
      schema: {
        operationId: 'checkLink',
        summary: 'Check an Add to Wallet link (what the landing page does with the fragment)',
        description: `Verifies and decrypts cdata (or fetches pdata with Get Card Data), checks the card object against the card registration, and keeps the result as an offer for 10 minutes. Refusals carry \`error.reason\`: ${linkErrorReasonList}`,
        tags: ['add-to-wallet'],
        body: checkLinkBody,
        response: {
          200: checkedLinkResponse,
          400: linkErrorSchema.meta({ description: 'The link or its card object is refused' }),
          403: linkErrorSchema.meta({ description: 'The partner is revoked or strict' }),
          404: linkErrorSchema.meta({ description: 'Unknown card id, or a pdata the partner does not know' }),
        },
      },
    },
    async (req) => {
      const body = req.body;
      const offer = await checkLink(ctx, body.link);
      addWarnings(req, offer.deviations);
      return offerWithPreview(ctx, offer, body.languages ?? languagesOf(req));
    },
  );

  scope.get('/atw/api/offers/:offerId', async (req) => {
    const { offerId } = req.params as { offerId: string };
    return offerWithPreview(ctx, await getOffer(ctx, offerId), languagesOf(req));
  });
}
