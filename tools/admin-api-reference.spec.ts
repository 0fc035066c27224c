import { readFile } from 'node:fs/promises';
import { previewAdminOpenApiDocument } from '../apps/server/src/openapi.js';
import { ADMIN_API_REFERENCE_PATH, renderAdminApiReference } from './admin-api-reference.mjs';

type Document = Awaited<ReturnType<typeof previewAdminOpenApiDocument>>;

describe('docs/reference/admin-api.md', () => {
  let document: Document;

  beforeAll(async () => {
    document = await previewAdminOpenApiDocument();
  });

  it('is exactly what the OpenAPI document the server serves gives (else run `npm run docs:admin-api`)', async () => {
    const committed = await readFile(ADMIN_API_REFERENCE_PATH, 'utf8');
    expect(committed).toBe(renderAdminApiReference(document));
  });

  it('has a section for every route of the admin API, with its success status and query parameters', () => {
    const rendered = renderAdminApiReference(document);
    const routes = Object.entries(document.paths).flatMap(([route, item]) =>
      ['get', 'post', 'patch', 'delete'].filter((method) => method in item).map((method) => `### ${method.toUpperCase()} ${route}`),
    );
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const heading of routes) expect(rendered).toContain(`\n${heading}\n`);
    const consents = rendered.slice(rendered.indexOf('### GET /admin/api/v1/tenants/{slug}/consents'));
    expect(consents).toMatch(/^\| `userId` \| string \(uuid\) \|/m);
    expect(consents).toMatch(/Answers: 200 \(OK\)/);
    expect(rendered).toMatch(/### DELETE \/admin\/api\/v1\/tenants\/\{slug\}\n\n[^\n]+\n\n[\s\S]*?Answers: 204 \(No content\)/);
  });

  it('changes when a route changes, so a stale committed file cannot pass', () => {
    const changed = structuredClone(document);
    changed.paths['/admin/api/v1/tenants/{slug}/webhooks'] = { get: { operationId: 'x', tags: ['webhooks'], summary: 'List webhooks', responses: { 200: { description: 'Success' } } } };
    const rendered = renderAdminApiReference(changed);
    expect(rendered).not.toBe(renderAdminApiReference(document));
    expect(rendered).toContain('### GET /admin/api/v1/tenants/{slug}/webhooks');
  });
});
