import { Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import { pageQuerySchema, type Page, type PageQuery, type SigningKeyView } from '@tessera/contracts';
import { KeysService } from '@tessera/keys';
import { TenantsService } from '@tessera/tenancy';
import { MAX_ACCESS_TOKEN_TTL_S } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { AdminApiController } from './admin-api.js';
import { Principal, type AdminPrincipal } from './admin-principal.js';
import { RequireRole } from './require-role.js';
import { ApiProblems } from './openapi-schema.js';
import { originOf } from './request-origin.js';
import { listPage } from './list-page.js';
import { keyView } from './views.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

/** Extra time a retired key stays published, for clock skew and JWKS caches of resource servers. */
const PUBLICATION_MARGIN_S = 300;

@AdminApiController('keys', '/tenants/:slug/keys')
export class KeysController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly keys: KeysService,
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List signing keys, newest first (public parts only)' })
  @ApiProblems(400, 404)
  async list(@Param('slug') slug: string, @Query(new ZodValidationPipe(pageQuerySchema, 'query')) page: PageQuery): Promise<Page<SigningKeyView>> {
    const tenant = await this.tenants.get(slug);
    return listPage((await this.keys.list(tenant.id)).map(keyView), (key) => key.kid, page);
  }

  @Post('rotate')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign with new keys (ES256 and RS256) from now on; the old public keys stay published until their tokens expire. Answers the new ES256 key, the one that signs access tokens',
  })
  @ApiProblems(404)
  async rotate(@Param('slug') slug: string, @Principal() principal: AdminPrincipal, @Req() request: FastifyRequest): Promise<SigningKeyView> {
    const tenant = await this.tenants.get(slug);
    // Clients' lifetimes can be raised later, so keep the key as long as any token could live.
    const longest = Math.min(Math.max(await this.clients.maxAccessTokenTtl(tenant.id), 3600), MAX_ACCESS_TOKEN_TTL_S);
    const keys = await this.keys.rotate(tenant.id, (longest + PUBLICATION_MARGIN_S) * 1000);
    for (const key of keys) {
      await this.audit.record(originOf(request, principal), tenant.id, 'key.rotated', { type: 'signing_key', id: key.kid }, { alg: key.alg });
    }
    return keyView(keys.find((k) => k.alg === 'ES256')!);
  }
}
