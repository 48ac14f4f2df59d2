// Examples of the platform's own operations (health, the OpenAPI document) in /docs.
import { openapi } from '../core/openapi.ts';

export function annotateSiteOperations(): void {
  openapi.annotate('getHealth', {
    responseExamples: {
      '200': {
        status: 'ok',
      },
    },
  });
  openapi.annotate('getOpenApiDocument', {
    responseExamples: {
      '200': {
        openapi: '3.1.0',
        info: { title: 'Cardport platform', version: '0.1.0' },
        servers: [{ url: 'http://127.0.0.1:8080' }],
        tags: [{ name: 'save-to-pay', description: 'Save to Pay (push provisioning) …' }],
        paths: { '/ext/v1/registrations': { post: { operationId: 'createRegistration' } } },
        components: { securitySchemes: {} },
      },
    },
  });
}
